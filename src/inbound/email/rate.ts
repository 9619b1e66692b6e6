/** A cap: at most `count` messages in any `windowMs`. */
export interface RateCap {
  readonly count: number;
  readonly windowMs: number;
}

/**
 * Sliding-window counters per key (a sender, a ticket), kept in this process: they stop a mail
 * loop with an auto-responder that sends none of the usual headers. At most `maxKeys` keys are
 * remembered (the least recently seen go first), so a flood of senders cannot grow it without end.
 */
export function createRateCaps(maxKeys = 10_000) {
  const seen = new Map<string, number[]>();
  return {
    /** Count one message for `key` at `now`; false (and nothing counted) when the cap is reached. */
    take(key: string, cap: RateCap, now: number): boolean {
      const since = now - cap.windowMs;
      const times = (seen.get(key) ?? []).filter((t) => t > since);
      seen.delete(key);
      if (times.length >= cap.count) {
        seen.set(key, times);
        return false;
      }
      times.push(now);
      seen.set(key, times);
      if (seen.size > maxKeys) seen.delete(seen.keys().next().value as string);
      return true;
    },
  };
}
