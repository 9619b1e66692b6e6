import { expect } from 'vitest';
import { ConflictError } from '../errors.js';
import type { OrganizationId } from '../domain/common.js';
import type { Organization } from '../domain/organization.js';
import { domainKey } from '../domain/organization.js';
import type { StoragePort, UnitOfWork } from '../ports/storage.js';
import { makeTicket } from './fixtures.js';
import { slaPolicyVersionId, type SlaPolicyVersion } from '../domain/sla-version.js';

/** The names of the organisation conformance tests (part of `STORAGE_CONFORMANCE_TESTS`). */
export const ACCOUNT_CONFORMANCE_TESTS = ['keeps organisations versioned, listed by kind and parent, with their domain keys', 'lists tickets by organisation', 'keeps SLA policy versions, listed by policy'] as const;

const T0 = Date.UTC(2026, 3, 1);
/** A unit of work with nothing in it but what is given. */
export const uow = (w: Partial<UnitOfWork>): UnitOfWork => ({ puts: [], interactions: [], audit: [], ...w });

/** A valid organisation for adapter tests. */
export function makeOrganization(overrides: Omit<Partial<Organization>, 'id' | 'parentId'> & { id: string; parentId?: string }): Organization {
  const at = new Date(T0);
  return { kind: 'external', name: 'ACME', domains: [], tags: [], customFields: {}, notes: [], version: 1, createdAt: at, updatedAt: at, ...overrides, id: overrides.id as OrganizationId } as Organization;
}

/** Register the organisation tests of the storage conformance suite, on the storage of each test. */
export function accountConformanceTests(storage: () => StoragePort, test: (name: (typeof ACCOUNT_CONFORMANCE_TESTS)[number], fn: () => Promise<void>) => void): void {
  test('keeps organisations versioned, listed by kind and parent, with their domain keys', async () => {
    const s = storage();
    const acme = makeOrganization({ id: 'org_acme', domains: ['acme.co.jp'], tier: 'enterprise', createdAt: new Date(T0) });
    const sales = makeOrganization({ id: 'org_sales', name: 'ACME Sales', parentId: acme.id, createdAt: new Date(T0 + 1000) });
    const plant = makeOrganization({ id: 'org_plant', kind: 'internal', name: 'Osaka plant', createdAt: new Date(T0 + 2000) });
    await s.commit(uow({ puts: [acme, sales, plant].map((record) => ({ kind: 'organization' as const, record, expectedVersion: null })), keys: [{ op: 'claim', key: domainKey('acme.co.jp'), kind: 'organization', id: acme.id }] }));
    expect(await s.get('organization', acme.id)).toEqual(acme);
    expect((await s.list('organization', {})).items.map((o) => o.id)).toEqual(['org_acme', 'org_sales', 'org_plant']);
    expect((await s.list('organization', { kind: 'internal' })).items.map((o) => o.id)).toEqual(['org_plant']);
    expect((await s.list('organization', { parentId: acme.id })).items.map((o) => o.id)).toEqual(['org_sales']);
    expect(await s.findKeys([domainKey('acme.co.jp')])).toEqual([{ key: 'domain:acme.co.jp', kind: 'organization', id: 'org_acme' }]);
    const moved = { ...sales, version: 2, parentId: plant.id };
    await s.commit(uow({ puts: [{ kind: 'organization', record: moved, expectedVersion: 1 }] }));
    expect((await s.list('organization', { parentId: plant.id })).items.map((o) => o.id)).toEqual(['org_sales']);
    expect((await s.list('organization', { parentId: acme.id })).items).toEqual([]);
    await expect(s.commit(uow({ puts: [{ kind: 'organization', record: { ...moved, version: 2 }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
  });

  test('lists tickets by organisation', async () => {
    const s = storage();
    const tickets = [makeTicket({ id: 'tkt_o1', organizationId: 'org_a' as OrganizationId }), makeTicket({ id: 'tkt_o2' }), makeTicket({ id: 'tkt_o3', organizationId: 'org_b' as OrganizationId })];
    await s.commit(uow({ puts: tickets.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })) }));
    expect((await s.list('ticket', { organizationId: 'org_a' as OrganizationId })).items.map((t) => t.id)).toEqual(['tkt_o1']);
    expect((await s.list('ticket', { organizationId: 'org_b' as OrganizationId, status: 'new' })).items.map((t) => t.id)).toEqual(['tkt_o3']);
    const moved = { ...(tickets[1] as (typeof tickets)[number]), version: 2, organizationId: 'org_a' as OrganizationId };
    await s.commit(uow({ puts: [{ kind: 'ticket', record: moved, expectedVersion: 1 }] }));
    expect((await s.list('ticket', { organizationId: 'org_a' as OrganizationId })).items.map((t) => t.id).sort()).toEqual(['tkt_o1', 'tkt_o2']);
  });

  test('keeps SLA policy versions, listed by policy', async () => {
    const s = storage();
    const version = (policyId: string, fingerprint: string, at: number): SlaPolicyVersion => ({
      id: slaPolicyVersionId(policyId, fingerprint),
      version: 1,
      policyId,
      fingerprint,
      source: { id: policyId, name: 'Standard', metrics: { resolution: { targets: { normal: 'PT8H' } } }, match: { all: [] } },
      createdAt: new Date(at),
      updatedAt: new Date(at),
    });
    const [a1, b1, a2] = [version('standard', 'k3x9', T0), version('vip', 'z1', T0 + 1000), version('standard', 'q7', T0 + 2000)];
    await s.commit(uow({ puts: [a1, b1, a2].map((record) => ({ kind: 'sla_policy' as const, record, expectedVersion: null })) }));
    expect(await s.get('sla_policy', 'standard@k3x9')).toEqual(a1);
    expect((await s.list('sla_policy', { policyId: 'standard' })).items.map((v) => v.id)).toEqual(['standard@k3x9', 'standard@q7']);
    expect((await s.list('sla_policy', {})).items).toHaveLength(3);
    // Two processes storing the same version at once: one of them loses and reads it back.
    await expect(s.commit(uow({ puts: [{ kind: 'sla_policy', record: a1, expectedVersion: null }] }))).rejects.toBeInstanceOf(ConflictError);
  });
}
