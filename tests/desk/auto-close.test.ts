import { describe, expect, it } from 'vitest';
import { defineSlaConfig, createInProcessScheduler, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';
import { setup, ticketIn } from '../helpers.js';

describe('desk: auto-close after the quiet period', () => {
  it('closes a resolved ticket the customer did not answer, exactly at the end of the quiet period', async () => {
    const s = await setup({ lifecycle: { autoCloseAfter: 'P4D' } });
    const t = await ticketIn(s, 'resolved');
    await s.clock.advance('P3DT23H59M');
    expect((await s.desk.getTicket(t.id)).status).toBe('resolved');
    await s.clock.advance('PT1M');
    const closed = await s.desk.getTicket(t.id);
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'auto_closed', by: { kind: 'system' } } });
    expect(closed.closedAt?.toISOString()).toBe('2026-04-05T00:00:00.000Z');
    expect(s.events.of('ticket.closed').map((e) => e.reason)).toEqual(['auto_closed']);
  });

  it('counts the quiet period in business time on a calendar, skipping the weekend', async () => {
    const hours: Array<[string, string]> = [['09:00', '17:00']];
    const s = await setup({
      lifecycle: { autoCloseAfter: 'PT16H', autoCloseCalendar: 'office' },
      sla: defineSlaConfig({ calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours } } }, policies: [{ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'P1D' } } } }] }),
    });
    await s.clock.advance('P2DT7H'); // Friday 16:00 in Tokyo
    const t = await ticketIn(s, 'resolved');
    // One business hour on Friday, eight on Monday, seven on Tuesday: Tuesday 16:00 in Tokyo.
    await s.clock.set(new Date('2026-04-07T06:59:00Z'));
    expect((await s.desk.getTicket(t.id)).status).toBe('resolved');
    await s.clock.advance('PT1M');
    expect((await s.desk.getTicket(t.id))).toMatchObject({ status: 'closed', closedAt: new Date('2026-04-07T07:00:00Z') });
    expect(() => createServiceDesk({ storage: createMemoryStorage(), lifecycle: { autoCloseCalendar: 'nowhere' } })).toThrow(/lifecycle.autoCloseCalendar/);
  });

  it('a confirmation, a reopen or a customer reply cancels the auto-close; a new resolution re-arms it', async () => {
    const s = await setup({ lifecycle: { autoCloseAfter: 'P1D' } });
    const a = await ticketIn(s, 'resolved');
    await s.desk.reopen(a.id, { reason: 'Not fixed' });
    const b = await ticketIn(s, 'resolved');
    await s.desk.recordInteraction(b.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'Still broken' });
    await s.clock.advance('P2D');
    expect((await s.desk.getTicket(a.id)).status).toBe('open');
    expect((await s.desk.getTicket(b.id)).status).toBe('open');
    await s.desk.resolve(a.id, { summary: 'Really fixed' });
    await s.clock.advance('PT23H');
    expect((await s.desk.getTicket(a.id)).status).toBe('resolved');
    await s.clock.advance('PT1H');
    expect((await s.desk.getTicket(a.id)).status).toBe('closed');
    expect(s.events.of('ticket.closed')).toHaveLength(1);
  });

  it('a timer that fires late or twice closes once', async () => {
    const clock = createManualClock('2026-04-01T00:00:00Z');
    const scheduler = createInProcessScheduler({ clock });
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock, scheduler, ids: createSequentialIds(), lifecycle: { autoCloseAfter: 'PT1H' } });
    const events = recordEvents(desk);
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ono' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    await desk.resolve(ticket.id, { summary: 'Done' });
    expect(scheduler.pending).toBe(1);
    // A second delivery of the same job (as an at-least-once queue may do), due later still.
    const due = clock.now() + 3_600_000;
    await scheduler.schedule({ key: 'duplicate-delivery', at: due + 60_000, type: 'ticket.autoClose', payload: { ticketId: ticket.id } });
    await clock.advance('P30D');
    const closed = await desk.getTicket(ticket.id);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt?.getTime()).toBe(due);
    expect(events.of('ticket.closed')).toHaveLength(1);
    expect(await desk.getAuditTrail(ticket.id)).toHaveLength(3);
  });

  it('auto-close can be turned off', async () => {
    const s = await setup({ lifecycle: { autoCloseAfter: null } });
    const t = await ticketIn(s, 'resolved');
    await s.clock.advance('P365D');
    expect((await s.desk.getTicket(t.id)).status).toBe('resolved');
  });

  it('restoreSchedules re-arms timers for resolved tickets after a restart', async () => {
    const storage = createMemoryStorage();
    const clock = createManualClock('2026-04-01T00:00:00Z');
    const first = createServiceDesk({ storage, clock, ids: createSequentialIds(), lifecycle: { autoCloseAfter: 'P2D' } });
    const c = await first.registerCustomer({ kind: 'external', displayName: 'Ono' });
    const { ticket } = await first.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    await first.resolve(ticket.id, { summary: 'Done' });
    await first.stop(); // the process "dies": its in-process timers are gone
    await clock.advance('P1D');
    const second = createServiceDesk({ storage, clock, ids: createSequentialIds(), lifecycle: { autoCloseAfter: 'P2D' } });
    const events = recordEvents(second);
    expect(await second.restoreSchedules()).toBe(1);
    await clock.advance('P1D');
    expect((await second.getTicket(ticket.id)).status).toBe('closed');
    expect(events.names()).toContain('ticket.closed');
  });

  it('rejects a bad lifecycle policy with a ConfigError naming the field', () => {
    expect(() => createServiceDesk({ storage: createMemoryStorage(), lifecycle: { autoCloseAfter: 'four days' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', path: 'lifecycle.autoCloseAfter' }),
    );
    expect(() => createServiceDesk({ storage: createMemoryStorage(), lifecycle: { reopenWindow: 'P1M' } })).toThrow(/years and months vary/);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), lifecycle: { autoClose: 'P1D' } as never })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
