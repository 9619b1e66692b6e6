import Database from 'better-sqlite3';
import { EVENT_NAMES, createServiceDesk, defineCatalog, isOmotenashiError, type ServiceDesk, type StoragePort, type TicketId } from 'omotenashi';
import { createManualClock, createRecordingNotifier, overrideStorage } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';

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
  const desk = createServiceDesk({
    storage: counted,
    clock,
    onError: (e) => errors.push(e),
    notifiers: [createRecordingNotifier({ channels: ['email', 'chat', 'sms', 'phone', 'web_form'] })],
    catalog: defineCatalog([
      { sku: 'basic', name: 'Basic', category: 'plans', price: USD(1000), family: 'plan', rank: 1, features: ['email support'], limits: { seats: 10 } },
      { sku: 'pro', name: 'Pro', category: 'plans', price: USD(3000), family: 'plan', rank: 2, features: ['email support', 'sso'], limits: { seats: 50 } },
    ]),
    sla: {
      calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } },
      policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H', high: 'PT1H' }, calendar: 'office' }, resolution: { targets: { normal: 'P3D' }, calendar: 'office', pauseWhile: ['pending_customer'] } } }],
    },
    escalation: [{ id: 'angry', name: 'Angry', trigger: { on: 'interaction.received' }, condition: { fact: 'ticket.subject', op: 'contains', value: 'urgent' }, actions: [{ type: 'add_tag', tag: 'hot' }, { type: 'set_priority', priority: 'high' }] }],
    followUps: { plans: [{ id: 'checkin', name: 'Check in', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'message', template: 'checkin' } }] },
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

/** The desk's commands and queries, each with how many arguments it takes (the last is its options, if any). */
export const DESK_METHODS: ReadonlyArray<readonly [keyof ServiceDesk, number]> = [
  ['registerCustomer', 2], ['updateCustomer', 3], ['flagCustomer', 3], ['clearCustomerFlag', 3], ['addCustomerNote', 3],
  ['registerAgent', 2], ['updateAgent', 3], ['registerTeam', 2], ['updateTeam', 3],
  ['openTicket', 2], ['recordInteraction', 3], ['assign', 3], ['transfer', 3], ['hold', 3], ['resume', 2], ['setStatus', 3],
  ['setPriority', 3], ['tag', 3], ['untag', 3], ['resolve', 3], ['confirmResolution', 2], ['reopen', 3], ['close', 3],
  ['getTicket', 1], ['getTicketDetails', 1], ['findTicketBySourceId', 1], ['listTickets', 1], ['listInteractions', 2], ['getAuditTrail', 2],
  ['getCustomer', 1], ['listCustomers', 1], ['getAgent', 1], ['listAgents', 1], ['getTeam', 1], ['listTeams', 1],
  ['explainSla', 1], ['whatIfSla', 2], ['orderPlaced', 2], ['reportEvent', 2], ['answerSurvey', 3], ['recordFeedback', 2],
  ['cancelFollowUps', 2], ['listFollowUps', 1], ['listSurveys', 1], ['getSurvey', 1],
  ['notify', 2], ['listNotifications', 1], ['getNotification', 1], ['retryNotification', 2], ['cancelNotification', 2],
  ['suggestOffers', 2], ['answerOffer', 3], ['listOffers', 1], ['offerStats', 1],
  ['createArticle', 2], ['updateArticle', 3], ['publishArticle', 2], ['archiveArticle', 2], ['draftArticleFromTicket', 2],
  ['suggestArticles', 2], ['recordArticleFeedback', 3], ['getArticle', 1], ['listArticles', 1], ['recurringProblems', 1],
];

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
