import { ValidationError } from '../errors.js';
import { sameValue } from '../internal/diff.js';
import type { JsonValue } from '../domain/common.js';
import type { Ticket, TicketType } from '../domain/ticket.js';
import type { FieldLookup } from '../fields/check.js';
import type { FieldSet } from '../fields/define.js';
import type { EntityKind, EntityMap } from '../ports/storage.js';

type Get = <K extends EntityKind>(kind: K, id: string) => Promise<EntityMap[K] | null>;

/** Every record a `lookup` field names exists, or the write is refused naming the field. */
async function verifyLookups(lookups: ReadonlyArray<FieldLookup>, get: Get, subject: string): Promise<void> {
  const missing: FieldLookup[] = [];
  for (const l of lookups) if ((await get(l.kind, l.id)) === null) missing.push(l);
  if (missing.length > 0) throw new ValidationError(subject, missing.map((l) => ({ path: ['customFields', l.key], message: `there is no ${l.kind} "${l.id}"`, code: 'custom' })));
}

/**
 * The desk's custom-field checks for each write (open, update, resolve, register, change a
 * customer). Without a field set every write is taken as it comes, as before fields existed.
 */
export interface FieldChecks {
  ticketCreate(values: Readonly<Record<string, JsonValue>>, type: TicketType, get: Get, subject: string): Promise<Record<string, JsonValue>>;
  ticketUpdate(ticket: Ticket, patch: Readonly<Record<string, JsonValue | null>>, type: TicketType, get: Get, subject: string): Promise<Record<string, JsonValue>>;
  ticketResolve(ticket: Ticket, subject: string): void;
  recordCreate(target: 'customer' | 'organization', values: Readonly<Record<string, JsonValue>>, get: Get, subject: string): Promise<Record<string, JsonValue>>;
  recordReplace(target: 'customer' | 'organization', current: Readonly<Record<string, JsonValue>>, next: Readonly<Record<string, JsonValue>>, get: Get, subject: string): Promise<Record<string, JsonValue>>;
}

/** The checks of a desk with these fields (or none). */
export function fieldChecks(set: FieldSet | undefined): FieldChecks {
  const merged = (current: Readonly<Record<string, JsonValue>>, patch: Readonly<Record<string, JsonValue | null>>): Record<string, JsonValue> => {
    const out: Record<string, JsonValue> = { ...current };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  if (set === undefined) {
    return {
      ticketCreate: async (values) => ({ ...values }),
      ticketUpdate: async (ticket, patch) => merged(ticket.customFields, patch),
      ticketResolve: () => undefined,
      recordCreate: async (_target, values) => ({ ...values }),
      recordReplace: async (_target, _current, next) => ({ ...next }),
    };
  }
  return {
    async ticketCreate(values, type, get, subject) {
      const r = set.check('ticket', values, { stage: 'create', ticketType: type }, subject);
      await verifyLookups(r.lookups, get, subject);
      return r.values;
    },
    async ticketUpdate(ticket, patch, type, get, subject) {
      const r = set.check('ticket', patch, { stage: 'update', ticketType: type, typeChanged: type !== ticket.type, current: ticket.customFields }, subject);
      await verifyLookups(r.lookups, get, subject);
      return r.values;
    },
    ticketResolve(ticket, subject) {
      set.check('ticket', {}, { stage: 'resolve', ticketType: ticket.type, current: ticket.customFields }, subject);
    },
    async recordCreate(target, values, get, subject) {
      const r = set.check(target, values, { stage: 'create' }, subject);
      await verifyLookups(r.lookups, get, subject);
      return r.values;
    },
    async recordReplace(target, current, next, get, subject) {
      const removed = Object.fromEntries(Object.keys(current).filter((k) => !(k in next)).map((k) => [k, null]));
      const changed = Object.fromEntries(Object.entries(next).filter(([k, v]) => !sameValue(current[k], v)));
      const r = set.check(target, { ...removed, ...changed }, { stage: 'update', current }, subject);
      await verifyLookups(r.lookups, get, subject);
      return r.values;
    },
  };
}
