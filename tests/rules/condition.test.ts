import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, compileCondition, type Condition, type Operator } from 'omotenashi';

const facts = {
  ticket: { priority: 'urgent', tags: ['billing', 'vip'], subject: 'Refund for order 1042', counters: { reopens: 2 }, score: 7, nothing: null },
  customer: { tier: 'gold', kind: 'external' },
};
const run = (c: Condition, f: object = facts) => compileCondition(c)(f);

describe('condition language: operators', () => {
  it.each<[string, Condition, boolean]>([
    ['eq', { fact: 'ticket.priority', op: 'eq', value: 'urgent' }, true],
    ['eq is strict', { fact: 'ticket.score', op: 'eq', value: '7' }, false],
    ['neq', { fact: 'ticket.priority', op: 'neq', value: 'low' }, true],
    ['in', { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] }, true],
    ['in (large list uses a set)', { fact: 'ticket.score', op: 'in', value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, true],
    ['nin', { fact: 'ticket.priority', op: 'nin', value: ['low', 'normal'] }, true],
    ['gt', { fact: 'ticket.score', op: 'gt', value: 6 }, true],
    ['gte', { fact: 'ticket.score', op: 'gte', value: 7 }, true],
    ['lt', { fact: 'ticket.score', op: 'lt', value: 7 }, false],
    ['lte', { fact: 'ticket.counters.reopens', op: 'lte', value: 2 }, true],
    ['gt is false unless the fact is a number', { fact: 'ticket.priority', op: 'gt', value: 0 }, false],
    ['lt on a missing fact is false', { fact: 'ticket.missing', op: 'lt', value: 100 }, false],
    ['contains on an array', { fact: 'ticket.tags', op: 'contains', value: 'vip' }, true],
    ['contains on a string', { fact: 'ticket.subject', op: 'contains', value: 'order' }, true],
    ['contains on neither', { fact: 'ticket.score', op: 'contains', value: 7 }, false],
    ['containsAny', { fact: 'ticket.tags', op: 'containsAny', value: ['legal', 'billing'] }, true],
    ['containsAny with no overlap', { fact: 'ticket.tags', op: 'containsAny', value: ['legal'] }, false],
    ['startsWith', { fact: 'ticket.subject', op: 'startsWith', value: 'Refund' }, true],
    ['matches', { fact: 'ticket.subject', op: 'matches', value: 'order \\d{4}$' }, true],
    ['matches only strings', { fact: 'ticket.score', op: 'matches', value: '7' }, false],
    ['exists', { fact: 'customer.tier', op: 'exists' }, true],
    ['exists: null is absent', { fact: 'ticket.nothing', op: 'exists' }, false],
    ['exists false', { fact: 'customer.segment', op: 'exists', value: false }, true],
    ['a path through a missing object is undefined', { fact: 'agent.team.name', op: 'exists', value: false }, true],
    ['all [] is true', { all: [] }, true],
    ['any [] is false', { any: [] }, false],
    ['not', { not: { fact: 'customer.tier', op: 'eq', value: 'gold' } }, false],
    [
      'nested',
      {
        all: [
          { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] },
          { any: [{ fact: 'customer.tier', op: 'eq', value: 'silver' }, { fact: 'ticket.tags', op: 'contains', value: 'vip' }] },
        ],
      },
      true,
    ],
  ])('%s', (_name, condition, expected) => {
    expect(run(condition)).toBe(expected);
  });

  it('short-circuits: later leaves are not read once the answer is known', () => {
    let reads = 0;
    const f = { a: 1, get b() {
      reads++;
      return 2;
    } };
    expect(run({ any: [{ fact: 'a', op: 'eq', value: 1 }, { fact: 'b', op: 'eq', value: 2 }] }, f)).toBe(true);
    expect(run({ all: [{ fact: 'a', op: 'eq', value: 0 }, { fact: 'b', op: 'eq', value: 2 }] }, f)).toBe(false);
    expect(reads).toBe(0);
  });
});

describe('condition language: errors name the place', () => {
  it.each<[Condition, RegExp]>([
    [{ fact: 'ticket.priority', op: 'in', value: 'high' }, /condition\.value: "in" needs an array value/],
    [{ all: [{ fact: 'x', op: 'eq', value: 1 }, { fact: 'ticket.score', op: 'gt', value: '5' }] }, /condition\.all\[1\]\.value: "gt" needs a number/],
    [{ any: [{ not: { fact: 'ticket.subject', op: 'matches', value: '(' } }] }, /condition\.any\[0\]\.not\.value: "\(" is not a valid regular expression/],
    [{ fact: 'ticket.subject', op: 'startsWith', value: 3 }, /needs a string value/],
    [{ fact: 'ticket.subject', op: 'exists', value: 'yes' }, /takes true \(the default\) or false/],
    [{ fact: 'ticket..priority', op: 'eq', value: 1 } as Condition, /dotted path/],
    [{ fact: 'ticket.priority', op: 'like' as Operator, value: 1 }, /condition/],
    [{ every: [] } as unknown as Condition, /condition/],
  ])('%j', (condition, message) => {
    expect(() => compileCondition(condition)).toThrow(ConfigError);
    expect(() => compileCondition(condition)).toThrow(message);
  });

  it('uses the caller’s path in messages', () => {
    expect(() => compileCondition({ fact: 'a', op: 'in', value: 1 }, { path: 'policies[2].match' })).toThrow(/policies\[2\]\.match\.value/);
  });
});

describe('condition language: explain', () => {
  it('reports every leaf with the value it saw, and which matched', () => {
    const c = compileCondition({
      all: [
        { fact: 'ticket.priority', op: 'eq', value: 'urgent' },
        { any: [{ fact: 'customer.tier', op: 'eq', value: 'silver' }, { fact: 'ticket.tags', op: 'contains', value: 'vip' }] },
      ],
    });
    const e = c.explain(facts);
    expect(e.matched).toBe(true);
    expect(e.leaves).toEqual([
      { at: 'all[0]', fact: 'ticket.priority', op: 'eq', value: 'urgent', actual: 'urgent', matched: true },
      { at: 'all[1].any[0]', fact: 'customer.tier', op: 'eq', value: 'silver', actual: 'gold', matched: false },
      { at: 'all[1].any[1]', fact: 'ticket.tags', op: 'contains', value: 'vip', actual: ['billing', 'vip'], matched: true },
    ]);
    expect(e.matchedLeaves.map((l) => l.at)).toEqual(['all[0]', 'all[1].any[1]']);
    expect(c.source).toBeDefined();
  });
});

// An independent, deliberately naive interpreter to check the compiled closures against.
function reference(c: Condition, f: object): boolean {
  if ('all' in c) return c.all.every((k) => reference(k, f));
  if ('any' in c) return c.any.some((k) => reference(k, f));
  if ('not' in c) return !reference(c.not, f);
  let v: unknown = f;
  for (const k of c.fact.split('.')) v = v == null ? undefined : (v as Record<string, unknown>)[k];
  const x = c.value;
  switch (c.op) {
    case 'eq': return v === x;
    case 'neq': return v !== x;
    case 'in': return (x as unknown[]).includes(v);
    case 'nin': return !(x as unknown[]).includes(v);
    case 'gt': return typeof v === 'number' && v > (x as number);
    case 'gte': return typeof v === 'number' && v >= (x as number);
    case 'lt': return typeof v === 'number' && v < (x as number);
    case 'lte': return typeof v === 'number' && v <= (x as number);
    case 'contains': return Array.isArray(v) ? v.includes(x) : typeof v === 'string' && typeof x === 'string' && v.includes(x);
    case 'containsAny': return Array.isArray(v) && (x as unknown[]).some((y) => v.includes(y));
    case 'startsWith': return typeof v === 'string' && v.startsWith(x as string);
    case 'matches': return typeof v === 'string' && new RegExp(x as string, 'u').test(v);
    case 'exists': return (v !== undefined && v !== null) === (x !== false);
  }
}

const scalar = fc.oneof(fc.constantFrom('a', 'b', 'c', 'ab', ''), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
const factsArb = fc.record({
  x: fc.record({ s: scalar, n: fc.integer({ min: -3, max: 3 }), arr: fc.array(scalar, { maxLength: 4 }) }, { requiredKeys: [] }),
  y: scalar,
});
const leafArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constantFrom('x.s', 'x.n', 'x.arr', 'y', 'x.missing.deep'), op: fc.constantFrom<Operator>('eq', 'neq', 'exists', 'contains'), value: scalar }).map((l) =>
    l.op === 'exists' ? { fact: l.fact, op: l.op, value: typeof l.value === 'boolean' ? l.value : true } : l,
  ),
  fc.record({ fact: fc.constantFrom('x.s', 'x.n', 'y'), op: fc.constantFrom<Operator>('in', 'nin'), value: fc.array(scalar, { maxLength: 12 }) }),
  fc.record({ fact: fc.constantFrom('x.n', 'x.s', 'y'), op: fc.constantFrom<Operator>('gt', 'gte', 'lt', 'lte'), value: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ fact: fc.constantFrom('x.arr', 'x.s'), op: fc.constant<Operator>('containsAny'), value: fc.array(scalar, { maxLength: 3 }) }),
  fc.record({ fact: fc.constantFrom('x.s', 'y'), op: fc.constantFrom<Operator>('startsWith', 'matches'), value: fc.constantFrom('a', 'b$', '^a', '') }),
);
const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('c'), { maxLength: 4 }).map((all) => ({ all })),
    fc.array(tie('c'), { maxLength: 4 }).map((any) => ({ any })),
    tie('c').map((not) => ({ not })),
  ),
})).c;

describe('condition language: properties', () => {
  it('the compiled predicate agrees with a naive interpreter on any condition and facts', () => {
    fc.assert(
      fc.property(conditionArb, factsArb, (c, f) => {
        const compiled = compileCondition(c);
        expect(compiled(f)).toBe(reference(c, f));
        expect(compiled.explain(f).matched).toBe(compiled(f));
      }),
      { numRuns: 2000 },
    );
  });

  it('not(not(c)) is c, and compiling is deterministic', () => {
    fc.assert(
      fc.property(conditionArb, factsArb, (c, f) => {
        expect(compileCondition({ not: { not: c } })(f)).toBe(compileCondition(c)(f));
      }),
    );
  });
});

describe('condition language: nothing a rule says can stall the process', () => {
  it('matches (a+)+$ against a long subject in one pass, and refuses back-references at definition', () => {
    const evil = compileCondition({ fact: 'ticket.subject', op: 'matches', value: '(a+)+$' });
    expect(evil({ ticket: { subject: `${'a'.repeat(30)}!` } })).toBe(false);
    expect(evil({ ticket: { subject: 'a'.repeat(1000) } })).toBe(true);
    expect(() => compileCondition({ all: [{ fact: 'ticket.subject', op: 'matches', value: '(a)\\1' }] })).toThrow(/condition\.all\[0\]\.value: .*back-reference/);
  });

  it('refuses conditions nested 2,000 deep with a ConfigError instead of overflowing the stack', () => {
    let deep: Condition = { fact: 'ticket.priority', op: 'eq', value: 'high' };
    for (let i = 0; i < 2000; i++) deep = { not: deep };
    expect(() => compileCondition(deep)).toThrow(ConfigError);
    expect(() => compileCondition(deep)).toThrow(/deeper than 64 levels/);
    let ok: Condition = { fact: 'ticket.priority', op: 'eq', value: 'high' };
    for (let i = 0; i < 62; i++) ok = { not: ok };
    expect(compileCondition(ok)({ ticket: { priority: 'high' } })).toBe(true);
  });
});
