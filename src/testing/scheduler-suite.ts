import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduledJob, SchedulerPort } from '../ports/scheduler.js';
import { createManualClock, createSystemClock, type ManualClock } from '../adapters/memory/clock.js';
import type { ClockPort } from '../ports/clock.js';

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
  /**
   * Whose time the scheduler keeps. `manual` (default): the scheduler runs on the clock it is
   * given, and the suite drives a manual clock, asserting exact run times. `real`: the scheduler
   * keeps the time of something outside the process (a database's `now()`), so the suite runs on
   * the system clock with due times a few hundred milliseconds apart, waits for runs with a
   * deadline, and asserts that nothing ran early and everything ran in order.
   */
  readonly time?: 'manual' | 'real';
  /** With `time: 'real'`: the longest wait for a run, in ms (default 30 000; retries back off). */
  readonly deadlineMs?: number;
  /** With `time: 'real'`: how long to keep watching for runs that must not happen, in ms (default 1500). */
  readonly quietMs?: number;
  /** A fresh scheduler on the given clock (a manual clock unless `time` is `real`). */
  readonly create: (clock: ClockPort & { now(): number }) => SchedulerPort | Promise<SchedulerPort>;
  /** Called after every test. */
  readonly destroy?: (scheduler: SchedulerPort) => void | Promise<void>;
  /** Tests this adapter opts out of, each with the reason. */
  readonly skip?: Partial<Record<SchedulerConformanceTest, string>>;
}

const T0 = Date.UTC(2026, 3, 1, 0, 0, 0);

/** How a test lets time pass: by advancing a manual clock, or by waiting on the real one. */
interface Driver {
  readonly clock: ClockPort;
  readonly t0: number;
  /** Let time pass until `at` (and, on real time, a quiet spell after it for stray runs). */
  passTo(at: number): Promise<void>;
  /** Let time pass until `done()` holds, or give up at the deadline (`horizonMs` of manual time). */
  until(done: () => boolean, horizonMs: number): Promise<void>;
  /** Assert a run happened at its due time (manual) or not before it (real). */
  ranAt(actual: number | undefined, due: number): void;
}

function manualDriver(): Driver & { clock: ManualClock } {
  const clock = createManualClock(T0);
  return {
    clock,
    t0: T0,
    passTo: async (at) => {
      if (at > clock.now()) await clock.advance(at - clock.now());
    },
    until: async (_done, horizonMs) => {
      await clock.advance(horizonMs);
    },
    ranAt: (actual, due) => expect(actual).toBe(due),
  };
}

function realDriver(deadlineMs: number, quietMs: number): Driver {
  const clock = createSystemClock({ keepAlive: true });
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    clock,
    // Due times start a little ahead, so that scheduling several jobs never races their due time.
    t0: clock.now() + 500,
    passTo: async (at) => {
      while (clock.now() < at) await sleep(Math.min(50, at - clock.now()));
      await sleep(quietMs);
    },
    until: async (done) => {
      const deadline = clock.now() + deadlineMs;
      while (!done() && clock.now() < deadline) await sleep(25);
    },
    ranAt: (actual, due) => expect(actual).toBeGreaterThanOrEqual(due),
  };
}

/**
 * Define the conformance tests every scheduler adapter must pass, in the calling vitest file.
 *
 * @example
 * ```ts
 * defineSchedulerConformanceSuite({ create: (clock) => createInProcessScheduler({ clock }) });
 * ```
 */
export function defineSchedulerConformanceSuite(options: SchedulerConformanceOptions): void {
  const real = options.time === 'real';
  describe(options.name ?? 'scheduler conformance', () => {
    let d: Driver, scheduler: SchedulerPort, ran: Array<{ key: string; at: number }>;
    const job = (key: string, offsetMs: number, type = 'test'): ScheduledJob => ({ key, at: d.t0 + offsetMs, type, payload: { key } });
    beforeEach(async () => {
      d = real ? realDriver(options.deadlineMs ?? 30_000, options.quietMs ?? 1500) : manualDriver();
      scheduler = await options.create(d.clock as ClockPort & { now(): number });
      ran = [];
    });
    afterEach(async () => {
      await scheduler.stop();
      await options.destroy?.(scheduler);
    });
    const record = async (j: ScheduledJob): Promise<void> => void ran.push({ key: j.key, at: d.clock.now() });
    const test = (name: SchedulerConformanceTest, fn: () => Promise<void>): void => {
      const reason = options.skip?.[name];
      const timeout = real ? (options.deadlineMs ?? 30_000) * 2 : undefined;
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn, timeout);
    };

    test('runs nothing before it is due', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('a', 1500));
      await d.passTo(d.t0 + 1499);
      if (real) expect(ran.filter((r) => r.at < d.t0 + 1500)).toEqual([]);
      else expect(ran).toEqual([]);
      await d.until(() => ran.length >= 1, 60_000);
      expect(ran.map((r) => r.key)).toEqual(['a']);
      d.ranAt(ran[0]?.at, d.t0 + 1500);
    });

    test('runs due jobs in order of time', async () => {
      for (const [k, ms] of [['c', 900], ['a', 300], ['b', 600], ['a2', 300]] as const) await scheduler.schedule(job(k, ms));
      scheduler.start(record);
      await d.until(() => ran.length >= 4, 3_600_000);
      expect(ran.map((r) => r.key)).toEqual(['a', 'a2', 'b', 'c']);
      [300, 300, 600, 900].forEach((ms, i) => d.ranAt(ran[i]?.at, d.t0 + ms));
    });

    test('scheduling a key again replaces the job', async () => {
      await scheduler.schedule(job('k', 300));
      await scheduler.schedule(job('k', 1500));
      await scheduler.schedule(job('k', 900));
      scheduler.start(record);
      await d.until(() => ran.length >= 1, 60_000);
      await d.passTo(d.t0 + 1500);
      expect(ran.map((r) => r.key)).toEqual(['k']);
      d.ranAt(ran[0]?.at, d.t0 + 900);
    });

    test('cancel removes a job; unknown keys are a no-op', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('x', 300));
      await scheduler.schedule(job('y', 600));
      await scheduler.cancel('x');
      await scheduler.cancel('never-scheduled');
      await d.until(() => ran.length >= 1, 60_000);
      await d.passTo(d.t0 + 600);
      expect(ran.map((r) => r.key)).toEqual(['y']);
    });

    test('retries a job whose handler throws', async () => {
      let failures = 0;
      scheduler.start(async (j) => {
        if (failures < 2) {
          failures++;
          throw new Error('transient');
        }
        ran.push({ key: j.key, at: d.clock.now() });
      });
      await scheduler.schedule(job('flaky', 300));
      await d.until(() => ran.length >= 1, 3_600_000);
      expect(failures).toBe(2);
      expect(ran.map((r) => r.key)).toEqual(['flaky']);
      expect((ran[0]?.at ?? 0) > d.t0 + 300).toBe(true);
    });

    test('jobs scheduled by a handler run too', async () => {
      scheduler.start(async (j) => {
        ran.push({ key: j.key, at: d.clock.now() });
        if (j.key === 'first') await scheduler.schedule(job('second', 900));
      });
      await scheduler.schedule(job('first', 300));
      await d.until(() => ran.length >= 2, 60_000);
      expect(ran.map((r) => r.key)).toEqual(['first', 'second']);
      d.ranAt(ran[0]?.at, d.t0 + 300);
      d.ranAt(ran[1]?.at, d.t0 + 900);
    });

    test('stop halts delivery', async () => {
      scheduler.start(record);
      await scheduler.schedule(job('later', 600));
      await scheduler.stop();
      await d.passTo(d.t0 + 600);
      expect(ran).toEqual([]);
    });
  });
}
