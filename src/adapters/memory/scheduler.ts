import { toMillis, type Duration } from '../../domain/common.js';
import { createTimerHeap } from '../../internal/heap.js';
import type { ClockPort } from '../../ports/clock.js';
import type { JobHandler, ScheduledJob, SchedulerPort } from '../../ports/scheduler.js';

/** Options of {@link createInProcessScheduler}. */
export interface InProcessSchedulerOptions {
  /** The clock that says when jobs are due and wakes the scheduler. */
  readonly clock: ClockPort;
  /** Attempts per job before it is given up (default 5). */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled each time (default `'PT30S'`). */
  readonly retryDelay?: Duration;
  /** Told about a job that failed and about one given up. Default: `console.error`. */
  readonly onError?: (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => void;
}

interface Entry {
  // Due time and order kept on the entry itself: comparing them touches one object, not two.
  at: number;
  job: ScheduledJob;
  seq: number;
  attempt: number;
  live: boolean;
}

/** The in-process scheduler: the port, plus what it holds for inspection. */
export interface InProcessScheduler extends SchedulerPort {
  /** How many jobs are pending. */
  readonly pending: number;
  /** Jobs given up after their last attempt, oldest first, with the last error (kept until retried). */
  deadLetters(): ReadonlyArray<{ readonly job: ScheduledJob; readonly attempts: number; readonly error: string; readonly at: number }>;
  /** Put a dead-lettered job back in line now, for a fresh set of attempts. Returns false when there is none with that key. */
  retryDeadLetter(key: string): boolean;
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
  const onError =
    options.onError ??
    ((error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => {
      console.error(`[omotenashi] job ${job.key} failed (attempt ${attempt}${givenUp ? ', given up' : ''}):`, error);
    });
  const heap = createTimerHeap<Entry>();
  const byKey = new Map<string, Entry>();
  const dead = new Map<string, { job: ScheduledJob; attempts: number; error: string; at: number }>();
  let seq = 0;
  let handler: JobHandler | undefined;
  let armedAt = Infinity;
  let cancelAlarm: (() => void) | undefined;
  let running = false;

  const push = (job: ScheduledJob, attempt: number): void => {
    const old = byKey.get(job.key);
    if (old) old.live = false;
    const entry: Entry = { at: job.at, job, seq: seq++, attempt, live: true };
    byKey.set(job.key, entry);
    heap.push(entry.at, entry.seq, entry);
  };

  const topLive = (): Entry | undefined => {
    let top = heap.peek();
    while (top !== undefined && !top.live) {
      heap.pop();
      top = heap.peek();
    }
    return top;
  };

  const arm = (): void => {
    if (handler === undefined || running) return;
    const top = topLive();
    const at = top === undefined ? Infinity : top.job.at;
    if (at === armedAt) return;
    cancelAlarm?.();
    cancelAlarm = undefined;
    armedAt = at;
    if (at !== Infinity) cancelAlarm = clock.setAlarm(at, fire);
  };

  const fire = async (): Promise<void> => {
    armedAt = Infinity;
    cancelAlarm = undefined;
    const run = handler;
    if (run === undefined || running) return;
    running = true;
    try {
      for (;;) {
        const top = topLive();
        if (top === undefined || top.job.at > clock.now()) break;
        heap.pop();
        byKey.delete(top.job.key);
        top.live = false;
        try {
          await run(top.job);
        } catch (error) {
          const attempt = top.attempt + 1;
          const givenUp = attempt >= maxAttempts;
          onError(error, top.job, attempt, givenUp);
          if (givenUp && !byKey.has(top.job.key)) dead.set(top.job.key, { job: top.job, attempts: attempt, error: error instanceof Error ? error.message : String(error), at: clock.now() });
          // A job re-scheduled by its own handler keeps the newer version.
          if (!givenUp && !byKey.has(top.job.key)) {
            push({ ...top.job, at: clock.now() + retryDelay * 2 ** (attempt - 1) }, attempt);
          }
        }
      }
    } finally {
      running = false;
      arm();
    }
  };

  return {
    name: 'in-process',
    capabilities: { durable: false },
    get pending() {
      return byKey.size;
    },
    deadLetters: () => [...dead.values()],
    retryDeadLetter(key) {
      const d = dead.get(key);
      if (d === undefined) return false;
      dead.delete(key);
      push({ ...d.job, at: clock.now() }, 0);
      arm();
      return true;
    },
    schedule(job) {
      dead.delete(job.key);
      push(job, 0);
      arm();
      return Promise.resolve();
    },
    cancel(key) {
      const entry = byKey.get(key);
      if (entry) {
        entry.live = false;
        byKey.delete(key);
        arm();
      }
      return Promise.resolve();
    },
    start(h) {
      handler = h;
      arm();
    },
    stop() {
      handler = undefined;
      cancelAlarm?.();
      cancelAlarm = undefined;
      armedAt = Infinity;
      return Promise.resolve();
    },
  };
}
