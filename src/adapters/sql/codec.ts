import type { AgentQuery, ArticleQuery, CustomerQuery, EntityKind, EntityMap, FollowUpQuery, NotificationQuery, OfferQuery, OrganizationQuery, PublishedEventQuery, QueryMap, RequestQuery, SlaPolicyVersionQuery, SurveyQuery, TeamQuery, TicketQuery } from '../../ports/storage.js';

// A marker is an object with one key: `$date` (a Date), `$undefined` (a key present with no
// value: an audit change from nothing), `$nul` (a string holding U+0000, which PostgreSQL's
// jsonb refuses) or `$negzero` (-0, which JSON writes as 0). Data that looks like a marker, such as a customer's `{ "$date": 0 }`, is
// escaped with one more `$` on the way in and loses it on the way out, so every JSON value,
// Date and undefined reads back exactly as it was written.
const MARKER = /^\$+(?:date|undefined|nul|negzero)$/;

function soleKey(o: object): string | undefined {
  let only: string | undefined;
  for (const k in o) {
    if (only !== undefined) return undefined;
    only = k;
  }
  return only;
}

/**
 * Records as JSON text, keeping what JSON loses: a Date becomes `{ "$date": <epoch ms> }`, a key
 * present with the value `undefined` `{ "$undefined": 1 }`, a string with U+0000 in it
 * `{ "$nul": [<the parts between>] }`; data of that shape is escaped (see the module).
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.getTime() };
    if (v === undefined) return key === '' ? v : { $undefined: 1 };
    if (v === 0 && 1 / v < 0) return { $negzero: 1 };
    if (typeof v === 'string') return v.includes('\u0000') ? { $nul: v.split('\u0000') } : v;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const k = soleKey(v);
      if (k !== undefined && MARKER.test(k)) return { [`$${k}`]: (v as Record<string, unknown>)[k] };
    }
    return v;
  });
}

function revive(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const k = soleKey(o);
  if (k !== undefined && k.charCodeAt(0) === 36 && MARKER.test(k)) {
    if (k === '$date') return new Date(o[k] as number);
    if (k === '$undefined') return undefined;
    if (k === '$nul') return (o[k] as string[]).join('\u0000');
    if (k === '$negzero') return -0;
    return { [k.slice(1)]: revive(o[k]) };
  }
  for (const key in o) o[key] = revive(o[key]);
  return o;
}

/** The inverse of {@link encode}. */
export function decode<T>(text: string): T {
  return revive(JSON.parse(text)) as T;
}

/** The columns every SQL adapter indexes, read off a record of each kind. */
export interface IndexedColumns {
  readonly status: string | null;
  readonly customerId: string | null;
  readonly ticketId: string | null;
  readonly assigneeId: string | null;
  readonly teamId: string | null;
  readonly sourceId: string | null;
  /** Ticket type, or a customer's kind (internal, external), an offer's kind, an SLA policy version's policy. */
  readonly type: string | null;
  readonly priority: string | null;
  readonly planId: string | null;
  readonly sku: string | null;
  readonly recipientId: string | null;
  readonly locale: string | null;
  readonly product: string | null;
  /** When it is due: a follow-up's `dueAt`, an outbox message's `nextAttemptAt`. */
  readonly dueAt: number | null;
  /** A ticket's organisation, an organisation's parent. */
  readonly orgId: string | null;
}

const none: IndexedColumns = { status: null, customerId: null, ticketId: null, assigneeId: null, teamId: null, sourceId: null, type: null, priority: null, planId: null, sku: null, recipientId: null, locale: null, product: null, dueAt: null, orgId: null };

/** The indexed columns of a record. */
export function columnsOf<K extends EntityKind>(kind: K, record: EntityMap[K]): IndexedColumns {
  const r = record as EntityMap[EntityKind];
  switch (kind) {
    case 'ticket': {
      const t = r as EntityMap['ticket'];
      return { ...none, status: t.status, customerId: t.requesterId, assigneeId: t.assigneeId ?? null, teamId: t.teamId ?? null, sourceId: t.sourceId ?? null, type: t.type, priority: t.priority, orgId: t.organizationId ?? null };
    }
    case 'organization': {
      const o = r as EntityMap['organization'];
      return { ...none, type: o.kind, orgId: o.parentId ?? null };
    }
    case 'customer':
      return { ...none, type: (r as EntityMap['customer']).kind };
    case 'agent':
      return { ...none, status: (r as EntityMap['agent']).active ? 'active' : 'inactive' };
    case 'event': {
      const e = r as EntityMap['event'];
      return { ...none, status: e.status, dueAt: e.nextAttemptAt.getTime() };
    }
    case 'sla_policy':
      return { ...none, type: (r as EntityMap['sla_policy']).policyId };
    case 'request': {
      const q = r as EntityMap['request'];
      return { ...none, status: q.status, dueAt: q.expiresAt.getTime() };
    }
    case 'followup': {
      const f = r as EntityMap['followup'];
      return { ...none, status: f.status, customerId: f.customerId, ticketId: f.ticketId ?? null, planId: f.planId, dueAt: f.dueAt.getTime() };
    }
    case 'survey': {
      const s = r as EntityMap['survey'];
      return { ...none, status: s.status, customerId: s.customerId, ticketId: s.ticketId };
    }
    case 'notification': {
      const n = r as EntityMap['notification'];
      return { ...none, status: n.status, recipientId: n.to.id, ticketId: n.ticketId ?? null, dueAt: n.nextAttemptAt.getTime() };
    }
    case 'offer': {
      const o = r as EntityMap['offer'];
      return { ...none, status: o.status, customerId: o.customerId, sku: o.sku, type: o.kind };
    }
    case 'article': {
      const a = r as EntityMap['article'];
      return { ...none, status: a.status, locale: a.locale, product: a.product ?? null };
    }
    default:
      return none;
  }
}

/**
 * The columns the first migration created. Frozen: a shipped migration never changes, so columns
 * added later come with migrations of their own and are listed in {@link COLUMN_NAMES} only.
 */
export const FIRST_COLUMN_NAMES = ['status', 'customer_id', 'ticket_id', 'assignee_id', 'team_id', 'source_id', 'type', 'priority', 'plan_id', 'sku', 'recipient_id', 'locale', 'product', 'due_at'] as const;

/** The column names of {@link IndexedColumns} in SQL, in one order. */
export const COLUMN_NAMES = [...FIRST_COLUMN_NAMES, 'org_id'] as const;

/** The values of {@link IndexedColumns} in the order of {@link COLUMN_NAMES}. */
export const columnValues = (c: IndexedColumns): Array<string | number | null> => [c.status, c.customerId, c.ticketId, c.assigneeId, c.teamId, c.sourceId, c.type, c.priority, c.planId, c.sku, c.recipientId, c.locale, c.product, c.dueAt, c.orgId];

/** One filter on an indexed column (or a ticket's or article's tags), before a dialect writes it. */
export type Condition =
  | { readonly op: 'eq' | 'gte' | 'lt'; readonly column: string; readonly value: unknown }
  | { readonly op: 'in'; readonly column: string; readonly value: ReadonlyArray<unknown> }
  | { readonly op: 'tag'; readonly value: string };

const list = <T>(v: T | ReadonlyArray<T> | undefined): ReadonlyArray<T> | undefined => (v === undefined ? undefined : Array.isArray(v) ? (v as ReadonlyArray<T>) : [v as T]);
const eqIf = (column: string, value: unknown): Condition[] => (value === undefined ? [] : [{ op: 'eq', column, value }]);
const inIf = <T>(column: string, value: T | ReadonlyArray<T> | undefined): Condition[] => {
  const values = list(value);
  return values === undefined ? [] : [{ op: 'in', column, value: values }];
};
const tagIf = (tag: string | undefined): Condition[] => (tag === undefined ? [] : [{ op: 'tag', value: tag }]);

/** The conditions of each listing query of the storage port, shared by the SQL adapters. */
export const CONDITIONS = {
  ticket: (q: TicketQuery): Condition[] => [
    ...inIf('status', q.status),
    ...eqIf('assignee_id', q.assigneeId),
    ...eqIf('team_id', q.teamId),
    ...eqIf('customer_id', q.requesterId),
    ...eqIf('org_id', q.organizationId),
    ...inIf('priority', q.priority),
    ...inIf('type', q.type),
    ...tagIf(q.tag),
    ...(q.createdFrom === undefined ? [] : [{ op: 'gte' as const, column: 'created_at', value: q.createdFrom.getTime() }]),
    ...(q.createdBefore === undefined ? [] : [{ op: 'lt' as const, column: 'created_at', value: q.createdBefore.getTime() }]),
  ],
  customer: (q: CustomerQuery): Condition[] => eqIf('type', q.kind),
  agent: (q: AgentQuery): Condition[] => eqIf('status', q.active === undefined ? undefined : q.active ? 'active' : 'inactive'),
  team: (_q: TeamQuery): Condition[] => [],
  followup: (q: FollowUpQuery): Condition[] => [...eqIf('customer_id', q.customerId), ...eqIf('ticket_id', q.ticketId), ...eqIf('plan_id', q.planId), ...inIf('status', q.status)],
  survey: (q: SurveyQuery): Condition[] => [...eqIf('ticket_id', q.ticketId), ...eqIf('customer_id', q.customerId), ...eqIf('status', q.status)],
  notification: (q: NotificationQuery): Condition[] => [...inIf('status', q.status), ...eqIf('recipient_id', q.recipientId), ...eqIf('ticket_id', q.ticketId)],
  offer: (q: OfferQuery): Condition[] => [...eqIf('customer_id', q.customerId), ...eqIf('sku', q.sku), ...inIf('status', q.status)],
  article: (q: ArticleQuery): Condition[] => [...inIf('status', q.status), ...eqIf('locale', q.locale), ...eqIf('product', q.product), ...tagIf(q.tag)],
  event: (q: PublishedEventQuery): Condition[] => inIf('status', q.status),
  organization: (q: OrganizationQuery): Condition[] => [...eqIf('type', q.kind), ...eqIf('org_id', q.parentId)],
  sla_policy: (q: SlaPolicyVersionQuery): Condition[] => eqIf('type', q.policyId),
  request: (q: RequestQuery): Condition[] => [...inIf('status', q.status), ...(q.expiredBefore === undefined ? [] : [{ op: 'lt' as const, column: 'due_at', value: q.expiredBefore.getTime() }])],
} as const satisfies { readonly [K in EntityKind]: (q: QueryMap[K]) => Condition[] };

/** The conditions of a listing query of any kind. */
export const conditionsOf = <K extends EntityKind>(kind: K, query: QueryMap[K]): Condition[] => (CONDITIONS[kind] as (q: QueryMap[K]) => Condition[])(query);
