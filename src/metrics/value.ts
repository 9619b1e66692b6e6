import { toLocal } from '../calendar/local.js';
import type { Customer } from '../domain/customer.js';

/** What the customer-value measures keep of one customer: their groups and their purchases by month. */
export interface CustomerValueTrack {
  readonly kind: 'internal' | 'external';
  readonly segment?: string;
  readonly organizationId?: string;
  /** `YYYY-MM` (in the aggregator's zone) → currency → amount in minor units. */
  readonly months: Record<string, Record<string, number>>;
}

/** How customers are grouped for lifetime value and retention. */
export type ValueGroup = 'customer' | 'organization' | 'segment';

/** Customer lifetime value of a group: what its customers bought, in each currency. */
export interface LifetimeValueRow {
  /** The group's key (`-` for none, e.g. no organisation); absent when not grouped. */
  readonly key: string;
  /** Customers in the group with at least one purchase. */
  readonly customers: number;
  /** Total bought, per currency, in minor units. */
  readonly total: Readonly<Record<string, number>>;
  /** Mean per purchasing customer, per currency (minor units, rounded). */
  readonly mean: Readonly<Record<string, number>>;
}

/** Customer retention over one period: of those who bought in the period before, how many bought again. */
export interface RetentionRow {
  /** The period: `YYYY-MM`, `YYYY-Qn` or `YYYY`. */
  readonly period: string;
  /** The group's key (`-` for none); absent when not grouped. */
  readonly key?: string;
  /** Customers who bought in the period before. */
  readonly base: number;
  /** Of them, those who bought in this period too. */
  readonly retained: number;
  /** Customers who bought in this period for the first time. */
  readonly fresh: number;
  /** retained / base (0 when the base is empty). */
  readonly rate: number;
}

/** The query of `retention`. */
export interface RetentionQuery {
  /** `month` (default), `quarter` or `year`. */
  readonly period?: 'month' | 'quarter' | 'year';
  /** Group by organisation or segment (default: none). */
  readonly groupBy?: Exclude<ValueGroup, 'customer'>;
}

const periodOf = (month: string, period: NonNullable<RetentionQuery['period']>): string => {
  if (period === 'month') return month;
  const [y, m] = month.split('-') as [string, string];
  return period === 'year' ? y : `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
};

const previous = (p: string): string => {
  if (/^\d{4}$/.test(p)) return String(Number(p) - 1);
  const q = /^(\d{4})-Q(\d)$/.exec(p);
  if (q !== null) return Number(q[2]) === 1 ? `${Number(q[1]) - 1}-Q4` : `${q[1]}-Q${Number(q[2]) - 1}`;
  const [y, m] = p.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * The customer-value ledger of the metrics: each customer's purchases by month, taken from the
 * customer record as it is (so observing a record again, or after a merge, counts nothing twice).
 */
export function createValueLedger(zone: string) {
  const tracks = new Map<string, CustomerValueTrack>();

  function observeCustomer(c: Customer): void {
    const months: Record<string, Record<string, number>> = {};
    for (const p of c.purchases) {
      if (p.amount === undefined) continue;
      const l = toLocal(zone, p.at.getTime());
      const month = `${l.year}-${String(l.month).padStart(2, '0')}`;
      const byCurrency = (months[month] ??= {});
      byCurrency[p.amount.currency] = (byCurrency[p.amount.currency] ?? 0) + p.amount.amountMinor;
    }
    const segment = c.kind === 'external' ? c.segment : undefined;
    const organizationId = c.organizationIds?.[0];
    tracks.set(c.id, { kind: c.kind, ...(segment === undefined ? {} : { segment }), ...(organizationId === undefined ? {} : { organizationId }), months });
  }

  const groupOf = (id: string, t: CustomerValueTrack, by: ValueGroup | undefined): string => (by === undefined ? '' : by === 'customer' ? id : by === 'organization' ? (t.organizationId ?? '-') : (t.segment ?? '-'));

  function lifetimeValue(groupBy?: ValueGroup): LifetimeValueRow[] {
    const groups = new Map<string, { customers: number; total: Record<string, number> }>();
    for (const [id, t] of tracks) {
      const months = Object.values(t.months);
      if (months.length === 0) continue;
      const key = groupOf(id, t, groupBy);
      const g = groups.get(key) ?? { customers: 0, total: {} };
      g.customers++;
      for (const m of months) for (const [cur, v] of Object.entries(m)) g.total[cur] = (g.total[cur] ?? 0) + v;
      groups.set(key, g);
    }
    return [...groups]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, g]) => ({ key, customers: g.customers, total: g.total, mean: Object.fromEntries(Object.entries(g.total).map(([cur, v]) => [cur, Math.round(v / g.customers)])) }));
  }

  function retention(query: RetentionQuery = {}): RetentionRow[] {
    const period = query.period ?? 'month';
    // group → period → the customers who bought in it; and each customer's first period.
    const active = new Map<string, Map<string, Set<string>>>();
    const first = new Map<string, string>();
    for (const [id, t] of tracks) {
      const key = groupOf(id, t, query.groupBy);
      const byPeriod = active.get(key) ?? new Map<string, Set<string>>();
      active.set(key, byPeriod);
      for (const month of Object.keys(t.months)) {
        const p = periodOf(month, period);
        (byPeriod.get(p) ?? byPeriod.set(p, new Set()).get(p))?.add(id);
        const f = first.get(id);
        if (f === undefined || p < f) first.set(id, p);
      }
    }
    const rows: RetentionRow[] = [];
    for (const [key, byPeriod] of [...active].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const p of [...byPeriod.keys()].sort()) {
        const now = byPeriod.get(p) as Set<string>;
        const before = byPeriod.get(previous(p)) ?? new Set<string>();
        const retained = [...before].filter((id) => now.has(id)).length;
        const fresh = [...now].filter((id) => first.get(id) === p).length;
        rows.push({ period: p, ...(query.groupBy === undefined ? {} : { key }), base: before.size, retained, fresh, rate: before.size === 0 ? 0 : Math.round((retained / before.size) * 10_000) / 10_000 });
      }
    }
    return rows;
  }

  return {
    observeCustomer,
    lifetimeValue,
    retention,
    /** Each customer's track, as plain records (for the partial aggregates). */
    entries: (): Record<string, CustomerValueTrack> => Object.fromEntries(tracks),
    /** Take in another aggregator's tracks: a customer seen by both keeps the record with more months. */
    merge(other: Readonly<Record<string, CustomerValueTrack>>): void {
      for (const [id, t] of Object.entries(other)) {
        const mine = tracks.get(id);
        if (mine === undefined || Object.keys(t.months).length >= Object.keys(mine.months).length) tracks.set(id, structuredClone(t));
      }
    },
  };
}
