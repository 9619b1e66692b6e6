import type { Agent, Team } from '../domain/agent.js';
import type { AgentId, CustomerId, TeamId, TicketId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { FollowUp, FollowUpStatus, Survey } from '../domain/followup.js';
import type { Interaction } from '../domain/interaction.js';
import type { NotificationRecord, NotificationStatus } from '../domain/notification.js';
import type { Offer, OfferStatus } from '../domain/offer.js';
import type { Article, ArticleStatus } from '../domain/article.js';
import type { AuditEntry, Priority, Ticket, TicketStatus, TicketType } from '../domain/ticket.js';
import type { JobChange, SchedulerPort } from './scheduler.js';

/** The versioned record kinds a storage keeps, by name. */
export interface EntityMap {
  customer: Customer;
  agent: Agent;
  team: Team;
  ticket: Ticket;
  followup: FollowUp;
  survey: Survey;
  notification: NotificationRecord;
  offer: Offer;
  article: Article;
}
/** A versioned record kind: `customer`, `agent`, `team`, `ticket`, `followup`, `survey`, `notification`, `offer` or `article`. */
export type EntityKind = keyof EntityMap;

/**
 * One versioned write in a unit of work. `expectedVersion` is the version the writer read
 * (null: the record must not exist yet); `record.version` must be `expectedVersion + 1` (or 1).
 */
export type Put = { [K in EntityKind]: { kind: K; record: EntityMap[K]; expectedVersion: number | null } }[EntityKind];

/**
 * Everything one command writes, committed all together or not at all.
 * Interactions and audit entries are append-only.
 */
export interface UnitOfWork {
  /** Versioned records to create or replace. */
  readonly puts: ReadonlyArray<Put>;
  /** Interactions to append. */
  readonly interactions: ReadonlyArray<Interaction>;
  /** Audit entries to append. */
  readonly audit: ReadonlyArray<AuditEntry>;
  /**
   * Timer changes to write in the same transaction, for a storage that has a {@link StoragePort.scheduler};
   * the desk leaves this out otherwise and applies them after the commit.
   */
  readonly jobs?: ReadonlyArray<JobChange>;
}

/** A page of results and the cursor of the next page (null on the last page). */
export interface Page<T> {
  /** The records on this page. */
  readonly items: ReadonlyArray<T>;
  /** Pass as `cursor` to get the next page; null when there is none. */
  readonly nextCursor: string | null;
}

/**
 * Filters for listing tickets. Every filter given must match (AND); an array matches any of
 * its values. Results are ordered by `createdAt`, then `id`.
 */
export interface TicketQuery {
  /** One status or any of several. */
  readonly status?: TicketStatus | ReadonlyArray<TicketStatus>;
  /** Assigned to this agent. */
  readonly assigneeId?: AgentId;
  /** In this team's queue. */
  readonly teamId?: TeamId;
  /** Raised by this customer. */
  readonly requesterId?: CustomerId;
  /** One priority or any of several. */
  readonly priority?: Priority | ReadonlyArray<Priority>;
  /** One type or any of several. */
  readonly type?: TicketType | ReadonlyArray<TicketType>;
  /** Carrying this tag. */
  readonly tag?: string;
  /** Created at or after this instant. */
  readonly createdFrom?: Date;
  /** Created strictly before this instant. */
  readonly createdBefore?: Date;
  /** `asc` (oldest first, the default) or `desc`. */
  readonly order?: 'asc' | 'desc';
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Paging for listing customers, ordered by `createdAt`, then `id`. */
export interface CustomerQuery {
  /** Only internal or only external customers. */
  readonly kind?: 'internal' | 'external';
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/**
 * Filters for listing follow-ups (AND), ordered by `createdAt`, then `id`, oldest first.
 */
export interface FollowUpQuery {
  /** For this customer. */
  readonly customerId?: CustomerId;
  /** Following up this ticket. */
  readonly ticketId?: TicketId;
  /** Of this plan. */
  readonly planId?: string;
  /** One status or any of several. */
  readonly status?: FollowUpStatus | ReadonlyArray<FollowUpStatus>;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing surveys (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface SurveyQuery {
  /** About this ticket. */
  readonly ticketId?: TicketId;
  /** Sent to this customer. */
  readonly customerId?: CustomerId;
  /** Sent and waiting, or answered. */
  readonly status?: 'sent' | 'answered';
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing outbox messages (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface NotificationQuery {
  /** One status or any of several. */
  readonly status?: NotificationStatus | ReadonlyArray<NotificationStatus>;
  /** Addressed to this customer or agent (by id). */
  readonly recipientId?: string;
  /** About this ticket. */
  readonly ticketId?: TicketId;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing offers (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface OfferQuery {
  /** Made to this customer. */
  readonly customerId?: CustomerId;
  /** Of this product. */
  readonly sku?: string;
  /** One status or any of several. */
  readonly status?: OfferStatus | ReadonlyArray<OfferStatus>;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing knowledge-base articles (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface ArticleQuery {
  /** One status or any of several. */
  readonly status?: ArticleStatus | ReadonlyArray<ArticleStatus>;
  /** In this locale (exactly). */
  readonly locale?: string;
  /** About this product. */
  readonly product?: string;
  /** Carrying this tag. */
  readonly tag?: string;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** What a storage adapter can do beyond the contract every adapter keeps. */
export interface StorageCapabilities {
  /** Survives a process restart. */
  readonly durable: boolean;
  /** Several processes may share it safely. */
  readonly multiProcess: boolean;
}

/**
 * Where the desk keeps customers, agents, teams, tickets, interactions, audit trails, follow-ups,
 * surveys, the outbox of messages to deliver, offers made to customers, and knowledge-base articles.
 *
 * Contract for every adapter (checked by `defineStorageConformanceSuite` from
 * `omotenashi/testing`):
 * - Reads return copies: mutating a returned record never changes what is stored.
 * - `commit` is atomic: every put's `expectedVersion` is checked first, and if any fails it
 *   throws `ConflictError` and writes nothing at all.
 * - Concurrent commits on one record: exactly one succeeds; the others get `ConflictError`.
 * - A ticket's `sourceId` is unique among tickets.
 * - Adapters throw `ConflictError` for conflicts; any other failure may be thrown as is (the
 *   desk wraps it in `AdapterError`).
 */
export interface StoragePort {
  /** A short name for error messages (`memory`, `sqlite`, `postgres`). */
  readonly name: string;
  /** What this adapter can do. */
  readonly capabilities: StorageCapabilities;
  /** MUST return the record, or null when none of that kind has that id. */
  get<K extends EntityKind>(kind: K, id: string): Promise<EntityMap[K] | null>;
  /** MUST return the ticket whose `sourceId` equals `sourceId`, or null. */
  findTicketBySourceId(sourceId: string): Promise<Ticket | null>;
  /**
   * MUST return the tickets matching every filter, ordered by (`createdAt`, `id`) in `order`,
   * at most `limit` of them, starting after `cursor`. Paging through all pages MUST return every
   * matching ticket that existed throughout exactly once.
   */
  listTickets(query: TicketQuery): Promise<Page<Ticket>>;
  /** MUST return customers ordered by (`createdAt`, `id`), paged like {@link listTickets}. */
  listCustomers(query: CustomerQuery): Promise<Page<Customer>>;
  /** MUST return the follow-ups matching every filter, ordered by (`createdAt`, `id`), paged like {@link listTickets}. */
  listFollowUps(query: FollowUpQuery): Promise<Page<FollowUp>>;
  /** MUST return the surveys matching every filter, ordered by (`createdAt`, `id`), paged like {@link listTickets}. */
  listSurveys(query: SurveyQuery): Promise<Page<Survey>>;
  /** MUST return the outbox messages matching every filter, ordered by (`createdAt`, `id`), paged like {@link listTickets}. */
  listNotifications(query: NotificationQuery): Promise<Page<NotificationRecord>>;
  /** MUST return the offers matching every filter, ordered by (`createdAt`, `id`), paged like {@link listTickets}. */
  listOffers(query: OfferQuery): Promise<Page<Offer>>;
  /** MUST return the articles matching every filter, ordered by (`createdAt`, `id`), paged like {@link listTickets}. */
  listArticles(query: ArticleQuery): Promise<Page<Article>>;
  /** MUST return every agent (active or not), ordered by `id`. */
  listAgents(): Promise<ReadonlyArray<Agent>>;
  /** MUST return every team, ordered by `id`. */
  listTeams(): Promise<ReadonlyArray<Team>>;
  /** MUST return the ticket's interactions in the order they were appended (empty when none). */
  listInteractions(ticketId: TicketId): Promise<ReadonlyArray<Interaction>>;
  /** MUST return the ticket's audit entries in the order they were appended (empty when none). */
  listAudit(ticketId: TicketId): Promise<ReadonlyArray<AuditEntry>>;
  /**
   * Apply a unit of work atomically. MUST throw `ConflictError` (kind `version` or `exists`)
   * when a put's `expectedVersion` does not match, or kind `source_id` when a new ticket's
   * `sourceId` is taken, and then write nothing.
   */
  commit(work: UnitOfWork): Promise<void>;
  /**
   * A scheduler whose jobs this storage writes inside `commit` (from `UnitOfWork.jobs`), so a timer
   * commits or rolls back with the state that needs it. When present, the desk uses this scheduler
   * and passes its timer changes in the unit of work. Absent for most adapters.
   */
  readonly scheduler?: SchedulerPort;
}

const enc = (s: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const dec = (s: string): string => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));
};

/** The position a cursor points after: a record's creation time and id. */
export interface CursorPosition {
  /** `createdAt` of the last record on the previous page, epoch ms. */
  readonly createdAt: number;
  /** `id` of the last record on the previous page. */
  readonly id: string;
}

/**
 * Encode a keyset cursor (creation time and id of the last record of a page). Adapters use this
 * so cursors are interchangeable between them.
 */
export function encodeCursor(position: CursorPosition): string {
  return enc(JSON.stringify([position.createdAt, position.id]));
}

/** Decode a cursor made by {@link encodeCursor}; null when it is not one. */
export function decodeCursor(cursor: string): CursorPosition | null {
  try {
    const v: unknown = JSON.parse(dec(cursor));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') {
      return { createdAt: v[0], id: v[1] };
    }
    return null;
  } catch {
    return null;
  }
}
