import type { FieldChange } from '../domain/ticket.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Structural equality for JSON-like values with Dates. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!sameValue(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/**
 * The fields that differ between two records, nested plain objects flattened to dotted paths
 * (`counters.holds`). Arrays and Dates compare as values.
 */
export function diffRecords(prev: object, next: object, ignore: ReadonlyArray<string> = [], prefix = ''): FieldChange[] {
  const a = prev as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const out: FieldChange[] = [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (prefix === '' && ignore.includes(key)) continue;
    const from = a[key];
    const to = b[key];
    if (isPlainObject(from) && isPlainObject(to) && key === 'customFields') {
      // One change per custom field; a field's own value (it may be an object) compares whole.
      for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) if (!sameValue(from[k], to[k])) out.push({ field: `${prefix}${key}.${k}`, from: from[k], to: to[k] });
    } else if (isPlainObject(from) && isPlainObject(to)) {
      out.push(...diffRecords(from, to, [], `${prefix}${key}.`));
    } else if (!sameValue(from, to)) {
      out.push({ field: `${prefix}${key}`, from, to });
    }
  }
  return out;
}

/** A copy of `obj` without the given keys (for clearing optional fields under exactOptionalPropertyTypes). */
export function omit<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}
