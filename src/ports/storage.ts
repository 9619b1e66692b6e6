import type { Agent, Team } from '../domain/agent.js';
import type { TicketId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { FollowUp, Survey } from '../domain/followup.js';
import type { Interaction } from '../domain/interaction.js';
import type { NotificationRecord } from '../domain/notification.js';
import type { Offer } from '../domain/offer.js';
import type { Article } from '../domain/article.js';
import type { PublishedEventRecord } from '../domain/published-event.js';
import type { RequestRecord } from '../domain/request.js';
import type { Organization } from '../domain/organization.js';
import type { SlaPolicyVersion } from '../domain/sla-version.js';
import type {
  AgentQuery,
  ArticleQuery,
  CustomerQuery,
  FollowUpQuery,
  HistoryQuery,
  NotificationQuery,
  OfferQuery,
  OrganizationQuery,
  Page,
  SlaPolicyVersionQuery,
  PublishedEventQuery,
  RequestQuery,
  SurveyQuery,
  TeamQuery,
  TicketQuery,
} from '../domain/query.js';
import type { AuditEntry, Ticket } from '../domain/ticket.js';
import type { JobChange, SchedulerPort } from './scheduler.js';

export { decodeCursor, encodeCursor } from '../domain/query.js';
export type {
  AgentQuery,
  ArticleQuery,
  CursorPosition,
  CustomerQuery,
  FollowUpQuery,
  HistoryQuery,
  NotificationQuery,
  OfferQuery,
  OrganizationQuery,
  Page,
  SlaPolicyVersionQuery,
  PublishedEventQuery,
  RequestQuery,
  SurveyQuery,
  TeamQuery,
  TicketQuery,
} from '../domain/query.js';

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
  event: PublishedEventRecord;
  request: RequestRecord;
  organization: Organization;
  sla_policy: SlaPolicyVersion;
}
/** A versioned record kind: `customer`, `agent`, `team`, `ticket`, `followup`, `survey`, `notification`, `offer`, `article`, `event`, `request`, `organization` or `sla_policy` (a version of an SLA policy). */
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
  /**
   * Records the work was decided on without writing them (an agent's managers, read to refuse a
   * reporting loop): if any has another version by now, the commit throws `ConflictError` (kind
   * `version`) and writes nothing, so two commands that each saw the other's record unchanged
   * cannot both succeed. A record that does not exist is version 0.
   */
  readonly checks?: ReadonlyArray<VersionCheck>;
  /**
   * Unique lookup keys to claim or release in the same transaction: a customer's normalised
   * e-mail address, the message ids a ticket is known by. Releases apply first. Claiming a key
   * another record owns throws `ConflictError` (kind `key`, naming the owner) and writes nothing;
   * claiming a key the same record owns, or releasing one it does not, changes nothing.
   */
  readonly keys?: ReadonlyArray<KeyChange>;
  /**
   * Records to remove, each at the version the writer read (expired idempotency requests): a
   * record that is gone or has another version throws `ConflictError` (kind `version`) and
   * nothing is written. A record that owns keys releases them in `keys`.
   */
  readonly deletes?: ReadonlyArray<Deletion>;
  /**
   * History entries to replace in place (a person's data erased from their interactions and the
   * audit trail): the entry at `index` of the ticket's history becomes `record`, keeping its
   * place. An index with no entry throws `ConflictError` (kind `version`) and nothing is written.
   * Applied before this work's own appends.
   */
  readonly rewrites?: ReadonlyArray<HistoryRewrite>;
}

/** One history entry a unit of work replaces in place (see {@link UnitOfWork.rewrites}). */
export type HistoryRewrite =
  | { readonly kind: 'interaction'; readonly ticketId: TicketId; readonly index: number; readonly record: Interaction }
  | { readonly kind: 'audit'; readonly ticketId: TicketId; readonly index: number; readonly record: AuditEntry };

/** One record a unit of work removes, at the version the writer read. */
export interface Deletion {
  readonly kind: EntityKind;
  readonly id: string;
  readonly version: number;
}

/** A unique lookup key and the record that owns it. */
export interface KeyClaim {
  /** The key, namespaced by its use: `email:tanaka@example.jp`, `msg:abc@mail.example`. */
  readonly key: string;
  /** The kind of the owning record. */
  readonly kind: EntityKind;
  /** The id of the owning record. */
  readonly id: string;
}

/** A key to claim for a record, or to let go of. */
export interface KeyChange extends KeyClaim {
  /** `claim` takes the key for the record; `release` drops it when the record owns it. */
  readonly op: 'claim' | 'release';
}

/** A record a unit of work depends on, at the version it was read. */
export interface VersionCheck {
  readonly kind: EntityKind;
  readonly id: string;
  /** The version read; 0 when the record did not exist. */
  readonly version: number;
}

/** The listing query of each record kind. */
export interface QueryMap {
  ticket: TicketQuery;
  customer: CustomerQuery;
  agent: AgentQuery;
  team: TeamQuery;
  followup: FollowUpQuery;
  survey: SurveyQuery;
  notification: NotificationQuery;
  offer: OfferQuery;
  article: ArticleQuery;
  event: PublishedEventQuery;
  request: RequestQuery;
  organization: OrganizationQuery;
  sla_policy: SlaPolicyVersionQuery;
}

/** The append-only histories of a ticket, by name. */
export interface HistoryMap {
  interaction: Interaction;
  audit: AuditEntry;
}
/** A history kind: `interaction` or `audit`. */
export type HistoryKind = keyof HistoryMap;

/** What a storage adapter can do beyond the contract every adapter keeps. */
export interface StorageCapabilities {
  /** Survives a process restart. */
  readonly durable: boolean;
  /** Several processes may share it safely. */
  readonly multiProcess: boolean;
  /**
   * Reads return exactly the records that were committed (copies, Dates as Dates, nothing
   * decoded), so the desk need not check them against the domain schemas again. Only for
   * adapters with no codec between the desk and the data, such as the memory adapter; the
   * conformance suite checks the claim. Default false: every read is checked.
   */
  readonly verbatim?: boolean;
}

/**
 * Where the desk keeps customers, agents, teams, tickets, interactions, audit trails, follow-ups,
 * surveys, the outbox of messages to deliver, offers made to customers, knowledge-base articles,
 * and the events filed for publishing. Six methods: `get`, `findTicketBySourceId`, `list`,
 * `history`, `findKeys` and `commit`.
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
   * MUST return the records of `kind` matching every filter of `query` (AND; an array matches any
   * of its values), ordered by (`createdAt`, `id`) — descending for a ticket query with
   * `order: 'desc'` — at most `limit` of them (default 50), starting after `cursor`. Paging
   * through all pages MUST return every matching record that existed throughout exactly once.
   * Cursors come from `encodeCursor`, so they are interchangeable between adapters.
   */
  list<K extends EntityKind>(kind: K, query: QueryMap[K]): Promise<Page<EntityMap[K]>>;
  /**
   * MUST return a ticket's interactions or audit entries in the order they were appended,
   * skipping the first `query.from` and returning at most `query.limit` (empty when none).
   */
  history<K extends HistoryKind>(kind: K, ticketId: TicketId, query?: HistoryQuery): Promise<ReadonlyArray<HistoryMap[K]>>;
  /**
   * MUST return the owner of each of `keys` that is claimed (in any order; unclaimed keys are
   * left out), as the last committed unit of work left them.
   */
  findKeys(keys: ReadonlyArray<string>): Promise<ReadonlyArray<KeyClaim>>;
  /**
   * Apply a unit of work atomically. MUST throw `ConflictError` (kind `version` or `exists`)
   * when a put's `expectedVersion` does not match, kind `source_id` when a new ticket's
   * `sourceId` is taken, or kind `key` when a claimed key belongs to another record (the error's
   * `entity` and `id` name the owner), and then write nothing.
   */
  commit(work: UnitOfWork): Promise<void>;
  /**
   * A scheduler whose jobs this storage writes inside `commit` (from `UnitOfWork.jobs`), so a timer
   * commits or rolls back with the state that needs it. When present, the desk uses this scheduler
   * and passes its timer changes in the unit of work. Absent for most adapters.
   */
  readonly scheduler?: SchedulerPort;
}


/**
 * Every page of a listing, one page at a time: the one paging loop the desk and adapters share.
 *
 * @example
 * ```ts
 * for await (const page of pageAll(storage, 'ticket', { status: 'open' })) {
 *   for (const ticket of page) console.log(ticket.id);
 * }
 * ```
 */
export async function* pageAll<K extends EntityKind>(storage: Pick<StoragePort, 'list'>, kind: K, query: Omit<QueryMap[K], 'cursor'> = {} as Omit<QueryMap[K], 'cursor'>, signal?: AbortSignal): AsyncGenerator<ReadonlyArray<EntityMap[K]>> {
  let cursor: string | undefined;
  do {
    // Checked before every page, so a long read stops within one page of being told to.
    signal?.throwIfAborted();
    const page = await storage.list(kind, { limit: 500, ...query, ...(cursor === undefined ? {} : { cursor }) } as QueryMap[K]);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Every record of a listing, all pages read (for small kinds such as agents and teams, or bounded queries). */
export async function listAll<K extends EntityKind>(storage: Pick<StoragePort, 'list'>, kind: K, query: Omit<QueryMap[K], 'cursor'> = {} as Omit<QueryMap[K], 'cursor'>): Promise<Array<EntityMap[K]>> {
  const out: Array<EntityMap[K]> = [];
  for await (const page of pageAll(storage, kind, query)) out.push(...page);
  return out;
}
