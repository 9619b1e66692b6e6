import { ConflictError } from '../errors.js';

/** Options of {@link retryOnConflict}. */
export interface RetryOnConflictOptions {
  /** Runs in all, the first included (default 5). */
  readonly attempts?: number;
  /** The longest pause between runs, in ms (default 50); each pause is random up to 2^n ms under it. */
  readonly maxDelayMs?: number;
  /** Whether a conflict is worth another run (default: any {@link ConflictError}). */
  readonly retryIf?: (error: ConflictError) => boolean;
}

/**
 * A random pause of up to 2^attempt ms (at most `max`), so racing writers fall out of step. Real
 * time, not the desk's clock: the racers are other processes, and a manual clock does not move
 * while a command waits.
 */
export function conflictPause(attempt: number, max = 50): Promise<void> {
  const ms = Math.random() * Math.min(max, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Run a read-modify-write of your own again when it loses a race: `run` is called afresh after
 * each {@link ConflictError} (with a short random pause, so racing writers fall out of step),
 * up to `attempts` times; the last conflict, and any other error, is thrown as is. `run` must
 * read what it decides on inside itself, so each run sees fresh data.
 *
 * @example
 * ```ts
 * await retryOnConflict(async () => {
 *   const t = await desk.getTicket(id);
 *   await desk.tag(id, [...labelsFor(t)], { expectedVersion: t.version });
 * });
 * ```
 */
export async function retryOnConflict<T>(run: () => Promise<T>, options: RetryOnConflictOptions = {}): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts || (options.retryIf !== undefined && !options.retryIf(error))) throw error;
      await conflictPause(attempt, options.maxDelayMs);
    }
  }
}
