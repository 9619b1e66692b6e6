/** True when `v` is an object whose `kind` is `kind`: the mark of an already-defined config. Safe on any value. */
export function hasKind(v: unknown, kind: string): boolean {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind;
}

/** A short, safe rendering of any value for an error message (`String()` throws on some objects). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v !== 'object' || v === null) return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid Date' : v.toISOString();
  return Array.isArray(v) ? 'a list' : 'an object';
}
