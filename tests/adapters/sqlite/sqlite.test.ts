import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError, createInProcessScheduler, createSequentialIds, createServiceDesk, type StoragePort, type TicketQuery } from 'omotenashi';
import { createManualClock, defineStorageConformanceSuite } from 'omotenashi/testing';
import { SQLITE_MIGRATIONS, createSqliteStorage } from 'omotenashi/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'omotenashi-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = (file = join(dir, `desk-${++n}.db`)) => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
};
const connections = new WeakMap<StoragePort, Database.Database>();

defineStorageConformanceSuite({
  name: 'sqlite storage conformance',
  create: async () => {
    const db = open();
    const storage = createSqliteStorage({ db });
    await storage.migrate();
    connections.set(storage, db);
    return storage;
  },
  destroy: (storage) => {
    connections.get(storage)?.close();
  },
});

describe('sqlite storage', () => {
  it('migrates forward once, and refuses to work on an old schema', async () => {
    const db = open();
    const storage = createSqliteStorage({ db });
    await expect(storage.get('ticket', 'x')).rejects.toBeInstanceOf(ConfigError);
    await expect(storage.get('ticket', 'x')).rejects.toThrow(/run await storage.migrate\(\)/);
    expect(await storage.migrate()).toBe(SQLITE_MIGRATIONS.length);
    expect(await storage.migrate()).toBe(0);
    expect(await createSqliteStorage({ db: open(db.name) }).migrate()).toBe(0);
    expect(db.prepare('SELECT version FROM omotenashi_migrations').all()).toEqual(SQLITE_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    expect(() => createSqliteStorage({ db: {} as never })).toThrow(/better-sqlite3/);
    db.close();
  });

  it('migration 3 backfills the lookup keys of the customers and e-mails already stored', async () => {
    const db = open();
    db.exec('CREATE TABLE omotenashi_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)');
    for (const [i, sql] of SQLITE_MIGRATIONS.slice(0, 2).entries()) {
      db.exec(sql);
      db.prepare('INSERT INTO omotenashi_migrations (version) VALUES (?)').run(i + 1);
    }
    db.prepare("INSERT INTO omotenashi_records (kind, id, version, created_at, doc) VALUES ('customer', 'cus_old', 1, 0, ?)").run(JSON.stringify({ id: 'cus_old', contacts: [{ channel: 'email', address: 'Old@Example.JP' }, { channel: 'phone', number: '+81312345678' }] }));
    db.prepare("INSERT INTO omotenashi_interactions (ticket_id, doc) VALUES ('tkt_old', ?)").run(JSON.stringify({ channel: 'email', externalId: '<m1@mail.example>' }));
    db.prepare("INSERT INTO omotenashi_interactions (ticket_id, doc) VALUES ('tkt_old', ?)").run(JSON.stringify({ channel: 'chat', externalId: 'chat-1' }));
    const storage = createSqliteStorage({ db });
    expect(await storage.migrate()).toBe(SQLITE_MIGRATIONS.length - 2);
    const keys = await storage.findKeys(['email:old@example.jp', 'msg:m1@mail.example', 'msg:chat-1']);
    expect([...keys].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'email:old@example.jp', kind: 'customer', id: 'cus_old' },
      { key: 'msg:m1@mail.example', kind: 'ticket', id: 'tkt_old' },
    ]);
    db.close();
  });

  it('two desks on one file updating one ticket: exactly one ConflictError, no lost update', async () => {
    const file = join(dir, 'shared.db');
    const a = createSqliteStorage({ db: open(file) });
    await a.migrate();
    const b = createSqliteStorage({ db: open(file) });
    const clock = createManualClock('2026-04-01T09:00:00Z');
    const deskA = createServiceDesk({ storage: a, clock, ids: createSequentialIds() });
    const deskB = createServiceDesk({ storage: b, clock, ids: createSequentialIds(), conflictRetries: 0 });
    const c = await deskA.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });
    const { ticket } = await deskA.openTicket({ requesterId: c.id, subject: 'Invoice', channel: 'email' });
    const seenByB = await deskB.getTicket(ticket.id);
    await deskA.setPriority(ticket.id, 'high', { expectedVersion: ticket.version });
    await expect(deskB.tag(ticket.id, ['billing'], { expectedVersion: seenByB.version })).rejects.toBeInstanceOf(ConflictError);
    await deskB.tag(ticket.id, ['billing']);
    const final = await deskA.getTicket(ticket.id);
    expect(final).toMatchObject({ priority: 'high', tags: ['billing'] });
    expect((await deskA.getAuditTrail(ticket.id)).map((e) => e.action)).toEqual(['open', 'set_priority', 'tag']);
  });

  it('keeps at most 100 listing statements however the filters vary', async () => {
    const db = open();
    let prepared = 0;
    const counting = new Proxy(db, { get: (t, p) => (p === 'prepare' ? (sql: string) => (prepared++, t.prepare(sql)) : Reflect.get(t, p, t)) }) as Database.Database;
    const storage = createSqliteStorage({ db: counting });
    await storage.migrate();
    const statuses = ['new', 'open', 'pending_customer', 'on_hold', 'resolved', 'closed'] as const;
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    // Each combination of list lengths and filters present is its own SQL text.
    const queries: TicketQuery[] = [];
    for (let a = 1; a <= 6; a++) for (let b = 1; b <= 4; b++) for (let c = 0; c < 8; c++) {
      queries.push({ status: [...statuses.slice(0, a)], priority: [...priorities.slice(0, b)], ...(c & 1 ? { assigneeId: 'agt_1' as never } : {}), ...(c & 2 ? { teamId: 'team_1' as never } : {}), ...(c & 4 ? { tag: 'vip' } : {}) });
    }
    queries.length = 150;
    for (const q of queries) await storage.list('ticket', q);
    const first = prepared;
    for (const q of queries) await storage.list('ticket', q);
    // Unbounded, the second pass would prepare nothing; bounded at 100, the evicted ones come back.
    expect(prepared - first).toBeGreaterThanOrEqual(50);
    for (let i = 0; i < 10; i++) await storage.list('ticket', queries[149] as never);
    expect(prepared - first).toBeLessThanOrEqual(150);
  });

  it('keeps everything across a restart, and the desk picks up its timers', async () => {
    const file = join(dir, 'restart.db');
    const first = createSqliteStorage({ db: open(file) });
    await first.migrate();
    const clock = createManualClock('2026-04-01T09:00:00Z');
    const desk = createServiceDesk({ storage: first, clock, ids: createSequentialIds(), lifecycle: { autoCloseAfter: 'P3D' } });
    const c = await desk.registerCustomer({ kind: 'external', displayName: '田中 花子', locale: 'ja', contacts: [{ channel: 'email', address: 'hanako@example.jp' }] });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'ルーター', channel: 'email', description: '毎晩再起動します', sourceId: '<m1@mail>' });
    await desk.resolve(ticket.id, { summary: 'ファームウェア更新' });
    await desk.stop();
    const again = createSqliteStorage({ db: open(file) });
    const later = createManualClock(clock.now());
    const restarted = createServiceDesk({ storage: again, clock: later, scheduler: createInProcessScheduler({ clock: later }), lifecycle: { autoCloseAfter: 'P3D' } });
    expect(await again.findTicketBySourceId('<m1@mail>')).toMatchObject({ id: ticket.id, status: 'resolved', resolvedAt: clock.date() });
    expect((await restarted.listInteractions(ticket.id)).map((i) => i.body)).toEqual(['毎晩再起動します']);
    expect(await restarted.restoreSchedules()).toBeGreaterThan(0);
    await later.advance('P3D');
    expect((await restarted.getTicket(ticket.id)).status).toBe('closed');
    await restarted.stop();
  });
});
