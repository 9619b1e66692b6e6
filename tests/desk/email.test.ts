import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, createInProcessScheduler, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, defineTemplates } from 'omotenashi';
import { createRecordingNotifier, recordEvents } from 'omotenashi/testing';

const templates = defineTemplates({ hello: { variables: ['recipientName'], locales: { en: { subject: 'Hello', text: 'Hello {{recipientName}}' } } } });

async function sent() {
  const clock = createManualClock('2026-12-01T09:00:00Z');
  const notifier = createRecordingNotifier();
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock, scheduler: createInProcessScheduler({ clock }), ids: createSequentialIds(), templates, notifiers: [notifier] });
  const events = recordEvents(desk);
  const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ken', contacts: [{ channel: 'email', address: 'ken@example.com' }, { channel: 'sms', number: '+819012345678' }] });
  const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'Help', channel: 'email', description: 'Please help', sourceId: 'in-1@mail.example' });
  await desk.notify({ customerId: c.id, ticketId: ticket.id, template: 'hello', key: 'k1', urgent: true });
  await clock.advance('PT1S');
  const n = (await desk.listNotifications({ ticketId: ticket.id })).items[0];
  if (n?.externalId === undefined) throw new Error('not sent');
  return { desk, events, c, ticket, n };
}

describe('desk: e-mail lookups and bounces', () => {
  it('findMessages says which ticket or sent message an id belongs to, in the order asked', async () => {
    const s = await sent();
    expect(await s.desk.findMessages(['<nope@x>', s.n.externalId as string, '<in-1@mail.example>'])).toEqual([
      { messageId: s.n.externalId, origin: 'sent', notificationId: s.n.id, ticketId: s.ticket.id },
      { messageId: '<in-1@mail.example>', origin: 'received', ticketId: s.ticket.id },
    ]);
    expect(await s.desk.findMessages([])).toEqual([]);
    await expect(s.desk.findMessages([''])).rejects.toBeInstanceOf(ValidationError);
  });

  it('a delay report changes nothing; a permanent bounce fails the message, marks the address and is not repeated', async () => {
    const s = await sent();
    const delay = await s.desk.recordBounce({ messageId: s.n.externalId as string, recipient: 'ken@example.com', permanent: false, status: '4.4.1' });
    expect(delay.notification.status).toBe('sent');
    expect((await s.desk.getCustomer(s.c.id)).contacts[0]).not.toHaveProperty('bouncing');
    const r = await s.desk.recordBounce({ messageId: s.n.externalId as string, recipient: 'KEN@example.com', status: '5.1.1', diagnostic: '550 user unknown' });
    expect(r.notification).toMatchObject({ status: 'failed', attempts: [{ ok: true }, { ok: false, code: 'DELIVERY_FAILED', retryable: false }] });
    expect(r.customer?.contacts[0]).toMatchObject({ address: 'ken@example.com', bouncing: { status: '5.1.1', diagnostic: '550 user unknown' } });
    const again = await s.desk.recordBounce({ messageId: s.n.externalId as string, recipient: 'ken@example.com' });
    expect(again.notification.version).toBe(r.notification.version);
    expect(s.events.of('notification.bounced').map((e) => e.permanent)).toEqual([false, true, true]);
    // Messages now go to the number that still works.
    const next = await s.desk.notify({ customerId: s.c.id, template: 'hello', key: 'k2' });
    expect(next.channel).toBe('sms');
  });

  it('refuses a bounce for a message the desk never sent, and bad input, naming the field', async () => {
    const s = await sent();
    await expect(s.desk.recordBounce({ messageId: '<never@x>', recipient: 'ken@example.com' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.desk.recordBounce({ messageId: s.n.externalId as string, recipient: 'not an address' })).rejects.toBeInstanceOf(ValidationError);
    await expect(s.desk.recordBounce({ messageId: s.n.externalId as string, recipient: 'ken@example.com', status: '9.9' } as never)).rejects.toThrow(/status/);
  });

  it('an e-mail recorded twice on a ticket is one interaction, however long the ticket', async () => {
    const s = await sent();
    const by = { kind: 'customer' as const, id: s.c.id };
    for (let i = 0; i < 20; i++) await s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: by, body: `m${i}`, externalId: `<m${i}@mail.example>` });
    const again = await s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: by, body: 'm3', externalId: 'm3@mail.example' });
    expect(again.recorded).toBe(false);
    expect(again.interaction.body).toBe('m3');
    expect((await s.desk.listInteractions(s.ticket.id)).length).toBe(21);
  });
});
