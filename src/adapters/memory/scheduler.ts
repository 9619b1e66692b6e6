import { toMillis, type Duration } from '../../domain/common.js';
import { createTimerHeap } from '../../internal/heap.js';
import type { ClockPort } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { createConsoleLogger } from './logger.js';
import type { JobHandler, ScheduledJob, SchedulerPort } from '../../ports/scheduler.js';

/** Options of {@link createInProcessScheduler}. */
export interface InProcessSchedulerOptions {
  /** The clock that says when jobs are due and wakes the scheduler. */
  readonly clock: ClockPort;
  /** Attempts per job before it is given up (default 5). */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled each time (default `'PT30S'`). */
  readonly retryDelay?: Duration;
  /** Where failures are written when `onError` is not given (default: the console). */
  readonly logger?: Logger;
  /** Told about a job that failed and about one given up. Default: `logger.warn` for a retry, `logger.error` when given up. */
  readonly onError?: (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => void;
}

const DONE: Promise<void> = Promise.resolve();

/** The in-process scheduler: the port, plus what it holds for inspection. */
export interface InProcessScheduler extends SchedulerPort {
  /** How many jobs are pending. */
  readonly pending: number;
  /** Jobs given up after their last attempt, oldest first, with the last error (kept until retried). */
  deadLetters(): ReadonlyArray<{ readonly job: ScheduledJob; readonly attempts: number; readonly error: string; readonly at: number }>;
  /** Put a dead-lettered job back in line now, for a fresh set of attempts. Returns false when there is none with that key. */
  retryDeadLetter(key: string): boolean;
}

/** The default report of a failed job: a warning for a retry, an error when given up. */
function logFailures(given: Logger | undefined) {
  return (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean): void => {
    const logger = given ?? createConsoleLogger();
    logger[givenUp ? 'error' : 'warn']({ err: error, job: job.key, type: job.type, attempt, givenUp }, `job ${job.key} failed (attempt ${attempt}${givenUp ? ', given up' : ''})`);
  };
}

/**
 * The pending jobs: a heap of every job ever scheduled until it is popped, and the live one per
 * key (`byKey`), so replacing or cancelling a job is one map write, not a search of the heap.
 */
function createJobStore() {
  const heap = createTimerHeap<ScheduledJob>();
  const byKey = new Map<string, ScheduledJob>();
  const retries = new Map<ScheduledJob, number>();
  let seq = 0;
  // The last top found live, so arming after each schedule or run does not look it up again.
  let checked: ScheduledJob | undefined;
  const forget = (key: string): void => {
    if (checked !== undefined && checked.key === key) checked = undefined;
  };
  const push = (job: ScheduledJob): void => {
    forget(job.key);
    byKey.set(job.key, job);
    heap.push(job.at, seq++, job);
  };
  const topLive = (): ScheduledJob | undefined => {
    let top = heap.peek();
    if (top !== undefined && top === checked) return top;
    while (top !== undefined && byKey.get(top.key) !== top) {
      if (retries.size > 0) retries.delete(top);
      heap.pop();
      top = heap.peek();
    }
    checked = top;
    return top;
  };
  /** Take the live top job off, to run it. */
  const take = (top: ScheduledJob): void => {
    heap.pop();
    byKey.delete(top.key);
    checked = undefined;
  };
  return { byKey, retries, push, topLive, forget, take };
}

type DeadLetter = { job: ScheduledJob; attempts: number; error: string; at: number };

/** What to do when a job's handler throws: report it, then retry it with backoff or give it up to the dead letters. */
function failures(s: { clock: ClockPort; maxAttempts: number; retryDelay: number; onError: NonNullable<InProcessSchedulerOptions['onError']>; store: ReturnType<typeof createJobStore>; dead: Map<string, DeadLetter> }) {
  return (job: ScheduledJob, attempt: number, error: unknown): void => {
    const givenUp = attempt >= s.maxAttempts;
    s.onError(error, job, attempt, givenUp);
    // A job re-scheduled by its own handler keeps the newer version.
    if (s.store.byKey.has(job.key)) return;
    if (givenUp) {
      s.dead.set(job.key, { job, attempts: attempt, error: error instanceof Error ? error.message : String(error), at: s.clock.now() });
      return;
    }
    const retry = { ...job, at: s.clock.now() + s.retryDelay * 2 ** (attempt - 1) };
    s.store.retries.set(retry, attempt);
    s.store.push(retry);
  };
}

/**
 * A scheduler that keeps jobs in memory, in a binary heap keyed by due time, and sleeps on a
 * single clock alarm for the earliest one: no scan of pending jobs, ever. Jobs are lost when the
 * process ends: use a durable scheduler in production deployments that must survive restarts.
 *
 * @example
 * ```ts
 * const clock = createManualClock('2026-04-01T00:00:00Z');
 * const scheduler = createInProcessScheduler({ clock });
 * ```
 */
export function createInProcessScheduler(options: InProcessSchedulerOptions): InProcessScheduler {
  const { clock } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelay = toMillis(options.retryDelay ?? 'PT30S', 'retryDelay');
  const onError = options.onError ?? logFailures(options.logger);
  const store = createJobStore();
  const { byKey, retries, push, topLive, forget } = store;
  const dead = new Map<string, DeadLetter>();
  let handler: JobHandler | undefined;
  let armedAt = Infinity;
  let cancelAlarm: (() => void) | undefined;
  let running = false;

  const disarm = (): void => {
    cancelAlarm?.();
    cancelAlarm = undefined;
    armedAt = Infinity;
  };
  const arm = (): void => {
    if (handler === undefined || running) return;
    const top = topLive();
    const at = top === undefined ? Infinity : top.at;
    if (at === armedAt) return;
    disarm();
    armedAt = at;
    if (at !== Infinity) cancelAlarm = clock.setAlarm(at, fire);
  };

  const fail = failures({ clock, maxAttempts, retryDelay, onError, store, dead });

  const fire = async (): Promise<void> => {
    armedAt = Infinity;
    cancelAlarm = undefined;
    const run = handler;
    if (run === undefined || running) return;
    running = true;
    try {
      const now = clock.now();
      for (;;) {
        const top = topLive();
        if (top === undefined || top.at > now) break;
        store.take(top);
        try {
          await run(top);
        } catch (error) {
          fail(top, (retries.get(top) ?? 0) + 1, error);
        }
        if (retries.size > 0) retries.delete(top);
      }
    } finally {
      running = false;
      arm();
    }
  };

  return {
    name: 'in-process',
    capabilities: { durable: false },
    get pending(): number {
      return byKey.size;
    },
    deadLetters: () => [...dead.values()],
    retryDeadLetter(key) {
      const d = dead.get(key);
      if (d === undefined) return false;
      dead.delete(key);
      push({ ...d.job, at: clock.now() });
      arm();
      return true;
    },
    schedule(job) {
      if (dead.size > 0) dead.delete(job.key);
      push(job);
      arm();
      return DONE;
    },
    cancel(key) {
      forget(key);
      if (byKey.delete(key)) arm();
      return DONE;
    },
    start(h) {
      handler = h;
      arm();
    },
    stop() {
      handler = undefined;
      disarm();
      return DONE;
    },
  };
}
