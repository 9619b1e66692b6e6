import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConflictError, createSequentialIds, createServiceDesk, type StoragePort, type Ticket } from 'omotenashi';
import { createManualClock, defineStorageConformanceSuite, makeTicket } from 'omotenashi/testing';
import { POSTGRES_MIGRATIONS, createPostgresStorage } from 'omotenashi/postgres';
import { pgPools } from '../pg-pools.js';

// The global setup starts a throwaway cluster; without PostgreSQL binaries it provides '' and
// these tests skip (CI sets REQUIRE_POSTGRES=1, so there a missing cluster fails the run).
const { available, pool } = pgPools();
let n = 0;
const schemas = new WeakMap<StoragePort, string>();

describe.skipIf(!available)('postgres', () => {
  const shared = available ? pool() : (undefined as unknown as pg.Pool);

  defineStorageConformanceSuite({
    name: 'postgres storage conformance',
    create: async () => {
      const schema = `conformance_${process.pid}_${++n}`;
      const storage = createPostgresStorage({ pool: shared, schema });
      await storage.migrate();
      schemas.set(storage, schema);
      return storage;
    },
    destroy: async (storage) => {
      await shared.query(`DROP SCHEMA IF EXISTS "${schemas.get(storage)}" CASCADE`);
    },
  });

  it('migrates once even when several processes start together, and refuses an old schema', async () => {
    const schema = `migrate_${process.pid}`;
    const racing = [pool(), pool(), pool()].map((p) => createPostgresStorage({ pool: p, schema }));
    await expect(racing[0]?.get('ticket', 'x')).rejects.toBeInstanceOf(ConfigError);
    const applied = await Promise.all(racing.map((s) => s.migrate()));
    expect(applied.sort()).toEqual([0, 0, POSTGRES_MIGRATIONS.length]);
    expect((await shared.query(`SELECT version FROM "${schema}".omotenashi_migrations ORDER BY version`)).rows).toEqual(POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    expect(() => createPostgresStorage({ pool: shared, schema: 'Robert"); DROP TABLE x;--' })).toThrow(/plain lower-case identifier/);
  });

  it('migration 3 backfills the lookup keys of the customers and e-mails already stored', async () => {
    const schema = `backfill_${process.pid}`;
    await shared.query(`CREATE SCHEMA "${schema}"`);
    await shared.query(`CREATE TABLE "${schema}".omotenashi_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    for (const [i, sql] of POSTGRES_MIGRATIONS.slice(0, 2).entries()) {
      await shared.query(sql.replaceAll('{schema}', `"${schema}"`));
      await shared.query(`INSERT INTO "${schema}".omotenashi_migrations (version) VALUES ($1)`, [i + 1]);
    }
    await shared.query(`INSERT INTO "${schema}".omotenashi_records (kind, id, version, created_at, doc) VALUES ('customer', 'cus_old', 1, 0, $1)`, [JSON.stringify({ id: 'cus_old', contacts: [{ channel: 'email', address: 'Old@Example.JP' }] })]);
    await shared.query(`INSERT INTO "${schema}".omotenashi_records (kind, id, version, created_at, doc) VALUES ('customer', 'cus_later', 1, 5, $1)`, [JSON.stringify({ id: 'cus_later', contacts: [{ channel: 'email', address: 'old@example.jp' }] })]);
    await shared.query(`INSERT INTO "${schema}".omotenashi_interactions (ticket_id, doc) VALUES ('tkt_old', $1), ('tkt_old', $2)`, [JSON.stringify({ channel: 'email', externalId: '<m1@mail.example>' }), JSON.stringify({ channel: 'chat', externalId: 'chat-1' })]);
    const storage = createPostgresStorage({ pool: shared, schema });
    expect(await storage.migrate()).toBe(POSTGRES_MIGRATIONS.length - 2);
    const keys = await storage.findKeys(['email:old@example.jp', 'msg:m1@mail.example', 'msg:chat-1']);
    expect([...keys].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'email:old@example.jp', kind: 'customer', id: 'cus_old' },
      { key: 'msg:m1@mail.example', kind: 'ticket', id: 'tkt_old' },
    ]);
    await shared.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('two desks on one database updating one ticket: exactly one ConflictError and no lost update', async () => {
    const schema = `desks_${process.pid}`;
    const a = createPostgresStorage({ pool: pool(), schema });
    await a.migrate();
    const b = createPostgresStorage({ pool: pool(), schema });
    const clock = createManualClock('2026-04-01T09:00:00Z');
    const deskA = createServiceDesk({ storage: a, clock, ids: createSequentialIds() });
    const deskB = createServiceDesk({ storage: b, clock, ids: createSequentialIds(), conflictRetries: 0 });
    const c = await deskA.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });
    const { ticket } = await deskA.openTicket({ requesterId: c.id, subject: 'Invoice', channel: 'email', tags: ['billing'] });
    const results = await Promise.allSettled([deskA.setPriority(ticket.id, 'high', { expectedVersion: ticket.version }), deskB.tag(ticket.id, ['urgent-ish'], { expectedVersion: ticket.version })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    const final = await deskA.getTicket(ticket.id);
    expect(final.version).toBe(ticket.version + 1);
    expect((await deskA.listTickets({ tag: 'billing' })).items.map((t) => t.id)).toEqual([ticket.id]);
  });

  it('many racing writers on one record: each round exactly one wins, nothing half-written', async () => {
    const schema = `race_${process.pid}`;
    const stores = [pool(), pool()].map((p) => createPostgresStorage({ pool: p, schema }));
    await stores[0]?.migrate();
    const t = makeTicket({ id: 'tkt_race', requesterId: 'cus_1' });
    await stores[0]?.commit({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }], interactions: [], audit: [] });
    for (let v = 1; v <= 10; v++) {
      const attempts = await Promise.allSettled(
        [0, 1, 2, 3].map((k) =>
          (stores[k % 2] as StoragePort).commit({
            puts: [{ kind: 'ticket', record: { ...t, version: v + 1, subject: `writer ${k}` }, expectedVersion: v }],
            interactions: [],
            audit: [{ ticketId: t.id, version: v + 1, at: new Date(0), actor: { kind: 'system' }, action: `writer ${k}`, changes: [] }],
          }),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(ConflictError);
    }
    const audit = await stores[1]?.history('audit', t.id);
    expect(audit).toHaveLength(10);
    expect((await stores[1]?.get('ticket', t.id))?.version).toBe(11);
  });

  it('imports many records in one statement, and names the one that conflicts (nothing of the batch written)', async () => {
    const schema = `bulk_${process.pid}`;
    const storage = createPostgresStorage({ pool: shared, schema });
    await storage.migrate();
    const tickets = Array.from({ length: 500 }, (_, i) => makeTicket({ id: `tkt_${i}`, requesterId: `cus_${i % 7}` as Ticket['requesterId'], sourceId: `mail-${i}`, tags: i % 2 === 0 ? ['import'] : [] }));
    await storage.commit({ puts: tickets.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })), interactions: [], audit: [] });
    expect((await storage.list('ticket', { requesterId: 'cus_3' as Ticket['requesterId'], limit: 500 })).items).toHaveLength(71);
    expect((await storage.findTicketBySourceId('mail-42'))?.id).toBe('tkt_42');
    expect((await storage.get('ticket', 'tkt_499'))).toEqual(tickets[499]);

    const clash = [makeTicket({ id: 'tkt_new_1', requesterId: 'cus_1' }), makeTicket({ id: 'tkt_7', requesterId: 'cus_1' }), makeTicket({ id: 'tkt_new_2', requesterId: 'cus_1' })];
    const byId = await storage.commit({ puts: clash.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })), interactions: [], audit: [] }).catch((e: unknown) => e);
    expect(byId).toBeInstanceOf(ConflictError);
    expect(byId).toMatchObject({ entity: 'ticket', id: 'tkt_7', kind: 'exists', actualVersion: 1 });
    const taken = [makeTicket({ id: 'tkt_new_3', requesterId: 'cus_1', sourceId: 'mail-new' }), makeTicket({ id: 'tkt_new_4', requesterId: 'cus_1', sourceId: 'mail-9' })];
    const bySource = await storage.commit({ puts: taken.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })), interactions: [], audit: [] }).catch((e: unknown) => e);
    expect(bySource).toMatchObject({ kind: 'source_id', id: 'mail-9' });
    for (const id of ['tkt_new_1', 'tkt_new_2', 'tkt_new_3']) expect(await storage.get('ticket', id)).toBeNull();
    await shared.query(`DROP SCHEMA "${schema}" CASCADE`);
  });
});
