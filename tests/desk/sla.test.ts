import { describe, expect, it } from 'vitest';
import { defineSlaConfig, ConfigError, createInProcessScheduler, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, type SlaConfigInput } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';

const H = 3600_000;
const M = 60_000;
const config: SlaConfigInput = {
  policies: [
    {
      id: 'premium',
      name: 'Premium 24/7',
      match: { fact: 'customer.tier', op: 'eq', value: 'gold' },
      metrics: {
        first_response: { targets: { normal: 'PT1H' }, warnings: [{ percent: 75 }] },
        resolution: { targets: { normal: 'PT8H' } },
      },
    },
  ],
};

async function deskWithSla() {
  const clock = createManualClock('2026-04-01T00:00:00Z');
  const scheduler = createInProcessScheduler({ clock });
  const storage = createMemoryStorage();
  const desk = createServiceDesk({ storage, clock, scheduler, sla: defineSlaConfig(config), ids: createSequentialIds() });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Gold customer', tier: 'gold' });
  const agent = await desk.registerAgent({ name: 'Aiko' });
  const events = recordEvents(desk);
  return { clock, scheduler, storage, desk, customer, agent, events };
}
const slaNames = (names: string[]) => names.filter((n) => n.startsWith('sla.'));

describe('desk: SLA clocks', () => {
  it('applies the policy on open, stores the clocks with the ticket and schedules one check', async () => {
    const s = await deskWithSla();
    const { ticket } = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'Outage', channel: 'phone' });
    expect(ticket.sla?.clocks.map((c) => [c.metric, c.state, c.dueAt?.toISOString()])).toEqual([
      ['first_response', 'active', '2026-04-01T01:00:00.000Z'],
      ['resolution', 'active', '2026-04-01T08:00:00.000Z'],
    ]);
    expect(ticket.sla?.nextCheckAt).toEqual(new Date('2026-04-01T00:45:00Z'));
    expect(slaNames(s.events.names())).toEqual(['sla.applied', 'sla.applied']);
    expect(s.scheduler.pending).toBe(1);
  });

  it('warns and breaches on time with no command in between, each exactly once', async () => {
    const s = await deskWithSla();
    const { ticket } = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'Outage', channel: 'phone' });
    s.events.clear();
    await s.clock.advance('PT2H');
    const warning = s.events.of('sla.warning');
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatchObject({ metric: 'first_response', thresholdMs: 45 * M, at: new Date('2026-04-01T00:45:00Z') });
    const breached = s.events.of('sla.breached');
    expect(breached.map((e) => [e.metric, e.at.toISOString()])).toEqual([['first_response', '2026-04-01T01:00:00.000Z']]);
    expect(breached[0]?.previous?.state).toBe('warning');
    expect(breached[0]?.clock.state).toBe('breached');
    const stored = await s.desk.getTicket(ticket.id);
    expect(stored.sla?.clocks.find((c) => c.metric === 'first_response')?.state).toBe('breached');
    expect((await s.desk.getAuditTrail(ticket.id)).filter((e) => e.action === 'sla').map((e) => e.changes[0]?.to)).toEqual(['premium:active#1', 'premium:warning#1', 'premium:breached#1']);
    // The resolution clock is next: a check is due at 08:00.
    expect(stored.sla?.nextCheckAt).toEqual(new Date('2026-04-01T08:00:00Z'));
  });

  it('a check that fires late or twice announces nothing twice', async () => {
    const s = await deskWithSla();
    const { ticket } = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'Outage', channel: 'phone' });
    for (const at of ['2026-04-01T01:30:00Z', '2026-04-01T01:30:00Z', '2026-04-01T01:31:00Z']) {
      await s.scheduler.schedule({ key: `dup-${at}-${Math.random()}`, at: Date.parse(at), type: 'sla.check', payload: { ticketId: ticket.id } });
    }
    await s.clock.advance('PT3H');
    expect(s.events.of('sla.breached')).toHaveLength(1);
    expect(s.events.of('sla.warning')).toHaveLength(1);
  });

  it('a reply fulfils the first response (late once breached); waiting on the customer pauses resolution', async () => {
    const s = await deskWithSla();
    const { ticket } = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'Outage', channel: 'phone' });
    await s.clock.advance('PT30M');
    await s.desk.recordInteraction(ticket.id, { channel: 'phone', author: { kind: 'agent', id: s.agent.id }, body: 'Checking the line', setStatus: 'pending_customer' });
    expect(s.events.of('sla.fulfilled').map((e) => [e.metric, e.late])).toEqual([['first_response', false]]);
    expect(s.events.of('sla.paused').map((e) => e.metric)).toEqual(['resolution']);
    await s.clock.advance('P1D');
    expect(s.events.of('sla.breached')).toHaveLength(0);
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: s.customer.id }, body: 'Still down' });
    expect(s.events.of('sla.resumed').map((e) => e.metric)).toEqual(['resolution']);
    const explained = await s.desk.explainSla(ticket.id);
    const resolution = explained.metrics.find((m) => m.metric === 'resolution');
    expect(resolution?.elapsedMs).toBe(30 * M);
    expect(resolution?.ledger.map((e) => e.kind)).toEqual(['counting', 'paused']);
    await s.clock.advance('PT7H30M');
    expect(s.events.of('sla.breached').map((e) => e.metric)).toEqual(['resolution']);
    await s.desk.resolve(ticket.id, { summary: 'Line fixed' });
    expect(s.events.of('sla.fulfilled').map((e) => [e.metric, e.late])).toEqual([
      ['first_response', false],
      ['resolution', true],
    ]);
  });

  it('restoreSchedules re-arms SLA checks after a restart', async () => {
    const s = await deskWithSla();
    const { ticket } = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'Outage', channel: 'phone' });
    await s.desk.stop();
    const scheduler = createInProcessScheduler({ clock: s.clock });
    const again = createServiceDesk({ storage: s.storage, clock: s.clock, scheduler, sla: defineSlaConfig(config) });
    const events = recordEvents(again);
    expect(await again.restoreSchedules()).toBe(1);
    await s.clock.advance('PT1H');
    expect(events.of('sla.breached').map((e) => e.ticket.id)).toEqual([ticket.id]);
  });

  it('explainSla needs an SLA configuration', async () => {
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock(0) });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    expect(ticket.sla).toBeUndefined();
    await expect(desk.explainSla(ticket.id)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('desk: SLA what-if', () => {
  it('replays stored tickets under a candidate policy and reports the breaches that would change', async () => {
    const s = await deskWithSla();
    const agent = { kind: 'agent' as const, id: s.agent.id };
    const fast = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'answered in 20 min', channel: 'email' });
    const slow = await s.desk.openTicket({ requesterId: s.customer.id, subject: 'answered in 50 min', channel: 'email' });
    await s.clock.advance('PT20M');
    await s.desk.recordInteraction(fast.ticket.id, { channel: 'email', author: agent, body: 'Hi' });
    await s.clock.advance('PT30M');
    await s.desk.recordInteraction(slow.ticket.id, { channel: 'email', author: agent, body: 'Hi' });
    const stricter: SlaConfigInput = {
      policies: [{ id: 'premium-30', name: 'Premium, 30-minute first response', match: { fact: 'customer.tier', op: 'eq', value: 'gold' }, metrics: { first_response: { targets: { normal: 'PT30M' } }, resolution: { targets: { normal: 'PT8H' } } } }],
    };
    const report = await s.desk.whatIfSla(stricter);
    expect(report.tickets).toBe(2);
    expect(report.breaches).toEqual({ before: 0, after: 1 });
    expect(report.warnings).toEqual({ before: 1, after: 0 });
    const breached = report.changes.filter((c) => (c.after?.breaches ?? 0) > (c.before?.breaches ?? 0));
    expect(breached).toEqual([
      { ticketId: slow.ticket.id, slot: 'primary', metric: 'first_response', before: { policyId: 'premium', state: 'fulfilled', breaches: 0, warnings: 1 }, after: { policyId: 'premium-30', state: 'fulfilled', breaches: 1, warnings: 0 } },
    ]);
  });
});
