/**
 * Where the library writes what it has to say outside a command's result: a failed job, a
 * listener that threw, a worker's own messages. The shape is pino's (`logger.error({ err }, 'msg')`),
 * so a pino, winston-with-adapter or bunyan logger can be passed as is.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const desk = createServiceDesk({ storage, logger: pino() });
 * ```
 */
export interface Logger {
  /** Detail for debugging. */
  debug(fields: Record<string, unknown>, message: string): void;
  /** Something worth knowing happened. */
  info(fields: Record<string, unknown>, message: string): void;
  /** Something went wrong and was handled (a retry is coming). */
  warn(fields: Record<string, unknown>, message: string): void;
  /** Something failed. */
  error(fields: Record<string, unknown>, message: string): void;
}
