import type { Agent, Team } from '../domain/agent.js';
import type { AgentId, CustomerId, InteractionId, TeamId, TicketId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { FollowUp, Survey } from '../domain/followup.js';
import type { NotificationRecord } from '../domain/notification.js';
import type { Offer } from '../domain/offer.js';
import type { Article } from '../domain/article.js';
import type { Interaction } from '../domain/interaction.js';
import type { AuditEntry, Ticket } from '../domain/ticket.js';
import type { StoragePort } from '../ports/storage.js';

const T0 = Date.UTC(2026, 3, 1, 0, 0, 0);

/** Overrides for a fixture: any fields of the record, with plain strings for ids. */
export type FixtureOverrides<T, Ids extends PropertyKey = 'id'> = T extends unknown
  ? Omit<Partial<T>, Ids | 'assigneeId' | 'teamId' | 'requesterId' | 'managerId' | 'leadId' | 'ticketId'> & { [K in Ids]: string } & {
      ticketId?: string;
      assigneeId?: string;
      teamId?: string;
      requesterId?: string;
      managerId?: string;
      leadId?: string;
    }
  : never;

/**
 * A valid stored customer for adapter tests, with `overrides` applied. Not a substitute for
 * `desk.registerCustomer` in application code.
 */
export function makeCustomer(overrides: FixtureOverrides<Customer>): Customer {
  const at = new Date(T0);
  return {
    kind: 'external',
    displayName: 'Test Customer',
    addressing: { form: 'formal', firstNameUsePermitted: false },
    contacts: [{ channel: 'email', address: 'test@example.com', verified: false }],
    locale: 'en',
    timeZone: 'UTC',
    anniversaries: [],
    consent: { marketing: false, followUps: true, optedOutChannels: [] },
    purchases: [],
    tags: [],
    customFields: {},
    version: 1,
    flags: [],
    notes: [],
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id as CustomerId,
  } as Customer;
}

/** A valid stored ticket for adapter tests, with `overrides` applied. */
export function makeTicket(overrides: FixtureOverrides<Ticket>): Ticket {
  const at = overrides.createdAt ?? new Date(T0);
  return {
    version: 1,
    subject: 'Test ticket',
    type: 'inquiry',
    priority: 'normal',
    status: 'new',
    requesterId: 'cus_test' as CustomerId,
    requesterKind: 'external',
    channel: 'email',
    channels: ['email'],
    escalationLevel: 0,
    tags: [],
    customFields: {},
    createdAt: at,
    updatedAt: at,
    statusChangedAt: at,
    complaintSteps: {},
    counters: { holds: 0, declinedHolds: 0, transfers: 0, declinedTransfers: 0, reopens: 0, contacts: 0, agentReplies: 0 },
    followUps: [],
    ...overrides,
    id: overrides.id as TicketId,
  } as Ticket;
}

/** A valid stored agent for adapter tests. */
export function makeAgent(overrides: FixtureOverrides<Agent>): Agent {
  const at = new Date(T0);
  return {
    name: 'Test Agent',
    role: 'agent',
    teamIds: [],
    skills: [],
    languages: [],
    channels: [],
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id as AgentId,
  } as Agent;
}

/** A valid stored team for adapter tests. */
export function makeTeam(overrides: FixtureOverrides<Team>): Team {
  const at = new Date(T0);
  return { name: 'Test Team', kind: 'in_house', function: 'frontline', version: 1, createdAt: at, updatedAt: at, ...overrides, id: overrides.id as TeamId } as Team;
}

/** A valid interaction for adapter tests. */
export function makeInteraction(overrides: FixtureOverrides<Interaction, 'id' | 'ticketId'>): Interaction {
  return {
    at: new Date(T0),
    channel: 'email',
    direction: 'inbound',
    kind: 'message',
    author: { kind: 'customer' },
    visibility: 'public',
    body: 'Hello',
    agreed: [],
    attachments: [],
    metadata: {},
    signals: [],
    ...overrides,
    id: overrides.id as InteractionId,
    ticketId: overrides.ticketId as TicketId,
  } as Interaction;
}

/** A valid audit entry for adapter tests. */
export function makeAuditEntry(overrides: FixtureOverrides<AuditEntry, 'ticketId'>): AuditEntry {
  return { version: 1, at: new Date(T0), actor: { kind: 'system' }, action: 'test', changes: [], ...overrides, ticketId: overrides.ticketId as TicketId } as AuditEntry;
}

/** A valid stored follow-up for adapter tests, with `overrides` applied. */
export function makeFollowUp(overrides: FixtureOverrides<FollowUp, 'id' | 'customerId'>): FollowUp {
  const at = overrides.createdAt ?? new Date(T0);
  return {
    version: 1,
    planId: 'plan',
    trigger: 'ticket_resolved',
    occurrence: '1',
    status: 'scheduled',
    dueAt: new Date(at.getTime() + 86_400_000),
    deferrals: 0,
    data: {},
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id,
    customerId: overrides.customerId as CustomerId,
  } as FollowUp;
}

/** A valid stored survey for adapter tests, with `overrides` applied. */
export function makeSurvey(overrides: FixtureOverrides<Survey, 'id' | 'customerId' | 'ticketId'>): Survey {
  const at = overrides.createdAt ?? new Date(T0);
  return {
    version: 1,
    questions: ['csat'],
    status: 'sent',
    sentAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id,
    customerId: overrides.customerId as CustomerId,
    ticketId: overrides.ticketId as TicketId,
  } as Survey;
}

/**
 * A valid outbox message (pending, to a customer by e-mail), with any field overridden.
 *
 * @example
 * ```ts
 * const n = makeNotification({ id: 'ntf:k1', to: { kind: 'customer', id: 'cus_1', name: 'Ms Tanaka', address: 'tanaka@example.com' } });
 * ```
 */
export function makeNotification(overrides: FixtureOverrides<NotificationRecord, 'id'>): NotificationRecord {
  const at = overrides.createdAt ?? new Date(T0);
  return {
    version: 1,
    status: 'pending',
    idempotencyKey: overrides.id.replace(/^ntf:/, ''),
    to: { kind: 'customer', id: 'cus_fixture', name: 'Ms Fixture', address: 'fixture@example.com' },
    channel: 'email',
    template: 'fixture',
    locale: 'en',
    data: {},
    urgent: false,
    notBefore: at,
    nextAttemptAt: at,
    attempts: [],
    maxAttempts: 5,
    source: 'command',
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id,
  } as NotificationRecord;
}

/**
 * A valid offer (an upsell still waiting for an answer), with any field overridden.
 *
 * @example
 * ```ts
 * const o = makeOffer({ id: 'ofr_1', customerId: 'cus_1', sku: 'pro' });
 * ```
 */
export function makeOffer(overrides: FixtureOverrides<Offer, 'id' | 'customerId'>): Offer {
  const at = overrides.createdAt ?? new Date(T0);
  return {
    version: 1,
    sku: 'fixture-sku',
    kind: 'upsell',
    score: 0.5,
    price: { amountMinor: 1000, currency: 'JPY' },
    reasons: ['a step up'],
    evidence: [],
    status: 'offered',
    offeredAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id,
    customerId: overrides.customerId as CustomerId,
  } as Offer;
}

/**
 * A valid knowledge-base article (a published English one), with any field overridden.
 *
 * @example
 * ```ts
 * const a = makeArticle({ id: 'kb_1', title: 'Router reboots every night' });
 * ```
 */
export function makeArticle(overrides: FixtureOverrides<Article, 'id'>): Article {
  const at = overrides.createdAt ?? new Date(T0);
  return {
    version: 1,
    title: 'Fixture article',
    body: 'How to fix it.',
    tags: [],
    locale: 'en',
    status: 'published',
    ticketIds: [],
    helpful: 0,
    notHelpful: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
    id: overrides.id,
  } as Article;
}

/**
 * A storage that delegates every method to `base` except those in `overrides`: for injecting
 * faults (a failing commit, a competing writer, a corrupt read) into tests.
 *
 * @example
 * ```ts
 * const flaky = overrideStorage(storage, { commit: () => Promise.reject(new Error('connection reset')) });
 * ```
 */
export function overrideStorage(base: StoragePort, overrides: Partial<Omit<StoragePort, 'capabilities'>>): StoragePort {
  return {
    name: overrides.name ?? base.name,
    // An overridden read no longer returns what was committed, so the desk checks it again.
    capabilities: overrides.get || overrides.list || overrides.history || overrides.findTicketBySourceId ? { ...base.capabilities, verbatim: false } : base.capabilities,
    ...((overrides.scheduler ?? base.scheduler) === undefined ? {} : { scheduler: overrides.scheduler ?? base.scheduler }),
    get: overrides.get ?? ((kind, id) => base.get(kind, id)),
    findTicketBySourceId: overrides.findTicketBySourceId ?? ((sourceId) => base.findTicketBySourceId(sourceId)),
    findKeys: overrides.findKeys ?? ((keys) => base.findKeys(keys)),
    list: overrides.list ?? ((kind, query) => base.list(kind, query)),
    history: overrides.history ?? ((kind, ticketId, query) => base.history(kind, ticketId, query)),
    commit: overrides.commit ?? ((work) => base.commit(work)),
  };
}
