import { ConfigError } from '../../errors.js';
import { describeValue } from '../../internal/kind.js';
import { toMillis, type Duration } from '../../domain/time.js';
import { createTimerHeap } from '../../internal/heap.js';
import type { ClockPort } from '../../ports/clock.js';

/**
 * A clock that moves only when told to: for tests, demos and simulations. Alarms that fall due
 * while advancing fire in time order, each with `now()` equal to its own due time, and
 * `advance` waits for every one of them (and for the work they start) to finish.
 */
export interface ManualClock extends ClockPort {
  /** Move forward by an ISO 8601 duration (`'PT2H'`) or milliseconds, firing what falls due. */
  advance(by: Duration): Promise<void>;
  /** Move forward to an instant, firing what falls due. Refuses to go backwards. */
  set(to: Date | number): Promise<void>;
  /** The current instant as a `Date`. */
  date(): Date;
  /** How many alarms are waiting. */
  readonly pendingAlarms: number;
}

interface Alarm {
  at: number;
  seq: number;
  fn: () => void | Promise<void>;
  cancelled: boolean;
}

function toEpoch(value: Date | number | string, path: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (!Number.isFinite(ms)) throw new ConfigError(path, `${describeValue(value)} is not an instant; pass a Date, epoch milliseconds or an ISO 8601 date-time`);
  return ms;
}

/**
 * Create a manual clock starting at `start` (a Date, epoch ms, or ISO text such as
 * `'2026-04-01T09:00:00+09:00'`).
 *
 * @example
 * ```ts
 * const clock = createManualClock('2026-04-01T09:00:00+09:00');
 * const desk = createServiceDesk({ storage: createMemoryStorage(), clock });
 * await clock.advance('P4D'); // resolved tickets whose quiet period ended are auto-closed
 * ```
 */
export function createManualClock(start: Date | number | string): ManualClock {
  let now = toEpoch(start, 'start');
  let seq = 0;
  let pending = 0;
  const alarms = createTimerHeap<Alarm>();
  let queue: Promise<void> = Promise.resolve();

  const moveTo = async (target: number): Promise<void> => {
    for (;;) {
      const next = alarms.peek();
      if (next === undefined || next.at > target) break;
      alarms.pop();
      if (next.cancelled) continue;
      pending--;
      now = Math.max(now, next.at);
      const done = next.fn();
      if (done !== undefined) await done;
    }
    now = Math.max(now, target);
  };
  // Serialise advances so two concurrent calls cannot interleave their alarms.
  const enqueue = (target: () => number): Promise<void> => {
    const run = queue.then(() => moveTo(target()));
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    now: () => now,
    date: () => new Date(now),
    get pendingAlarms() {
      return pending;
    },
    setAlarm(at, fn) {
      const alarm: Alarm = { at, seq: seq++, fn, cancelled: false };
      alarms.push(alarm.at, alarm.seq, alarm);
      pending++;
      return () => {
        if (!alarm.cancelled) {
          alarm.cancelled = true;
          pending--;
        }
      };
    },
    advance(by) {
      const ms = toMillis(by, 'advance');
      return enqueue(() => now + ms);
    },
    set(to) {
      const target = toEpoch(to, 'set');
      if (target < now) {
        return Promise.reject(new ConfigError('set', `cannot move a clock backwards from ${new Date(now).toISOString()} to ${new Date(target).toISOString()}`));
      }
      return enqueue(() => target);
    },
  };
}

/** Node and browsers refuse timeouts longer than 2^31-1 ms (~24.8 days): longer waits are re-armed. */
const MAX_TIMEOUT = 2_147_483_647;

/** Options of {@link createSystemClock}. */
export interface SystemClockOptions {
  /**
   * Whether pending alarms keep a Node process alive. Default false: a script exits when its
   * work is done; a server stays up through its own handles anyway.
   */
  readonly keepAlive?: boolean;
}

/**
 * The real clock: `Date.now()` and `setTimeout`, with waits longer than ~24.8 days re-armed in
 * steps rather than firing at once.
 */
export function createSystemClock(options: SystemClockOptions = {}): ClockPort {
  const keepAlive = options.keepAlive ?? false;
  return {
    now: () => Date.now(),
    setAlarm(at, fn) {
      let handle: ReturnType<typeof setTimeout> | undefined;
      let cancelled = false;
      const arm = (): void => {
        const delay = at - Date.now();
        if (delay <= 0) {
          handle = undefined;
          void Promise.resolve().then(() => (cancelled ? undefined : fn()));
          return;
        }
        handle = setTimeout(arm, Math.min(delay, MAX_TIMEOUT));
        if (!keepAlive && typeof handle === 'object' && handle !== null && 'unref' in handle) {
          (handle as { unref(): void }).unref();
        }
      };
      arm();
      return () => {
        if (cancelled) return;
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}
