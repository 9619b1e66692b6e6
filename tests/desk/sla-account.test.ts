import { describe, expect, it } from 'vitest';
import { defineSlaConfig, createInProcessScheduler, createManualClock, createMemoryStorage, createServiceDesk, type SlaChangeMode, type SlaConfigInput, type Ticket } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';

const H = 3600_000;
const config = (onChange: SlaChangeMode): SlaConfigInput => ({
  policies: [
    { id: 'gold', name: 'Gold customers', match: { any: [{ fact: 'customer.tier', op: 'eq', value: 'gold' }, { fact: 'organization.tier', op: 'eq', value: 'enterprise' }] }, metrics: { resolution: { targets: { normal: 'PT4H' }, onChange } } },
    { id: 'std', name: 'Standard', metrics: { resolution: { targets: { normal: 'PT24H' }, onChange } } },
  ],
});

async function deskWith(onChange: SlaChangeMode) {
  const clock = createManualClock('2026-04-01T00:00:00Z');
  const scheduler = createInProcessScheduler({ clock });
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock, scheduler, sla: defineSlaConfig(config(onChange)) });
  const org = await desk.registerOrganization({ kind: 'external', name: 'Smith & Daughters', domains: ['smith.example'] });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Ito', tier: 'silver', contacts: [{ channel: 'email', address: 'ito@smith.example' }] });
  const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email' });
  return { clock, desk, org, customer, ticket, events: recordEvents(desk) };
}

const resolution = (t: Ticket) => t.sla?.clocks.find((c) => c.metric === 'resolution');

describe('desk: a customer’s or organisation’s tier change reaches running tickets as it happens', () => {
  it('keep: the gold target applies from the change, with the time already counted', async () => {
    const s = await deskWith('keep');
    expect(resolution(s.ticket)).toMatchObject({ policyId: 'std', targetMs: 24 * H });
    await s.clock.advance('PT2H');
    await s.desk.updateCustomer(s.customer.id, { tier: 'gold' });
    await s.clock.advance('PT1S');
    const t = await s.desk.getTicket(s.ticket.id);
    expect(resolution(t)).toMatchObject({ policyId: 'gold', targetMs: 4 * H, dueAt: new Date('2026-04-01T04:00:00Z') });
    expect(t.sla?.account?.map((e) => [e.at.toISOString(), e.values['customer.tier']])).toEqual([
      ['2026-04-01T00:00:00.000Z', 'silver'],
      ['2026-04-01T02:00:00.000Z', 'gold'],
    ]);
    expect(s.events.of('sla.applied').map((e) => e.policyId)).toEqual(['gold']);
    // The tier is part of the timeline now: explaining the clocks replays the same switch.
    expect((await s.desk.explainSla(s.ticket.id)).metrics[0]).toMatchObject({ policyId: 'gold', dueAt: new Date('2026-04-01T04:00:00Z') });
  });

  it('restart: the gold clock starts at the change', async () => {
    const s = await deskWith('restart');
    await s.clock.advance('PT2H');
    await s.desk.updateCustomer(s.customer.id, { tier: 'gold' });
    await s.clock.advance('PT1S');
    expect(resolution(await s.desk.getTicket(s.ticket.id))).toMatchObject({ policyId: 'gold', dueAt: new Date('2026-04-01T06:00:00Z') });
  });

  it('an organisation’s tier change reaches its members’ tickets', async () => {
    const s = await deskWith('keep');
    expect(s.ticket.organizationId).toBe(s.org.id);
    await s.clock.advance('PT1H');
    await s.desk.updateOrganization(s.org.id, { tier: 'enterprise' });
    await s.clock.advance('PT1S');
    expect(resolution(await s.desk.getTicket(s.ticket.id))).toMatchObject({ policyId: 'gold', dueAt: new Date('2026-04-01T04:00:00Z') });
  });

  it('a change no policy reads schedules nothing and rewrites no ticket', async () => {
    const s = await deskWith('keep');
    await s.clock.advance('PT1H');
    await s.desk.updateCustomer(s.customer.id, { displayName: 'Ito Ken' });
    await s.clock.advance('PT1S');
    expect((await s.desk.getTicket(s.ticket.id)).version).toBe(s.ticket.version);
  });

  it('after a restart, a change whose job was lost is found again', async () => {
    const clock = createManualClock('2026-04-01T00:00:00Z');
    const storage = createMemoryStorage();
    // No scheduler runs the first desk's jobs: the process "dies" with the job unrun.
    const lost = { name: 'lost', capabilities: { durable: false }, schedule: async () => undefined, cancel: async () => undefined, start: () => undefined, stop: async () => undefined } as never;
    const first = createServiceDesk({ storage, clock, scheduler: lost, sla: defineSlaConfig(config('keep')) });
    const customer = await first.registerCustomer({ kind: 'external', displayName: 'Ito', tier: 'silver' });
    const { ticket } = await first.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email' });
    await clock.advance('PT2H');
    await first.updateCustomer(customer.id, { tier: 'gold' });
    const second = createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }), sla: defineSlaConfig(config('keep')) });
    await second.restoreSchedules();
    await clock.advance('PT1S');
    expect(resolution(await second.getTicket(ticket.id))).toMatchObject({ policyId: 'gold', targetMs: 4 * H });
    await second.stop();
  });
});
