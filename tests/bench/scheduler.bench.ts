import { bench, describe } from 'vitest';
import { createInProcessScheduler, createManualClock } from 'omotenashi';
import { lcg } from './support/rules-workload.js';

// 1,000,000 pending timers spread over an hour, scheduled and fired through the in-process
// scheduler (a binary heap and one clock alarm), against a naive scheduler that wakes every
// 10 s and scans every pending timer (which also fires up to 10 s late).
const N = 1_000_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 1);
const r = lcg(11);
const offsets = Float64Array.from({ length: N }, () => Math.floor(r() * HOUR));

describe(`${N.toLocaleString('en')} timers scheduled and fired`, () => {
  bench(
    'baseline: naive scan every 10 s',
    () => {
      let pending: Array<{ key: string; at: number }> = [];
      for (let i = 0; i < N; i++) pending.push({ key: `k${i}`, at: T0 + (offsets[i] as number) });
      let fired = 0;
      for (let now = T0; pending.length > 0; now += 10_000) {
        const keep: typeof pending = [];
        for (const job of pending) {
          if (job.at <= now) fired++;
          else keep.push(job);
        }
        pending = keep;
      }
      if (fired !== N) throw new Error(`fired ${fired}`);
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );

  bench(
    'omotenashi: in-process scheduler (heap + one alarm), exact times',
    async () => {
      const clock = createManualClock(T0);
      const scheduler = createInProcessScheduler({ clock });
      let fired = 0;
      let late = 0;
      scheduler.start(async (job) => {
        fired++;
        if (clock.now() !== job.at) late++;
      });
      for (let i = 0; i < N; i++) await scheduler.schedule({ key: `k${i}`, at: T0 + (offsets[i] as number), type: 'bench', payload: {} });
      await clock.advance(HOUR);
      if (fired !== N || late !== 0) throw new Error(`fired ${fired}, late ${late}`);
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );
});
