import { describe, expect, it } from 'vitest';
import { defineSlaConfig, createInProcessScheduler, createManualClock, createMemoryStorage, createServiceDesk, type SlaPolicyInput, type StoragePort, type Ticket } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';

const H = 3600_000;
const policy = (resolution: string, extra: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  id: 'standard',
  name: 'Standard',
  metrics: { first_response: { targets: { normal: 'PT4H' } }, resolution: { targets: { normal: resolution } } },
  ...extra,
});

/** A desk on `storage` with one policy: a deploy of the application with that configuration. */
async function deploy(storage: StoragePort, clock: ReturnType<typeof createManualClock>, p: SlaPolicyInput) {
  const scheduler = createInProcessScheduler({ clock });
  const desk = createServiceDesk({ storage, clock, scheduler, sla: defineSlaConfig({ policies: [p] }) });
  await desk.restoreSchedules();
  return { desk, events: recordEvents(desk) };
}

/** A first deploy on policy version 1 (resolution in `target`), one ticket opened, 3 h gone by, the deploy stopped. */
async function start(target = 'PT8H') {
  const clock = createManualClock('2026-04-01T00:00:00Z');
  const storage = createMemoryStorage();
  const v1 = await deploy(storage, clock, policy(target));
  const customer = await v1.desk.registerCustomer({ kind: 'external', displayName: 'Ito' });
  const { ticket } = await v1.desk.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email' });
  await clock.advance('PT3H');
  const atStop = await v1.desk.getTicket(ticket.id);
  await v1.desk.stop();
  return { clock, storage, customer, ticket, atStop };
}

const resolution = (t: Ticket) => t.sla?.clocks.find((c) => c.metric === 'resolution');

describe('desk: SLA policy versions', () => {
  it('stores the version a ticket starts on, and pins the ticket to it', async () => {
    const s = await start();
    const stored = await s.storage.list('sla_policy', { policyId: 'standard' });
    expect(stored.items).toHaveLength(1);
    const version = stored.items[0];
    expect(version?.source).toMatchObject({ id: 'standard', metrics: { resolution: { targets: { normal: 'PT8H' } } } });
    const ticket = await s.storage.get('ticket', s.ticket.id);
    expect(ticket?.sla?.pins?.standard?.v).toBe(version?.fingerprint);
    expect(version?.id).toBe(`standard@${version?.fingerprint}`);
  });

  it('an edit leaves running tickets on their version, and new tickets start on the edited one', async () => {
    const s = await start();
    const v2 = await deploy(s.storage, s.clock, policy('PT2H'));
    // The running ticket is touched by a command after the edit: its 8-hour target stands, 3 h in.
    const touched = await v2.desk.tag(s.ticket.id, ['touch-1']);
    expect(resolution(touched)).toMatchObject({ targetMs: 8 * H, state: 'active' });
    expect(v2.events.of('sla.breached').filter((e) => e.metric === 'resolution')).toEqual([]);
    const { ticket: fresh } = await v2.desk.openTicket({ requesterId: s.customer.id, subject: 'Another invoice', channel: 'email' });
    expect(resolution(fresh)).toMatchObject({ targetMs: 2 * H, state: 'active' });
    const listed = await v2.desk.listSlaPolicyVersions({ policyId: 'standard' });
    expect(listed.items.map((v) => v.source.metrics)).toEqual([
      { first_response: { targets: { normal: 'PT4H' } }, resolution: { targets: { normal: 'PT8H' } } },
      { first_response: { targets: { normal: 'PT4H' } }, resolution: { targets: { normal: 'PT2H' } } },
    ]);
    expect(fresh.sla?.pins?.standard?.v).toBe(listed.items[1]?.fingerprint);
    // What explainSla shows agrees with what the desk stored.
    const explained = await v2.desk.explainSla(s.ticket.id);
    expect(explained.metrics.find((m) => m.metric === 'resolution')?.targetMs).toBe(8 * H);
    await s.clock.advance('PT5H');
    expect(resolution(await v2.desk.getTicket(s.ticket.id))?.state).toBe('breached');
    expect(resolution(await v2.desk.getTicket(s.ticket.id))?.breachedAt).toEqual(new Date('2026-04-01T08:00:00Z'));
    await v2.desk.stop();
  });

  it('a renamed or re-ordered policy is the same version', async () => {
    const s = await start();
    const v2 = await deploy(s.storage, s.clock, policy('PT8H', { name: 'Standard (renamed)', position: 3, metrics: { resolution: { targets: { normal: 'PT8H' }, onChange: 'keep' }, first_response: { targets: { normal: 'PT4H' } } } }));
    await v2.desk.tag(s.ticket.id, ['touch-2']);
    expect((await s.storage.list('sla_policy', {})).items).toHaveLength(1);
    await v2.desk.stop();
  });

  it('onEdit "apply" moves running tickets to the edit, with no breach dated before it', async () => {
    const s = await start();
    const v2 = await deploy(s.storage, s.clock, policy('PT2H', { onEdit: 'apply' }));
    // 3 h in, a 2-hour target is already exceeded: the breach is dated at the edit reaching the ticket, not at 02:00.
    const touched = await v2.desk.tag(s.ticket.id, ['touch-3']);
    expect(resolution(touched)).toMatchObject({ targetMs: 2 * H, state: 'breached', breachedAt: new Date('2026-04-01T03:00:00Z') });
    expect(touched.sla?.pins?.standard?.since).toEqual(new Date('2026-04-01T03:00:00Z'));
    expect(v2.events.of('sla.breached').filter((e) => e.metric === 'resolution')).toHaveLength(1);
    // Later evaluations keep that instant.
    await s.clock.advance('PT1H');
    await v2.desk.tag(s.ticket.id, ['touch-4']);
    expect(resolution(await v2.desk.getTicket(s.ticket.id))?.breachedAt).toEqual(new Date('2026-04-01T03:00:00Z'));
    expect((await v2.desk.explainSla(s.ticket.id)).metrics.find((m) => m.metric === 'resolution')?.breachedAt).toEqual(new Date('2026-04-01T03:00:00Z'));
    expect(v2.events.of('sla.breached').filter((e) => e.metric === 'resolution')).toHaveLength(1);
    await v2.desk.stop();
  });

  it('onEdit "apply" keeps a breach the ticket already had at its instant', async () => {
    const { clock, storage, ticket, atStop } = await start('PT2H');
    expect(resolution(atStop)?.breachedAt).toEqual(new Date('2026-04-01T02:00:00Z'));
    const v2 = await deploy(storage, clock, policy('PT1H', { onEdit: 'apply' }));
    const touched = await v2.desk.tag(ticket.id, ['touch-5']);
    expect(resolution(touched)).toMatchObject({ targetMs: 1 * H, breachedAt: new Date('2026-04-01T02:00:00Z') });
    expect(v2.events.of('sla.breached').filter((e) => e.metric === 'resolution')).toEqual([]);
    await v2.desk.stop();
  });

  it('a kept version that no longer fits the configuration gives way to the current one', async () => {
    const clock = createManualClock('2026-04-01T00:00:00Z');
    const storage = createMemoryStorage();
    const office = { timeZone: 'UTC', weekly: { wed: [['09:00', '17:00']] as Array<[string, string]> } };
    const withCalendar = (resolutionTarget: string, calendar?: string): SlaPolicyInput => policy(resolutionTarget, { metrics: { resolution: { targets: { normal: resolutionTarget }, ...(calendar === undefined ? {} : { calendar }) } } });
    const v1 = createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }), sla: defineSlaConfig({ calendars: { office }, policies: [withCalendar('PT8H', 'office')] }) });
    const customer = await v1.registerCustomer({ kind: 'external', displayName: 'Ito' });
    const { ticket } = await v1.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email' });
    await v1.stop();
    const v2 = await deploy(storage, clock, withCalendar('PT6H'));
    const touched = await v2.desk.tag(ticket.id, ['touch-6']);
    expect(resolution(touched)?.targetMs).toBe(6 * H);
    expect(touched.sla?.pins?.standard?.since).toEqual(clock.date());
    await v2.desk.stop();
  });
});
