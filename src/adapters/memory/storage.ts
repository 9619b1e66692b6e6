import { ConflictError } from '../../errors.js';
import { cloneRecord } from '../../internal/clone.js';
import { keyChanges } from '../../ports/keys.js';
import { missingEntry } from '../../ports/rewrites.js';
import type { Agent, Team } from '../../domain/agent.js';
import type { Customer } from '../../domain/customer.js';
import type { FollowUp, Survey } from '../../domain/followup.js';
import type { Interaction } from '../../domain/interaction.js';
import type { NotificationRecord } from '../../domain/notification.js';
import type { Offer } from '../../domain/offer.js';
import type { Article } from '../../domain/article.js';
import type { PublishedEventRecord } from '../../domain/published-event.js';
import type { RequestRecord } from '../../domain/request.js';
import type { Organization } from '../../domain/organization.js';
import type { SlaPolicyVersion } from '../../domain/sla-version.js';
import type { TicketId } from '../../domain/common.js';
import type { AuditEntry, Ticket } from '../../domain/ticket.js';
import {
  decodeCursor,
  encodeCursor,
  type EntityKind,
  type EntityMap,
  type HistoryKind,
  type HistoryMap,
  type HistoryQuery,
  type KeyClaim,
  type Page,
  type QueryMap,
  type StoragePort,
  type UnitOfWork,
} from '../../ports/storage.js';

interface Keyed {
  createdAt: number;
  id: string;
}

const cmp = (a: Keyed, b: Keyed): number => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Index of the first key strictly after `k` in a sorted array. */
function upperBound(keys: ReadonlyArray<Keyed>, k: Keyed): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(keys[mid] as Keyed, k) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(keys: Keyed[], k: Keyed): void {
  keys.splice(upperBound(keys, k), 0, k);
}

const asSet = <T>(v: T | ReadonlyArray<T> | undefined): ReadonlySet<T> | undefined =>
  v === undefined ? undefined : new Set(Array.isArray(v) ? (v as ReadonlyArray<T>) : [v as T]);

function page<T extends { id: string; createdAt: Date }>(
  keys: ReadonlyArray<Keyed>,
  lookup: (id: string) => T,
  accept: (record: T) => boolean,
  query: { limit?: number; cursor?: string; order?: 'asc' | 'desc' },
): Page<T> {
  const limit = query.limit ?? 50;
  const desc = query.order === 'desc';
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  let i: number;
  if (desc) {
    i = after === null ? keys.length - 1 : upperBound(keys, { createdAt: after.createdAt, id: after.id }) - 1;
    if (after !== null && i >= 0 && cmp(keys[i] as Keyed, after) === 0) i--;
  } else {
    i = after === null ? 0 : upperBound(keys, after);
  }
  const items: T[] = [];
  let last: Keyed | undefined;
  for (; desc ? i >= 0 : i < keys.length; desc ? i-- : i++) {
    const key = keys[i] as Keyed;
    const record = lookup(key.id);
    if (!accept(record)) continue;
    if (items.length === limit) {
      return { items, nextCursor: last ? encodeCursor(last) : null };
    }
    items.push(cloneRecord(record));
    last = key;
  }
  return { items, nextCursor: null };
}

type Narrow = (kind: EntityKind, ...keys: Array<string | undefined>) => Keyed[];
/** How one kind is listed: which sorted keys to walk, and which records to accept. */
type Listing<T, Q> = (query: Q, narrowest: Narrow, keysOf: (kind: EntityKind) => Keyed[]) => { keys: ReadonlyArray<Keyed>; accept: (record: T) => boolean };
const has = <T>(set: ReadonlySet<T> | undefined, v: T): boolean => set === undefined || set.has(v);

const LISTINGS: { readonly [K in EntityKind]: Listing<EntityMap[K], QueryMap[K]> } = {
  ticket: (q, _n, keysOf) => {
    const status = asSet(q.status);
    const priority = asSet(q.priority);
    const type = asSet(q.type);
    const from = q.createdFrom?.getTime();
    const before = q.createdBefore?.getTime();
    return {
      keys: keysOf('ticket'),
      accept: (t) =>
        has(status, t.status) &&
        has(priority, t.priority) &&
        has(type, t.type) &&
        (q.assigneeId === undefined || t.assigneeId === q.assigneeId) &&
        (q.teamId === undefined || t.teamId === q.teamId) &&
        (q.requesterId === undefined || t.requesterId === q.requesterId) &&
        (q.organizationId === undefined || t.organizationId === q.organizationId) &&
        (q.tag === undefined || t.tags.includes(q.tag)) &&
        (from === undefined || t.createdAt.getTime() >= from) &&
        (before === undefined || t.createdAt.getTime() < before),
    };
  },
  customer: (q, _n, keysOf) => ({ keys: keysOf('customer'), accept: (c) => q.kind === undefined || c.kind === q.kind }),
  agent: (q, _n, keysOf) => ({ keys: keysOf('agent'), accept: (a) => q.active === undefined || a.active === q.active }),
  team: (_q, _n, keysOf) => ({ keys: keysOf('team'), accept: () => true }),
  followup: (q, narrowest) => {
    const status = asSet(q.status);
    return {
      keys: narrowest('followup', q.customerId && `c:${q.customerId}`, q.ticketId && `t:${q.ticketId}`),
      accept: (f) => has(status, f.status) && (q.customerId === undefined || f.customerId === q.customerId) && (q.ticketId === undefined || f.ticketId === q.ticketId) && (q.planId === undefined || f.planId === q.planId),
    };
  },
  survey: (q, narrowest) => ({
    keys: narrowest('survey', q.customerId && `c:${q.customerId}`, q.ticketId && `t:${q.ticketId}`),
    accept: (v) => (q.status === undefined || v.status === q.status) && (q.customerId === undefined || v.customerId === q.customerId) && (q.ticketId === undefined || v.ticketId === q.ticketId),
  }),
  notification: (q, narrowest) => {
    const status = asSet(q.status);
    return {
      keys: narrowest('notification', q.recipientId && `r:${q.recipientId}`, q.ticketId && `t:${q.ticketId}`),
      accept: (n) => has(status, n.status) && (q.recipientId === undefined || n.to.id === q.recipientId) && (q.ticketId === undefined || n.ticketId === q.ticketId),
    };
  },
  offer: (q, narrowest) => {
    const status = asSet(q.status);
    return {
      keys: narrowest('offer', q.customerId && `c:${q.customerId}`, q.sku && `s:${q.sku}`),
      accept: (o) => has(status, o.status) && (q.customerId === undefined || o.customerId === q.customerId) && (q.sku === undefined || o.sku === q.sku),
    };
  },
  article: (q, _n, keysOf) => {
    const status = asSet(q.status);
    return {
      keys: keysOf('article'),
      accept: (a) => has(status, a.status) && (q.locale === undefined || a.locale === q.locale) && (q.product === undefined || a.product === q.product) && (q.tag === undefined || a.tags.includes(q.tag)),
    };
  },
  event: (q, _n, keysOf) => {
    const status = asSet(q.status);
    return { keys: keysOf('event'), accept: (e) => has(status, e.status) };
  },
  organization: (q, _n, keysOf) => ({ keys: keysOf('organization'), accept: (o) => (q.kind === undefined || o.kind === q.kind) && (q.parentId === undefined || o.parentId === q.parentId) }),
  sla_policy: (q, _n, keysOf) => ({ keys: keysOf('sla_policy'), accept: (v) => q.policyId === undefined || v.policyId === q.policyId }),
  request: (q, _n, keysOf) => {
    const status = asSet(q.status);
    const before = q.expiredBefore?.getTime();
    return { keys: keysOf('request'), accept: (r) => has(status, r.status) && (before === undefined || r.expiresAt.getTime() < before) };
  },
};

/** Everything the memory storage holds, and its indexes. */
function newState() {
  const records: { [K in EntityKind]: Map<string, EntityMap[K]> } = {
    customer: new Map<string, Customer>(),
    agent: new Map<string, Agent>(),
    team: new Map<string, Team>(),
    ticket: new Map<string, Ticket>(),
    followup: new Map<string, FollowUp>(),
    survey: new Map<string, Survey>(),
    notification: new Map<string, NotificationRecord>(),
    offer: new Map<string, Offer>(),
    article: new Map<string, Article>(),
    event: new Map<string, PublishedEventRecord>(),
    request: new Map<string, RequestRecord>(),
    organization: new Map<string, Organization>(),
    sla_policy: new Map<string, SlaPolicyVersion>(),
  };
  // Every kind in creation order, and secondary indexes (`c:` customer, `t:` ticket, `r:` recipient, `s:` sku) for the kinds listed by them.
  const order: { [K in EntityKind]?: Keyed[] } = {};
  const secondary: { [K in EntityKind]?: { by: Map<string, Keyed[]>; keysOf: (r: EntityMap[K]) => Array<string | undefined> } } = {
    followup: { by: new Map(), keysOf: (f) => [`c:${f.customerId}`, f.ticketId && `t:${f.ticketId}`] },
    survey: { by: new Map(), keysOf: (v) => [`c:${v.customerId}`, `t:${v.ticketId}`] },
    notification: { by: new Map(), keysOf: (n) => [`r:${n.to.id}`, n.ticketId && `t:${n.ticketId}`] },
    offer: { by: new Map(), keysOf: (o) => [`c:${o.customerId}`, `s:${o.sku}`] },
  };
  const keysOf = (kind: EntityKind): Keyed[] => (order[kind] ??= []);
  const index = (into: Map<string, Keyed[]>, key: string, k: Keyed): void => {
    const list = into.get(key);
    if (list === undefined) into.set(key, [k]);
    else insertSorted(list, k);
  };
  /** The shortest list of keys among the kind's own order and the secondary indexes the query names. */
  const narrowest = (kind: EntityKind, ...keys: Array<string | undefined>): Keyed[] => {
    let best = keysOf(kind);
    const by = secondary[kind]?.by;
    for (const k of keys) {
      if (k === undefined || by === undefined) continue;
      const list = by.get(k) ?? [];
      if (list.length < best.length) best = list;
    }
    return best;
  };
  const bySource = new Map<string, string>();
  const sourceOf = new Map<string, string>();
  const interactions = new Map<string, Interaction[]>();
  const audit = new Map<string, AuditEntry[]>();
  const owners = new Map<string, { kind: EntityKind; id: string }>();
  /** Take a record out of its map, its kind's order and the secondary indexes. */
  const remove = (kind: EntityKind, id: string): void => {
    const map = records[kind] as Map<string, EntityMap[EntityKind]>;
    const found = map.get(id);
    if (found === undefined) return;
    map.delete(id);
    const drop = (list: Keyed[] | undefined): void => {
      const at = list?.findIndex((k) => k.id === id) ?? -1;
      if (list !== undefined && at >= 0) list.splice(at, 1);
    };
    drop(order[kind]);
    const spec = secondary[kind] as { by: Map<string, Keyed[]>; keysOf: (r: EntityMap[EntityKind]) => Array<string | undefined> } | undefined;
    if (spec !== undefined) for (const key of spec.keysOf(found)) if (key !== undefined) drop(spec.by.get(key));
    if (kind === 'ticket') {
      const source = sourceOf.get(id);
      if (source !== undefined) bySource.delete(source);
      sourceOf.delete(id);
    }
  };


  return { records, order, secondary, keysOf, index, narrowest, bySource, sourceOf, interactions, audit, owners, remove };
}
type MemoryState = ReturnType<typeof newState>;

/** The conflict a unit of work would meet, checked before anything is written (so a conflict writes nothing), or null. */
function conflictOf(st: MemoryState, work: UnitOfWork): Error | null {
  const { records, interactions, audit, bySource } = st;
  for (const c of work.checks ?? []) {
    const actual = (records[c.kind] as Map<string, { version: number }>).get(c.id)?.version ?? 0;
    if (actual !== c.version) return new ConflictError({ entity: c.kind, id: c.id, kind: 'version', expectedVersion: c.version, actualVersion: actual });
  }
  for (const d of work.deletes ?? []) {
    const actual = (records[d.kind] as Map<string, { version: number }>).get(d.id)?.version ?? null;
    if (actual !== d.version) return new ConflictError({ entity: d.kind, id: d.id, kind: 'version', expectedVersion: d.version, actualVersion: actual });
  }
  for (const r of work.rewrites ?? []) {
    if (((r.kind === 'interaction' ? interactions : audit).get(r.ticketId)?.length ?? 0) <= r.index) return missingEntry(r);
  }
  const claimed = new Map<string, string>();
  for (const put of work.puts) {
    const current = (records[put.kind] as Map<string, { version: number }>).get(put.record.id);
    const actual = current?.version ?? null;
    if (actual !== put.expectedVersion) {
      return new ConflictError({ entity: put.kind, id: put.record.id, kind: put.expectedVersion === null ? 'exists' : 'version', expectedVersion: put.expectedVersion, actualVersion: actual });
    }
    if (put.kind === 'ticket' && put.record.sourceId !== undefined) {
      const owner = bySource.get(put.record.sourceId) ?? claimed.get(put.record.sourceId);
      if (owner !== undefined && owner !== put.record.id) {
        return new ConflictError({ entity: 'ticket', id: put.record.sourceId, kind: 'source_id', expectedVersion: null, actualVersion: null });
      }
      claimed.set(put.record.sourceId, put.record.id);
    }
  }
  return null;
}

/** Write a unit of work's records, with their order, indexes and source ids. */
function writePuts(st: MemoryState, puts: UnitOfWork['puts']): void {
  const { records, keysOf, secondary, index, sourceOf, bySource } = st;
  for (const put of puts) {
    const map = records[put.kind] as Map<string, EntityMap[EntityKind]>;
    const isNew = !map.has(put.record.id);
    const copy = cloneRecord(put.record);
    map.set(copy.id, copy);
    if (isNew) {
      const k = { createdAt: copy.createdAt.getTime(), id: copy.id };
      insertSorted(keysOf(put.kind), k);
      const spec = secondary[put.kind] as { by: Map<string, Keyed[]>; keysOf: (r: EntityMap[EntityKind]) => Array<string | undefined> } | undefined;
      if (spec !== undefined) for (const key of spec.keysOf(copy)) if (key !== undefined) index(spec.by, key, k);
    }
    if (put.kind === 'ticket') {
      const prevSource = sourceOf.get(put.record.id);
      if (prevSource !== undefined && prevSource !== put.record.sourceId) bySource.delete(prevSource);
      if (put.record.sourceId === undefined) sourceOf.delete(put.record.id);
      else {
        bySource.set(put.record.sourceId, put.record.id);
        sourceOf.set(put.record.id, put.record.sourceId);
      }
    }
  }
}

/**
 * Storage kept in this process's memory: the default for demos, tests and prototypes. Every
 * read and write copies records, so callers never share state with the store; commits are
 * atomic. Nothing survives the process: use the SQLite or PostgreSQL adapter to keep data.
 *
 * @example
 * ```ts
 * const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createSystemClock() });
 * ```
 */
export function createMemoryStorage(): StoragePort {
  const st = newState();
  const { records, keysOf, narrowest, bySource, interactions, audit, owners, remove } = st;
  return {
    name: 'memory',
    capabilities: { durable: false, multiProcess: false, verbatim: true },

    get<K extends EntityKind>(kind: K, id: string): Promise<EntityMap[K] | null> {
      const found = (records[kind] as Map<string, EntityMap[K]>).get(id);
      return Promise.resolve(found === undefined ? null : cloneRecord(found));
    },

    findTicketBySourceId(sourceId) {
      const id = bySource.get(sourceId);
      const found = id === undefined ? undefined : records.ticket.get(id);
      return Promise.resolve(found === undefined ? null : cloneRecord(found));
    },

    findKeys(keys) {
      const found: KeyClaim[] = [];
      for (const key of new Set(keys)) {
        const owner = owners.get(key);
        if (owner !== undefined) found.push({ key, kind: owner.kind, id: owner.id });
      }
      return Promise.resolve(found);
    },

    list<K extends EntityKind>(kind: K, query: QueryMap[K]): Promise<Page<EntityMap[K]>> {
      const { keys, accept } = (LISTINGS[kind] as unknown as Listing<EntityMap[K], QueryMap[K]>)(query, narrowest, keysOf);
      const map = records[kind] as Map<string, EntityMap[K]>;
      return Promise.resolve(page(keys, (id) => map.get(id) as EntityMap[K], accept, query as { limit?: number; cursor?: string; order?: 'asc' | 'desc' }));
    },

    history<K extends HistoryKind>(kind: K, ticketId: TicketId, query: HistoryQuery = {}): Promise<ReadonlyArray<HistoryMap[K]>> {
      const all = ((kind === 'interaction' ? interactions : audit) as Map<string, HistoryMap[K][]>).get(ticketId) ?? [];
      const from = query.from ?? 0;
      const to = query.limit === undefined ? all.length : from + query.limit;
      return Promise.resolve(cloneRecord(all.slice(from, to)));
    },

    commit(work: UnitOfWork) {
      const conflict = conflictOf(st, work);
      if (conflict !== null) return Promise.reject(conflict);
      const keyed = keyChanges((key) => owners.get(key), work.keys);
      if (keyed instanceof ConflictError) return Promise.reject(keyed);
      for (const [key, owner] of keyed) {
        if (owner === null) owners.delete(key);
        else owners.set(key, owner);
      }
      writePuts(st, work.puts);
      for (const d of work.deletes ?? []) remove(d.kind, d.id);
      for (const r of work.rewrites ?? []) ((r.kind === 'interaction' ? interactions : audit).get(r.ticketId) as unknown[])[r.index] = cloneRecord(r.record);
      for (const i of work.interactions) {
        const list = interactions.get(i.ticketId) ?? [];
        list.push(cloneRecord(i));
        interactions.set(i.ticketId, list);
      }
      for (const a of work.audit) {
        const list = audit.get(a.ticketId) ?? [];
        list.push(cloneRecord(a));
        audit.set(a.ticketId, list);
      }
      return Promise.resolve();
    },
  };
}
