import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError, createInProcessScheduler, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, type StoragePort } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';
import { createPostgresStorage } from 'omotenashi/postgres';
import { createSqliteStorage } from 'omotenashi/sqlite';
import { pgPools } from '../adapters/pg-pools.js';

const input = (customerId: string) => ({ requesterId: customerId as never, subject: 'Order A-1001: gift wrapping', channel: 'web_form' as const, description: 'Please wrap it.' });

describe('desk.within on the memory storage (no transaction to join)', () => {
  it('holds events back until committed(), drops them on discard(), and is used once', async () => {
    const clock = createManualClock('2026-12-01T09:00:00Z');
    const storage = createMemoryStorage();
    const desk = createServiceDesk({ storage, clock, ids: createSequentialIds() });
    const events = recordEvents(desk);
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ken' });
    events.clear();
    const tx = desk.within(storage);
    const { ticket } = await tx.openTicket(input(c.id));
    expect(events.names()).toEqual([]);
    await tx.committed();
    expect(events.names()).toContain('ticket.opened');
    await expect(tx.committed()).rejects.toBeInstanceOf(ConfigError);
    const other = desk.within(storage);
    await other.tag(ticket.id, ['gift']);
    other.discard();
    expect(events.names()).not.toContain('ticket.tagged');
    expect(() => desk.within({} as StoragePort)).toThrow(ConfigError);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'omotenashi-within-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('desk.within on SQLite: a command inside the application\'s own transaction', () => {
  async function setup() {
    const db = new Database(join(dir, `w-${Math.random().toString(36).slice(2)}.db`));
    const storage = createSqliteStorage({ db });
    await storage.migrate();
    db.exec('CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL)');
    const clock = createManualClock('2026-12-01T09:00:00Z');
    const desk = createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }), ids: createSequentialIds() });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ken', contacts: [{ channel: 'email', address: 'ken@example.com' }] });
    return { db, storage, desk, c, events: recordEvents(desk) };
  }

  it('the order and the ticket commit together, or roll back together', async () => {
    const s = await setup();
    s.db.exec('BEGIN');
    s.db.prepare('INSERT INTO orders VALUES (?, ?)').run('A-1001', s.c.id);
    const tx = s.desk.within(s.storage);
    const { ticket } = await tx.openTicket(input(s.c.id));
    s.db.exec('COMMIT');
    await tx.committed();
    expect((await s.desk.getTicket(ticket.id)).subject).toMatch(/A-1001/);
    expect(s.events.names()).toContain('ticket.opened');

    s.db.exec('BEGIN');
    s.db.prepare('INSERT INTO orders VALUES (?, ?)').run('A-1002', s.c.id);
    const rolled = s.desk.within(s.storage);
    const second = await rolled.openTicket({ ...input(s.c.id), subject: 'Order A-1002' });
    s.db.exec('ROLLBACK');
    rolled.discard();
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1 });
    expect(await s.storage.get('ticket', second.ticket.id)).toBeNull();
  });

  it('a refused command leaves the application\'s transaction usable', async () => {
    const s = await setup();
    s.db.exec('BEGIN');
    s.db.prepare('INSERT INTO orders VALUES (?, ?)').run('A-1003', s.c.id);
    const tx = s.desk.within(s.storage);
    await expect(tx.registerCustomer({ kind: 'external', displayName: 'Twin', contacts: [{ channel: 'email', address: 'KEN@example.com' }] })).rejects.toBeInstanceOf(ConflictError);
    await tx.openTicket(input(s.c.id));
    s.db.exec('COMMIT');
    await tx.committed();
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1 });
    expect((await s.desk.listTickets()).items).toHaveLength(1);
  });
});

const { available, pool } = pgPools();
describe.skipIf(!available)('desk.within on PostgreSQL: storage.using(client) inside the application\'s transaction', () => {
  async function setup() {
    const shared = pool();
    const schema = `within_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const storage = createPostgresStorage({ pool: shared, schema });
    await storage.migrate();
    await shared.query(`CREATE TABLE "${schema}".orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL)`);
    const clock = createManualClock('2026-12-01T09:00:00Z');
    const desk = createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }), ids: createSequentialIds() });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ken', contacts: [{ channel: 'email', address: 'ken@example.com' }] });
    return { shared, schema, storage, desk, c, events: recordEvents(desk) };
  }

  it('create the order and open the ticket atomically; a rollback leaves neither', async () => {
    const s = await setup();
    const client = await s.shared.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO "${s.schema}".orders VALUES ($1, $2)`, ['A-1001', s.c.id]);
      const tx = s.desk.within(s.storage.using(client));
      const { ticket } = await tx.openTicket(input(s.c.id));
      // Not visible outside the transaction until it commits.
      expect(await s.storage.get('ticket', ticket.id)).toBeNull();
      expect(s.events.names()).not.toContain('ticket.opened');
      await client.query('COMMIT');
      await tx.committed();
      expect((await s.storage.get('ticket', ticket.id))?.subject).toMatch(/A-1001/);
      expect(s.events.names()).toContain('ticket.opened');

      await client.query('BEGIN');
      await client.query(`INSERT INTO "${s.schema}".orders VALUES ($1, $2)`, ['A-1002', s.c.id]);
      const rolled = s.desk.within(s.storage.using(client));
      const second = await rolled.openTicket({ ...input(s.c.id), subject: 'Order A-1002' });
      await client.query('ROLLBACK');
      rolled.discard();
      expect(await s.storage.get('ticket', second.ticket.id)).toBeNull();
      expect((await s.shared.query(`SELECT id FROM "${s.schema}".orders`)).rows).toEqual([{ id: 'A-1001' }]);
    } finally {
      client.release();
    }
  });

  it('a conflict rolls back to its savepoint and the application\'s transaction goes on', async () => {
    const s = await setup();
    const client = await s.shared.connect();
    try {
      await client.query('BEGIN');
      const tx = s.desk.within(s.storage.using(client));
      await expect(tx.registerCustomer({ kind: 'external', displayName: 'Twin', contacts: [{ channel: 'email', address: 'ken@example.com' }] })).rejects.toBeInstanceOf(ConflictError);
      await client.query(`INSERT INTO "${s.schema}".orders VALUES ($1, $2)`, ['A-1003', s.c.id]);
      await tx.openTicket(input(s.c.id));
      await client.query('COMMIT');
      await tx.committed();
      expect((await s.desk.listTickets()).items).toHaveLength(1);
      expect(() => (s.storage.using(client) as typeof s.storage).using(client)).toThrow(ConfigError);
    } finally {
      client.release();
    }
  });
});
