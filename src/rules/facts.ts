import { ConfigError } from '../errors.js';
import { CHANNELS } from '../domain/common.js';
import { activeFlags, type Customer } from '../domain/customer.js';
import type { Organization } from '../domain/organization.js';
import { PRIORITIES, TICKET_STATUSES, TICKET_TYPES, type Ticket } from '../domain/ticket.js';
import { checkConditionShape, type Condition, type FactCondition, type Operator } from './condition.js';

/** The type of one fact, for checking conditions before they run. */
export type FactType =
  | { readonly type: 'string'; readonly values?: ReadonlyArray<string> }
  | { readonly type: 'number' }
  | { readonly type: 'boolean' }
  | { readonly type: 'array'; readonly items: 'string' | 'number'; readonly values?: ReadonlyArray<string> };

/** The facts a condition may use, by dotted path. */
export type FactSchema = Readonly<Record<string, FactType>>;

const str = (values?: ReadonlyArray<string>): FactType => (values ? { type: 'string', values } : { type: 'string' });
const num: FactType = { type: 'number' };

/**
 * The facts the desk provides about a ticket and its requester (see {@link ticketFacts}).
 * Extend it with your own custom fields: `{ ...TICKET_FACT_SCHEMA, 'ticket.customFields.plan': { type: 'string' } }`.
 */
export const TICKET_FACT_SCHEMA: FactSchema = Object.freeze({
  'ticket.id': str(),
  'ticket.subject': str(),
  'ticket.type': str(TICKET_TYPES),
  'ticket.priority': str(PRIORITIES),
  'ticket.status': str(TICKET_STATUSES),
  'ticket.channel': str(CHANNELS),
  'ticket.channels': { type: 'array', items: 'string', values: CHANNELS },
  'ticket.tags': { type: 'array', items: 'string' },
  'ticket.requesterKind': str(['internal', 'external']),
  'ticket.assigneeId': str(),
  'ticket.teamId': str(),
  'ticket.escalationLevel': num,
  'ticket.sourceId': str(),
  'ticket.followUpOf': str(),
  'ticket.organizationId': str(),
  'ticket.ageMs': num,
  'ticket.counters.holds': num,
  'ticket.counters.declinedHolds': num,
  'ticket.counters.transfers': num,
  'ticket.counters.declinedTransfers': num,
  'ticket.counters.reopens': num,
  'ticket.counters.contacts': num,
  'ticket.counters.agentReplies': num,
  'customer.id': str(),
  'customer.kind': str(['internal', 'external']),
  'customer.tier': str(),
  'customer.segment': str(),
  'customer.organisation': str(),
  'customer.department': str(),
  'customer.locale': str(),
  'customer.timeZone': str(),
  'customer.preferredChannel': str(CHANNELS),
  'customer.tags': { type: 'array', items: 'string' },
  'customer.flags': { type: 'array', items: 'string' },
  'customer.lifetimeValueMinor': num,
  'customer.marketingConsent': { type: 'boolean' },
  'organization.id': str(),
  'organization.kind': str(['external', 'internal']),
  'organization.name': str(),
  'organization.tier': str(),
  'organization.parentId': str(),
  'organization.tags': { type: 'array', items: 'string' },
  'organization.domains': { type: 'array', items: 'string' },
});

/** `Omit` applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The facts object conditions run against: `{ ticket, customer }` as described by {@link TICKET_FACT_SCHEMA}. */
export interface TicketFacts {
  /** The ticket, with `ageMs` (time since it was created) added. */
  readonly ticket: Ticket & { readonly ageMs: number };
  /** The requester, with active flag kinds, lifetime value in minor units and marketing consent flattened. */
  readonly customer: DistributiveOmit<Customer, 'flags'> & { readonly flags: ReadonlyArray<string>; readonly lifetimeValueMinor?: number; readonly marketingConsent: boolean };
  /** The ticket's organisation, when it has one (its notes left out). */
  readonly organization?: Omit<Organization, 'notes'>;
}

/** Build the facts for conditions about a ticket, its requester and its organisation at `now`. */
export function ticketFacts(ticket: Ticket, customer: Customer, now: Date, organization?: Organization | null): TicketFacts {
  return {
    ticket: { ...ticket, ageMs: now.getTime() - ticket.createdAt.getTime() },
    customer: customerFacts(customer, now),
    ...(organization === undefined || organization === null ? {} : { organization: omitNotes(organization) }),
  };
}

/** What conditions see of a customer as `customer.*` (its active flags, consent and lifetime value flattened). */
export function customerFacts(customer: Customer, now: Date): TicketFacts['customer'] {
  const ltv = customer.kind === 'external' ? customer.lifetimeValue?.amountMinor : undefined;
  return {
    ...customer,
    flags: activeFlags(customer, now).map((f) => f.kind),
    marketingConsent: customer.consent.marketing,
    ...(ltv === undefined ? {} : { lifetimeValueMinor: ltv }),
  } as unknown as TicketFacts['customer'];
}

/** What conditions see of an organisation as `organization.*` (all but its notes). */
export function omitNotes(o: Organization): Omit<Organization, 'notes'> {
  const { notes: _notes, ...rest } = o;
  return rest;
}

const OPS_BY_TYPE: Record<FactType['type'], ReadonlySet<Operator>> = {
  string: new Set(['eq', 'neq', 'in', 'nin', 'contains', 'startsWith', 'matches', 'exists']),
  number: new Set(['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'exists']),
  boolean: new Set(['eq', 'neq', 'exists']),
  array: new Set(['contains', 'containsAny', 'exists']),
};

function closest(path: string, schema: FactSchema): string | undefined {
  const prefix = path.split('.').slice(0, -1).join('.');
  const last = path.split('.').at(-1) ?? '';
  const wanted = last.toLowerCase();
  const common = (a: string): number => {
    let i = 0;
    while (i < a.length && i < wanted.length && a[i] === wanted[i]) i++;
    return i;
  };
  let best: string | undefined;
  let bestScore = 0;
  for (const k of Object.keys(schema)) {
    if (!k.startsWith(`${prefix}.`)) continue;
    const name = k.slice(prefix.length + 1).toLowerCase();
    // Longest shared beginning wins; a name merely containing the first letters scores lower.
    const score = common(name) * 2 + (name.includes(wanted.slice(0, 4)) ? 1 : 0);
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return bestScore >= 3 ? best : undefined;
}

function checkScalar(t: FactType, v: unknown, at: string, leaf: FactCondition): void {
  const itemType = t.type === 'array' ? t.items : t.type;
  const values = t.type === 'string' || t.type === 'array' ? t.values : undefined;
  if (typeof v !== itemType) throw new ConfigError(at, `${JSON.stringify(v)} is not a ${itemType}, but "${leaf.fact}" holds ${itemType}s`);
  if (values !== undefined && !values.includes(v as string)) {
    throw new ConfigError(at, `${JSON.stringify(v)} is never a value of "${leaf.fact}"; it is one of ${values.join(', ')}`);
  }
}

/**
 * Check a condition against the facts it will run on: every path known, every operator fitting
 * its fact's type, every value possible (`'urgnt'` is caught before it silently never matches).
 *
 * @throws ConfigError naming the place in the condition and the fix.
 */
export function validateCondition(condition: Condition, schema: FactSchema = TICKET_FACT_SCHEMA, options: { path?: string } = {}): void {
  const root = options.path ?? 'condition';
  checkConditionShape(condition, root);
  const walk = (c: Condition, at: string): void => {
    if ('all' in c) return c.all.forEach((k, i) => walk(k, `${at}.all[${i}]`));
    if ('any' in c) return c.any.forEach((k, i) => walk(k, `${at}.any[${i}]`));
    if ('not' in c) return walk(c.not, `${at}.not`);
    const t = schema[c.fact];
    if (t === undefined) {
      const hint = closest(c.fact, schema);
      throw new ConfigError(`${at}.fact`, `unknown fact "${c.fact}"${hint ? `; did you mean "${hint}"?` : '; add it to the fact schema'}`);
    }
    if (!OPS_BY_TYPE[t.type].has(c.op)) {
      throw new ConfigError(`${at}.op`, `"${c.op}" does not fit "${c.fact}", which holds ${t.type === 'array' ? `arrays of ${t.items}s` : `${t.type}s`}; use one of ${[...OPS_BY_TYPE[t.type]].join(', ')}`);
    }
    const v = c.value;
    if (c.op === 'eq' || c.op === 'neq' || (c.op === 'contains' && t.type === 'array')) checkScalar(t, v, `${at}.value`, c);
    if (c.op === 'in' || c.op === 'nin' || c.op === 'containsAny') {
      if (!Array.isArray(v)) throw new ConfigError(`${at}.value`, `"${c.op}" needs an array value`);
      v.forEach((x: unknown, i) => checkScalar(t, x, `${at}.value[${i}]`, c));
    }
  };
  walk(condition, root);
}
