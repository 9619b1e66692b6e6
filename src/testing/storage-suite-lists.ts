import { expect } from 'vitest';
import { ConflictError } from '../errors.js';
import { toAgentId, toCustomerId, toTeamId, type TicketId } from '../domain/common.js';
import type { Ticket } from '../domain/ticket.js';
import type { StoragePort, TicketQuery } from '../ports/storage.js';
import { uow } from './storage-suite-more.js';
import { makeAgent, makeCustomer, makeFollowUp, makeInteraction, makeTeam, makeTicket, type FixtureOverrides } from './fixtures.js';
import type { StorageConformanceTest } from './storage-suite.js';

type ConformanceRegister = (name: StorageConformanceTest, fn: () => Promise<void>) => void;

/** Filters and pages: tickets, customers, agents and teams, histories in pieces. */
export function listingTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('filters tickets', async () => {
    const storage = get();
    const base = Date.UTC(2026, 3, 1);
    const specs: Array<FixtureOverrides<Ticket>> = [
      { id: 'tkt_a', status: 'open', priority: 'high', type: 'complaint', tags: ['billing'], assigneeId: 'agt_1' },
      { id: 'tkt_b', status: 'pending_customer', priority: 'low', type: 'inquiry', tags: [], teamId: 'team_1' },
      { id: 'tkt_c', status: 'resolved', priority: 'high', type: 'support', tags: ['billing', 'vip'], requesterId: 'cus_9' },
      { id: 'tkt_d', status: 'open', priority: 'urgent', type: 'complaint', tags: ['vip'], assigneeId: 'agt_1', teamId: 'team_1' },
    ];
    await storage.commit(
      uow({ puts: specs.map((s, i) => ({ kind: 'ticket' as const, record: makeTicket({ ...s, createdAt: new Date(base + i * 60_000) }), expectedVersion: null })) }),
    );
    const ids = async (q: TicketQuery) => (await storage.list('ticket', q)).items.map((t) => t.id);
    expect(await ids({ status: 'open' })).toEqual(['tkt_a', 'tkt_d']);
    expect(await ids({ status: ['open', 'resolved'] })).toEqual(['tkt_a', 'tkt_c', 'tkt_d']);
    expect(await ids({ priority: ['high', 'urgent'], type: 'complaint' })).toEqual(['tkt_a', 'tkt_d']);
    expect(await ids({ tag: 'billing' })).toEqual(['tkt_a', 'tkt_c']);
    expect(await ids({ assigneeId: toAgentId('agt_1'), teamId: toTeamId('team_1') })).toEqual(['tkt_d']);
    expect(await ids({ requesterId: toCustomerId('cus_9') })).toEqual(['tkt_c']);
    expect(await ids({ createdFrom: new Date(base + 60_000), createdBefore: new Date(base + 3 * 60_000) })).toEqual(['tkt_b', 'tkt_c']);
    expect(await ids({ status: 'closed' })).toEqual([]);
    const paged = await storage.list('ticket', { tag: 'vip', limit: 1 });
    expect(paged.items.map((t) => t.id)).toEqual(['tkt_c']);
    expect(paged.nextCursor).not.toBeNull();
    const next = await storage.list('ticket', { tag: 'vip', limit: 1, cursor: paged.nextCursor as string });
    expect(next.items.map((t) => t.id)).toEqual(['tkt_d']);
  });

  test('pages and filters customers', async () => {
    const storage = get();
    const puts = Array.from({ length: 7 }, (_, i) => ({
      kind: 'customer' as const,
      record: makeCustomer(
        i % 2 === 0
          ? { id: `cus_${i}`, createdAt: new Date(Date.UTC(2026, 0, 1 + i)) }
          : { id: `cus_${i}`, kind: 'internal', department: 'packaging', createdAt: new Date(Date.UTC(2026, 0, 1 + i)) },
      ),
      expectedVersion: null,
    }));
    await storage.commit(uow({ puts }));
    const first = await storage.list('customer', { limit: 3 });
    expect(first.items.map((c) => c.id)).toEqual(['cus_0', 'cus_1', 'cus_2']);
    const second = await storage.list('customer', { limit: 3, cursor: first.nextCursor as string });
    expect(second.items.map((c) => c.id)).toEqual(['cus_3', 'cus_4', 'cus_5']);
    const internal = await storage.list('customer', { kind: 'internal' });
    expect(internal.items.map((c) => c.id)).toEqual(['cus_1', 'cus_3', 'cus_5']);
    expect(internal.items.every((c) => c.kind === 'internal')).toBe(true);
  });

  test('lists agents and teams (by creation time, then id), agents by whether they are active', async () => {
    const storage = get();
    await storage.commit(
      uow({
        puts: [
          { kind: 'agent', record: makeAgent({ id: 'agt_b' }), expectedVersion: null },
          { kind: 'agent', record: makeAgent({ id: 'agt_a', active: false }), expectedVersion: null },
          { kind: 'team', record: makeTeam({ id: 'team_z' }), expectedVersion: null },
          { kind: 'team', record: makeTeam({ id: 'team_legal', function: 'legal' }), expectedVersion: null },
        ],
      }),
    );
    expect((await storage.list('agent', {})).items.map((a) => a.id)).toEqual(['agt_a', 'agt_b']);
    expect((await storage.list('agent', { active: true })).items.map((a) => a.id)).toEqual(['agt_b']);
    expect((await storage.list('agent', { active: false })).items.map((a) => a.id)).toEqual(['agt_a']);
    expect((await storage.list('team', {})).items.map((t) => t.id)).toEqual(['team_legal', 'team_z']);
    const first = await storage.list('team', { limit: 1 });
    expect(first.items.map((t) => t.id)).toEqual(['team_legal']);
    expect((await storage.list('team', { limit: 1, cursor: first.nextCursor as string })).items.map((t) => t.id)).toEqual(['team_z']);
  });

  test("reads a ticket's history in pieces: from an entry on, at most so many", async () => {
    const storage = get();
    const ticket = makeTicket({ id: 'tkt_hist' });
    const entries = Array.from({ length: 5 }, (_, i) => makeInteraction({ id: `int_h${i}`, ticketId: ticket.id, body: `message ${i}` }));
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }], interactions: entries }));
    const ids = async (q?: { from?: number; limit?: number }) => (await storage.history('interaction', ticket.id, q)).map((i) => i.id);
    expect(await ids()).toEqual(['int_h0', 'int_h1', 'int_h2', 'int_h3', 'int_h4']);
    expect(await ids({ from: 3 })).toEqual(['int_h3', 'int_h4']);
    expect(await ids({ from: 1, limit: 2 })).toEqual(['int_h1', 'int_h2']);
    expect(await ids({ from: 9 })).toEqual([]);
    expect(await storage.history('audit', ticket.id)).toEqual([]);
  });
}

/** Events filed for publishing, idempotency requests, removals and follow-ups. */
export function eventRequestTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('keeps events filed for publishing, listed by status', async () => {
    const storage = get();
    const at = new Date('2026-04-01T00:00:00Z');
    const event = { id: 'evt_1', version: 1, name: 'ticket.opened', at, body: '{"a":1}', status: 'pending' as const, attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at };
    await storage.commit(uow({ puts: [{ kind: 'event', record: event, expectedVersion: null }] }));
    expect((await storage.list('event', { status: 'pending' })).items).toEqual([event]);
    const done = { ...event, version: 2, status: 'published' as const, publishedAt: at };
    await storage.commit(uow({ puts: [{ kind: 'event', record: done, expectedVersion: 1 }] }));
    expect((await storage.list('event', { status: 'pending' })).items).toEqual([]);
    expect(await storage.get('event', 'evt_1')).toEqual(done);
  });

  test('keeps idempotency requests with their stored response, listed by status, versioned', async () => {
    const storage = get();
    const at = new Date('2026-04-01T00:00:00Z');
    const running = { id: 'req_1', version: 1, key: 'k-1', scope: 'agent:a', fingerprint: 'f', status: 'running' as const, lockedUntil: new Date(at.getTime() + 60_000), expiresAt: new Date(at.getTime() + 86_400_000), createdAt: at, updatedAt: at };
    await storage.commit(uow({ puts: [{ kind: 'request', record: running, expectedVersion: null }] }));
    await expect(storage.commit(uow({ puts: [{ kind: 'request', record: running, expectedVersion: null }] }))).rejects.toBeInstanceOf(ConflictError);
    const done = { ...running, version: 2, status: 'done' as const, response: { status: 201, headers: { 'content-type': 'application/json', etag: '"1"' }, body: '{"id":"tkt_1","note":"\u0000 and \u00e9"}' } };
    await storage.commit(uow({ puts: [{ kind: 'request', record: done, expectedVersion: 1 }] }));
    expect(await storage.get('request', 'req_1')).toEqual(done);
    expect((await storage.list('request', { status: 'running' })).items).toEqual([]);
    expect((await storage.list('request', { status: ['done', 'released'] })).items).toEqual([done]);
  });

  test('removes records at their version, and a stale removal writes nothing', async () => {
    const storage = get();
    const at = new Date('2026-04-01T00:00:00Z');
    const request = (id: string, expiresAt: Date) => ({ id, version: 1, key: id, scope: 's', fingerprint: 'f', status: 'done' as const, lockedUntil: at, expiresAt, createdAt: at, updatedAt: at });
    const old = request('req_old', new Date('2026-04-02T00:00:00Z'));
    const fresh = request('req_new', new Date('2026-04-09T00:00:00Z'));
    await storage.commit(uow({ puts: [{ kind: 'request', record: old, expectedVersion: null }, { kind: 'request', record: fresh, expectedVersion: null }] }));
    expect((await storage.list('request', { expiredBefore: new Date('2026-04-05T00:00:00Z') })).items.map((r) => r.id)).toEqual(['req_old']);
    const ticket = makeTicket({ id: 'tkt_del' });
    // A stale version anywhere in the unit of work: nothing is written, nothing removed.
    await expect(storage.commit(uow({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }], deletes: [{ kind: 'request', id: 'req_old', version: 1 }, { kind: 'request', id: 'req_new', version: 7 }] }))).rejects.toBeInstanceOf(ConflictError);
    expect(await storage.get('ticket', 'tkt_del')).toBeNull();
    expect(await storage.get('request', 'req_old')).toEqual(old);
    await expect(storage.commit(uow({ deletes: [{ kind: 'request', id: 'req_gone', version: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
    await storage.commit(uow({ deletes: [{ kind: 'request', id: 'req_old', version: 1 }] }));
    expect([await storage.get('request', 'req_old'), (await storage.list('request', {})).items.map((r) => r.id)]).toEqual([null, ['req_new']]);
    await storage.commit(uow({ puts: [{ kind: 'request', record: old, expectedVersion: null }] })); // the id may be used again
    expect(await storage.get('request', 'req_old')).toEqual(old);
  });

  test('keeps follow-ups versioned, filtered and paged', async () => {
    const storage = get();
    const day = (d: number): Date => new Date(Date.UTC(2026, 0, d));
    await storage.commit(
      uow({
        puts: [
          { kind: 'followup', record: makeFollowUp({ id: 'f3', customerId: 'cus_a', ticketId: 'tkt_1', createdAt: day(3) }), expectedVersion: null },
          { kind: 'followup', record: makeFollowUp({ id: 'f1', customerId: 'cus_a', planId: 'birthday', createdAt: day(1) }), expectedVersion: null },
          { kind: 'followup', record: makeFollowUp({ id: 'f2', customerId: 'cus_b', ticketId: 'tkt_1', status: 'sent', createdAt: day(2) }), expectedVersion: null },
          { kind: 'followup', record: makeFollowUp({ id: 'f4', customerId: 'cus_a', status: 'cancelled', createdAt: day(4) }), expectedVersion: null },
        ],
      }),
    );
    expect((await storage.list('followup', {})).items.map((f) => f.id)).toEqual(['f1', 'f2', 'f3', 'f4']);
    expect((await storage.list('followup', { customerId: toCustomerId('cus_a') })).items.map((f) => f.id)).toEqual(['f1', 'f3', 'f4']);
    expect((await storage.list('followup', { ticketId: 'tkt_1' as TicketId })).items.map((f) => f.id)).toEqual(['f2', 'f3']);
    expect((await storage.list('followup', { customerId: toCustomerId('cus_a'), status: ['scheduled', 'sent'] })).items.map((f) => f.id)).toEqual(['f1', 'f3']);
    expect((await storage.list('followup', { planId: 'birthday' })).items.map((f) => f.id)).toEqual(['f1']);
    const first = await storage.list('followup', { limit: 3 });
    const rest = await storage.list('followup', { limit: 3, cursor: first.nextCursor as string });
    expect([...first.items, ...rest.items].map((f) => f.id)).toEqual(['f1', 'f2', 'f3', 'f4']);
    expect(rest.nextCursor).toBeNull();
    const f1 = (await storage.get('followup', 'f1')) as NonNullable<Awaited<ReturnType<StoragePort['get']>>>;
    await storage.commit(uow({ puts: [{ kind: 'followup', record: { ...makeFollowUp({ id: 'f1', customerId: 'cus_a', planId: 'birthday', createdAt: day(1) }), version: 2, status: 'sent' }, expectedVersion: 1 }] }));
    await expect(
      storage.commit(uow({ puts: [{ kind: 'followup', record: { ...makeFollowUp({ id: 'f1', customerId: 'cus_a', createdAt: day(1) }), version: 2, status: 'skipped' }, expectedVersion: 1 }] })),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(f1.version).toBe(1);
    expect((await storage.get('followup', 'f1'))?.status).toBe('sent');
    expect((await storage.list('followup', { customerId: toCustomerId('cus_a'), status: 'sent' })).items.map((f) => f.id)).toEqual(['f1']);
  });
}
