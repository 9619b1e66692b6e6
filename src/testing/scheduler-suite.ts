import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduledJob, SchedulerPort } from '../ports/scheduler.js';
import { createManualClock, type ManualClock } from '../adapters/memory/clock.js';

/** The names of the scheduler conformance tests, for `skip`. */
export const SCHEDULER_CONFORMANCE_TESTS = [
  'runs nothing before it is due',
  'runs due jobs in order of time',
  'scheduling a key again replaces the job',
  'cancel removes a job; unknown keys are a no-op',
  'retries a job whose handler throws',
  'jobs scheduled by a handler run too',
  'stop halts delivery',
] as const;

/** The name of one scheduler conformance test. */
export type SchedulerConformanceTest = (typeof SCHEDULER_CONFORMANCE_TESTS)[number];

/** Options of {@link defineSchedulerConformanceSuite}. */
export interface SchedulerConformanceOptions {
  /** The suite's title (default `scheduler conformance`). */
  readonly name?: string;
  /** A fresh scheduler driven by the given manual clock. */
  readonly create: (clock: ManualClock) => SchedulerPort | Promise<SchedulerPort>;
  /** Called after every test. */
  readonly destroy?: (scheduler: SchedulerPort) => void | Promise<void>;
  /** Tests this adapter opts out of, each with the reason. */
  readonly skip?: Partial<Record<SchedulerConformanceTest, string>>;
}

const T0 = Date.UTC(2026, 3, 1, 0, 0, 0);
const job = (key: string, offsetMs: number, type = 'test'): ScheduledJob => ({ key, at: T0 + offsetMs, type, payload: { key } });

/**
 * Define the conformance tests every scheduler adapter must pass, in the calling vitest file.
 *
 * @example
 * ```ts
 * defineSchedulerConformanceSuite({ create: (clock) => createInProcessScheduler({ clock }) });
 * ```
 */
export function defineSchedulerConformanceSuite(options: SchedulerConformanceOptions): void {
  describe(options.name ?? 'scheduler conformance', () => {
    let clock: ManualClock;
    let scheduler: SchedulerPort;
    let ran: Array<{ key: string; at: number }>;
    beforeEach(async () => {
      clock = createManualClock(T0);
      scheduler = await options.create(clock);
      ran = [];
    });
    afterEach(async () => {
      await scheduler.stop();
      await options.destroy?.(scheduler);
    });
    const record = async (j: ScheduledJob): Promise<void> => {
      ran.push({ key: j.key, at: clock.now() });
    };
    const test = (name: SchedulerConformanceTest, fn: () => Promise<void>): void => {
      const reason = options.skip?.[name];
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    };

    test('runs nothing before it is due', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('a', 60_000));
      await clock.advance(59_999);
      expect(ran).toEqual([]);
      await clock.advance(1);
      expect(ran).toEqual([{ key: 'a', at: T0 + 60_000 }]);
    });

    test('runs due jobs in order of time', async () => {
      scheduler.start(record);
      for (const [k, ms] of [['c', 3000], ['a', 1000], ['b', 2000], ['a2', 1000]] as const) await scheduler.schedule(job(k, ms));
      await clock.advance('PT1H');
      expect(ran.map((r) => r.key)).toEqual(['a', 'a2', 'b', 'c']);
      expect(ran.map((r) => r.at)).toEqual([T0 + 1000, T0 + 1000, T0 + 2000, T0 + 3000]);
    });

    test('scheduling a key again replaces the job', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('k', 1000));
      await scheduler.schedule(job('k', 5000));
      await scheduler.schedule(job('k', 3000));
      await clock.advance('PT1M');
      expect(ran).toEqual([{ key: 'k', at: T0 + 3000 }]);
    });

    test('cancel removes a job; unknown keys are a no-op', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('x', 1000));
      await scheduler.schedule(job('y', 2000));
      await scheduler.cancel('x');
      await scheduler.cancel('never-scheduled');
      await clock.advance('PT1M');
      expect(ran.map((r) => r.key)).toEqual(['y']);
    });

    test('retries a job whose handler throws', async () => {
      let failures = 0;
      scheduler.start(async (j) => {
        if (failures < 2) {
          failures++;
          throw new Error('transient');
        }
        ran.push({ key: j.key, at: clock.now() });
      });
      await scheduler.schedule(job('flaky', 1000));
      await clock.advance('PT1H');
      expect(failures).toBe(2);
      expect(ran.map((r) => r.key)).toEqual(['flaky']);
      expect((ran[0]?.at ?? 0) > T0 + 1000).toBe(true);
    });

    test('jobs scheduled by a handler run too', async () => {
      scheduler.start(async (j) => {
        ran.push({ key: j.key, at: clock.now() });
        if (j.key === 'first') await scheduler.schedule(job('second', 5000));
      });
      await scheduler.schedule(job('first', 1000));
      await clock.advance('PT1M');
      expect(ran).toEqual([
        { key: 'first', at: T0 + 1000 },
        { key: 'second', at: T0 + 5000 },
      ]);
    });

    test('stop halts delivery', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('later', 10_000));
      await scheduler.stop();
      await clock.advance('PT1M');
      expect(ran).toEqual([]);
    });
  });
}
