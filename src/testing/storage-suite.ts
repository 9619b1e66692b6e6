import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../errors.js';
import { toAgentId, toCustomerId, toTeamId, type JsonValue, type TicketId } from '../domain/common.js';
import type { Ticket } from '../domain/ticket.js';
import type { StoragePort, TicketQuery, UnitOfWork } from '../ports/storage.js';
import { createManualClock } from '../adapters/memory/clock.js';
import { createServiceDesk } from '../compose.js';
import { createSequentialIds } from '../desk/ids.js';
import { MORE_CONFORMANCE_TESTS, moreConformanceTests, uow } from './storage-suite-more.js';
import { makeAgent, makeAuditEntry, makeCustomer, makeFollowUp, makeArticle, makeInteraction, makeNotification, makeOffer, makeSurvey, makeTeam, makeTicket, overrideStorage, type FixtureOverrides } from './fixtures.js';

/** The names of the storage conformance tests, for `skip`. */
export const STORAGE_CONFORMANCE_TESTS = [
  'returns null for unknown ids',
  'reads back what was written, as copies',
  'reads back any JSON value exactly, even one that looks like an encoding',
  'updates with the expected version',
  'rejects a stale version and writes nothing',
  'fails a commit whose checked records changed, and writes nothing',
  'rejects creating a record that exists',
  'commits a unit of work atomically',
  'concurrent writers: exactly one wins',
  'keeps source ids unique among tickets',
  'keeps lookup keys unique, claimed and released with the unit of work',
  'appends interactions and audit entries in order',
  'pages through tickets exactly once in both orders',
  'filters tickets',
  'pages and filters customers',
  'lists agents and teams (by creation time, then id), agents by whether they are active',
  "reads a ticket's history in pieces: from an entry on, at most so many",
  'keeps events filed for publishing, listed by status',
  'keeps idempotency requests with their stored response, listed by status, versioned',
  'removes records at their version, and a stale removal writes nothing',
  'keeps follow-ups versioned, filtered and paged',
  'keeps surveys versioned and filtered',
  'keeps the outbox versioned, filtered and paged',
  'keeps offers versioned and filtered',
  'keeps articles versioned and filtered',
  'desk: opening is idempotent on source id',
  'desk: a command that fails midway leaves nothing behind',
  ...MORE_CONFORMANCE_TESTS,
] as const;

/** The name of one storage conformance test. */
export type StorageConformanceTest = (typeof STORAGE_CONFORMANCE_TESTS)[number];

/** Options of {@link defineStorageConformanceSuite}. */
export interface StorageConformanceOptions {
  /** The suite's title (default `storage conformance`). */
  readonly name?: string;
  /** A fresh, empty storage for every test. */
  readonly create: () => StoragePort | Promise<StoragePort>;
  /** Called after every test with the storage it used (close connections, drop schemas). */
  readonly destroy?: (storage: StoragePort) => void | Promise<void>;
  /** Tests this adapter opts out of, each with the reason. */
  readonly skip?: Partial<Record<StorageConformanceTest, string>>;
}

/**
 * Define the conformance tests every storage adapter must pass, in the calling vitest file.
 *
 * @example
 * ```ts
 * import { defineStorageConformanceSuite } from 'omotenashi/testing';
 * defineStorageConformanceSuite({ create: () => createMemoryStorage() });
 * ```
 */
export function defineStorageConformanceSuite(options: StorageConformanceOptions): void {
  describe(options.name ?? 'storage conformance', () => {
    let storage: StoragePort;
    beforeEach(async () => {
      storage = await options.create();
    });
    afterEach(async () => {
      await options.destroy?.(storage);
    });
    const test = (name: StorageConformanceTest, fn: () => Promise<void>): void => {
      const reason = options.skip?.[name];
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    };
    moreConformanceTests(() => storage, test);

    test('returns null for unknown ids', async () => {
      expect(await storage.get('ticket', 'tkt_missing')).toBeNull();
      expect(await storage.get('customer', 'cus_missing')).toBeNull();
      expect(await storage.findTicketBySourceId('nope')).toBeNull();
      expect(await storage.history('interaction', 'tkt_missing' as TicketId)).toEqual([]);
      expect(await storage.history('audit', 'tkt_missing' as TicketId)).toEqual([]);
    });

    test('reads back what was written, as copies', async () => {
      const customer = makeCustomer({ id: 'cus_1', displayName: '田中 花子', tags: ['vip'] });
      const ticket = makeTicket({ id: 'tkt_1', tags: ['a'], customFields: { order: 'A-1', nested: { n: 1 } } });
      await storage.commit(uow({ puts: [{ kind: 'customer', record: customer, expectedVersion: null }, { kind: 'ticket', record: ticket, expectedVersion: null }] }));
      ticket.tags.push('mutated-after-commit');
      const read = (await storage.get('ticket', 'tkt_1')) as Ticket;
      expect(read.tags).toEqual(['a']);
      expect(read.createdAt).toBeInstanceOf(Date);
      expect(read.createdAt.getTime()).toBe(ticket.createdAt.getTime());
      expect(read.customFields).toEqual({ order: 'A-1', nested: { n: 1 } });
      read.tags.push('mutated-after-read');
      expect(((await storage.get('ticket', 'tkt_1')) as Ticket).tags).toEqual(['a']);
      expect(await storage.get('customer', 'cus_1')).toEqual(customer);
    });

    test('reads back any JSON value exactly, even one that looks like an encoding', async () => {
      // What SQL codecs use to carry Dates and the like, written as customers' own data.
      const tricky = {
        date: { $date: 0 },
        deeper: { $$date: 'x', list: [{ $undefined: 1 }, { $nul: ['a'] }, null, -1.5e300, ''] },
        nul: 'before\u0000after',
        unicode: '田中 🍣 \u2028 "quoted" \\ back',
        empty: {},
        proto: JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue,
        dollars: { $: 1, $$: 2, $type: 'x' },
      };
      const ticket = makeTicket({ id: 'tkt_json', customFields: tricky });
      const customer = makeCustomer({ id: 'cus_json', customFields: tricky });
      const notification = makeNotification({ id: 'ntf:json', data: tricky });
      const interaction = makeInteraction({ id: 'int_json', ticketId: 'tkt_json' as TicketId, metadata: tricky });
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }, { kind: 'customer', record: customer, expectedVersion: null }, { kind: 'notification', record: notification, expectedVersion: null }], interactions: [interaction] }));
      expect(await storage.get('ticket', 'tkt_json')).toEqual(ticket);
      expect(await storage.get('customer', 'cus_json')).toEqual(customer);
      expect(await storage.get('notification', 'ntf:json')).toEqual(notification);
      expect(await storage.history('interaction', 'tkt_json' as TicketId)).toEqual([interaction]);
      expect((await storage.list('ticket', {})).items).toEqual([ticket]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    test('updates with the expected version', async () => {
      const t = makeTicket({ id: 'tkt_1' });
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }] }));
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...t, version: 2, status: 'open' }, expectedVersion: 1 }] }));
      const read = (await storage.get('ticket', 'tkt_1')) as Ticket;
      expect(read.version).toBe(2);
      expect(read.status).toBe('open');
    });

    test('fails a commit whose checked records changed, and writes nothing', async () => {
      const manager = makeAgent({ id: 'agt_m' });
      await storage.commit(uow({ puts: [{ kind: 'agent', record: manager, expectedVersion: null }] }));
      const ticket = makeTicket({ id: 'tkt_checked' });
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }], checks: [{ kind: 'agent', id: 'agt_m', version: 1 }, { kind: 'team', id: 'team_none', version: 0 }] }));
      await storage.commit(uow({ puts: [{ kind: 'agent', record: { ...manager, version: 2 }, expectedVersion: 1 }] }));
      const stale = uow({ puts: [{ kind: 'ticket', record: { ...ticket, version: 2, status: 'open' }, expectedVersion: 1 }], checks: [{ kind: 'agent', id: 'agt_m', version: 1 }] });
      await expect(storage.commit(stale)).rejects.toMatchObject({ kind: 'version', entity: 'agent', id: 'agt_m', actualVersion: 2 });
      await expect(storage.commit(uow({ puts: [], interactions: [makeInteraction({ id: 'int_c', ticketId: 'tkt_checked' as TicketId })], checks: [{ kind: 'team', id: 'team_late', version: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
      expect(((await storage.get('ticket', 'tkt_checked')) as Ticket).version).toBe(1);
      expect(await storage.history('interaction', 'tkt_checked' as TicketId)).toEqual([]);
    });

    test('rejects a stale version and writes nothing', async () => {
      const t = makeTicket({ id: 'tkt_1' });
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }] }));
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...t, version: 2, subject: 'first' }, expectedVersion: 1 }] }));
      const stale = storage.commit(
        uow({
          puts: [{ kind: 'ticket', record: { ...t, version: 2, subject: 'stale' }, expectedVersion: 1 }],
          interactions: [makeInteraction({ id: 'int_x', ticketId: 'tkt_1' })],
        }),
      );
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      await expect(stale).rejects.toMatchObject({ code: 'CONFLICT', kind: 'version', expectedVersion: 1, actualVersion: 2 });
      expect(((await storage.get('ticket', 'tkt_1')) as Ticket).subject).toBe('first');
      expect(await storage.history('interaction', 'tkt_1' as TicketId)).toEqual([]);
    });

    test('rejects creating a record that exists', async () => {
      await storage.commit(uow({ puts: [{ kind: 'agent', record: makeAgent({ id: 'agt_1' }), expectedVersion: null }] }));
      await expect(storage.commit(uow({ puts: [{ kind: 'agent', record: makeAgent({ id: 'agt_1', name: 'Other' }), expectedVersion: null }] }))).rejects.toMatchObject({
        code: 'CONFLICT',
        kind: 'exists',
      });
      await expect(storage.commit(uow({ puts: [{ kind: 'agent', record: makeAgent({ id: 'agt_2', version: 2 }), expectedVersion: 1 }] }))).rejects.toMatchObject({
        code: 'CONFLICT',
        kind: 'version',
        actualVersion: null,
      });
      expect((await storage.get('agent', 'agt_1'))?.name).toBe('Test Agent');
    });

    test('commits a unit of work atomically', async () => {
      const old = makeTicket({ id: 'tkt_old' });
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: old, expectedVersion: null }] }));
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...old, version: 2 }, expectedVersion: 1 }] }));
      const failing = uow({
        puts: [
          { kind: 'customer', record: makeCustomer({ id: 'cus_new' }), expectedVersion: null },
          { kind: 'ticket', record: makeTicket({ id: 'tkt_new', sourceId: 'src-new' }), expectedVersion: null },
          { kind: 'ticket', record: { ...old, version: 2, subject: 'lost' }, expectedVersion: 1 },
        ],
        interactions: [makeInteraction({ id: 'int_1', ticketId: 'tkt_new' })],
        audit: [makeAuditEntry({ ticketId: 'tkt_new' })],
      });
      await expect(storage.commit(failing)).rejects.toBeInstanceOf(ConflictError);
      expect(await storage.get('customer', 'cus_new')).toBeNull();
      expect(await storage.get('ticket', 'tkt_new')).toBeNull();
      expect(await storage.findTicketBySourceId('src-new')).toBeNull();
      expect(await storage.history('interaction', 'tkt_new' as TicketId)).toEqual([]);
      expect(await storage.history('audit', 'tkt_new' as TicketId)).toEqual([]);
      expect((await storage.list('ticket', {})).items.map((t) => t.id)).toEqual(['tkt_old']);
    });

    test('concurrent writers: exactly one wins', async () => {
      const t = makeTicket({ id: 'tkt_1' });
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }] }));
      const writers = ['a', 'b', 'c', 'd'].map((name) =>
        storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...t, version: 2, subject: name }, expectedVersion: 1 }] })),
      );
      const results = await Promise.allSettled(writers);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(3);
      for (const r of lost) expect(r.reason).toBeInstanceOf(ConflictError);
      const winner = ['a', 'b', 'c', 'd'][results.findIndex((r) => r.status === 'fulfilled')];
      expect(((await storage.get('ticket', 'tkt_1')) as Ticket).subject).toBe(winner);
    });

    test('keeps source ids unique among tickets', async () => {
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: makeTicket({ id: 'tkt_1', sourceId: '<m1@mail>' }), expectedVersion: null }] }));
      expect((await storage.findTicketBySourceId('<m1@mail>'))?.id).toBe('tkt_1');
      await expect(
        storage.commit(uow({ puts: [{ kind: 'ticket', record: makeTicket({ id: 'tkt_2', sourceId: '<m1@mail>' }), expectedVersion: null }] })),
      ).rejects.toMatchObject({ code: 'CONFLICT', kind: 'source_id' });
      await expect(
        storage.commit(
          uow({
            puts: [
              { kind: 'ticket', record: makeTicket({ id: 'tkt_3', sourceId: 'same' }), expectedVersion: null },
              { kind: 'ticket', record: makeTicket({ id: 'tkt_4', sourceId: 'same' }), expectedVersion: null },
            ],
          }),
        ),
      ).rejects.toMatchObject({ kind: 'source_id' });
      expect(await storage.get('ticket', 'tkt_2')).toBeNull();
      expect(await storage.get('ticket', 'tkt_3')).toBeNull();
    });

    test('keeps lookup keys unique, claimed and released with the unit of work', async () => {
      const claim = (key: string, id: string) => ({ op: 'claim' as const, key, kind: 'customer' as const, id });
      await storage.commit(uow({ puts: [{ kind: 'customer', record: makeCustomer({ id: 'cus_k1' }), expectedVersion: null }], keys: [claim('email:a@x.example', 'cus_k1'), claim('phone:+81312345678', 'cus_k1')] }));
      expect([...(await storage.findKeys(['email:a@x.example', 'email:none@x.example', 'phone:+81312345678']))].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: 'email:a@x.example', kind: 'customer', id: 'cus_k1' },
        { key: 'phone:+81312345678', kind: 'customer', id: 'cus_k1' },
      ]);
      // Another record's claim fails whole: its record is not written either.
      await expect(
        storage.commit(uow({ puts: [{ kind: 'customer', record: makeCustomer({ id: 'cus_k2' }), expectedVersion: null }], keys: [claim('email:b@x.example', 'cus_k2'), claim('email:a@x.example', 'cus_k2')] })),
      ).rejects.toMatchObject({ code: 'CONFLICT', kind: 'key', entity: 'customer', id: 'cus_k1' });
      expect(await storage.get('customer', 'cus_k2')).toBeNull();
      expect(await storage.findKeys(['email:b@x.example'])).toEqual([]);
      // Claiming again is a no-op; releasing someone else's key changes nothing; release then claim moves it.
      await storage.commit(uow({ keys: [claim('email:a@x.example', 'cus_k1'), { op: 'release', key: 'phone:+81312345678', kind: 'customer', id: 'cus_other' }] }));
      expect(await storage.findKeys(['phone:+81312345678'])).toHaveLength(1);
      await storage.commit(uow({ keys: [{ op: 'release', key: 'email:a@x.example', kind: 'customer', id: 'cus_k1' }, claim('email:a@x.example', 'cus_k3')] }));
      expect(await storage.findKeys(['email:a@x.example'])).toEqual([{ key: 'email:a@x.example', kind: 'customer', id: 'cus_k3' }]);
      // Concurrent claims of one free key: exactly one wins.
      const racers = await Promise.allSettled(['cus_r1', 'cus_r2', 'cus_r3'].map((id) => storage.commit(uow({ keys: [claim('msg:race@x.example', id)] }))));
      expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of racers) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
      expect(await storage.findKeys(['msg:race@x.example'])).toHaveLength(1);
    });

    test('appends interactions and audit entries in order', async () => {
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: makeTicket({ id: 'tkt_1' }), expectedVersion: null }] }));
      for (let i = 0; i < 5; i++) {
        await storage.commit(
          uow({
            interactions: [makeInteraction({ id: `int_${i}`, ticketId: 'tkt_1', body: `message ${i}` }), makeInteraction({ id: `int_other_${i}`, ticketId: 'tkt_2' })],
            audit: [makeAuditEntry({ ticketId: 'tkt_1', action: `step ${i}`, changes: [{ field: 'status', from: 'new', to: 'open' }] })],
          }),
        );
      }
      expect((await storage.history('interaction', 'tkt_1' as TicketId)).map((i) => i.body)).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
      const audit = await storage.history('audit', 'tkt_1' as TicketId);
      expect(audit.map((a) => a.action)).toEqual([0, 1, 2, 3, 4].map((i) => `step ${i}`));
      expect(audit[0]?.changes).toEqual([{ field: 'status', from: 'new', to: 'open' }]);
    });

    test('pages through tickets exactly once in both orders', async () => {
      const tickets: Ticket[] = [];
      for (let i = 0; i < 23; i++) {
        // Several tickets share a creation instant, so ordering by id breaks ties.
        tickets.push(makeTicket({ id: `tkt_${String((i * 7) % 23).padStart(2, '0')}`, createdAt: new Date(Date.UTC(2026, 3, 1, 0, Math.floor(i / 3))) }));
      }
      await storage.commit(uow({ puts: tickets.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })) }));
      const expected = [...tickets].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).map((t) => t.id);
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await storage.list('ticket', { order, limit: 5, ...(cursor === undefined ? {} : { cursor }) });
          expect(page.items.length).toBeLessThanOrEqual(5);
          seen.push(...page.items.map((t) => t.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor !== undefined && pages < 50);
        expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
      }
      const all = await storage.list('ticket', { limit: 23 });
      expect(all.items).toHaveLength(23);
      expect(all.nextCursor).toBeNull();
    });

    test('filters tickets', async () => {
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

    test('keeps events filed for publishing, listed by status', async () => {
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

    test('keeps surveys versioned and filtered', async () => {
      await storage.commit(
        uow({
          puts: [
            { kind: 'survey', record: makeSurvey({ id: 's1', customerId: 'cus_a', ticketId: 'tkt_1' }), expectedVersion: null },
            { kind: 'survey', record: makeSurvey({ id: 's2', customerId: 'cus_b', ticketId: 'tkt_2', createdAt: new Date(Date.UTC(2026, 5, 1)) }), expectedVersion: null },
          ],
        }),
      );
      await expect(storage.commit(uow({ puts: [{ kind: 'survey', record: makeSurvey({ id: 's1', customerId: 'cus_a', ticketId: 'tkt_1' }), expectedVersion: null }] }))).rejects.toMatchObject({ kind: 'exists' });
      const answered = { ...makeSurvey({ id: 's1', customerId: 'cus_a', ticketId: 'tkt_1' }), version: 2, status: 'answered' as const, answer: { csat: 5 }, answeredAt: new Date(Date.UTC(2026, 3, 2)) };
      await storage.commit(uow({ puts: [{ kind: 'survey', record: answered, expectedVersion: 1 }] }));
      expect((await storage.list('survey', { ticketId: 'tkt_1' as TicketId })).items).toEqual([answered]);
      expect((await storage.list('survey', { status: 'sent' })).items.map((v) => v.id)).toEqual(['s2']);
      expect((await storage.list('survey', { customerId: toCustomerId('cus_b') })).items.map((v) => v.id)).toEqual(['s2']);
    });

    test('keeps the outbox versioned, filtered and paged', async () => {
      const at = (d: number): Date => new Date(Date.UTC(2026, 3, d));
      const to = (id: string) => ({ kind: 'customer' as const, id, name: 'Ms A', address: `${id}@example.com` });
      await storage.commit(
        uow({
          puts: [
            { kind: 'notification', record: makeNotification({ id: 'ntf:3', to: to('cus_a'), ticketId: 'tkt_1' as TicketId, createdAt: at(3) }), expectedVersion: null },
            { kind: 'notification', record: makeNotification({ id: 'ntf:1', to: to('cus_a'), createdAt: at(1) }), expectedVersion: null },
            { kind: 'notification', record: makeNotification({ id: 'ntf:2', to: to('cus_b'), ticketId: 'tkt_1' as TicketId, status: 'sent', createdAt: at(2) }), expectedVersion: null },
          ],
        }),
      );
      await expect(storage.commit(uow({ puts: [{ kind: 'notification', record: makeNotification({ id: 'ntf:1' }), expectedVersion: null }] }))).rejects.toMatchObject({ kind: 'exists' });
      expect((await storage.list('notification', {})).items.map((n) => n.id)).toEqual(['ntf:1', 'ntf:2', 'ntf:3']);
      expect((await storage.list('notification', { status: 'pending' })).items.map((n) => n.id)).toEqual(['ntf:1', 'ntf:3']);
      expect((await storage.list('notification', { recipientId: 'cus_a' })).items.map((n) => n.id)).toEqual(['ntf:1', 'ntf:3']);
      expect((await storage.list('notification', { ticketId: 'tkt_1' as TicketId, status: ['sent', 'failed'] })).items.map((n) => n.id)).toEqual(['ntf:2']);
      const first = await storage.list('notification', { limit: 2 });
      const rest = await storage.list('notification', { limit: 2, cursor: first.nextCursor as string });
      expect([...first.items, ...rest.items].map((n) => n.id)).toEqual(['ntf:1', 'ntf:2', 'ntf:3']);
      const sent = { ...makeNotification({ id: 'ntf:1', to: to('cus_a'), createdAt: at(1) }), version: 2, status: 'sent' as const, externalId: 'x-1', sentAt: at(5), attempts: [{ at: at(5), ok: true, notifier: 'smtp' }] };
      await storage.commit(uow({ puts: [{ kind: 'notification', record: sent, expectedVersion: 1 }] }));
      await expect(storage.commit(uow({ puts: [{ kind: 'notification', record: { ...sent, status: 'failed' }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
      expect(await storage.get('notification', 'ntf:1')).toEqual(sent);
      expect((await storage.list('notification', { status: 'pending' })).items.map((n) => n.id)).toEqual(['ntf:3']);
    });

    test('keeps offers versioned and filtered', async () => {
      const at = (d: number): Date => new Date(Date.UTC(2026, 3, d));
      await storage.commit(
        uow({
          puts: [
            { kind: 'offer', record: makeOffer({ id: 'o2', customerId: 'cus_a', sku: 'pro', createdAt: at(2) }), expectedVersion: null },
            { kind: 'offer', record: makeOffer({ id: 'o1', customerId: 'cus_a', sku: 'storage', kind: 'add_on', createdAt: at(1) }), expectedVersion: null },
            { kind: 'offer', record: makeOffer({ id: 'o3', customerId: 'cus_b', sku: 'pro', status: 'accepted', createdAt: at(3) }), expectedVersion: null },
          ],
        }),
      );
      expect((await storage.list('offer', {})).items.map((o) => o.id)).toEqual(['o1', 'o2', 'o3']);
      expect((await storage.list('offer', { customerId: toCustomerId('cus_a') })).items.map((o) => o.id)).toEqual(['o1', 'o2']);
      expect((await storage.list('offer', { sku: 'pro', status: ['accepted', 'rejected'] })).items.map((o) => o.id)).toEqual(['o3']);
      const answered = { ...makeOffer({ id: 'o2', customerId: 'cus_a', sku: 'pro', createdAt: at(2) }), version: 2, status: 'rejected' as const, answeredAt: at(4) };
      await storage.commit(uow({ puts: [{ kind: 'offer', record: answered, expectedVersion: 1 }] }));
      await expect(storage.commit(uow({ puts: [{ kind: 'offer', record: { ...answered, status: 'accepted' }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
      expect(await storage.get('offer', 'o2')).toEqual(answered);
      expect((await storage.list('offer', { customerId: toCustomerId('cus_a'), status: 'offered' })).items.map((o) => o.id)).toEqual(['o1']);
    });

    test('keeps articles versioned and filtered', async () => {
      const at = (d: number): Date => new Date(Date.UTC(2026, 3, d));
      await storage.commit(
        uow({
          puts: [
            { kind: 'article', record: makeArticle({ id: 'kb2', locale: 'ja', tags: ['router'], createdAt: at(2) }), expectedVersion: null },
            { kind: 'article', record: makeArticle({ id: 'kb1', status: 'draft', product: 'ROUTER-X2', tags: ['router', 'firmware'], createdAt: at(1) }), expectedVersion: null },
            { kind: 'article', record: makeArticle({ id: 'kb3', createdAt: at(3) }), expectedVersion: null },
          ],
        }),
      );
      expect((await storage.list('article', {})).items.map((a) => a.id)).toEqual(['kb1', 'kb2', 'kb3']);
      expect((await storage.list('article', { status: 'published' })).items.map((a) => a.id)).toEqual(['kb2', 'kb3']);
      expect((await storage.list('article', { locale: 'ja' })).items.map((a) => a.id)).toEqual(['kb2']);
      expect((await storage.list('article', { tag: 'router', product: 'ROUTER-X2' })).items.map((a) => a.id)).toEqual(['kb1']);
      const published = { ...makeArticle({ id: 'kb1', status: 'draft', product: 'ROUTER-X2', tags: ['router', 'firmware'], createdAt: at(1) }), version: 2, status: 'published' as const, publishedAt: at(4) };
      await storage.commit(uow({ puts: [{ kind: 'article', record: published, expectedVersion: 1 }] }));
      await expect(storage.commit(uow({ puts: [{ kind: 'article', record: { ...published, status: 'archived' }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
      expect(await storage.get('article', 'kb1')).toEqual(published);
    });

    test('desk: opening is idempotent on source id', async () => {
      const desk = createServiceDesk({ storage, clock: createManualClock('2026-04-01T09:00:00Z'), ids: createSequentialIds() });
      const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });
      const input = { requesterId: c.id, subject: 'Invoice', channel: 'email' as const, description: 'Where is my invoice?', sourceId: '<abc@mail>' };
      const first = await desk.openTicket(input);
      const again = await desk.openTicket(input);
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.ticket.id).toBe(first.ticket.id);
      const racing = await Promise.all([desk.openTicket({ ...input, sourceId: '<race@mail>' }), desk.openTicket({ ...input, sourceId: '<race@mail>' })]);
      expect(racing[0].ticket.id).toBe(racing[1].ticket.id);
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      expect((await desk.listTickets()).items).toHaveLength(2);
      expect(await desk.listInteractions(first.ticket.id)).toHaveLength(1);
      await desk.stop();
    });

    test('desk: a command that fails midway leaves nothing behind', async () => {
      const clock = createManualClock('2026-04-01T09:00:00Z');
      // A competing writer changes the old ticket between the desk's read and its commit.
      let interfere: (() => Promise<void>) | undefined;
      const racing = overrideStorage(storage, {
        async commit(work) {
          const run = interfere;
          interfere = undefined;
          if (run) await run();
          return storage.commit(work);
        },
      });
      const desk = createServiceDesk({ storage: racing, clock, ids: createSequentialIds(), lifecycle: { reopenWindow: 'P1D' } });
      const c = await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
      const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'Broken lid', channel: 'phone', description: 'The lid broke' });
      await desk.resolve(ticket.id, { summary: 'Sent a new lid' });
      const closed = await desk.confirmResolution(ticket.id);
      await clock.advance('P3D');
      const trailBefore = await desk.getAuditTrail(ticket.id);
      interfere = async () => {
        const current = (await storage.get('ticket', ticket.id)) as Ticket;
        await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...current, version: current.version + 1, tags: ['touched'] }, expectedVersion: current.version }] }));
      };
      // Past the window, reopening writes two tickets (the follow-up and the old one's link).
      await expect(desk.reopen(ticket.id, { reason: 'Lid broke again' }, { expectedVersion: closed.version })).rejects.toBeInstanceOf(ConflictError);
      expect((await desk.listTickets()).items.map((t) => t.id)).toEqual([ticket.id]);
      expect((await desk.getTicket(ticket.id)).followUps).toEqual([]);
      expect(await desk.getAuditTrail(ticket.id)).toHaveLength(trailBefore.length);
      // Validation failures never reach storage at all.
      await expect(desk.openTicket({ requesterId: c.id, subject: '', channel: 'email' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(desk.openTicket({ requesterId: 'cus_missing' as typeof c.id, subject: 'x', channel: 'email' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await desk.listTickets()).items).toHaveLength(1);
      await desk.stop();
    });
  });
}
