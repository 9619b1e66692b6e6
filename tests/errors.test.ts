import { describe, expect, it } from 'vitest';
import {
  AdapterError,
  ConfigError,
  ConflictError,
  ERROR_CODES,
  InvalidTransitionError,
  NotFoundError,
  OmotenashiError,
  ValidationError,
  isOmotenashiError,
} from 'omotenashi';
import { z } from 'zod';

describe('errors', () => {
  it('every error carries a stable code from the one table and the brand', () => {
    const errors = [
      new ValidationError('x', [{ path: ['a'], message: 'bad', code: 'custom' }]),
      new NotFoundError('ticket', 't1'),
      new ConflictError({ entity: 'ticket', id: 't1', kind: 'version', expectedVersion: 1, actualVersion: 2 }),
      new InvalidTransitionError({ ticketId: 't1', from: 'closed', to: 'resolved', allowed: ['open'] }),
      new ConfigError('lifecycle.autoCloseAfter', 'bad'),
      new AdapterError('pg', 'commit', 'boom'),
    ];
    const codes = new Set(Object.values(ERROR_CODES));
    for (const e of errors) {
      expect(e).toBeInstanceOf(OmotenashiError);
      expect(e).toBeInstanceOf(Error);
      expect(isOmotenashiError(e)).toBe(true);
      expect(codes.has(e.code)).toBe(true);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(new Set(errors.map((e) => e.code)).size).toBe(errors.length);
  });

  it('recognises errors from another copy of the package by the brand, not the class', () => {
    const foreign = Object.assign(new Error('from another bundle'), { [Symbol.for('omotenashi.error')]: true, code: 'CONFLICT' });
    expect(isOmotenashiError(foreign)).toBe(true);
    expect(isOmotenashiError(new Error('plain'))).toBe(false);
    expect(isOmotenashiError(null)).toBe(false);
    expect(isOmotenashiError({ code: 'CONFLICT' })).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(new AdapterError('pg', 'commit', 'boom', { cause }).cause).toBe(cause);
  });

  it('validation errors carry zod issues with field paths and name them in the message', () => {
    const r = z.object({ contacts: z.array(z.object({ address: z.email() })) }).safeParse({ contacts: [{ address: 'nope' }] });
    const e = ValidationError.fromZod('registerCustomer input', r.error as z.ZodError);
    expect(e.issues[0]?.path).toEqual(['contacts', 0, 'address']);
    expect(e.message).toMatch(/^Invalid registerCustomer input: contacts\[0\]\.address: /);
  });

  it('invalid transitions name from, to and the allowed targets', () => {
    const e = new InvalidTransitionError({ ticketId: 'tkt_1', from: 'closed', to: 'resolved', allowed: ['open'] });
    expect(e.message).toBe('Ticket "tkt_1" cannot go from closed to resolved. From closed it may go to: open.');
  });
});
