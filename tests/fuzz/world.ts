import Database from 'better-sqlite3';
import { defineKnowledgeBase, defineFollowUps, defineEscalationRules, defineSlaConfig, EVENT_NAMES, createServiceDesk, defineCatalog, isOmotenashiError, type ServiceDesk, type StoragePort, type TicketId } from 'omotenashi';
import { createManualClock, createRecordingNotifier, overrideStorage } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';
import { DESK_ARGUMENTS } from '../../src/desk/arguments.js';

const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const weekday: Array<[string, string]> = [['09:00', '18:00']];

/** Ids of the records a fuzzed desk starts with, so random calls reach real records too. */
export interface Seed {
  readonly customerId: string;
  readonly agentId: string;
  readonly teamId: string;
  readonly ticketId: TicketId;
  readonly resolvedId: TicketId;
  readonly articleId: string;
  readonly notificationId: string;
}

/** A desk with every part configured, on SQLite (whose reads the desk checks), seeded with one of everything. */
export async function fuzzWorld() {
  const storage = createSqliteStorage({ db: new Database(':memory:') });
  await storage.migrate();
  let commits = 0;
  const counted: StoragePort = overrideStorage(storage, {
    commit: async (work) => {
      await storage.commit(work);
      commits++;
    },
  });
  const clock = createManualClock('2026-04-06T01:00:00Z');
  const errors: unknown[] = [];
  const desk = createServiceDesk({ knowledge: defineKnowledgeBase(),
    storage: counted,
    clock,
    onError: (e) => errors.push(e),
    notifiers: [createRecordingNotifier({ channels: ['email', 'chat', 'sms', 'phone', 'web_form'] })],
    catalog: defineCatalog([
      { sku: 'basic', name: 'Basic', category: 'plans', price: USD(1000), family: 'plan', rank: 1, features: ['email support'], limits: { seats: 10 } },
      { sku: 'pro', name: 'Pro', category: 'plans', price: USD(3000), family: 'plan', rank: 2, features: ['email support', 'sso'], limits: { seats: 50 } },
    ]),
    sla: defineSlaConfig({
      calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } },
      policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H', high: 'PT1H' }, calendar: 'office' }, resolution: { targets: { normal: 'P3D' }, calendar: 'office', pauseWhile: ['pending_customer'] } } }],
    }),
    escalation: defineEscalationRules([{ id: 'angry', name: 'Angry', trigger: { on: 'interaction.received' }, condition: { fact: 'ticket.subject', op: 'contains', value: 'urgent' }, actions: [{ type: 'add_tag', tag: 'hot' }, { type: 'set_priority', priority: 'high' }] }]),
    followUps: defineFollowUps({ plans: [{ id: 'checkin', name: 'Check in', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'message', template: 'checkin' } }] }),
  });
  let events = 0;
  for (const name of EVENT_NAMES) desk.on(name, () => void events++);
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato', contacts: [{ channel: 'email', address: 'sato@example.com' }], consent: { marketing: true } });
  const agent = await desk.registerAgent({ name: 'Aiko' });
  const team = await desk.registerTeam({ name: 'Billing' });
  const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router drops', channel: 'email' });
  const { ticket: done } = await desk.openTicket({ requesterId: customer.id, subject: 'Invoice', channel: 'email' });
  await desk.resolve(done.id, { summary: 'Sent again' });
  const article = await desk.createArticle({ title: 'Wi-Fi drops', body: 'Update the firmware.', locale: 'en' });
  const note = await desk.notify({ customerId: customer.id, template: 'checkin', data: {} });
  const seed: Seed = { customerId: customer.id, agentId: agent.id, teamId: team.id, ticketId: ticket.id, resolvedId: done.id, articleId: article.id, notificationId: note.id };
  return { desk, clock, seed, errors, counters: () => ({ commits, events }) };
}

/** The desk's commands and queries with how many arguments each takes: the desk's own argument table. */
export const DESK_METHODS: ReadonlyArray<readonly [keyof ServiceDesk, number]> = (Object.entries(DESK_ARGUMENTS) as Array<[keyof ServiceDesk, ReadonlyArray<unknown>]>)
  .filter(([method]) => method !== 'restoreSchedules')
  .map(([method, spec]) => [method, spec.length] as const);

/** Reads that must keep working whatever was accepted before: one bad record must not brick the desk. */
export async function stillReadable(desk: ServiceDesk): Promise<void> {
  for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
    const page = await desk.listTickets({ limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    for (const t of page.items) {
      await desk.getTicketDetails(t.id);
      await desk.getAuditTrail(t.id);
    }
    cursor = page.nextCursor ?? undefined;
  }
  await desk.listCustomers({ limit: 200 });
  await desk.listArticles({ limit: 200 });
  await desk.listNotifications({ limit: 200 });
  await desk.listFollowUps({ limit: 200 });
  await desk.listOffers({ limit: 200 });
  await desk.recurringProblems();
  await desk.restoreSchedules();
}

/** What a call did: succeeded, failed with a typed error, or failed with anything else. */
export async function attempt(run: () => unknown): Promise<{ outcome: 'ok' } | { outcome: 'typed' | 'untyped'; error: unknown }> {
  try {
    await run();
    return { outcome: 'ok' };
  } catch (error) {
    return { outcome: isOmotenashiError(error) ? 'typed' : 'untyped', error };
  }
}

/** A valid call of each command on the seed, for the fuzz to bend one field at a time. */
export function validCalls(seed: Seed): Partial<Record<keyof ServiceDesk, ReadonlyArray<unknown>>> {
  const customer = { kind: 'customer', id: seed.customerId };
  const agent = { kind: 'agent', id: seed.agentId };
  return {
    registerCustomer: [{ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }], tags: ['vip'], customFields: { plan: 'pro', seats: 10 } }, { by: agent }],
    updateCustomer: [seed.customerId, { displayName: 'Sato K.', customFields: { note: 'x' } }, { by: agent }],
    flagCustomer: [seed.customerId, { kind: 'vip', reason: 'Big account' }, { by: agent }],
    addCustomerNote: [seed.customerId, 'Prefers e-mail', { by: agent }],
    registerAgent: [{ name: 'Ken', languages: ['ja', 'en'], skills: [{ name: 'billing', level: 2 }] }],
    updateAgent: [seed.agentId, { name: 'Aiko T.', managerId: null }],
    registerTeam: [{ name: 'Support' }],
    updateTeam: [seed.teamId, { name: 'Billing and refunds' }],
    openTicket: [{ requesterId: seed.customerId, subject: 'Cannot log in', channel: 'chat', priority: 'high', tags: ['login'], customFields: { order: 'A-1' } }, { by: customer }],
    recordInteraction: [seed.ticketId, { channel: 'email', author: customer, body: 'Still broken!!' }, { by: customer }],
    assign: [seed.ticketId, { agentId: seed.agentId, teamId: seed.teamId }, { reason: 'skills' }],
    transfer: [seed.ticketId, { to: { teamId: seed.teamId }, consent: { granted: true }, reason: 'billing question' }],
    hold: [seed.ticketId, { reason: 'waiting on vendor', consent: { granted: true } }],
    resume: [seed.ticketId, { reason: 'vendor answered' }],
    setStatus: [seed.ticketId, 'pending_customer', { reason: 'asked for logs' }],
    setPriority: [seed.ticketId, 'urgent', { reason: 'outage' }],
    tag: [seed.ticketId, ['outage', 'vip']],
    untag: [seed.ticketId, ['outage']],
    resolve: [seed.ticketId, { summary: 'Reset the password' }],
    confirmResolution: [seed.resolvedId, { note: 'Thanks', by: customer }],
    reopen: [seed.resolvedId, { reason: 'It broke again' }],
    close: [seed.ticketId, { reason: 'duplicate', note: 'see other ticket' }],
    orderPlaced: [{ customerId: seed.customerId, orderId: 'O-1', items: [{ sku: 'pro', quantity: 1 }] }],
    reportEvent: [{ customerId: seed.customerId, name: 'subscription.renewed', id: 'ev-1', data: { plan: 'pro' } }],
    recordFeedback: [{ customerId: seed.customerId, department: 'product', text: 'Please add dark mode', kind: 'suggestion' }],
    cancelFollowUps: [{ customerId: seed.customerId }, { reason: 'asked us to stop' }],
    notify: [{ customerId: seed.customerId, template: 'checkin', data: { when: 'now' }, key: 'k-1' }],
    suggestOffers: [{ customerId: seed.customerId }, { limit: 3 }],
    createArticle: [{ title: 'Reset a password', body: 'Open settings, then security.', locale: 'en', tags: ['login'] }],
    updateArticle: [seed.articleId, { title: 'Wi-Fi drops every hour' }],
    publishArticle: [seed.articleId],
    recordArticleFeedback: [seed.articleId, { helpful: true, ticketId: seed.ticketId }],
    suggestArticles: [{ text: 'wifi drops', locale: 'en' }, { limit: 3 }],
    whatIfSla: [{ calendars: {}, policies: [{ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'PT2H' } } } }] }, { status: ['open'] }],
    listTickets: [{ status: ['open', 'new'], priority: 'high', limit: 10, order: 'desc' }],
    recurringProblems: [{ window: 'P7D', minCount: 2 }],
  };
}

/** Every path to a value inside `v` (arrays and plain objects), the root included. */
export function pathsOf(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (typeof v === 'object' && v !== null && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

/** A copy of `v` (copied along `path` only) with the value at `path` replaced, or removed when `remove`. */
export function replaceAt(v: unknown, path: ReadonlyArray<string | number>, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(v)) {
    const copy = [...v];
    if (rest.length === 0 && remove) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, value, remove);
    return copy;
  }
  const copy = { ...(v as Record<string, unknown>) };
  if (rest.length === 0 && remove) delete copy[head];
  else copy[head] = replaceAt(copy[head], rest, value, remove);
  return copy;
}
