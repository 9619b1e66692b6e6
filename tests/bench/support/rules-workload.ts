import type { Condition, Operator } from 'omotenashi';

/** A deterministic pseudo-random generator, so every run benchmarks the same workload. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const TYPES = ['inquiry', 'complaint', 'order', 'support', 'return_refund', 'feedback'];
const CHANNELS = ['phone', 'email', 'chat', 'sms', 'social', 'web_form'];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const TAGS = ['billing', 'vip', 'router', 'refund', 'press', 'legal', 'wifi', 'invoice'];

export interface TicketFactsLite {
  ticket: { priority: string; type: string; channel: string; tags: string[]; counters: { reopens: number; holds: number; contacts: number }; escalationLevel: number };
  customer: { tier: string; kind: string; lifetimeValueMinor: number };
}

export function makeFacts(n: number, seed = 1): TicketFactsLite[] {
  const r = lcg(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  return Array.from({ length: n }, () => ({
    ticket: {
      priority: pick(PRIORITIES),
      type: pick(TYPES),
      channel: pick(CHANNELS),
      tags: TAGS.filter(() => r() < 0.2),
      counters: { reopens: Math.floor(r() * 4), holds: Math.floor(r() * 5), contacts: 1 + Math.floor(r() * 8) },
      escalationLevel: Math.floor(r() * 4),
    },
    customer: { tier: pick(TIERS), kind: r() < 0.2 ? 'internal' : 'external', lifetimeValueMinor: Math.floor(r() * 5_000_000) },
  }));
}

type Leaf = { fact: string; op: Operator; value: unknown };

/** 50 rules of 4–6 leaves, using only operators both engines define the same way. */
export function makeRules(count = 50, seed = 7): Condition[] {
  const r = lcg(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const some = <T>(a: readonly T[], k: number): T[] => [...a].sort(() => r() - 0.5).slice(0, k);
  const leaf = (): Leaf =>
    pick<() => Leaf>([
      () => ({ fact: 'ticket.priority', op: 'in', value: some(PRIORITIES, 2 + Math.floor(r() * 2)) }),
      () => ({ fact: 'ticket.type', op: r() < 0.5 ? 'eq' : 'neq', value: pick(TYPES) }),
      () => ({ fact: 'ticket.channel', op: 'nin', value: some(CHANNELS, 2) }),
      () => ({ fact: 'ticket.tags', op: 'contains', value: pick(TAGS) }),
      () => ({ fact: 'ticket.counters.reopens', op: pick<Operator>(['gt', 'gte', 'lt', 'lte']), value: Math.floor(r() * 3) }),
      () => ({ fact: 'ticket.counters.contacts', op: pick<Operator>(['gt', 'lte']), value: 1 + Math.floor(r() * 6) }),
      () => ({ fact: 'customer.tier', op: 'in', value: some(TIERS, 1 + Math.floor(r() * 3)) }),
      () => ({ fact: 'customer.kind', op: 'eq', value: r() < 0.8 ? 'external' : 'internal' }),
      () => ({ fact: 'customer.lifetimeValueMinor', op: 'gte', value: Math.floor(r() * 3_000_000) }),
      () => ({ fact: 'ticket.escalationLevel', op: 'lt', value: 1 + Math.floor(r() * 3) }),
    ])();
  return Array.from({ length: count }, () => {
    const n = 4 + Math.floor(r() * 3);
    const leaves: Condition[] = Array.from({ length: n }, leaf);
    // Mix the combinators: most rules are all-of, some nest an any-of.
    if (r() < 0.4) return { all: [...leaves.slice(0, n - 2), { any: leaves.slice(n - 2) }] };
    return r() < 0.2 ? { any: leaves } : { all: leaves };
  });
}

const JRE_OP: Partial<Record<Operator, string>> = {
  eq: 'equal',
  neq: 'notEqual',
  in: 'in',
  nin: 'notIn',
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  contains: 'contains',
};

/** The same condition in json-rules-engine's format (top-level fact plus a JSONPath). */
export function toJre(c: Condition): unknown {
  if ('all' in c) return { all: c.all.map(toJre) };
  if ('any' in c) return { any: c.any.map(toJre) };
  if ('not' in c) return { not: toJre(c.not) };
  const [fact, ...rest] = c.fact.split('.');
  const operator = JRE_OP[c.op];
  if (operator === undefined) throw new Error(`no json-rules-engine operator for ${c.op}`);
  return { fact, path: `$.${rest.join('.')}`, operator, value: c.value };
}
