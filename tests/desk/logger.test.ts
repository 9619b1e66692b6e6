import { describe, expect, it, vi } from 'vitest';
import { createConsoleLogger, createInProcessScheduler, createMemoryStorage, createServiceDesk, type Logger } from 'omotenashi';
import { createManualClock } from 'omotenashi/testing';

const recording = () => {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
};

describe('logger', () => {
  it('takes what would have gone to console.error: a listener that threw, with its context', async () => {
    const { logger, lines } = recording();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock('2026-04-01T00:00:00Z'), logger });
    desk.on('customer.registered', () => {
      throw new Error('listener broke');
    });
    await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
    expect(lines).toEqual([{ level: 'error', fields: expect.objectContaining({ source: 'listener', event: 'customer.registered', err: expect.any(Error) }), message: 'listener failed: listener broke' }]);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('the in-process scheduler logs a retry as a warning and a job given up as an error', async () => {
    const { logger, lines } = recording();
    const clock = createManualClock('2026-04-01T00:00:00Z');
    const scheduler = createInProcessScheduler({ clock, logger, maxAttempts: 2, retryDelay: 'PT1S' });
    scheduler.start(() => Promise.reject(new Error('down')));
    await scheduler.schedule({ key: 'k', at: clock.now(), type: 't', payload: {} });
    await clock.advance('PT1M');
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'job k failed (attempt 1)'],
      ['error', 'job k failed (attempt 2, given up)'],
    ]);
  });

  it('the console logger writes from its level up', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logger = createConsoleLogger({ level: 'warn' });
    logger.info({}, 'quiet');
    logger.warn({ n: 1 }, 'loud');
    expect(log).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith('[omotenashi] loud', { n: 1 });
    vi.restoreAllMocks();
  });
});
