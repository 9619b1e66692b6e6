/** True when `v` is an object whose `kind` is `kind`: the mark of an already-defined config. Safe on any value. */
export function hasKind(v: unknown, kind: string): boolean {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind;
}
