import { describe, expect, it } from 'vitest';
import { defineEscalationRules, defineSlaConfig, ConfigError, InvalidTransitionError, ValidationError, createServiceDesk, createMemoryStorage, createManualClock, defineFields, type FieldSetInput } from 'omotenashi';
import { setup } from '../helpers.js';

const fields = defineFields({
  ticket: [
    { key: 'plan', type: 'enum', options: ['basic', 'pro'], required: 'on_open', default: 'basic' },
    { key: 'orderNumber', type: 'regex', pattern: 'A-\\d{4}', hint: 'an order number looks like A-1234', ticketTypes: ['order', 'return_refund'] },
    { key: 'rootCause', type: 'enum', options: ['bug', 'usage', 'billing'], required: 'on_resolve' },
    { key: 'refund', type: 'decimal', scale: 2, min: 0 },
    { key: 'seats', type: 'number', integer: true, min: 1 },
    { key: 'renewal', type: 'date' },
    { key: 'channels', type: 'multi_enum', options: ['email', 'phone', 'chat'] },
    { key: 'vip', type: 'boolean' },
    { key: 'duplicateOf', type: 'lookup', lookup: 'ticket' },
    { key: 'contractId', type: 'text', required: 'on_open', ticketTypes: ['complaint'] },
  ],
  customer: [{ key: 'accountManager', type: 'lookup', lookup: 'agent' }, { key: 'contractEnds', type: 'date' }],
  unknown: 'refuse',
});

const by = (s: Awaited<ReturnType<typeof setup>>) => ({ by: { kind: 'agent' as const, id: s.agent.id } });
const issuesOf = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('desk: updateTicket and custom fields', () => {
  it('applies defaults, checks every value on open and names each field that is wrong', async () => {
    const s = await setup({ fields });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Order', channel: 'email', type: 'order', customFields: { orderNumber: 'A-1234', refund: '12.50', channels: ['email', 'email', 'chat'] } });
    expect(ticket.customFields).toEqual({ plan: 'basic', orderNumber: 'A-1234', refund: 12.5, channels: ['email', 'chat'] });
    const issues = await issuesOf(s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', type: 'inquiry', customFields: { orderNumber: 'A-1', plna: 'pro', refund: 1.234, seats: 0, renewal: '2026-02-30', vip: 'yes' } }));
    expect(issues).toEqual([
      'customFields.orderNumber: applies to order, return_refund tickets, not to inquiry ones',
      'customFields.plna: is not a defined ticket field; did you mean "plan"?',
      'customFields.refund: has more than 2 digits after the point',
      'customFields.seats: must be at least 1',
      'customFields.renewal: must be a calendar date written YYYY-MM-DD, not "2026-02-30"',
      'customFields.vip: must be true or false, not "yes"',
    ]);
    expect(await issuesOf(s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', type: 'complaint' }))).toEqual(['customFields.contractId: is required to open a ticket']);
    expect(await issuesOf(s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', type: 'order', customFields: { orderNumber: 'B-99' } }))).toEqual(['customFields.orderNumber: an order number looks like A-1234']);
    expect((await s.desk.listTickets({})).items).toHaveLength(1);
  });

  it('edits subject, type, priority, custom fields and due date in one command, audited field by field', async () => {
    const s = await setup({ fields });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Charge', channel: 'email' });
    s.events.clear();
    const due = new Date('2026-04-03T09:00:00Z');
    const updated = await s.desk.updateTicket(ticket.id, { subject: 'Double charge', type: 'return_refund', priority: 'high', customFields: { orderNumber: 'A-2001', plan: 'pro' }, dueAt: due }, { ...by(s), reason: 'the customer called' });
    expect(updated).toMatchObject({ subject: 'Double charge', type: 'return_refund', priority: 'high', customFields: { plan: 'pro', orderNumber: 'A-2001' }, dueAt: due, version: 2 });
    const entry = (await s.desk.getAuditTrail(ticket.id)).at(-1);
    expect(entry?.action).toBe('update');
    expect(entry?.reason).toBe('the customer called');
    expect(entry?.changes.map((c) => c.field).sort()).toEqual(['customFields.orderNumber', 'customFields.plan', 'dueAt', 'priority', 'subject', 'type']);
    expect(s.events.names()).toEqual(['ticket.updated', 'ticket.priority_changed']);
    // null removes a value; nothing to change is no write at all.
    const cleared = await s.desk.updateTicket(ticket.id, { customFields: { orderNumber: null }, dueAt: null });
    expect(cleared.customFields).toEqual({ plan: 'pro' });
    expect(cleared.dueAt).toBeUndefined();
    const same = await s.desk.updateTicket(ticket.id, { subject: 'Double charge' });
    expect(same.version).toBe(cleared.version);
  });

  it('refuses a removal of a required field, a new type whose required fields are missing, and a stale version, changing nothing', async () => {
    const s = await setup({ fields });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email' });
    expect(await issuesOf(s.desk.updateTicket(ticket.id, { customFields: { plan: null } }))).toEqual(['customFields.plan: is required on every ticket: it can be changed, not removed']);
    expect(await issuesOf(s.desk.updateTicket(ticket.id, { type: 'complaint' }))).toEqual(['customFields.contractId: is required on complaint tickets']);
    const ok = await s.desk.updateTicket(ticket.id, { type: 'complaint', customFields: { contractId: 'C-1' } });
    expect(ok.type).toBe('complaint');
    await expect(s.desk.updateTicket(ticket.id, { subject: 'y' }, { expectedVersion: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await s.desk.getTicket(ticket.id)).subject).toBe('x');
    await expect(s.desk.updateTicket(ticket.id, {})).rejects.toBeInstanceOf(ValidationError);
  });

  it('needs the on_resolve fields to resolve, and refuses edits of a closed ticket', async () => {
    const s = await setup({ fields });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', assigneeId: s.agent.id });
    expect(await issuesOf(s.desk.resolve(ticket.id, { summary: 'fixed' }, by(s)))).toEqual(['customFields.rootCause: is required to resolve the ticket']);
    await s.desk.updateTicket(ticket.id, { customFields: { rootCause: 'usage' } });
    await s.desk.resolve(ticket.id, { summary: 'fixed' }, by(s));
    await s.desk.close(ticket.id, { reason: 'other' });
    await expect(s.desk.updateTicket(ticket.id, { subject: 'z' })).rejects.toBeInstanceOf(InvalidTransitionError);
  });

  it('checks that a lookup points at a record that exists', async () => {
    const s = await setup({ fields });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email' });
    expect(await issuesOf(s.desk.updateTicket(ticket.id, { customFields: { duplicateOf: 'tkt_nope' } }))).toEqual(['customFields.duplicateOf: there is no ticket "tkt_nope"']);
    const { ticket: other } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'y', channel: 'email' });
    expect((await s.desk.updateTicket(other.id, { customFields: { duplicateOf: ticket.id } })).customFields['duplicateOf']).toBe(ticket.id);
  });

  it('checks customer fields on registration and on change', async () => {
    const s = await setup({ fields });
    expect(await issuesOf(s.desk.registerCustomer({ kind: 'external', displayName: 'A', customFields: { accountManager: 'agt_nobody' } }))).toEqual(['customFields.accountManager: there is no agent "agt_nobody"']);
    const c = await s.desk.registerCustomer({ kind: 'external', displayName: 'A', customFields: { accountManager: s.agent.id, contractEnds: '2027-03-31' } });
    expect(await issuesOf(s.desk.updateCustomer(c.id, { customFields: { contractEnds: '31/03/2027' } }))).toEqual(['customFields.contractEnds: must be a calendar date written YYYY-MM-DD, not "31/03/2027"']);
    const changed = await s.desk.updateCustomer(c.id, { customFields: { contractEnds: '2028-03-31' } });
    expect(changed.customFields).toEqual({ contractEnds: '2028-03-31' });
  });

  it('lets SLA policies and escalation rules read custom fields with their types, and re-evaluates the clocks on an edit', async () => {
    const clock = createManualClock('2026-04-01T00:00:00Z');
    const desk = createServiceDesk({
      storage: createMemoryStorage(),
      clock,
      fields,
      sla: defineSlaConfig({
        policies: [
          { id: 'pro', name: 'Pro plan', match: { fact: 'ticket.customFields.plan', op: 'eq', value: 'pro' }, metrics: { first_response: { targets: { normal: 'PT1H' } } } },
          { id: 'basic', name: 'Basic plan', match: { fact: 'ticket.customFields.plan', op: 'eq', value: 'basic' }, metrics: { first_response: { targets: { normal: 'PT8H' } } } },
        ],
      }, { fields }),
      escalation: defineEscalationRules([{ id: 'big-refund', name: 'Big refund', trigger: { on: 'ticket.updated' }, condition: { fact: 'ticket.customFields.refund', op: 'gt', value: 100 }, actions: [{ type: 'add_tag', tag: 'big-refund' }] }], { fields }),
    });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'B' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    expect(ticket.sla?.clocks[0]).toMatchObject({ policyId: 'basic', dueAt: new Date('2026-04-01T08:00:00Z') });
    const edited = await desk.updateTicket(ticket.id, { customFields: { plan: 'pro', refund: 250 } });
    expect(edited.sla?.clocks.find((k) => k.state !== 'cancelled')).toMatchObject({ policyId: 'pro' });
    expect(edited.tags).toContain('big-refund');
    expect(() => createServiceDesk({ storage: createMemoryStorage(), fields, sla: defineSlaConfig({ policies: [{ id: 'p', name: 'P', match: { fact: 'ticket.customFields.plan', op: 'eq', value: 'gold' }, metrics: { first_response: { targets: { normal: 'PT1H' } } } }] }, { fields }) })).toThrow(/not one of|gold/);
  });
});

describe('defineFields', () => {
  it('refuses definitions that cannot work, naming the place', () => {
    const bad = (input: FieldSetInput) => {
      try {
        defineFields(input);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ ticket: [{ key: 'a', type: 'enum' }] })).toMatch(/fields\.ticket\[0\]\.options/);
    expect(bad({ ticket: [{ key: 'a', type: 'regex', pattern: '(a)\\1' }] })).toMatch(/fields\.ticket\[0\]\.pattern/);
    expect(bad({ ticket: [{ key: 'a', type: 'text', options: ['x'] }] })).toMatch(/a text field has no "options"/);
    expect(bad({ ticket: [{ key: 'a', type: 'number', default: 'x' }] })).toMatch(/fields\.ticket\[0\]\.default/);
    expect(bad({ ticket: [{ key: 'a', type: 'text' }, { key: 'a', type: 'text' }] })).toMatch(/defined twice/);
    expect(bad({ customer: [{ key: 'a', type: 'text', required: 'on_resolve' }] })).toMatch(/customers are not resolved/);
    expect(bad({ ticket: [{ key: '1a', type: 'text' }] })).toMatch(/key/);
    expect(defineFields({ ticket: [{ key: 'tier', type: 'multi_enum', options: ['a', 'b'] }] }).facts).toEqual({ 'ticket.customFields.tier': { type: 'array', items: 'string', values: ['a', 'b'] } });
  });
});
