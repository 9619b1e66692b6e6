import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { compileLinearRegex, type LinearRegex } from './regex.js';

import { OPERATORS, type ConditionExplanation, type LeafExplanation, type Operator } from '../domain/condition.js';

export { OPERATORS } from '../domain/condition.js';
export type { ConditionExplanation, LeafExplanation, Operator } from '../domain/condition.js';

/** A leaf: compare the fact at a dotted path (`'ticket.priority'`) with a value. */
export interface FactCondition {
  /** Dotted path into the facts object, e.g. `ticket.priority`, `customer.tier`. */
  readonly fact: string;
  /** How to compare. */
  readonly op: Operator;
  /** What to compare with (an array for `in`, `nin`, `containsAny`; a RegExp source for `matches`). */
  readonly value?: unknown;
}

/**
 * A JSON-serialisable condition over facts: leaves combined with `all`, `any` and `not`.
 *
 * @example
 * ```ts
 * const vipUrgent: Condition = { all: [
 *   { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] },
 *   { any: [{ fact: 'customer.tier', op: 'eq', value: 'gold' }, { fact: 'customer.flags', op: 'contains', value: 'vip' }] },
 * ] };
 * ```
 */
export type Condition = { readonly all: ReadonlyArray<Condition> } | { readonly any: ReadonlyArray<Condition> } | { readonly not: Condition } | FactCondition;

const PATH_RE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** Schema of a {@link Condition} (structure only; operator/value fit is checked when compiling). */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema) }).strict(),
    z.object({ any: z.array(ConditionSchema) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    z
      .object({
        fact: z.string().regex(PATH_RE, 'must be a dotted path such as "ticket.priority"'),
        op: z.enum(OPERATORS),
        value: z.unknown().optional(),
      })
      .strict(),
  ]),
);

/** A compiled condition: call it with facts; `explain` says which leaves matched and why. */
export interface CompiledCondition {
  /** True when the facts satisfy the condition. Synchronous and short-circuiting. */
  (facts: object): boolean;
  /** Evaluate every leaf (no short-circuit) and report each with the fact value it saw. */
  explain(facts: object): ConditionExplanation;
  /** The condition this was compiled from. */
  readonly source: Condition;
}

type Getter = (facts: object) => unknown;
type Predicate = (facts: object) => boolean;

/** A getter for a dotted path; unrolled for short paths because it runs once per leaf per evaluation. */
export function compilePath(path: string): Getter {
  const k = path.split('.');
  type R = Record<string, unknown> | null | undefined;
  switch (k.length) {
    case 1: {
      const [a] = k as [string];
      return (f) => (f as Record<string, unknown>)[a];
    }
    case 2: {
      const [a, b] = k as [string, string];
      return (f) => {
        const x = (f as Record<string, unknown>)[a] as R;
        return x == null ? undefined : x[b];
      };
    }
    case 3: {
      const [a, b, c] = k as [string, string, string];
      return (f) => {
        const x = (f as Record<string, unknown>)[a] as R;
        if (x == null) return undefined;
        const y = x[b] as R;
        return y == null ? undefined : y[c];
      };
    }
    default:
      return (f) => {
        let o: unknown = f;
        for (let i = 0; i < k.length && o != null; i++) o = (o as Record<string, unknown>)[k[i] as string];
        return o == null ? o ?? undefined : o;
      };
  }
}

function fail(at: string, message: string): never {
  throw new ConfigError(at, message);
}

/** Walk a split path; one shared function, so V8 sees a single target and inlines it. */
function walk(f: object, keys: ReadonlyArray<string>): unknown {
  let o: unknown = f;
  for (let i = 0; i < keys.length; i++) {
    if (o === null || o === undefined) return undefined;
    o = (o as Record<string, unknown>)[keys[i] as string];
  }
  return o;
}

/**
 * Compile one leaf into a predicate on the facts; validates the value's shape. Each operator
 * gets its own closure literal, so a call site never juggles dozens of comparison targets.
 */
function compileLeaf(leaf: FactCondition, at: string): Predicate {
  const { op, value } = leaf;
  const k = leaf.fact.split('.');
  const needArray = (): ReadonlyArray<unknown> => (Array.isArray(value) ? value : fail(child(at, 'value'), `"${op}" needs an array value, e.g. ["high", "urgent"]`));
  const needNumber = (): number => (typeof value === 'number' && Number.isFinite(value) ? value : fail(child(at, 'value'), `"${op}" needs a number value`));
  const needString = (): string => (typeof value === 'string' ? value : fail(child(at, 'value'), `"${op}" needs a string value`));
  switch (op) {
    case 'eq':
      return (f) => walk(f, k) === value;
    case 'neq':
      return (f) => walk(f, k) !== value;
    case 'in': {
      const arr = needArray();
      if (arr.length > 8) {
        const set = new Set(arr);
        return (f) => set.has(walk(f, k));
      }
      return (f) => arr.includes(walk(f, k));
    }
    case 'nin': {
      const arr = needArray();
      if (arr.length > 8) {
        const set = new Set(arr);
        return (f) => !set.has(walk(f, k));
      }
      return (f) => !arr.includes(walk(f, k));
    }
    case 'gt': {
      const n = needNumber();
      return (f) => {
        const v = walk(f, k);
        return typeof v === 'number' && v > n;
      };
    }
    case 'gte': {
      const n = needNumber();
      return (f) => {
        const v = walk(f, k);
        return typeof v === 'number' && v >= n;
      };
    }
    case 'lt': {
      const n = needNumber();
      return (f) => {
        const v = walk(f, k);
        return typeof v === 'number' && v < n;
      };
    }
    case 'lte': {
      const n = needNumber();
      return (f) => {
        const v = walk(f, k);
        return typeof v === 'number' && v <= n;
      };
    }
    case 'contains':
      return (f) => {
        const v = walk(f, k);
        return Array.isArray(v) ? v.includes(value) : typeof v === 'string' && typeof value === 'string' && v.includes(value);
      };
    case 'containsAny': {
      const set = new Set(needArray());
      return (f) => {
        const v = walk(f, k);
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (set.has(v[i])) return true;
        return false;
      };
    }
    case 'startsWith': {
      const str = needString();
      return (f) => {
        const v = walk(f, k);
        return typeof v === 'string' && v.startsWith(str);
      };
    }
    case 'matches': {
      const src = needString();
      let re: LinearRegex;
      try {
        re = compileLinearRegex(src);
      } catch (e) {
        return fail(child(at, 'value'), e instanceof ConfigError ? e.message.replace(/^Invalid configuration at [^:]+: /, '') : String(e));
      }
      return (f) => {
        const v = walk(f, k);
        return typeof v === 'string' && re.test(v);
      };
    }
    case 'exists': {
      if (value !== undefined && typeof value !== 'boolean') fail(child(at, 'value'), '"exists" takes true (the default) or false');
      if (value === false) return (f) => walk(f, k) == null;
      return (f) => walk(f, k) != null;
    }
  }
}

interface Node {
  readonly test: Predicate;
  readonly explain: (facts: object, out: LeafExplanation[]) => boolean;
}

function allOf(t: Predicate[]): Predicate {
  const [a, b, c, d, e, g] = t as [Predicate, Predicate, Predicate, Predicate, Predicate, Predicate];
  switch (t.length) {
    case 0:
      return () => true;
    case 1:
      return (f) => a(f);
    case 2:
      return (f) => a(f) && b(f);
    case 3:
      return (f) => a(f) && b(f) && c(f);
    case 4:
      return (f) => a(f) && b(f) && c(f) && d(f);
    case 5:
      return (f) => a(f) && b(f) && c(f) && d(f) && e(f);
    case 6:
      return (f) => a(f) && b(f) && c(f) && d(f) && e(f) && g(f);
    default:
      return (f) => {
        for (let i = 0; i < t.length; i++) if (!(t[i] as Predicate)(f)) return false;
        return true;
      };
  }
}

function anyOf(t: Predicate[]): Predicate {
  const [a, b, c, d, e, g] = t as [Predicate, Predicate, Predicate, Predicate, Predicate, Predicate];
  switch (t.length) {
    case 0:
      return () => false;
    case 1:
      return (f) => a(f);
    case 2:
      return (f) => a(f) || b(f);
    case 3:
      return (f) => a(f) || b(f) || c(f);
    case 4:
      return (f) => a(f) || b(f) || c(f) || d(f);
    case 5:
      return (f) => a(f) || b(f) || c(f) || d(f) || e(f);
    case 6:
      return (f) => a(f) || b(f) || c(f) || d(f) || e(f) || g(f);
    default:
      return (f) => {
        for (let i = 0; i < t.length; i++) if ((t[i] as Predicate)(f)) return true;
        return false;
      };
  }
}

const child = (at: string, segment: string): string => (at === '' ? segment : `${at}.${segment}`);

function compileNode(c: Condition, at: string): Node {
  if ('all' in c) {
    const kids = c.all.map((k, i) => compileNode(k, child(at, `all[${i}]`)));
    return { test: allOf(kids.map((k) => k.test)), explain: (f, out) => kids.map((k) => k.explain(f, out)).every(Boolean) };
  }
  if ('any' in c) {
    const kids = c.any.map((k, i) => compileNode(k, child(at, `any[${i}]`)));
    return { test: anyOf(kids.map((k) => k.test)), explain: (f, out) => kids.map((k) => k.explain(f, out)).some(Boolean) };
  }
  if ('not' in c) {
    const kid = compileNode(c.not, child(at, 'not'));
    return { test: (f) => !kid.test(f), explain: (f, out) => !kid.explain(f, out) };
  }
  const where = at === '' ? '(root)' : at;
  const get = compilePath(c.fact);
  const test = compileLeaf(c, at);
  return {
    test,
    explain: (f, out) => {
      const actual = get(f);
      const matched = test(f);
      out.push({ at: where, fact: c.fact, op: c.op, value: c.value, actual, matched });
      return matched;
    },
  };
}

/** How deep `all`/`any`/`not` may nest, and how many nodes a condition may have. */
export const CONDITION_LIMITS = { depth: 64, nodes: 10_000 } as const;

/**
 * Check a condition's structure: its size and depth against {@link CONDITION_LIMITS} (before
 * anything recurses into it), then {@link ConditionSchema}.
 * @throws ConfigError naming the place.
 */
export function checkConditionShape(condition: unknown, root: string): asserts condition is Condition {
  checkSize(condition, root);
  const parsed = ConditionSchema.safeParse(condition);
  if (!parsed.success) throw ConfigError.fromZod(root, parsed.error);
}

function checkSize(condition: unknown, root: string): void {
  const stack: Array<[unknown, number]> = [[condition, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [c, depth] = stack.pop() as [unknown, number];
    if (++nodes > CONDITION_LIMITS.nodes) throw new ConfigError(root, `has more than ${CONDITION_LIMITS.nodes.toLocaleString('en')} parts; split it into several rules`);
    if (depth > CONDITION_LIMITS.depth) throw new ConfigError(root, `nests all/any/not deeper than ${CONDITION_LIMITS.depth} levels; flatten it (all: [a, b, c] rather than all: [a, all: [b, ...]])`);
    if (typeof c !== 'object' || c === null) continue;
    const o = c as { all?: unknown; any?: unknown; not?: unknown };
    for (const kids of [o.all, o.any]) if (Array.isArray(kids)) for (const k of kids) stack.push([k, depth + 1]);
    if (o.not !== undefined) stack.push([o.not, depth + 1]);
  }
}

/**
 * Compile a condition into a fast synchronous predicate: closures built once, short-circuiting,
 * no cloning per call. A path through a missing object yields `undefined`; `all: []` is true and
 * `any: []` false.
 *
 * @param options.path Where the condition sits, for error messages (default `condition`).
 * @throws ConfigError naming the place in the condition (`condition.all[1].value`) when its
 *   structure, an operator's value or a regular expression is invalid, when it nests deeper than
 *   {@link CONDITION_LIMITS}, or when a `matches` pattern needs backtracking (back-references,
 *   lookaround): patterns match in linear time (see {@link compileLinearRegex}).
 * @example
 * ```ts
 * const urgent = compileCondition({ fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] });
 * urgent({ ticket: { priority: 'urgent' } }); // true
 * urgent.explain({ ticket: { priority: 'low' } }).leaves[0]?.actual; // 'low'
 * ```
 */
export function compileCondition(condition: Condition, options: { path?: string } = {}): CompiledCondition {
  const root = options.path ?? 'condition';
  checkConditionShape(condition, root);
  let node: Node;
  try {
    node = compileNode(condition, '');
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${root}.${e.path}`, e.message.replace(/^Invalid configuration at [^:]+: /, ''));
    throw e;
  }
  const compiled = node;
  // The root test is called directly (no wrapper layer); wrap it once so the properties set below
  // belong to a function object of this compile alone.
  const fn = allOf([compiled.test]) as CompiledCondition;
  Object.defineProperty(fn, 'source', { value: condition, enumerable: true });
  fn.explain = (facts) => {
    const leaves: LeafExplanation[] = [];
    const matched = compiled.explain(facts, leaves);
    return { matched, leaves, matchedLeaves: leaves.filter((l) => l.matched) };
  };
  return fn;
}
