import { sameValue } from '../internal/diff.js';
import { compilePath } from '../rules/condition.js';
import type { AccountLog } from './history.js';

const getters = new Map<string, (facts: object) => unknown>();

/** A fact's value at a dotted path (`customer.tier`), or undefined: the conditions' own getter, compiled once per path. */
export function factValue(facts: object, path: string): unknown {
  let get = getters.get(path);
  if (get === undefined) getters.set(path, (get = compilePath(path)));
  return get(facts);
}

function setPath(target: Record<string, unknown>, keys: ReadonlyArray<string>, value: unknown): Record<string, unknown> {
  const [head, ...rest] = keys as [string, ...string[]];
  if (rest.length === 0) return { ...target, [head]: value };
  const inner = target[head];
  return { ...target, [head]: setPath(inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : {}, rest, value) };
}

/** Facts with the values of `values` (by path) in place of their own; the same object when there are none. */
export function withFactValues<F extends object>(facts: F, values: Readonly<Record<string, unknown>> | undefined): F {
  if (values === undefined) return facts;
  let out = facts as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(values)) out = setPath(out, path.split('.'), value);
  return out as unknown as F;
}

/**
 * The log of the facts policies read beyond the timeline, with `values` (read now) added when
 * they differ from its last entry. Undefined when policies read no such fact.
 */
export function accountLogNow(log: AccountLog | undefined, paths: ReadonlyArray<string>, facts: object, now: Date): AccountLog | undefined {
  if (paths.length === 0) return undefined;
  const values: Record<string, unknown> = {};
  // Absent facts are kept as null, so "no tier" is a value a later tier differs from.
  for (const p of paths) values[p] = factValue(facts, p) ?? null;
  const last = log?.[log.length - 1];
  if (last !== undefined && sameValue(last.values, values)) return log;
  return [...(log ?? []), { at: now, values }];
}
