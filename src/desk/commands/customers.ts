import { NotFoundError, ValidationError } from '../../errors.js';
import type { Actor, CustomerId } from '../../domain/common.js';
import {
  CustomerFlagSchema,
  CustomerInputSchema,
  CustomerInvariantSchema,
  CustomerPatchSchema,
  CustomerSchema,
  EXTERNAL_ONLY_FIELDS,
  FlagKindSchema,
  INTERNAL_ONLY_FIELDS,
  activeFlags,
  type Customer,
  type CustomerFlag,
} from '../../domain/customer.js';
import { deskEvent, type DeskEvent } from '../../events.js';
import { diffRecords } from '../../internal/diff.js';
import type { AccountRecheck } from '../sla-account.js';
import { checkCalendar } from '../calendar-check.js';
import type { FollowUpRuntime } from '../followups.js';
import type { CommandOptions } from '../options.js';
import { fold } from '../pipeline.js';
import { contactKeyChanges } from '../contacts.js';
import { emailKey, phoneKey } from '../../domain/address.js';
import { ContactLookupSchema } from '../../domain/customer.js';
import { applyPatch, created, expectVersion, updated } from '../records.js';
import { withKeys, type Kernel, type Reader } from '../runtime.js';
import { NoteTextSchema, parse } from '../schemas.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import type { ServiceDesk } from '../service-desk.js';
import type { FieldChecks } from '../fields.js';
import { organizationsFor } from './organizations.js';
import { contactKeys } from '../../domain/address.js';
import { omit } from '../../internal/diff.js';

/** The customer commands and queries of a desk. */
export function customerCommands(k: Kernel, followUps: FollowUpRuntime | undefined, fields: FieldChecks, recheck: AccountRecheck['after'], calendars: ReadonlyMap<string, unknown> | undefined): Pick<ServiceDesk, CustomerMethods> {
  return { ...customerWrites(k, followUps, fields, recheck, calendars), ...customerQueries(k) };
}

type CustomerMethods = 'registerCustomer' | 'updateCustomer' | 'flagCustomer' | 'clearCustomerFlag' | 'addCustomerNote' | 'getCustomer' | 'listCustomers' | 'findCustomerByContact';

/** Reading customers. */
function customerQueries(k: Kernel): Pick<ServiceDesk, 'getCustomer' | 'listCustomers' | 'findCustomerByContact'> {
  return {
    async findCustomerByContact(contact) {
      const data = parse(ContactLookupSchema, contact, 'findCustomerByContact contact');
      const key = 'email' in data ? emailKey(data.email) : phoneKey(data.phone);
      const owner = (await k.storage.findKeys([key])).find((o) => o.kind === 'customer');
      return owner === undefined ? null : k.storage.get('customer', owner.id);
    },
    async getCustomer(id) {
      const found = await k.storage.get('customer', id);
      if (found === null) throw new NotFoundError('customer', id);
      return found;
    },
    async listCustomers(query = {}) {
      parse(QUERY_SCHEMAS.customer, query, 'listCustomers query');
      return k.storage.list('customer', query);
    },
  };
}

/** Registering and changing customers, with the follow-ups a change sets off. */
/** A change to one customer: the record after it, and the events it announces once saved. */
interface CustomerChange {
  readonly next: Customer;
  readonly events: (saved: Customer) => DeskEvent[];
}

/** Refuse the fields of a patch that only the other kind of customer has. */
function refuseMisplaced(current: Customer, data: object): void {
  const wrong = current.kind === 'internal' ? EXTERNAL_ONLY_FIELDS : INTERNAL_ONLY_FIELDS;
  const misplaced = wrong.filter((f) => f in data);
  if (misplaced.length === 0) return;
  throw new ValidationError('updateCustomer patch', misplaced.map((f) => ({ path: [f], message: `only ${current.kind === 'internal' ? 'external' : 'internal'} customers have "${f}"`, code: 'custom' })));
}

type CustomerWrites = 'registerCustomer' | 'updateCustomer' | 'flagCustomer' | 'clearCustomerFlag' | 'addCustomerNote';
function customerWrites(k: Kernel, followUps: FollowUpRuntime | undefined, fields: FieldChecks, recheck: AccountRecheck['after'], calendars: ReadonlyMap<string, unknown> | undefined): Pick<ServiceDesk, CustomerWrites> {
  /** Change one customer: load, check the caller's version, change, and add the follow-ups the change sets off. */
  function customerCommand(
    id: CustomerId,
    options: (CommandOptions & { expectedVersion?: number }) | undefined,
    change: (c: Customer, now: Date, actor: Actor) => Promise<CustomerChange> | CustomerChange,
  ): Promise<Customer> {
    const actor = k.actorOf(options);
    const expected = options?.expectedVersion;
    return k.run(async (read) => {
      const current = await read.load('customer', id);
      expectVersion('customer', current, expected);
      const now = k.now();
      const { next, events } = await change(current, now, actor);
      const changed = updated('customer', current, next, now, (saved) => events(saved));
      if (changed.work === null) return changed;
      const outcome = fold(withKeys(changed, await contactKeyChanges(k.storage, changed.result, current)), { puts: [], events: [], effects: recheck('customer', current, changed.result, now) });
      if (followUps === undefined) return outcome;
      return fold(outcome, await followUps.forCustomer(current, outcome.result, now, actor));
    }, expected === undefined);
  }

  return {
    async registerCustomer(input, options) {
      const actor = k.actorOf(options);
      const data = parse(CustomerInputSchema, input, 'registerCustomer input');
      checkCalendar(calendars, data.calendar, 'registerCustomer input');
      return k.run(async (read) => {
        const now = k.now();
        const customFields = await fields.recordCreate('customer', data.customFields, read.get, 'registerCustomer input');
        const organizationIds = await organizationsFor(data.organizationIds ?? [], contactKeys(data.contacts).emails, read, k.storage, 'registerCustomer input');
        const customer = { ...omit(data, 'organizationIds'), ...(organizationIds.length === 0 ? {} : { organizationIds }), customFields, id: (data.id ?? k.newId('cus')) as CustomerId, version: 1, flags: [], notes: [], createdAt: now, updatedAt: now } as Customer;
        const outcome = withKeys(created('customer', customer, [deskEvent('customer.registered', { customer, at: now, actor })]), await contactKeyChanges(k.storage, customer, null));
        return followUps === undefined ? outcome : fold(outcome, await followUps.forCustomer(null, customer, now, actor));
        // Two registrations racing for one address on PostgreSQL: decided again, the second then names the first.
      }, (conflict) => conflict.kind === 'version');
    },

    async updateCustomer(id, patch, options) {
      const data = parse(CustomerPatchSchema, patch, 'updateCustomer patch');
      checkCalendar(calendars, data.calendar, 'updateCustomer patch');
      return customerCommand(id, options, async (current, now, actor) => {
        refuseMisplaced(current, data);
        if (data.organizationIds !== undefined) await organizationsFor(data.organizationIds, [], { get: (kind, oid) => k.storage.get(kind, oid) } as Reader, k.storage, 'updateCustomer patch');
        let next = applyPatch(current, data.organizationIds === undefined || data.organizationIds.length > 0 ? data : { ...data, organizationIds: null });
        if (data.customFields !== undefined) next = { ...next, customFields: await fields.recordReplace('customer', current.customFields, data.customFields, (kind, cid) => k.storage.get(kind, cid), 'updateCustomer patch') };
        parse(CustomerInvariantSchema, next, 'updateCustomer patch');
        const checked = parse(CustomerSchema, next, 'updateCustomer patch');
        return {
          next: checked,
          events: (saved) => [deskEvent('customer.updated', { customer: saved, previous: current, changes: diffRecords(current, saved, ['version', 'updatedAt']), at: now, actor })],
        };
      });
    },

    async flagCustomer(id, flag, options) {
      const kind = parse(FlagKindSchema, flag.kind, 'flagCustomer kind');
      return customerCommand(id, options, (current, now, actor) => {
        const candidate = parse(
          CustomerFlagSchema,
          { kind, reason: flag.reason, author: actor, at: now, ...(flag.ticketId ? { ticketId: flag.ticketId } : {}), ...(flag.expiresAt ? { expiresAt: flag.expiresAt } : {}) },
          'flagCustomer input',
        ) as CustomerFlag;
        const same = activeFlags(current, now).find((f) => f.kind === kind && f.reason === candidate.reason);
        if (same !== undefined) return { next: current, events: () => [] };
        return { next: { ...current, flags: [...current.flags, candidate] }, events: (saved) => [deskEvent('customer.flagged', { customer: saved, flag: candidate, at: now, actor })] };
      });
    },

    async clearCustomerFlag(id, kind, options) {
      return customerCommand(id, options, (current, now, actor) => {
        const live = new Set(activeFlags(current, now).filter((f) => f.kind === kind));
        if (live.size === 0) throw new NotFoundError('flag', kind, `customer "${id}" has no active "${kind}" flag`);
        const cleared: CustomerFlag[] = [];
        const flags = current.flags.map((f) => {
          if (!live.has(f)) return f;
          const c = { ...f, clearedAt: now, clearedBy: actor };
          cleared.push(c);
          return c;
        });
        return { next: { ...current, flags }, events: (saved) => cleared.map((flag) => deskEvent('customer.flag_cleared', { customer: saved, flag, at: now, actor })) };
      });
    },

    async addCustomerNote(id, text, options) {
      const body = parse(NoteTextSchema, text, 'addCustomerNote text');
      return customerCommand(id, options, (current, now, actor) => {
        const next = { ...current, notes: [...current.notes, { text: body, author: actor, at: now }] };
        return { next, events: (saved) => [deskEvent('customer.updated', { customer: saved, previous: current, changes: [{ field: 'notes', from: current.notes, to: saved.notes }], at: now, actor })] };
      });
    },

  };
}
