import { describe, expect, it } from 'vitest';
import { defineFollowUps,
  ConfigError,
  DeliveryError,
  createInProcessScheduler,
  createMemoryStorage,
  createSequentialIds,
  createServiceDesk,
  defineTemplates,
  type ServiceDeskOptions,
  type StoragePort,
} from 'omotenashi';
import { createManualClock, createRecordingNotifier, overrideStorage, recordEvents } from 'omotenashi/testing';

const templates = defineTemplates({
  order_shipped: {
    variables: ['recipientName', 'orderId'],
    locales: {
      en: { subject: 'Order {{orderId}} is on its way', text: 'Dear {{recipientName}},\n\nYour order {{orderId}} has shipped.' },
      ja: { subject: 'ご注文 {{orderId}} を発送しました', text: '{{recipientName}}\n\nご注文 {{orderId}} を発送いたしました。' },
    },
  },
  ticket_update: {
    variables: ['recipientName', 'ticketRef', 'agentName?'],
    locales: { en: { subject: '{{ticketRef}} was updated', text: 'Hello {{recipientName}}, {{ticketRef}} has news.{{#if agentName}} ({{agentName}}){{/if}}' } },
  },
  safety_recall: {
    variables: ['recipientName'],
    locales: { en: { subject: 'Safety recall', text: 'Dear {{recipientName}}, stop using the kettle.' } },
  },
});

async function setup(options: { storage?: StoragePort; extra?: Partial<ServiceDeskOptions> } = {}) {
  const clock = createManualClock('2026-04-01T10:00:00+09:00');
  const storage = options.storage ?? createMemoryStorage();
  const errors: unknown[] = [];
  const scheduler = createInProcessScheduler({ clock, retryDelay: 'PT1M', onError: (e) => errors.push(e) });
  const notifier = createRecordingNotifier();
  const desk = createServiceDesk({ storage, clock, scheduler, ids: createSequentialIds(), templates, notifiers: [notifier], delivery: { maxAttempts: 3, backoff: { initialMs: 60_000, factor: 2, jitter: 'none' } }, onError: (e) => errors.push(e), ...options.extra });
  const events = recordEvents(desk);
  const hanako = await desk.registerCustomer({
    kind: 'external',
    displayName: 'Tanaka Hanako',
    locale: 'ja',
    timeZone: 'Asia/Tokyo',
    addressing: { form: 'formal', familyName: '田中', honorific: '様', firstNameUsePermitted: false },
    contacts: [{ channel: 'email', address: 'hanako@example.jp' }],
    consent: { quietHours: { start: '21:00', end: '09:00' } },
  });
  return { clock, storage, scheduler, notifier, desk, events, hanako, errors };
}

describe('desk: notifications through the outbox', () => {
  it('queues, renders in the customer\'s language, and the relay delivers', async () => {
    const s = await setup();
    const queued = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-1001' }, key: 'shipped:A-1001' });
    expect(queued).toMatchObject({ id: 'ntf:shipped:A-1001', status: 'pending', channel: 'email', locale: 'ja', to: { name: '田中様', address: 'hanako@example.jp' }, rendered: { subject: 'ご注文 A-1001 を発送しました' } });
    await s.clock.advance('PT1S');
    expect(s.notifier.sent.map((m) => [m.idempotencyKey, m.rendered?.text])).toEqual([['shipped:A-1001', '田中様\n\nご注文 A-1001 を発送いたしました。']]);
    expect(await s.desk.getNotification(queued.id)).toMatchObject({ status: 'sent', notifier: 'recording', externalId: 'rec-1', attempts: [{ ok: true }] });
    expect(s.events.names().filter((n) => n.startsWith('notification.'))).toEqual(['notification.queued', 'notification.sent']);
  });

  it('is idempotent on its key: sending again returns the message already queued', async () => {
    const s = await setup();
    const a = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-1' }, key: 'k1' });
    const b = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-1' }, key: 'k1' });
    await s.clock.advance('PT1M');
    expect(b.id).toBe(a.id);
    expect(s.notifier.sent).toHaveLength(1);
    expect((await s.desk.listNotifications({ recipientId: s.hanako.id })).items).toHaveLength(1);
  });

  it('a bad message changes nothing: a missing variable, an unknown template, a do-not-contact customer', async () => {
    const s = await setup();
    await expect(s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: {} })).rejects.toMatchObject({ code: 'TEMPLATE_RENDER_FAILED', variable: 'orderId' });
    await expect(s.desk.notify({ customerId: s.hanako.id, template: 'nope' })).rejects.toBeInstanceOf(ConfigError);
    await expect(s.desk.notify({ template: 'order_shipped' } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await s.desk.flagCustomer(s.hanako.id, { kind: 'do_not_contact', reason: 'asked on the phone' });
    await expect(s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-2' } })).rejects.toThrow(/do_not_contact/);
    expect((await s.desk.listNotifications({})).items).toHaveLength(0);
    await s.desk.notify({ customerId: s.hanako.id, template: 'safety_recall', urgent: true });
    await s.clock.advance('PT1S');
    expect(s.notifier.sent.map((m) => m.template)).toEqual(['safety_recall']);
  });

  it('non-urgent messages wait for the customer\'s quiet hours to pass; urgent ones do not', async () => {
    const s = await setup();
    await s.clock.set(new Date('2026-04-01T22:30:00+09:00'));
    const later = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-3' } });
    await s.desk.notify({ customerId: s.hanako.id, template: 'safety_recall', urgent: true });
    expect(later.notBefore.toISOString()).toBe('2026-04-02T00:00:00.000Z');
    await s.clock.advance('PT1M');
    expect(s.notifier.sent.map((m) => m.template)).toEqual(['safety_recall']);
    await s.clock.set(new Date('2026-04-02T08:59:00+09:00'));
    expect(s.notifier.sent).toHaveLength(1);
    await s.clock.set(new Date('2026-04-02T09:00:00+09:00'));
    expect(s.notifier.sent.map((m) => m.template)).toEqual(['safety_recall', 'order_shipped']);
  });

  it('retries with backoff, records every attempt, dead-letters after the last one, and can be retried by hand', async () => {
    const s = await setup();
    s.notifier.failNext(3);
    const queued = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-4' } });
    await s.clock.advance('PT1S');
    let n = await s.desk.getNotification(queued.id);
    expect(n).toMatchObject({ status: 'pending', attempts: [{ ok: false, retryable: true }] });
    expect(n.nextAttemptAt.getTime() - n.attempts[0]!.at.getTime()).toBe(60_000);
    await s.clock.advance('PT1M');
    n = await s.desk.getNotification(queued.id);
    expect(n.attempts).toHaveLength(2);
    expect(n.nextAttemptAt.getTime() - n.attempts[1]!.at.getTime()).toBe(120_000);
    await s.clock.advance('PT2M');
    n = await s.desk.getNotification(queued.id);
    expect(n.status).toBe('failed');
    expect(n.attempts).toHaveLength(3);
    const failed = s.events.of('notification.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.attempt.error).toMatch(/ECONNRESET/);
    await s.clock.advance('PT1H');
    expect(s.notifier.attempts).toBe(3);
    await s.desk.retryNotification(queued.id);
    await s.clock.advance('PT1S');
    expect(await s.desk.getNotification(queued.id)).toMatchObject({ status: 'sent', attempts: [{ ok: false }, { ok: false }, { ok: false }, { ok: true }] });
    await expect(s.desk.retryNotification(queued.id)).rejects.toThrow(/only failed/);
  });

  it('a permanent refusal is dead-lettered at once; a Retry-After is waited out', async () => {
    const s = await setup();
    s.notifier.failNext(1, new DeliveryError('550 mailbox unavailable', { retryable: false, status: 550 }));
    const refused = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-5' } });
    await s.clock.advance('PT1S');
    expect(await s.desk.getNotification(refused.id)).toMatchObject({ status: 'failed', attempts: [{ retryable: false, code: 'DELIVERY_FAILED' }] });
    s.notifier.failNext(1, new DeliveryError('429 slow down', { retryable: true, status: 429, retryAfterMs: 600_000 }));
    const throttled = await s.desk.notify({ customerId: s.hanako.id, template: 'order_shipped', data: { orderId: 'A-6' } });
    await s.clock.advance('PT1S');
    const n = await s.desk.getNotification(throttled.id);
    expect(n.nextAttemptAt.getTime() - n.attempts[0]!.at.getTime()).toBe(600_000);
  });

  it('the message is committed with the change that caused it: a failed commit leaves neither', async () => {
    const base = createMemoryStorage();
    let fail = false;
    const storage = overrideStorage(base, { commit: (work) => (fail && work.puts.some((p) => p.kind === 'notification') ? Promise.reject(new Error('disk full')) : base.commit(work)) });
    const s = await setup({ storage, extra: { followUps: defineFollowUps({ plans: [{ id: 'verify', name: 'Verify', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'message', template: 'ticket_update' } }] }) } });
    const { ticket } = await s.desk.openTicket({ requesterId: s.hanako.id, subject: 'Router', channel: 'email' });
    await s.desk.resolve(ticket.id, { summary: 'Fixed' });
    fail = true;
    await s.clock.advance('PT1H');
    expect((await s.desk.listFollowUps({})).items[0]?.status).toBe('scheduled');
    expect((await s.desk.listNotifications({})).items).toHaveLength(0);
    fail = false;
    await s.clock.advance('PT1M');
    expect((await s.desk.listFollowUps({})).items[0]?.status).toBe('sent');
    await s.clock.advance('PT1S');
    expect(s.notifier.sent).toHaveLength(1);
  });

  it('pending messages survive a restart: restoreSchedules re-arms the relay', async () => {
    const storage = createMemoryStorage();
    const first = await setup({ storage });
    await first.clock.set(new Date('2026-04-01T23:00:00+09:00'));
    await first.desk.notify({ customerId: first.hanako.id, template: 'order_shipped', data: { orderId: 'A-7' } });
    await first.desk.stop();
    const clock = createManualClock(first.clock.now());
    const notifier = createRecordingNotifier();
    const again = createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }), templates, notifiers: [notifier] });
    expect(await again.restoreSchedules()).toBe(1);
    await clock.set(new Date('2026-04-02T09:00:00+09:00'));
    expect(notifier.sent.map((m) => m.data['orderId'])).toEqual(['A-7']);
    expect(first.notifier.sent).toHaveLength(0);
  });

  it('reaches agents by e-mail with the ticket reference; pending messages can be withdrawn', async () => {
    const s = await setup();
    const aiko = await s.desk.registerAgent({ name: 'Aiko Sato', email: 'aiko@support.example' });
    const { ticket } = await s.desk.openTicket({ requesterId: s.hanako.id, subject: 'Router', channel: 'email', assigneeId: aiko.id });
    const toAgent = await s.desk.notify({ agentId: aiko.id, template: 'ticket_update', ticketId: ticket.id, urgent: true });
    expect(toAgent.rendered?.text).toBe(`Hello Aiko Sato, ${ticket.id} has news. (Aiko Sato)`);
    await s.clock.set(new Date('2026-04-01T22:00:00+09:00'));
    const quiet = await s.desk.notify({ customerId: s.hanako.id, template: 'ticket_update', ticketId: ticket.id });
    const cancelled = await s.desk.cancelNotification(quiet.id);
    expect(cancelled.status).toBe('cancelled');
    await s.clock.set(new Date('2026-04-02T10:00:00+09:00'));
    expect(s.notifier.sent.map((m) => m.to.address)).toEqual(['aiko@support.example']);
    await expect(s.desk.cancelNotification(toAgent.id)).rejects.toThrow(/only pending/);
    await expect(s.desk.getNotification('ntf:missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
