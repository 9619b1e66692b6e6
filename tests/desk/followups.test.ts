import { describe, expect, it } from 'vitest';
import { defineFollowUps, defineEscalationRules,
  ConfigError,
  ValidationError,
  createInProcessScheduler,
  createManualClock,
  createMemoryStorage,
  createSequentialIds,
  createServiceDesk,
  type CustomerInput,
  type FollowUpConfigInput,
  type ServiceDeskOptions,
  type StoragePort,
  type TicketId,
} from 'omotenashi';
import { createRecordingNotifier, overrideStorage, recordEvents } from 'omotenashi/testing';

const hanakoInput: CustomerInput = {
  kind: 'external',
  displayName: 'Tanaka Hanako',
  addressing: { familyName: '田中', honorific: '様' },
  timeZone: 'Asia/Tokyo',
  locale: 'ja',
  contacts: [{ channel: 'email', address: 'hanako@example.jp' }],
};

async function setup(followUps: FollowUpConfigInput, options: { storage?: StoragePort; extra?: Partial<ServiceDeskOptions>; start?: string } = {}) {
  const clock = createManualClock(options.start ?? '2026-04-01T00:00:00Z');
  const storage = options.storage ?? createMemoryStorage();
  const errors: unknown[] = [];
  const scheduler = createInProcessScheduler({ clock, retryDelay: 'PT1M', onError: (e) => errors.push(e) });
  const notifier = createRecordingNotifier();
  const desk = createServiceDesk({ storage, clock, scheduler, ids: createSequentialIds(), followUps: defineFollowUps(followUps), notifiers: [notifier], onError: (e) => errors.push(e), ...options.extra });
  const events = recordEvents(desk);
  const hanako = await desk.registerCustomer(hanakoInput);
  return { clock, storage, scheduler, notifier, desk, events, hanako, errors };
}

const csatPlan = { id: 'csat', name: 'CSAT after resolution', trigger: { on: 'ticket_resolved' as const }, timing: { delay: 'PT2H' }, action: { type: 'survey' as const, questions: ['csat' as const, 'solved' as const] } };
const verifyPlan = { id: 'verify', name: 'Did it work?', trigger: { on: 'ticket_resolved' as const }, timing: { delay: 'P3D' }, action: { type: 'message' as const, template: 'verification' } };

async function resolvedTicket(s: Awaited<ReturnType<typeof setup>>) {
  const agent = await s.desk.registerAgent({ name: 'Sato' });
  const { ticket } = await s.desk.openTicket({ requesterId: s.hanako.id, subject: 'Router drops Wi-Fi', channel: 'phone', assigneeId: agent.id });
  await s.desk.resolve(ticket.id, { summary: 'Firmware updated' });
  return { ticket, agent };
}

describe('desk: surveys after a resolution', () => {
  it('sends the CSAT survey after the delay and records the answer with the assignee of the moment', async () => {
    const s = await setup({ plans: [csatPlan] });
    const { ticket, agent } = await resolvedTicket(s);
    const [planned] = (await s.desk.listFollowUps({ ticketId: ticket.id })).items;
    expect(planned).toMatchObject({ planId: 'csat', status: 'scheduled', dueAt: new Date('2026-04-01T02:00:00Z') });
    expect(s.notifier.sent).toHaveLength(0);
    await s.clock.advance('PT2H');
    expect(s.notifier.sent.map((m) => [m.template, m.channel, m.to.address, m.to.name, m.locale])).toEqual([['survey', 'email', 'hanako@example.jp', '田中様', 'ja']]);
    const surveyId = s.notifier.sent[0]?.data['surveyId'] as string;
    expect(s.notifier.sent[0]?.data).toMatchObject({ questions: ['csat', 'solved'], ticketId: ticket.id, customerName: '田中様' });
    expect(s.events.names().filter((n) => n.startsWith('followup.') || n.startsWith('survey.'))).toEqual(['followup.scheduled', 'followup.due', 'followup.sent', 'survey.sent']);
    await s.desk.assign(ticket.id, { agentId: null });
    const { survey } = await s.desk.answerSurvey(surveyId, { csat: 5, reason: 'Quick and kind', solved: true });
    expect(survey).toMatchObject({ status: 'answered', low: false, answer: { csat: 5, solved: true } });
    expect(survey.assigneeId).toBeUndefined();
    // Credited to whoever held the ticket when the customer rated it.
    await s.desk.assign(ticket.id, { agentId: agent.id });
    expect((await s.desk.getSurvey(surveyId)).status).toBe('answered');
    // The same answer again is a no-op; another is refused.
    await expect(s.desk.answerSurvey(surveyId, { csat: 5, reason: 'Quick and kind', solved: true })).resolves.toMatchObject({ survey: { version: 2 } });
    await expect(s.desk.answerSurvey(surveyId, { csat: 1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses answers to questions the survey did not ask', async () => {
    const s = await setup({ plans: [csatPlan] });
    await resolvedTicket(s);
    await s.clock.advance('PT2H');
    const surveyId = s.notifier.sent[0]?.data['surveyId'] as string;
    const err = await s.desk.answerSurvey(surveyId, { nps: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toContain('did not ask "nps"');
    await expect(s.desk.answerSurvey('srv:nope', { csat: 3 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reopens the ticket when the customer says it did not solve the problem, and lets rules act on the low score', async () => {
    const s = await setup(
      { plans: [csatPlan] },
      { extra: { escalation: defineEscalationRules([{ id: 'low-csat', name: 'Low CSAT goes to a lead', trigger: { on: 'survey.answered' }, condition: { fact: 'event.low', op: 'eq', value: true }, actions: [{ type: 'set_priority', priority: 'high' }, { type: 'add_tag', tag: 'unhappy' }] }]) } },
    );
    const { ticket } = await resolvedTicket(s);
    await s.clock.advance('PT2H');
    const surveyId = s.notifier.sent[0]?.data['surveyId'] as string;
    const answered = await s.desk.answerSurvey(surveyId, { csat: 2, solved: false });
    expect(answered.survey.low).toBe(true);
    expect(answered.ticket.status).toBe('open');
    const after = await s.desk.getTicket(ticket.id);
    expect(after).toMatchObject({ status: 'open', priority: 'high', tags: ['unhappy'] });
    expect(s.events.of('ticket.reopened')[0]?.reason).toContain('did not solve');
  });

  it('sends one survey per ticket, even when it is resolved again', async () => {
    const s = await setup({ plans: [csatPlan] });
    const { ticket } = await resolvedTicket(s);
    await s.clock.advance('PT2H');
    await s.desk.reopen(ticket.id, { reason: 'still broken' });
    await s.desk.resolve(ticket.id, { summary: 'Replaced the router' });
    await s.clock.advance('PT2H');
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.events.of('followup.skipped').map((e) => e.reason)).toEqual(['survey_exists']);
    expect((await s.desk.listSurveys({ ticketId: ticket.id })).items).toHaveLength(1);
  });
});

describe('desk: follow-ups that must not go out', () => {
  it('cancels the verification when the customer reopens the ticket', async () => {
    const s = await setup({ plans: [verifyPlan] });
    const { ticket } = await resolvedTicket(s);
    await s.clock.advance('P1D');
    await s.desk.recordInteraction(ticket.id, { kind: 'message', channel: 'email', direction: 'inbound', author: { kind: 'customer', id: s.hanako.id }, body: 'It dropped again this morning.' });
    expect(s.events.of('followup.cancelled').map((e) => [e.followUp.planId, e.reason])).toEqual([['verify', 'reopened']]);
    await s.clock.advance('P3D');
    expect(s.notifier.sent).toHaveLength(0);
  });

  it('cancels pending follow-ups when the customer opts out, and re-checks channels at the time of sending', async () => {
    const s = await setup({ plans: [verifyPlan] });
    await resolvedTicket(s);
    await s.desk.updateCustomer(s.hanako.id, { consent: { marketing: false, followUps: true, optedOutChannels: ['email'] } });
    await s.clock.advance('P3D');
    expect(s.notifier.sent).toHaveLength(0);
    expect(s.events.of('followup.skipped').map((e) => e.reason)).toEqual(['no_channel']);

    const t = await setup({ plans: [verifyPlan] });
    await resolvedTicket(t);
    await t.desk.updateCustomer(t.hanako.id, { consent: { marketing: false, followUps: false, optedOutChannels: [] } });
    expect(t.events.of('followup.cancelled').map((e) => e.reason)).toEqual(['opted_out']);
    await t.clock.advance('P3D');
    expect(t.notifier.sent).toHaveLength(0);
  });

  it('holds back touches past the fatigue cap', async () => {
    const s = await setup({
      fatigue: { max: 1, per: 'P7D' },
      plans: [{ id: 'thanks', name: 'Thank-you note', purpose: 'relationship', trigger: { on: 'order_placed' }, timing: { delay: 'PT1H' }, action: { type: 'message', template: 'thank_you' } }],
    });
    await s.desk.orderPlaced({ customerId: s.hanako.id, orderId: 'o-1', items: [{ sku: 'ROUTER-X' }] });
    await s.clock.advance('PT2H');
    await s.desk.orderPlaced({ customerId: s.hanako.id, orderId: 'o-2', items: [{ sku: 'CABLE' }] });
    await s.clock.advance('PT2H');
    expect(s.notifier.sent.map((m) => m.data['order'])).toEqual([{ id: 'o-1', skus: ['ROUTER-X'] }]);
    expect(s.events.of('followup.skipped').map((e) => [e.reason, e.detail])).toEqual([['fatigue', '1 touches within the fatigue period (at most 1)']]);
    await s.clock.advance('P7D');
    await s.desk.orderPlaced({ customerId: s.hanako.id, orderId: 'o-3', items: [{ sku: 'CABLE' }] });
    await s.clock.advance('PT2H');
    expect(s.notifier.sent).toHaveLength(2);
  });

  it('skips a touch whose condition fails: never while a complaint is open', async () => {
    const s = await setup({ plans: [{ ...verifyPlan, when: { fact: 'customer.openComplaints', op: 'eq', value: 0 } }] });
    await s.desk.openTicket({ requesterId: s.hanako.id, subject: 'Rude courier', channel: 'phone', type: 'complaint' });
    await resolvedTicket(s);
    expect(s.events.of('followup.skipped').map((e) => e.reason)).toEqual(['condition']);
    expect(s.events.of('followup.scheduled')).toHaveLength(0);
  });

  it('lets a plan\'s condition read the organisation: enterprise accounts only', async () => {
    const s = await setup({ plans: [{ ...verifyPlan, when: { fact: 'organization.tier', op: 'eq', value: 'enterprise' } }] });
    await resolvedTicket(s);
    expect(s.events.of('followup.skipped').map((e) => e.reason)).toEqual(['condition']);
    const org = await s.desk.registerOrganization({ kind: 'external', name: 'ACME', tier: 'enterprise' });
    await s.desk.updateCustomer(s.hanako.id, { organizationIds: [org.id] });
    await resolvedTicket(s);
    expect(s.events.of('followup.scheduled')).toHaveLength(1);
    // When it falls due, the condition is checked again on the organisation as it is then.
    await s.desk.updateOrganization(org.id, { tier: null });
    await s.clock.advance('P3D');
    expect(s.notifier.sent).toHaveLength(0);
  });

  it('waits for the customer\'s quiet hours to end', async () => {
    const s = await setup({ plans: [{ ...verifyPlan, timing: { delay: 'PT1H' } }] }, { start: '2026-04-01T02:00:00Z' });
    await resolvedTicket(s);
    await s.desk.updateCustomer(s.hanako.id, { consent: { marketing: false, followUps: true, optedOutChannels: [], quietHours: { start: '12:00', end: '14:00' } } });
    // Due 12:00 in Tokyo: quiet until 14:00.
    await s.clock.advance('PT1H');
    expect(s.notifier.sent).toHaveLength(0);
    expect((await s.desk.listFollowUps({})).items[0]).toMatchObject({ status: 'scheduled', deferrals: 1, dueAt: new Date('2026-04-01T05:00:00Z') });
    await s.clock.advance('PT2H');
    expect(s.notifier.sent).toHaveLength(1);
  });
});

describe('desk: relationship touches and tasks', () => {
  it('greets on the birthday in the customer\'s own zone, 29 February included, and plans the next year', async () => {
    const s = await setup({ plans: [{ id: 'birthday', name: 'Birthday greeting', purpose: 'relationship', trigger: { on: 'birthday' }, timing: { at: '09:00' }, action: { type: 'message', template: 'birthday' } }] });
    await s.desk.updateCustomer(s.hanako.id, { birthday: '1992-02-29' });
    const ny = await s.desk.registerCustomer({ kind: 'external', displayName: 'Ann Lee', timeZone: 'America/New_York', birthday: '--03-15', contacts: [{ channel: 'sms', number: '+12125550123' }] });
    const pending = (await s.desk.listFollowUps({ status: 'scheduled' })).items.map((f) => [f.customerId, f.dueAt.toISOString()]);
    expect(pending).toEqual([
      [s.hanako.id, '2027-02-28T00:00:00.000Z'],
      [ny.id, '2027-03-15T13:00:00.000Z'], // 09:00 EDT, after the March change
    ]);
    await s.clock.set(new Date('2027-03-16T00:00:00Z'));
    expect(s.notifier.sent.map((m) => [m.to.id, m.channel, m.data['date']])).toEqual([
      [s.hanako.id, 'email', '2027-02-28'],
      [ny.id, 'sms', '2027-03-15'],
    ]);
    const next = (await s.desk.listFollowUps({ customerId: s.hanako.id, status: 'scheduled' })).items;
    expect(next.map((f) => f.dueAt.toISOString())).toEqual(['2028-02-29T00:00:00.000Z']);
    // A changed birthday moves the pending greeting; no birthday, no greeting.
    await s.desk.updateCustomer(s.hanako.id, { birthday: '1992-05-05' });
    expect((await s.desk.listFollowUps({ customerId: s.hanako.id, status: 'scheduled' })).items.map((f) => f.dueAt.toISOString())).toEqual(['2027-05-05T00:00:00.000Z']);
    await s.desk.updateCustomer(s.hanako.id, { birthday: null });
    expect((await s.desk.listFollowUps({ customerId: s.hanako.id, status: 'scheduled' })).items).toEqual([]);
  });

  it('opens a check-in call task after an order, once per order', async () => {
    const s = await setup({ plans: [{ id: 'checkin', name: 'Post-purchase check-in', trigger: { on: 'order_placed', skus: ['ROUTER-X'] }, timing: { delay: 'P2D', at: '10:00' }, channels: ['phone', 'preferred'], action: { type: 'task', subject: 'Check-in call: is the new router working?' } }] });
    await s.desk.updateCustomer(s.hanako.id, { contacts: [{ channel: 'email', address: 'hanako@example.jp' }, { channel: 'phone', number: '+81312345678' }] });
    const updated = await s.desk.orderPlaced({ customerId: s.hanako.id, orderId: 'o-9', items: [{ sku: 'ROUTER-X', amount: { amountMinor: 1_980_000, currency: 'JPY' } }] });
    expect(updated.purchases.map((p) => p.orderId)).toEqual(['o-9']);
    await s.desk.orderPlaced({ customerId: s.hanako.id, orderId: 'o-9', items: [{ sku: 'ROUTER-X' }] });
    await s.desk.orderPlaced({ customerId: s.hanako.id, orderId: 'o-10', items: [{ sku: 'CABLE' }] });
    const pending = (await s.desk.listFollowUps({ status: 'scheduled' })).items;
    expect(pending.map((f) => [f.orderId, f.dueAt.toISOString()])).toEqual([['o-9', '2026-04-03T01:00:00.000Z']]);
    await s.clock.advance('P3D');
    const [task] = (await s.desk.listTickets({ type: 'follow_up' })).items;
    expect(task).toMatchObject({ subject: 'Check-in call: is the new router working?', channel: 'phone', sourceId: `followup:fu:checkin:${s.hanako.id}:order:o-9`, customFields: { orderId: 'o-9' } });
    expect((await s.desk.listFollowUps({})).items[0]).toMatchObject({ status: 'sent', taskTicketId: task?.id, channel: 'phone' });
    expect(s.notifier.sent).toHaveLength(0);
  });

  it('follows custom host events, once per event id', async () => {
    const s = await setup({ plans: [{ id: 'renewal', name: 'Thanks for renewing', trigger: { on: 'event', name: 'subscription.renewed' }, action: { type: 'message', template: 'renewal_thanks' } }] });
    await s.desk.reportEvent({ customerId: s.hanako.id, name: 'subscription.renewed', id: 'evt-1', data: { plan: 'gold' } });
    await s.desk.reportEvent({ customerId: s.hanako.id, name: 'subscription.renewed', id: 'evt-1', data: { plan: 'gold' } });
    await s.desk.reportEvent({ customerId: s.hanako.id, name: 'subscription.cancelled', id: 'evt-2' });
    await s.clock.advance('PT1M');
    expect(s.notifier.sent.map((m) => m.data['event'])).toEqual([{ name: 'subscription.renewed', id: 'evt-1', plan: 'gold' }]);
  });
});

describe('desk: delivery that loses nothing', () => {
  it('a failed send stays in the outbox and is retried with backoff under the same idempotency key', async () => {
    const s = await setup({ plans: [{ ...verifyPlan, timing: { delay: 'PT1H' } }] });
    await resolvedTicket(s);
    s.notifier.failNext(1);
    await s.clock.advance('PT1H');
    expect(s.notifier.sent).toHaveLength(0);
    const [followUp] = (await s.desk.listFollowUps({})).items;
    expect(followUp?.status).toBe('sent');
    const message = await s.desk.getNotification(followUp?.notificationId as string);
    expect(message).toMatchObject({ status: 'pending', idempotencyKey: followUp?.id, followUpId: followUp?.id, attempts: [{ ok: false, retryable: true }] });
    expect(s.events.names()).toContain('notification.retry_scheduled');
    await s.clock.advance('PT1M');
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.notifier.attempts).toBe(2);
    expect((await s.desk.getNotification(message.id)).status).toBe('sent');
  });

  it('a crash between sending and recording re-sends under the same key: the customer gets one message', async () => {
    const base = createMemoryStorage();
    let failOnce = true;
    const storage = overrideStorage(base, {
      commit: (work) => {
        if (failOnce && work.puts.some((p) => p.kind === 'notification' && p.record.status === 'sent')) {
          failOnce = false;
          return Promise.reject(new Error('connection lost'));
        }
        return base.commit(work);
      },
    });
    const s = await setup({ plans: [{ ...verifyPlan, timing: { delay: 'PT1H' } }] }, { storage });
    await resolvedTicket(s);
    await s.clock.advance('PT1H');
    expect(s.notifier.attempts).toBe(1);
    expect((await s.desk.listNotifications({})).items[0]?.status).toBe('pending');
    await s.clock.advance('PT1M');
    expect(s.notifier.attempts).toBe(2);
    expect(s.notifier.sent).toHaveLength(1);
    expect((await s.desk.listNotifications({})).items[0]?.status).toBe('sent');
    expect((await s.desk.listFollowUps({})).items[0]?.status).toBe('sent');
  });

  it('restores pending follow-ups after a restart, and cancels those whose plan was removed', async () => {
    const storage = createMemoryStorage();
    const first = await setup({ plans: [verifyPlan, csatPlan] }, { storage });
    await resolvedTicket(first);
    await first.desk.stop();
    const clock = createManualClock(first.clock.date());
    const notifier = createRecordingNotifier();
    const again = createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }), followUps: defineFollowUps({ plans: [verifyPlan] }), notifiers: [notifier] });
    const events = recordEvents(again);
    expect(await again.restoreSchedules()).toBeGreaterThanOrEqual(2);
    await clock.advance('P3D');
    expect(notifier.sent.map((m) => m.template)).toEqual(['verification']);
    expect(events.of('followup.cancelled').map((e) => [e.followUp.planId, e.reason])).toEqual([['csat', 'plan_removed']]);
  });

  it('cancels by command', async () => {
    const s = await setup({ plans: [verifyPlan] });
    const { ticket } = await resolvedTicket(s);
    expect(await s.desk.cancelFollowUps({ ticketId: ticket.id }, { reason: 'customer asked us not to call' })).toBe(1);
    expect(await s.desk.cancelFollowUps({ ticketId: ticket.id })).toBe(0);
    await expect(s.desk.cancelFollowUps({})).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('desk: feedback and configuration', () => {
  it('routes feedback to the department\'s team as an internal feedback ticket', async () => {
    const s = await setup({ feedbackRoutes: { product: 'team_product' } }, {});
    await s.desk.registerTeam({ id: 'team_product', name: 'Product', function: 'product' });
    const ticket = await s.desk.recordFeedback({ customerId: s.hanako.id, department: 'product', text: 'A dark mode for the router app, please.', sourceId: 'form-77' });
    expect(ticket).toMatchObject({ type: 'feedback', teamId: 'team_product', tags: ['feedback', 'department:product', 'suggestion'] });
    const again = await s.desk.recordFeedback({ customerId: s.hanako.id, department: 'product', text: 'A dark mode for the router app, please.', sourceId: 'form-77' });
    expect(again.id).toBe(ticket.id);
    const err = await s.desk.recordFeedback({ customerId: s.hanako.id, department: 'legal', text: 'x' }).catch((e: unknown) => e);
    expect((err as ValidationError).message).toContain('no feedback route for "legal" (known: product)');
    // Resolving a feedback ticket does not survey the customer about it.
    await s.desk.resolve(ticket.id as TicketId, { summary: 'On the roadmap' });
  });

  it('refuses plans that send messages without a notifier', () => {
    expect(() => createServiceDesk({ storage: createMemoryStorage(), followUps: defineFollowUps({ plans: [verifyPlan] }) })).toThrow(ConfigError);
  });
});
