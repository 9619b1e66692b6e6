import { describe, expect, it } from 'vitest';
import { defineEscalationRules, ConflictError, ValidationError, attachMetrics, createManualClock, createMemoryStorage, createMetrics, createServiceDesk, defineFields, defineSlaConfig } from 'omotenashi';
import { setup } from '../helpers.js';

const SLA = {
  calendars: { osaka: { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } } },
  policies: [
    { id: 'enterprise', name: 'Enterprise accounts', match: { fact: 'organization.tier', op: 'eq', value: 'enterprise' }, metrics: { first_response: { targets: { normal: 'PT1H' } } } },
    { id: 'standard', name: 'Everyone else', metrics: { first_response: { targets: { normal: 'PT8H' } } } },
  ],
} as const;

describe('desk: organisations', () => {
  it('registers a company whose e-mail domain attaches new customers, and its tickets are its own, listed and measured by it', async () => {
    const s = await setup({ sla: defineSlaConfig(SLA as never) });
    const acme = await s.desk.registerOrganization({ kind: 'external', name: 'ACME Japan', domains: ['ACME.co.jp', 'acme.co.jp'], tier: 'enterprise', calendar: 'osaka' });
    expect(acme).toMatchObject({ id: expect.stringMatching(/^org_/), domains: ['acme.co.jp'], tier: 'enterprise', version: 1 });
    const sato = await s.desk.registerCustomer({ kind: 'external', displayName: 'Sato', contacts: [{ channel: 'email', address: 'sato@acme.co.jp' }] });
    expect(sato.organizationIds).toEqual([acme.id]);
    const other = await s.desk.registerCustomer({ kind: 'external', displayName: 'Mori', contacts: [{ channel: 'email', address: 'mori@example.com' }] });
    expect(other.organizationIds).toBeUndefined();
    const { ticket } = await s.desk.openTicket({ requesterId: sato.id, subject: 'Invoices', channel: 'email' });
    expect(ticket.organizationId).toBe(acme.id);
    expect(ticket.sla?.clocks[0]?.policyId).toBe('enterprise');
    const { ticket: theirs } = await s.desk.openTicket({ requesterId: other.id, subject: 'x', channel: 'email' });
    expect(theirs.sla?.clocks[0]?.policyId).toBe('standard');
    expect((await s.desk.listTickets({ organizationId: acme.id })).items.map((t) => t.id)).toEqual([ticket.id]);
    await expect(s.desk.openTicket({ requesterId: other.id, subject: 'x', channel: 'email', organizationId: acme.id })).rejects.toThrow(/not in organisation/);
  });

  it('measures per organisation in the incremental metrics', async () => {
    const s = await setup();
    const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
    attachMetrics(s.desk, metrics);
    const acme = await s.desk.registerOrganization({ kind: 'external', name: 'ACME', domains: ['acme.example'] });
    const a = await s.desk.registerCustomer({ kind: 'external', displayName: 'A', contacts: [{ channel: 'email', address: 'a@acme.example' }] });
    for (const requesterId of [a.id, a.id, s.external.id]) await s.desk.openTicket({ requesterId, subject: 'x', channel: 'email' });
    const rows = metrics.report({ groupBy: ['organization'] });
    expect(Object.fromEntries(rows.map((r) => [r.key['organization'], r.opened]))).toEqual({ [acme.id]: 2, '-': 1 });
    expect(metrics.backlog(s.clock.now(), ['organization']).map((r) => [r.key['organization'], r.open]).sort()).toEqual([['-', 1], [acme.id, 2]].sort());
  });

  it("counts an organisation's tickets on its calendar before the policy's own, unless the metric keeps its own", async () => {
    const sla = {
      calendars: SLA.calendars,
      policies: [{ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'PT1H' } }, resolution: { targets: { normal: 'PT4H' }, calendarFrom: 'policy' } } }],
    };
    const s = await setup({ sla: defineSlaConfig(sla as never) });
    const osaka = await s.desk.registerOrganization({ kind: 'external', name: 'Osaka Trading', domains: ['osaka-trading.jp'], calendar: 'osaka' });
    const member = await s.desk.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@osaka-trading.jp' }] });
    expect(member.organizationIds).toEqual([osaka.id]);
    await s.clock.advance(7.5 * 3600_000); // Wednesday 16:30 in Osaka
    const { ticket } = await s.desk.openTicket({ requesterId: member.id, subject: 'x', channel: 'email' });
    const due = (t: typeof ticket, metric: string) => t.sla?.clocks.find((c) => c.metric === metric)?.dueAt?.toISOString();
    expect(due(ticket, 'first_response')).toBe('2026-04-02T00:30:00.000Z'); // Thursday 09:30 JST: half an hour on Wednesday, half on Thursday
    expect(due(ticket, 'resolution')).toBe('2026-04-01T11:30:00.000Z'); // its own calendar: 24/7
    const { ticket: plain } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'y', channel: 'email' });
    expect(due(plain, 'first_response')).toBe('2026-04-01T08:30:00.000Z');
    // The organisation moves to 24/7: the clock is counted again on the new calendar at its next change.
    await s.desk.updateOrganization(osaka.id, { calendar: null });
    const again = await s.desk.tag(ticket.id, ['recount']);
    expect(due(again, 'first_response')).toBe('2026-04-01T08:30:00.000Z');
    expect((await s.desk.explainSla(ticket.id)).metrics.find((m) => m.metric === 'first_response')?.dueAt?.toISOString()).toBe('2026-04-01T08:30:00.000Z');
  });

  it('refuses a domain another organisation holds, an unknown parent or calendar, and a parent loop; releases domains let go', async () => {
    const s = await setup({ sla: defineSlaConfig(SLA as never) });
    const a = await s.desk.registerOrganization({ kind: 'external', name: 'A', domains: ['a.example'] });
    await expect(s.desk.registerOrganization({ kind: 'external', name: 'B', domains: ['a.example'] })).rejects.toThrow(/belongs to organisation/);
    await expect(s.desk.registerOrganization({ kind: 'external', name: 'B', parentId: 'org_nope' as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(s.desk.registerOrganization({ kind: 'external', name: 'B', calendar: 'nowhere' })).rejects.toThrow(/no calendar "nowhere"/);
    await expect(s.desk.registerOrganization({ kind: 'external', name: 'B', domains: ['not a domain'] })).rejects.toBeInstanceOf(ValidationError);
    const child = await s.desk.registerOrganization({ kind: 'external', name: 'A Sales', parentId: a.id });
    await expect(s.desk.updateOrganization(a.id, { parentId: child.id })).rejects.toThrow(/loop/);
    await s.desk.updateOrganization(a.id, { domains: ['a2.example'] });
    const b = await s.desk.registerOrganization({ kind: 'external', name: 'B', domains: ['a.example'] });
    expect(b.domains).toEqual(['a.example']);
    await expect(s.desk.updateOrganization(a.id, { name: 'stale' }, { expectedVersion: 1 })).rejects.toBeInstanceOf(ConflictError);
    expect((await s.desk.listOrganizations({ parentId: a.id })).items.map((o) => o.id)).toEqual([child.id]);
    const noted = await s.desk.addOrganizationNote(a.id, 'Renewal talks in March', { by: { kind: 'agent', id: s.agent.id } });
    expect(noted.notes).toEqual([expect.objectContaining({ text: 'Renewal talks in March', author: { kind: 'agent', id: s.agent.id } })]);
  });

  it('holds internal customers in units of your own, and escalation rules see organization.*', async () => {
    const s = await setup({ escalation: defineEscalationRules([{ id: 'plant', name: 'Plant requests to the front', trigger: { on: 'ticket.opened' }, condition: { fact: 'organization.kind', op: 'eq', value: 'internal' }, actions: [{ type: 'add_tag', tag: 'internal-unit' }] }]) });
    const plant = await s.desk.registerOrganization({ kind: 'internal', name: 'Osaka plant' });
    const line = await s.desk.registerCustomer({ kind: 'internal', displayName: 'Line 3', department: 'manufacturing', organizationIds: [plant.id] });
    expect(line.organizationIds).toEqual([plant.id]);
    const { ticket } = await s.desk.openTicket({ requesterId: line.id, subject: 'Labels for the new box', channel: 'in_person' });
    expect(ticket).toMatchObject({ organizationId: plant.id, tags: ['internal-unit'] });
    await expect(s.desk.registerCustomer({ kind: 'internal', displayName: 'X', department: 'x', organizationIds: ['org_nope' as never] })).rejects.toThrow(/there is no organisation "org_nope"/);
    const moved = await s.desk.updateCustomer(line.id, { organizationIds: [] });
    expect(moved.organizationIds).toBeUndefined();
  });

  it('checks organisation custom fields, and conditions see them with their types', () => {
    const fields = defineFields({ organization: [{ key: 'seats', type: 'number', integer: true, min: 1 }] });
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock('2026-04-01T00:00:00Z'), fields, escalation: defineEscalationRules([{ id: 'big', name: 'Big accounts', trigger: { on: 'ticket.opened' }, condition: { fact: 'organization.customFields.seats', op: 'gte', value: 500 }, actions: [{ type: 'add_tag', tag: 'big' }] }], { fields }) });
    return (async () => {
      await expect(desk.registerOrganization({ kind: 'external', name: 'A', customFields: { seats: 0.5 } })).rejects.toThrow(/customFields\.seats/);
      const big = await desk.registerOrganization({ kind: 'external', name: 'A', customFields: { seats: 800 } });
      const c = await desk.registerCustomer({ kind: 'external', displayName: 'C', organizationIds: [big.id] });
      const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
      expect(ticket.tags).toContain('big');
    })();
  });
});
