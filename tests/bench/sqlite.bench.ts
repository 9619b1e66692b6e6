import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bench, describe } from 'vitest';
import { makeTicket } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';

// Writing one ticket (create, then update with a version check) through the SQLite adapter,
// against raw better-sqlite3 running the same statements in the same kind of transaction.
// The adapter's extra work is the port's: JSON encoding with Dates, indexed columns, conflict checks.
const dir = mkdtempSync(join(tmpdir(), 'omotenashi-bench-'));
const open = (name: string) => {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
};
const adapterDb = open('adapter.db');
const storage = createSqliteStorage({ db: adapterDb });
await storage.migrate();
const rawDb = open('raw.db');
await createSqliteStorage({ db: rawDb }).migrate();
const insert = rawDb.prepare('INSERT INTO omotenashi_records (kind, id, version, created_at, doc, status, customer_id, priority, type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
const update = rawDb.prepare('UPDATE omotenashi_records SET version = ?, doc = ?, status = ? WHERE kind = ? AND id = ? AND version = ?');
const rawCreate = rawDb.transaction((id: string, doc: string) => insert.run('ticket', id, 1, 0, doc, 'new', 'cus_1', 'normal', 'support'));
const rawUpdate = rawDb.transaction((id: string, doc: string) => {
  if (update.run(2, doc, 'open', 'ticket', id, 1).changes !== 1) throw new Error('conflict');
});

let a = 0;
let r = 0;
describe('one ticket created and updated (SQLite file, WAL)', () => {
  bench('baseline: raw better-sqlite3, same statements', () => {
    const t = makeTicket({ id: `raw_${++r}`, requesterId: 'cus_1' });
    rawCreate.immediate(t.id, JSON.stringify(t));
    rawUpdate.immediate(t.id, JSON.stringify({ ...t, version: 2, status: 'open' }));
  });
  bench('omotenashi: createSqliteStorage commit (create, then versioned update)', async () => {
    const t = makeTicket({ id: `ad_${++a}`, requesterId: 'cus_1' });
    await storage.commit({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }], interactions: [], audit: [] });
    await storage.commit({ puts: [{ kind: 'ticket', record: { ...t, version: 2, status: 'open' }, expectedVersion: 1 }], interactions: [], audit: [] });
  });
});
