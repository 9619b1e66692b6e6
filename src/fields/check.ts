import { ValidationError, type ValidationIssue } from '../errors.js';
import type { JsonValue } from '../domain/common.js';
import type { FieldDefinition, LookupKind } from '../domain/field.js';
import type { TicketType } from '../domain/ticket.js';
import type { FieldSet, FieldTable, FieldTarget } from './define.js';

/**
 * Keys the desk writes itself on the tickets it opens (follow-up tasks, feedback): never refused
 * as unknown, and checked like any other when a definition names them.
 */
export const DESK_FIELD_KEYS: ReadonlyArray<string> = Object.freeze(['followUpId', 'planId', 'orderId', 'aboutTicketId', 'department', 'feedbackKind']);

/** A checked value, or why it is refused. */
export type FieldCheck = { readonly value: JsonValue } | string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

function decimals(n: number): number {
  if (Number.isInteger(n)) return 0;
  const s = String(n);
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

function inRange(def: FieldDefinition, n: number): string | null {
  if (def.min !== undefined && n < def.min) return `must be at least ${def.min}`;
  if (def.max !== undefined && n > def.max) return `must be at most ${def.max}`;
  return null;
}

function text(def: FieldDefinition, v: unknown, fallback: number): FieldCheck {
  if (typeof v !== 'string') return `must be text (a string), not ${JSON.stringify(v)}`;
  const t = v.trim();
  if (t === '') return 'is empty: pass null to remove the value';
  const max = def.maxLength ?? fallback;
  return t.length > max ? `is ${t.length} characters long; at most ${max}` : { value: t };
}

/** Check one value against its definition: the value as stored (trimmed, numbers from decimal strings), or why not. */
export function checkValue(def: FieldDefinition, v: unknown, table: FieldTable): FieldCheck {
  switch (def.type) {
    case 'text':
      return text(def, v, 1_000);
    case 'long_text':
      return text(def, v, 100_000);
    case 'regex': {
      const t = text(def, v, 1_000);
      if (typeof t === 'string') return t;
      const pattern = table.patterns.get(def.key);
      return pattern === undefined || pattern.test(t.value as string) ? t : (def.hint ?? `does not match the pattern ${def.pattern}`);
    }
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a number, not ${JSON.stringify(v)}`;
      if (def.integer && !Number.isInteger(v)) return `must be a whole number, not ${v}`;
      return inRange(def, v) ?? { value: v };
    }
    case 'decimal': {
      const n = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) return `must be a decimal number (12.5 or "12.50"), not ${JSON.stringify(v)}`;
      const scale = def.scale ?? 2;
      if (decimals(n) > scale) return `has more than ${scale} digit${scale === 1 ? '' : 's'} after the point`;
      return inRange(def, n) ?? { value: n };
    }
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : `must be true or false, not ${JSON.stringify(v)}`;
    case 'date':
      if (v instanceof Date) return 'must be a calendar date written YYYY-MM-DD (a Date is an instant: its day depends on the time zone)';
      return typeof v === 'string' && isCalendarDate(v) ? { value: v } : `must be a calendar date written YYYY-MM-DD, not ${JSON.stringify(v)}`;
    case 'enum': {
      const options = def.options ?? [];
      return typeof v === 'string' && options.includes(v) ? { value: v } : `must be one of ${options.join(', ')}, not ${JSON.stringify(v)}`;
    }
    case 'multi_enum': {
      const options = def.options ?? [];
      if (!Array.isArray(v)) return `must be a list of values from ${options.join(', ')}`;
      const wrong = v.find((x) => typeof x !== 'string' || !options.includes(x));
      if (wrong !== undefined) return `${JSON.stringify(wrong)} is not one of ${options.join(', ')}`;
      return { value: [...new Set(v as string[])] };
    }
    case 'lookup':
      return typeof v === 'string' && v.trim() !== '' && v.length <= 200 ? { value: v.trim() } : `must be the id of a ${def.lookup} (a string)`;
  }
}

/** A record id a `lookup` value names, for the desk to check it exists. */
export interface FieldLookup {
  readonly key: string;
  readonly kind: LookupKind;
  readonly id: string;
}

/** Where a write happens: opening or registering, a change, or a resolution. */
export interface FieldWrite {
  /** `create`: opening a ticket or registering a customer; `update`: a patch; `resolve`: a ticket being resolved. */
  readonly stage: 'create' | 'update' | 'resolve';
  /** The ticket's type after the write (ticket fields only). */
  readonly ticketType?: TicketType;
  /** Whether the write changes the ticket's type (then the new type's required fields must be there). */
  readonly typeChanged?: boolean;
  /** The values stored before (a patch or a resolution). */
  readonly current?: Readonly<Record<string, JsonValue>>;
}

const applies = (def: FieldDefinition, type: TicketType | undefined): boolean => def.ticketTypes === undefined || type === undefined || def.ticketTypes.includes(type);

function nearest(key: string, keys: ReadonlyArray<string>): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let score = 0;
  for (const c of keys) {
    const cl = c.toLowerCase();
    let i = 0;
    while (i < k.length && i < cl.length && k[i] === cl[i]) i++;
    const s = i + (cl.includes(k.slice(0, 3)) ? 1 : 0);
    if (s > score) [best, score] = [c, s];
  }
  return score >= 2 ? best : undefined;
}

/**
 * Check the custom fields a write gives (for a patch, `null` removes a key) against the
 * definitions: each value's type, the keys no definition names (when the set refuses them), the
 * fields that do not apply to the ticket's type, the required ones, and the defaults of a new
 * record. Returns the values to store and the ids `lookup` fields name.
 *
 * @throws ValidationError with one issue per field (`customFields.plan`).
 */
export function checkCustomFields(
  set: FieldSet,
  target: FieldTarget,
  given: Readonly<Record<string, JsonValue | null>>,
  write: FieldWrite,
  subject: string,
): { values: Record<string, JsonValue>; lookups: FieldLookup[] } {
  const table = set[target];
  const issues: ValidationIssue[] = [];
  const issue = (key: string, message: string): void => void issues.push({ path: ['customFields', key], message, code: 'custom' });
  const values: Record<string, JsonValue> = { ...(write.current ?? {}) };
  const lookups: FieldLookup[] = [];
  for (const [key, raw] of Object.entries(given)) {
    const def = table.byKey.get(key);
    if (raw === null && write.stage === 'update') {
      if (def !== undefined && def.required === 'on_open' && applies(def, write.ticketType)) issue(key, `is required${target === 'ticket' ? ' on every ticket' : ''}: it can be changed, not removed`);
      delete values[key];
      continue;
    }
    if (def === undefined) {
      if (set.unknown === 'refuse' && !DESK_FIELD_KEYS.includes(key)) {
        const hint = nearest(key, [...table.byKey.keys()]);
        issue(key, `is not a defined ${target} field${hint === undefined ? ` (the fields are ${[...table.byKey.keys()].join(', ') || 'none'})` : `; did you mean "${hint}"?`}`);
      } else values[key] = raw as JsonValue;
      continue;
    }
    if (!applies(def, write.ticketType)) {
      issue(key, `applies to ${def.ticketTypes?.join(', ')} tickets, not to ${write.ticketType} ones`);
      continue;
    }
    const checked = checkValue(def, raw, table);
    if (typeof checked === 'string') {
      issue(key, checked);
      continue;
    }
    values[key] = checked.value;
    if (def.type === 'lookup' && def.lookup !== undefined) lookups.push({ key, kind: def.lookup, id: checked.value as string });
  }
  for (const def of table.byKey.values()) {
    if (!applies(def, write.ticketType) || values[def.key] !== undefined || issues.some((i) => i.path[1] === def.key)) continue;
    if (write.stage === 'create' && def.default !== undefined) {
      values[def.key] = def.default;
      continue;
    }
    const needed = def.required === 'on_open' ? write.stage === 'create' || write.typeChanged === true : def.required === 'on_resolve' && write.stage === 'resolve';
    if (needed) issue(def.key, `is required ${def.required === 'on_resolve' ? 'to resolve the ticket' : write.typeChanged ? `on ${write.ticketType} tickets` : target === 'ticket' ? 'to open a ticket' : `to register ${target === 'customer' ? 'a customer' : 'an organisation'}`}${def.label === undefined ? '' : ` (${def.label})`}`);
  }
  if (issues.length > 0) throw new ValidationError(subject, issues);
  return { values, lookups };
}
