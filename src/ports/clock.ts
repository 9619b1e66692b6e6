/**
 * Where the desk gets the time and how it is woken later. Nothing in omotenashi reads the
 * wall clock except the system clock adapter; tests use the manual clock.
 *
 * Contract: `now()` never goes backwards. `setAlarm(at, fn)` calls `fn` once, at or after `at`
 * (at once when `at` is past), unless the returned cancel function was called first.
 */
export interface ClockPort {
  /** The current instant, epoch milliseconds. */
  now(): number;
  /** Call `fn` once the clock reaches `at` (epoch ms). Returns a function that cancels it. */
  setAlarm(at: number, fn: () => void | Promise<void>): () => void;
}
