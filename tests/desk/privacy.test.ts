import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError, attachMetrics, createMemoryStorage, createMetrics, createServiceDesk, type ServiceDeskOptions } from 'omotenashi';
import { createRecordingNotifier } from 'omotenashi/testing';
import { setup } from '../helpers.js';

const DAY = 86_400_000;

async function desk() {
  const notifier = createRecordingNotifier();
  const s = await setup({ notifiers: [notifier] });
  const asAgent = { by: { kind: 'agent' as const, id: s.agent.id } };
  return { ...s, notifier, asAgent };
}

describe('desk: a person’s data', () => {
  it('exports everything about a customer as JSON', async () => {
    const s = await desk();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Kettle', channel: 'email', description: 'It arrived broken' });
    await s.desk.notify({ customerId: s.external.id, template: 'update', data: { body: 'On its way' }, ticketId: ticket.id });
    const exported = await s.desk.exportCustomerData(s.external.id);
    expect(exported).toMatchObject({ format: 'omotenashi.customer-export/1', customer: { id: s.external.id }, tickets: [{ ticket: { id: ticket.id }, interactions: [{ body: 'It arrived broken' }] }], notifications: [{ to: { id: s.external.id } }] });
    const json = JSON.parse(JSON.stringify(exported));
    expect(json.tickets[0].audit[0].action).toBe('open');
    await expect(s.desk.exportCustomerData('cus_nobody' as never)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('erases a customer: record, tickets, messages and histories lose their words, pending messages are cancelled, counts stay', async () => {
    const s = await desk();
    const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
    attachMetrics(s.desk, metrics);
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: '田中様のケトル', channel: 'phone', description: '注文1042のケトルが壊れていました' });
    const queued = await s.desk.notify({ customerId: s.external.id, template: 'update', data: { body: 'secret words' }, ticketId: ticket.id, notBefore: new Date('2026-04-02T00:00:00Z') });
    const before = metrics.report()[0]?.opened;
    s.events.clear();
    const report = await s.desk.eraseCustomer(s.external.id, { reason: 'GDPR art. 17 request', ...s.asAgent });
    expect(report).toMatchObject({ erased: true, tickets: 1, notifications: 1, reason: 'GDPR art. 17 request', by: { kind: 'agent', id: s.agent.id } });
    expect(s.events.names()).toEqual(['customer.erased']);
    const c = await s.desk.getCustomer(s.external.id);
    expect(c).toMatchObject({ displayName: 'Erased customer', contacts: [], tags: [], customFields: {}, erasure: { reason: 'GDPR art. 17 request' } });
    expect(c.kind === 'external' && c.tier).toBe('gold');
    expect((await s.desk.getTicket(ticket.id)).subject).toBe('[erased]');
    expect((await s.desk.getNotification(queued.id))).toMatchObject({ status: 'cancelled', to: { address: '[erased]' }, data: {} });
    expect(JSON.stringify(await s.desk.getTicketDetails(ticket.id))).not.toMatch(/ケトル|1042|田中/);
    expect(metrics.report()[0]?.opened).toBe(before);
    await expect(s.desk.eraseCustomer(s.external.id, { reason: '' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('removes the words of tickets closed longer than the retention period, once, and no others', async () => {
    const s = await desk();
    const open = async (subject: string) => (await s.desk.openTicket({ requesterId: s.external.id, subject, channel: 'email', description: `${subject}: details`, assigneeId: s.agent.id })).ticket;
    const old = await open('old');
    await s.desk.close(old.id, { reason: 'withdrawn' });
    await s.clock.advance(400 * DAY);
    const recent = await open('recent');
    await s.desk.close(recent.id, { reason: 'withdrawn' });
    const live = await open('live');
    await s.clock.advance(400 * DAY);
    const swept = await s.desk.applyRetention({ closedFor: 'P730D' });
    expect(swept).toEqual({ tickets: 1, interactions: 1, more: false });
    expect((await s.desk.listInteractions(old.id))[0]?.body).toBe('[erased]');
    expect((await s.desk.getTicket(old.id)).bodiesRemovedAt).toBeInstanceOf(Date);
    expect((await s.desk.listInteractions(recent.id))[0]?.body).toBe('recent: details');
    expect((await s.desk.listInteractions(live.id))[0]?.body).toBe('live: details');
    expect(await s.desk.applyRetention({ closedFor: 'P730D' })).toEqual({ tickets: 0, interactions: 0, more: false });
    await expect(s.desk.applyRetention({ closedFor: 'two years' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('runs retention on its own schedule with the retention option, and refuses a bad one', async () => {
    const s = await setup({ retention: { closedFor: 'P30D', every: 'P1D', limit: 1 } });
    const open = async (subject: string) => (await s.desk.openTicket({ requesterId: s.external.id, subject, channel: 'email', description: `${subject}: details`, assigneeId: s.agent.id })).ticket;
    const [a, b] = [await open('first'), await open('second')];
    await s.desk.close(a.id, { reason: 'withdrawn' });
    await s.desk.close(b.id, { reason: 'withdrawn' });
    await s.clock.advance(29 * DAY);
    expect((await s.desk.listInteractions(a.id))[0]?.body).toBe('first: details');
    // Day 31: one ticket a run, and a run that leaves more goes on at once.
    await s.clock.advance(2 * DAY);
    expect((await s.desk.listInteractions(a.id))[0]?.body).toBe('[erased]');
    expect((await s.desk.listInteractions(b.id))[0]?.body).toBe('[erased]');
    expect((await s.desk.getAuditTrail(a.id)).at(-1)).toMatchObject({ action: 'retention', actor: { kind: 'system' } });
    expect(() => createServiceDeskWith({ retention: { closedFor: 'two years' } })).toThrow(ConfigError);
    expect(() => createServiceDeskWith({ retention: { closedFor: 'P30D', every: 'PT1S' } })).toThrow(/retention.every/);
    expect(() => createServiceDeskWith({ retention: 'P30D' as never })).toThrow(/retention/);
  });
});

function createServiceDeskWith(options: Partial<ServiceDeskOptions>) {
  return createServiceDesk({ storage: createMemoryStorage(), ...options });
}
