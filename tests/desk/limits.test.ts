import { describe, expect, it } from 'vitest';
import { defineEscalationRules, LIMITS, ValidationError, createMemoryStorage, createServiceDesk } from 'omotenashi';
import { createManualClock } from 'omotenashi/testing';

const world = async () => {
  const desk = createServiceDesk({
    storage: createMemoryStorage(),
    clock: createManualClock('2026-04-06T01:00:00Z'),
    escalation: defineEscalationRules([{ id: 'aaa', name: 'Screaming', trigger: { on: 'ticket.opened' }, condition: { fact: 'ticket.subject', op: 'matches', value: '(a+)+$' }, actions: [{ type: 'add_tag', tag: 'loud' }] }]),
  });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
  const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router', channel: 'email' });
  return { desk, customer, ticket };
};

describe('desk: every argument bounded and validated', () => {
  it('refuses a 10 MB body and a 2,000-character subject with a ValidationError naming the field, and stores nothing', async () => {
    const { desk, customer, ticket } = await world();
    const huge = 'x'.repeat(10_000_000);
    await expect(desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: customer.id }, body: huge })).rejects.toThrow(/recordInteraction input: body: is 10,000,000 characters; the limit is 100,000/);
    await expect(desk.openTicket({ requesterId: customer.id, subject: 's'.repeat(LIMITS.subject + 1), channel: 'email' })).rejects.toBeInstanceOf(ValidationError);
    expect(await desk.listInteractions(ticket.id)).toEqual([]);
    expect((await desk.listTickets()).items).toHaveLength(1);
  });

  it('validates options like inputs: a note that is a number, a reason that is a boolean, an unknown option', async () => {
    const { desk, ticket } = await world();
    await desk.resolve(ticket.id, { summary: 'Fixed' });
    await expect(desk.confirmResolution(ticket.id, { note: 123 as never })).rejects.toThrow(/confirmResolution options: note/);
    await expect(desk.setStatus(ticket.id, 'pending_customer', { reason: false as never })).rejects.toThrow(/setStatus options: reason/);
    await expect(desk.tag(ticket.id, ['x'], { expectedVersoin: 3 } as never)).rejects.toThrow(/expectedVersoin/);
    expect((await desk.getTicket(ticket.id)).status).toBe('resolved');
    await expect(desk.getAuditTrail(ticket.id)).resolves.toBeDefined();
  });

  it('refuses an over-long ticket id in article feedback, and JSON nested 10,000 deep in custom fields', async () => {
    const { desk, customer } = await world();
    const article = await desk.createArticle({ title: 'Wi-Fi', body: 'Restart it.', locale: 'en' });
    await expect(desk.recordArticleFeedback(article.id, { helpful: true, ticketId: 't'.repeat(100_000) as never })).rejects.toBeInstanceOf(ValidationError);
    // Just over what a stored id may be: refused too, so the article stays readable.
    await expect(desk.recordArticleFeedback(article.id, { helpful: true, ticketId: 't'.repeat(LIMITS.id + 1) as never })).rejects.toBeInstanceOf(ValidationError);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    await expect(desk.updateCustomer(customer.id, { customFields: { deep } as never })).rejects.toThrow(/nests deeper than 32 levels/);
    await expect(desk.listArticles()).resolves.toBeDefined();
  });

  it('runs a rule matching (a+)+$ inside openTicket in linear time', async () => {
    const { desk, customer } = await world();
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: `${'a'.repeat(30)}!`, channel: 'email' });
    expect(ticket.tags).not.toContain('loud');
    const { ticket: loud } = await desk.openTicket({ requesterId: customer.id, subject: 'a'.repeat(400), channel: 'email' });
    expect((await desk.getTicket(loud.id)).tags).toContain('loud');
  });
});

describe('desk: the argument table covers every method', () => {
  it('lists every method a desk has, so none escapes the checks (or the fuzz suite, which reads the same table)', async () => {
    const { DESK_ARGUMENTS } = await import('../../src/desk/arguments.js');
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock('2026-04-06T01:00:00Z') });
    const methods = Object.entries(desk).filter(([name, v]) => typeof v === 'function' && !['on', 'once', 'stop', 'within'].includes(name)).map(([name]) => name).sort();
    expect(Object.keys(DESK_ARGUMENTS).sort()).toEqual(methods);
  });
});
