import type { Logger } from '../../ports/logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Options of {@link createConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** The least level written (default `warn`). */
  readonly level?: (typeof LEVELS)[number];
}

/**
 * A {@link Logger} on the console: `[omotenashi] <message>` and the fields, from `level` up. The
 * default wherever a logger is not given.
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const least = LEVELS.indexOf(options.level ?? 'warn');
  const at =
    (level: (typeof LEVELS)[number]) =>
    (fields: Record<string, unknown>, message: string): void => {
      if (LEVELS.indexOf(level) < least) return;
      const write = level === 'error' ? console.error : level === 'warn' ? console.warn : console.log;
      write(`[omotenashi] ${message}`, fields);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
