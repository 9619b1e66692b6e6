import { ValidationError } from '../../errors.js';
import type { OrganizationId } from '../../domain/common.js';
import { OrganizationInputSchema, OrganizationPatchSchema, domainKey, type Organization } from '../../domain/organization.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import { deskEvent } from '../../events.js';
import type { KeyChange } from '../../ports/storage.js';
import type { DeskConfig } from '../config.js';
import type { FieldChecks } from '../fields.js';
import { applyPatch, created, expectVersion, updated } from '../records.js';
import { createReader, fold, withKeys, type Kernel, type Reader } from '../runtime.js';
import type { AccountRecheck } from '../sla-account.js';
import { NoteTextSchema, parse } from '../schemas.js';
import type { AccountMethods } from '../service-desk-accounts.js';
import { checkCalendar } from '../calendar-check.js';

/** Registering, changing and reading organisations. */
export function organizationCommands(k: Kernel, config: DeskConfig, fields: FieldChecks, recheck: AccountRecheck['after']): AccountMethods {
  const refuse = (subject: string, path: Array<string | number>, message: string): never => {
    throw new ValidationError(subject, [{ path, message, code: 'custom' }]);
  };

  /** The parent exists and is not the organisation itself or below it; the calendar is one the SLA configuration has. */
  async function checkPlace(org: Pick<Organization, 'id' | 'parentId' | 'calendar'>, read: Reader, subject: string): Promise<void> {
    checkCalendar(config.sla?.calendars, org.calendar, subject);
    const seen = new Set<string>([org.id]);
    let up = org.parentId;
    while (up !== undefined) {
      if (seen.has(up)) refuse(subject, ['parentId'], `organisation "${up}" is part of "${org.id}": the parent would make a loop`);
      seen.add(up);
      const parent = await read.get('organization', up);
      if (parent === null) refuse(subject, ['parentId'], `there is no organisation "${up}"`);
      up = parent?.parentId;
    }
  }

  /** Claim the domains taken up and release those let go; a domain another organisation holds is refused by name. */
  async function domainKeys(org: Organization, before: Organization | null, subject: string): Promise<KeyChange[]> {
    const had = new Set((before?.domains ?? []).map(domainKey));
    const now = new Set(org.domains.map(domainKey));
    const fresh = [...now].filter((d) => !had.has(d));
    const owners = fresh.length === 0 ? [] : await k.storage.findKeys(fresh);
    const taken = owners.find((o) => !(o.kind === 'organization' && o.id === org.id));
    if (taken !== undefined) refuse(subject, ['domains'], `the domain "${taken.key.slice('domain:'.length)}" belongs to organisation "${taken.id}"`);
    return [
      ...fresh.map((key): KeyChange => ({ op: 'claim', key, kind: 'organization', id: org.id })),
      ...[...had].filter((d) => !now.has(d)).map((key): KeyChange => ({ op: 'release', key, kind: 'organization', id: org.id })),
    ];
  }

  return {
    async registerOrganization(input, options) {
      const actor = k.actorOf(options);
      const data = parse(OrganizationInputSchema, input, 'registerOrganization input');
      return k.run(async (read) => {
        const now = k.now();
        const customFields = await fields.recordCreate('organization', data.customFields, read.get, 'registerOrganization input');
        const org = { ...data, domains: [...new Set(data.domains)], customFields, id: (data.id ?? k.newId('org')) as OrganizationId, version: 1, notes: [], createdAt: now, updatedAt: now } as Organization;
        await checkPlace(org, read, 'registerOrganization input');
        return withKeys(created('organization', org, [deskEvent('organization.registered', { organization: org, at: now, actor })]), await domainKeys(org, null, 'registerOrganization input'));
      }, false);
    },

    async updateOrganization(id, patch, options) {
      const actor = k.actorOf(options);
      const data = parse(OrganizationPatchSchema, patch, 'updateOrganization patch');
      const expected = options?.expectedVersion;
      return k.run(async (read) => {
        const current = await read.load('organization', id);
        expectVersion('organization', current, expected);
        let next = applyPatch(current, { ...data, ...(data.domains === undefined ? {} : { domains: [...new Set(data.domains)] }) });
        if (data.customFields !== undefined) next = { ...next, customFields: await fields.recordReplace('organization', current.customFields, data.customFields, read.get, 'updateOrganization patch') };
        await checkPlace(next, read, 'updateOrganization patch');
        const now = k.now();
        const outcome = updated('organization', current, next, now, (saved, changes) => [deskEvent('organization.updated', { organization: saved, previous: current, changes, at: now, actor })]);
        if (outcome.work === null) return outcome;
        return fold(withKeys(outcome, await domainKeys(outcome.result, current, 'updateOrganization patch')), { puts: [], events: [], effects: recheck('organization', current, outcome.result, now) });
      }, expected === undefined);
    },

    async addOrganizationNote(id, text, options) {
      const actor = k.actorOf(options);
      const body = parse(NoteTextSchema, text, 'addOrganizationNote text');
      return k.run(async (read) => {
        const current = await read.load('organization', id);
        const now = k.now();
        const next = { ...current, notes: [...current.notes, { text: body, author: actor, at: now }] };
        return updated('organization', current, next, now, (saved, changes) => [deskEvent('organization.updated', { organization: saved, previous: current, changes, at: now, actor })]);
      }, true);
    },

    getOrganization: (id) => createReader(k.storage).load('organization', id),

    async listOrganizations(query = {}) {
      parse(QUERY_SCHEMAS.organization, query, 'listOrganizations query');
      return k.storage.list('organization', query);
    },
  };
}

/**
 * The organisations a new customer joins: those named (each must exist), then those holding the
 * domain of one of their e-mail addresses, without repeats.
 */
export async function organizationsFor(named: ReadonlyArray<OrganizationId>, emails: ReadonlyArray<string>, read: Reader, storage: Kernel['storage'], subject: string): Promise<OrganizationId[]> {
  const out = new Set<OrganizationId>();
  for (const [i, id] of named.entries()) {
    if ((await read.get('organization', id)) === null) throw new ValidationError(subject, [{ path: ['organizationIds', i], message: `there is no organisation "${id}"`, code: 'custom' }]);
    out.add(id);
  }
  const domains = [...new Set(emails.map((e) => e.slice(e.lastIndexOf('@') + 1)).filter((d) => d !== ''))].map(domainKey);
  if (domains.length > 0) for (const owner of await storage.findKeys(domains)) if (owner.kind === 'organization') out.add(owner.id as OrganizationId);
  return [...out];
}
