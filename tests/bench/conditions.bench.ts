import { Engine } from 'json-rules-engine';
import { bench, describe } from 'vitest';
import { compileCondition } from 'omotenashi';
import { makeFacts, makeRules, toJre } from './support/rules-workload.js';

// 50 rules of 4-6 leaves over ticket facts, in omotenashi and in json-rules-engine, on the same
// rules and facts. json-rules-engine needs ~2 ms a fact, so both engines are timed on the same
// 5,000-fact sample (BENCH_FULL=1: all 100,000); omotenashi is also timed on all 100,000.
const ALL = makeFacts(100_000);
const SAMPLE = process.env['BENCH_FULL'] === '1' ? ALL : ALL.slice(0, 5_000);
const rules = makeRules(50);
const compiled = rules.map((r) => compileCondition(r));
const engine = new Engine([], { allowUndefinedFacts: true });
rules.forEach((c, i) => engine.addRule({ conditions: toJre(c) as never, event: { type: String(i) } }));

const fireOurs = (facts: object): number[] => {
  const fired: number[] = [];
  for (let i = 0; i < compiled.length; i++) if ((compiled[i] as (f: object) => boolean)(facts)) fired.push(i);
  return fired;
};

describe(`50 rules over ${SAMPLE.length.toLocaleString('en')} ticket facts: omotenashi vs json-rules-engine`, async () => {
  // Both engines must fire exactly the same rules for every fact, or the comparison means nothing.
  let firedTotal = 0;
  for (const [n, f] of SAMPLE.entries()) {
    const ours = fireOurs(f);
    const theirs = (await engine.run(f)).events.map((e) => Number(e.type)).sort((a, b) => a - b);
    if (ours.join() !== theirs.join()) throw new Error(`engines disagree on fact ${n}: ours ${ours.join()} vs json-rules-engine ${theirs.join()}`);
    firedTotal += ours.length;
  }
  console.log(`  both engines fired the same ${firedTotal.toLocaleString('en')} rules on ${SAMPLE.length.toLocaleString('en')} facts`);

  bench(
    'baseline: json-rules-engine',
    async () => {
      for (const f of SAMPLE) await engine.run(f);
    },
    { iterations: 2, time: 0, warmupIterations: 0, warmupTime: 0 },
  );

  bench(
    'omotenashi: compiled conditions',
    () => {
      for (const f of SAMPLE) fireOurs(f);
    },
    { iterations: 60, time: 0, warmupIterations: 20 },
  );
});

describe('50 rules over 100,000 ticket facts: omotenashi alone', () => {
  bench('omotenashi: compiled conditions, 100k facts', () => {
    for (const f of ALL) fireOurs(f);
  }, { iterations: 10, time: 0, warmupIterations: 5 });
});
