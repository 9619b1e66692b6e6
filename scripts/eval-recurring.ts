// Scores the grouping of recurring problems on the labelled ticket subjects in
// tests/fixtures/recurring: purity and pair recall on the held-out groups (what the test run
// enforces); `-- --part dev --groups` shows the development groups as grouped, for tuning.
import { groupSimilar } from '../src/knowledge/grouping.js';
import { DEVELOPMENT_SUBJECTS, HELD_OUT_SUBJECTS, scoreGrouping } from '../tests/fixtures/recurring/corpus.js';

const args = process.argv.slice(2);
const dev = args.includes('--part') && args[args.indexOf('--part') + 1] === 'dev';
const similarity = args.includes('--similarity') ? Number(args[args.indexOf('--similarity') + 1]) : undefined;
const subjects = dev ? DEVELOPMENT_SUBJECTS : HELD_OUT_SUBJECTS;
const groups = groupSimilar(subjects.map((s) => ({ text: s.subject, tags: [] })), { similarity });
const score = scoreGrouping(subjects, groups);
const problems = new Set(subjects.map((s) => s.group).filter((g) => g !== null)).size;
console.log(`recurring problems, ${dev ? 'development' : 'held-out'} part: ${subjects.length} subjects, ${problems} problems, ${subjects.filter((s) => s.group === null).length} one-offs → ${groups.length} groups`);
console.log(`purity ${score.purity.toFixed(2)}  pair recall ${score.pairRecall.toFixed(2)}  pair precision ${score.pairPrecision.toFixed(2)}`);
if (args.includes('--groups')) for (const g of groups) console.log(`  [${g.map((i) => subjects[i]?.group ?? '-').join(', ')}]\n    ${g.map((i) => subjects[i]?.subject).join(' | ')}`);
