// Scores the built-in signal detector on the labelled corpus in tests/fixtures/signals.
// `npm run eval:signals` prints the held-out part (what the test run enforces); `-- --part dev
// --mistakes` shows the development part and its mistakes, for tuning.
import { createSignalDetector } from '../src/signals/detect.js';
import { evaluateSignalDetector } from '../src/signals/evaluate.js';
import { DEVELOPMENT, HELD_OUT } from '../tests/fixtures/signals/corpus.js';

const args = process.argv.slice(2);
const part = args.includes('--part') ? args[args.indexOf('--part') + 1] : 'heldout';
const sentences = part === 'dev' ? DEVELOPMENT : HELD_OUT;
const result = await evaluateSignalDetector(createSignalDetector(), sentences);
const pct = (x: number): string => x.toFixed(2);
console.log(`signals, ${part === 'dev' ? 'development' : 'held-out'} part: ${sentences.length} sentences (${sentences.filter((s) => s.language === 'en').length} en, ${sentences.filter((s) => s.language === 'ja').length} ja)\n`);
console.log('kind               lang  support  precision  recall  f1');
for (const s of result.scores) console.log(`${s.kind.padEnd(19)}${s.language.padEnd(6)}${String(s.support).padStart(7)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1)}`);
console.log('\nconfidence  detections  accuracy');
for (const b of result.calibration) console.log(`${b.from.toFixed(1)}–${b.to.toFixed(1)}   ${String(b.count).padStart(10)}  ${pct(b.accuracy).padStart(8)}`);
console.log(`expected calibration error: ${result.expectedCalibrationError.toFixed(3)}`);
if (args.includes('--mistakes')) {
  console.log(`\n${result.mistakes.length} mistakes:`);
  for (const m of result.mistakes) console.log(`  [${m.expected.join(',') || '-'}] got [${m.detected.join(',') || '-'}]  ${m.text}`);
}
