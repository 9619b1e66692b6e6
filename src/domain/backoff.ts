import * as z from 'zod';

/**
 * How long to wait between delivery attempts: `initial`, multiplied by `factor` after each
 * failure, never more than `max`, with jitter so that many failed messages do not retry in step.
 */
export const BackoffSchema = z.object({
  /** The wait before the first retry, ms (default 30 s). */
  initialMs: z.number().int().positive().default(30_000),
  /** The growth per failure (default 2). */
  factor: z.number().min(1).max(10).default(2),
  /** The longest wait, ms (default 1 h). */
  maxMs: z.number().int().positive().default(3_600_000),
  /**
   * `full`: anywhere from 0 to the wait; `equal` (default): from half the wait to all of it;
   * `none`: exactly the wait.
   */
  jitter: z.enum(['full', 'equal', 'none']).default('equal'),
});
/** A backoff policy (see {@link BackoffSchema}). */
export interface Backoff extends z.infer<typeof BackoffSchema> {}
/** A backoff policy as written in options (every field optional). */
export interface BackoffInput extends z.input<typeof BackoffSchema> {}

/**
 * The wait before retry number `retry` (1 for the first retry), in ms. `unit` is a number in
 * [0, 1) that places the wait within the jitter range: `Math.random()` in an adapter, or
 * {@link jitterUnit} of the message key where the result must be reproducible.
 *
 * @example
 * ```ts
 * backoffDelay(1, { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 'none' }, 0); // 1000
 * backoffDelay(3, { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 'none' }, 0); // 4000
 * ```
 */
export function backoffDelay(retry: number, policy: Backoff, unit: number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, retry - 1));
  const u = Math.min(Math.max(unit, 0), 0.999_999);
  switch (policy.jitter) {
    case 'none':
      return Math.round(base);
    case 'full':
      return Math.round(base * u);
    case 'equal':
      return Math.round(base / 2 + (base / 2) * u);
  }
}

/** A stable number in [0, 1) from a key and an attempt (FNV-1a): jitter that differs per message but repeats in tests. */
export function jitterUnit(key: string, attempt: number): number {
  let h = 0x811c9dc5;
  const s = `${key}#${attempt}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * The wait a `Retry-After` header asks for, in ms: either delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, measured from `now`). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
