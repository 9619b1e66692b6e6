import { describe, expect, it } from 'vitest';
import { ConfigError, createInProcessScheduler, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, type EventSink, type PublishedEvent } from 'omotenashi';

const T0 = '2026-04-01T09:00:00Z';

function recordingSink(failFirst = 0): EventSink & { received: PublishedEvent[]; attempts: number; tried: string[] } {
  let failures = failFirst;
  const sink = {
    name: 'recording',
    received: [] as PublishedEvent[],
    attempts: 0,
    tried: [] as string[],
    async publish(event: PublishedEvent) {
      sink.attempts++;
      sink.tried.push(event.id);
      if (failures > 0) {
        failures--;
        throw new Error('bus unavailable');
      }
      sink.received.push(event);
    },
  };
  return sink;
}

async function deskWith(sink: EventSink, events: ReadonlyArray<'ticket.opened' | 'ticket.resolved'> | 'all' = ['ticket.opened', 'ticket.resolved']) {
  const clock = createManualClock(T0);
  const scheduler = createInProcessScheduler({ clock, retryDelay: 'PT10S', onError: () => undefined });
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock, scheduler, ids: createSequentialIds(), publishEvents: { sink, events } });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });
  return { desk, clock, customer };
}

describe('desk: publishing events to another system', () => {
  it('publishes the chosen events once each, after the commit, with a stable id and JSON payload', async () => {
    const sink = recordingSink();
    const { desk, clock, customer } = await deskWith(sink);
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Invoice', channel: 'email' });
    expect(sink.received).toEqual([]);
    await clock.advance('PT1S');
    expect(sink.received.map((e) => e.name)).toEqual(['ticket.opened']);
    const [opened] = sink.received;
    expect(opened?.id).toBe('evt_0001');
    expect(opened?.at).toBe('2026-04-01T09:00:00.000Z');
    expect(opened?.payload).toMatchObject({ ticket: { id: ticket.id, subject: 'Invoice', createdAt: '2026-04-01T09:00:00.000Z' } });
    await clock.advance('PT1H');
    expect(sink.received).toHaveLength(1);
  });

  it('retries a publish that fails, under the same id', async () => {
    const sink = recordingSink(2);
    const { desk, clock, customer } = await deskWith(sink);
    await desk.openTicket({ requesterId: customer.id, subject: 'Refund', channel: 'email' });
    await clock.advance('PT5M');
    expect(sink.attempts).toBe(3);
    expect(sink.received).toHaveLength(1);
    expect(new Set(sink.tried)).toEqual(new Set([sink.received[0]?.id]));
  });

  it('publishes nothing for a command that fails, and everything with "all"', async () => {
    const sink = recordingSink();
    const { desk, clock, customer } = await deskWith(sink, 'all');
    await clock.advance('PT1S');
    expect(sink.received.map((e) => e.name)).toEqual(['customer.registered']);
    sink.received.length = 0;
    await expect(desk.resolve('tkt_missing' as never, { summary: 'x' })).rejects.toThrow();
    await clock.advance('PT1S');
    expect(sink.received).toEqual([]);
    await desk.openTicket({ requesterId: customer.id, subject: 'Hello', channel: 'email' });
    await clock.advance('PT1S');
    expect(sink.received.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sink.received.map((e) => e.id)).size).toBe(sink.received.length);
  });

  it('checks its options', () => {
    const storage = createMemoryStorage();
    expect(() => createServiceDesk({ storage, publishEvents: { sink: {} as EventSink, events: 'all' } })).toThrow(ConfigError);
    expect(() => createServiceDesk({ storage, publishEvents: { sink: recordingSink(), events: ['ticket.exploded' as never] } })).toThrow(/ticket.exploded/);
  });
});
