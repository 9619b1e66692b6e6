import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, createManualClock, createMemoryStorage, createServiceDesk } from 'omotenashi';
import { overrideStorage } from 'omotenashi/testing';
import { setup, ticketIn } from '../helpers.js';

describe('desk: events', () => {
  it('emits only after the commit: a listener reads the committed state', async () => {
    const s = await setup();
    const seen: number[] = [];
    s.desk.on('ticket.resolved', async ({ ticket }) => {
      seen.push((await s.desk.getTicket(ticket.id)).version);
    });
    const t = await ticketIn(s, 'open');
    const resolved = await s.desk.resolve(t.id, { summary: 'Done' });
    await Promise.resolve();
    expect(seen).toEqual([resolved.version]);
    expect(s.events.of('ticket.resolved')[0]?.ticket.version).toBe(resolved.version);
  });

  it('emits nothing when the command fails', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    s.events.clear();
    await expect(s.desk.confirmResolution(t.id)).rejects.toThrow();
    await expect(s.desk.resolve(t.id, { summary: '' })).rejects.toThrow();
    expect(s.events.events).toEqual([]);
  });

  it('on() returns an unsubscribe function; once() fires once', async () => {
    const s = await setup();
    const calls: string[] = [];
    const off = s.desk.on('ticket.opened', ({ ticket }) => void calls.push(`on:${ticket.subject}`));
    s.desk.once('ticket.opened', ({ ticket }) => void calls.push(`once:${ticket.subject}`));
    await s.desk.openTicket({ requesterId: s.external.id, subject: 'A', channel: 'email' });
    off();
    await s.desk.openTicket({ requesterId: s.external.id, subject: 'B', channel: 'email' });
    expect(calls).toEqual(['on:A', 'once:A']);
  });

  it('a throwing or rejecting listener is reported and never breaks the command', async () => {
    const onError = vi.fn();
    const s = await setup({ onError });
    s.desk.on('ticket.opened', () => {
      throw new Error('listener bug');
    });
    s.desk.on('ticket.opened', async () => {
      throw new Error('async listener bug');
    });
    const after = vi.fn();
    s.desk.on('ticket.opened', after);
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Still works', channel: 'email' });
    await new Promise((r) => setImmediate(r));
    expect(ticket.subject).toBe('Still works');
    expect(after).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls.map((c) => (c[0] as Error).message).sort()).toEqual(['async listener bug', 'listener bug']);
    expect(onError.mock.calls[0]?.[1]).toEqual({ source: 'listener', event: 'ticket.opened' });
  });

  it('names every event in EVENT_NAMES, each with `at` and `actor`', async () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
    const s = await setup();
    const t = await ticketIn(s, 'closed');
    for (const e of s.events.events) {
      expect(EVENT_NAMES).toContain(e.name);
      expect(e.payload.at).toBeInstanceOf(Date);
      expect(e.payload.actor.kind).toMatch(/customer|agent|bot|system/);
    }
    expect(s.events.names().filter((n) => n.startsWith('ticket.'))).toEqual([
      'ticket.opened',
      'ticket.resolved',
      'ticket.status_changed',
      'ticket.closed',
      'ticket.status_changed',
    ]);
    expect(t.status).toBe('closed');
  });

  it('wraps adapter failures in AdapterError naming the adapter and method, and checks what comes back', async () => {
    const memory = createMemoryStorage();
    const broken = overrideStorage(memory, {
      name: 'flaky-db',
      findTicketBySourceId: () => Promise.resolve({ id: 42 } as never),
      commit: () => Promise.reject(new Error('connection reset')),
    });
    const desk = createServiceDesk({ storage: broken, clock: createManualClock(0) });
    await expect(desk.registerCustomer({ kind: 'external', displayName: 'X' })).rejects.toMatchObject({
      code: 'ADAPTER_FAILED',
      adapter: 'flaky-db',
      method: 'commit',
      message: expect.stringContaining('connection reset'),
      cause: expect.objectContaining({ message: 'connection reset' }),
    });
    await expect(desk.findTicketBySourceId('x')).rejects.toMatchObject({ code: 'ADAPTER_FAILED', method: 'findTicketBySourceId', message: expect.stringMatching(/breaks the port contract/) });
  });
});
