/**
 * `omotenashi/sqlite`: storage in one SQLite file, the durable default for small deployments.
 * Pass a `better-sqlite3` database you opened (`npm install better-sqlite3`; an optional peer
 * dependency); the adapter imports no driver itself.
 * @module
 */
import { ConfigError, ConflictError } from '../../errors.js';
import type { TicketId } from '../../domain/common.js';
import { decodeCursor, encodeCursor, type EntityKind, type EntityMap, type HistoryKind, type HistoryMap, type HistoryQuery, type Page, type StoragePort, type UnitOfWork } from '../../ports/storage.js';
import { keyChanges, type Owner } from '../../ports/keys.js';
import { missingEntry } from '../../ports/rewrites.js';
import { COLUMN_NAMES, FIRST_COLUMN_NAMES, columnValues, columnsOf, conditionsOf, decode, encode, type Condition } from '../sql/codec.js';

/** What the adapter needs of a prepared statement (better-sqlite3's `Statement` fits). */
export interface SqliteStatement {
  /** Execute a write; `changes` is how many rows it touched. */
  run(...params: unknown[]): { changes: number };
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  /** Every row. */
  all(...params: unknown[]): unknown[];
}

/** What the adapter needs of a database connection (better-sqlite3's `Database` fits). */
export interface SqliteDatabase {
  /** Compile a statement. */
  prepare(sql: string): SqliteStatement;
  /** Run SQL text (DDL, transaction control). */
  exec(sql: string): unknown;
  /** Wrap a function in a transaction; `immediate` takes the write lock at the start. */
  transaction(fn: (work: UnitOfWork) => void): SqliteTransaction;
}

/** A transaction-wrapped function, as better-sqlite3's `db.transaction(fn)` returns it. */
export interface SqliteTransaction {
  /** Run it in a `BEGIN IMMEDIATE` transaction. */
  immediate(work: UnitOfWork): void;
}

/** Options of {@link createSqliteStorage}. */
export interface SqliteStorageOptions {
  /** An open better-sqlite3 database: `new Database('desk.db')`. */
  readonly db: SqliteDatabase;
}

/** A SQLite storage: the storage port, plus its migrations. */
export interface SqliteStorage extends StoragePort {
  /**
   * Bring the schema up to date with forward-only, versioned migrations, each in its own
   * transaction; returns how many were applied (0 when up to date). Run it at start-up.
   */
  migrate(): Promise<number>;
}

/** The migrations, in order; their index + 1 is their version. Never edit one that shipped: add a new one. */
export const SQLITE_MIGRATIONS: ReadonlyArray<string> = [
  `CREATE TABLE omotenashi_records (
     kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL,
     ${FIRST_COLUMN_NAMES.map((c) => `${c} ${c === 'due_at' ? 'INTEGER' : 'TEXT'}`).join(', ')},
     PRIMARY KEY (kind, id)
   );
   CREATE UNIQUE INDEX omotenashi_ticket_source ON omotenashi_records (source_id) WHERE kind = 'ticket' AND source_id IS NOT NULL;
   CREATE INDEX omotenashi_records_order ON omotenashi_records (kind, created_at, id);
   CREATE INDEX omotenashi_records_status ON omotenashi_records (kind, status, created_at, id);
   CREATE INDEX omotenashi_records_customer ON omotenashi_records (kind, customer_id, created_at, id);
   CREATE INDEX omotenashi_records_ticket ON omotenashi_records (kind, ticket_id, created_at, id);
   CREATE INDEX omotenashi_records_assignee ON omotenashi_records (kind, assignee_id, created_at, id);
   CREATE INDEX omotenashi_records_due ON omotenashi_records (kind, status, due_at);
   CREATE TABLE omotenashi_interactions (seq INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE INDEX omotenashi_interactions_ticket ON omotenashi_interactions (ticket_id, seq);
   CREATE TABLE omotenashi_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE INDEX omotenashi_audit_ticket ON omotenashi_audit (ticket_id, seq);`,
  // 2: agents are listed by whether they are active (kept in the status column).
  `UPDATE omotenashi_records SET status = CASE WHEN json_extract(doc, '$.active') THEN 'active' ELSE 'inactive' END WHERE kind = 'agent';`,
  // 3: unique lookup keys (normalised e-mail addresses, message ids) and the record owning each.
  `CREATE TABLE omotenashi_keys (key TEXT PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL);
   CREATE INDEX omotenashi_keys_owner ON omotenashi_keys (kind, id);
   INSERT OR IGNORE INTO omotenashi_keys (key, kind, id)
     SELECT 'email:' || lower(trim(json_extract(c.value, '$.address'))), 'customer', r.id
     FROM omotenashi_records r, json_each(r.doc, '$.contacts') c
     WHERE r.kind = 'customer' AND json_extract(c.value, '$.channel') = 'email' ORDER BY r.created_at, r.id;
   INSERT OR IGNORE INTO omotenashi_keys (key, kind, id)
     SELECT 'msg:' || trim(json_extract(doc, '$.externalId'), '<> '), 'ticket', ticket_id FROM omotenashi_interactions
     WHERE json_extract(doc, '$.channel') = 'email' AND json_type(doc, '$.externalId') = 'text' ORDER BY seq;`,
  // 4: organisations, and tickets listed by organisation (a ticket's organisation, an organisation's parent).
  `ALTER TABLE omotenashi_records ADD COLUMN org_id TEXT;
   CREATE INDEX omotenashi_records_org ON omotenashi_records (kind, org_id, created_at, id);
   UPDATE omotenashi_records SET org_id = json_extract(doc, '$.organizationId') WHERE kind = 'ticket';
   UPDATE omotenashi_records SET org_id = json_extract(doc, '$.parentId') WHERE kind = 'organization';`,
];

type Where = Array<[string, ReadonlyArray<unknown>]>;
const OPS = { eq: '=', gte: '>=', lt: '<' } as const;
/** Conditions in SQLite's words. */
const where = (conditions: ReadonlyArray<Condition>): Where =>
  conditions.map((c): [string, ReadonlyArray<unknown>] =>
    c.op === 'tag'
      ? ["EXISTS (SELECT 1 FROM json_each(doc, '$.tags') WHERE value = ?)", [c.value]]
      : c.op === 'in'
        ? [`${c.column} IN (${c.value.map(() => '?').join(', ')})`, c.value]
        : [`${c.column} ${OPS[c.op]} ?`, [c.value]],
  );

type SqliteDb = SqliteStorageOptions['db'];

/** The schema version the database is at (0 before any migration). */
function currentVersion(db: SqliteDb): number {
  db.exec('CREATE TABLE IF NOT EXISTS omotenashi_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)');
  const row = db.prepare('SELECT MAX(version) AS v FROM omotenashi_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Every statement the storage runs, prepared once. */
function prepareAll(db: SqliteDb) {
  const cols = COLUMN_NAMES.join(', ');
  const marks = COLUMN_NAMES.map(() => '?').join(', ');
  const sets = COLUMN_NAMES.map((c) => `${c} = ?`).join(', ');
  return {
    get: db.prepare('SELECT doc FROM omotenashi_records WHERE kind = ? AND id = ?'),
    version: db.prepare('SELECT version FROM omotenashi_records WHERE kind = ? AND id = ?'),
    bySource: db.prepare("SELECT doc FROM omotenashi_records WHERE kind = 'ticket' AND source_id = ?"),
    insert: db.prepare(`INSERT INTO omotenashi_records (kind, id, version, created_at, doc, ${cols}) VALUES (?, ?, ?, ?, ?, ${marks})`),
    update: db.prepare(`UPDATE omotenashi_records SET version = ?, doc = ?, ${sets} WHERE kind = ? AND id = ? AND version = ?`),
    remove: db.prepare('DELETE FROM omotenashi_records WHERE kind = ? AND id = ? AND version = ?'),
    interaction: db.prepare('INSERT INTO omotenashi_interactions (ticket_id, doc) VALUES (?, ?)'),
    rewriteInteraction: db.prepare('UPDATE omotenashi_interactions SET doc = ? WHERE seq = (SELECT seq FROM omotenashi_interactions WHERE ticket_id = ? ORDER BY seq LIMIT 1 OFFSET ?)'),
    rewriteAudit: db.prepare('UPDATE omotenashi_audit SET doc = ? WHERE seq = (SELECT seq FROM omotenashi_audit WHERE ticket_id = ? ORDER BY seq LIMIT 1 OFFSET ?)'),
    audit: db.prepare('INSERT INTO omotenashi_audit (ticket_id, doc) VALUES (?, ?)'),
    interactions: db.prepare('SELECT doc FROM omotenashi_interactions WHERE ticket_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
    audits: db.prepare('SELECT doc FROM omotenashi_audit WHERE ticket_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
    keyOwner: db.prepare('SELECT kind, id FROM omotenashi_keys WHERE key = ?'),
    keyDrop: db.prepare('DELETE FROM omotenashi_keys WHERE key = ?'),
    keyTake: db.prepare('INSERT INTO omotenashi_keys (key, kind, id) VALUES (?, ?, ?)'),
  };
}

/** Write a unit of work inside the transaction: version checks, keys, records, removals, rewrites and histories. */
function writeWork(s: ReturnType<typeof prepareAll>, work: UnitOfWork): void {
  for (const c of work.checks ?? []) {
    const actual = (s.version.get(c.kind, c.id) as { version: number } | undefined)?.version ?? 0;
    if (actual !== c.version) throw new ConflictError({ entity: c.kind, id: c.id, kind: 'version', expectedVersion: c.version, actualVersion: actual });
  }
  if (work.keys !== undefined && work.keys.length > 0) {
    const changes = keyChanges((key) => s.keyOwner.get(key) as Owner | undefined, work.keys);
    if (changes instanceof ConflictError) throw changes;
    for (const [key, owner] of changes) {
      s.keyDrop.run(key);
      if (owner !== null) s.keyTake.run(key, owner.kind, owner.id);
    }
  }
  for (const put of work.puts) {
    const values = columnValues(columnsOf(put.kind, put.record));
    const doc = encode(put.record);
    try {
      if (put.expectedVersion === null) {
        s.insert.run(put.kind, put.record.id, put.record.version, put.record.createdAt.getTime(), doc, ...values);
        continue;
      }
      if (s.update.run(put.record.version, doc, ...values, put.kind, put.record.id, put.expectedVersion).changes === 1) continue;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new ConflictError({ entity: put.kind, id: put.record.id, kind: 'exists', expectedVersion: null, actualVersion: (s.version.get(put.kind, put.record.id) as { version: number }).version });
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' && put.kind === 'ticket') throw new ConflictError({ entity: 'ticket', id: put.record.sourceId ?? put.record.id, kind: 'source_id', expectedVersion: null, actualVersion: null });
      throw error;
    }
    const actual = s.version.get(put.kind, put.record.id) as { version: number } | undefined;
    throw new ConflictError({ entity: put.kind, id: put.record.id, kind: 'version', expectedVersion: put.expectedVersion, actualVersion: actual?.version ?? null });
  }
  for (const d of work.deletes ?? []) {
    if (s.remove.run(d.kind, d.id, d.version).changes === 1) continue;
    const actual = s.version.get(d.kind, d.id) as { version: number } | undefined;
    throw new ConflictError({ entity: d.kind, id: d.id, kind: 'version', expectedVersion: d.version, actualVersion: actual?.version ?? null });
  }
  for (const r of work.rewrites ?? []) {
    if ((r.kind === 'interaction' ? s.rewriteInteraction : s.rewriteAudit).run(encode(r.record), r.ticketId, r.index).changes !== 1) throw missingEntry(r);
  }
  for (const i of work.interactions) s.interaction.run(i.ticketId, encode(i));
  for (const a of work.audit) s.audit.run(a.ticketId, encode(a));
}

/** Apply the migrations the database lacks, each in its own locked transaction. Returns how many. */
function migrateAll(db: SqliteDb): number {
  let applied = 0;
  for (let v = currentVersion(db) + 1; v <= SQLITE_MIGRATIONS.length; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated meanwhile: check again inside the lock.
      if (currentVersion(db) < v) {
        db.exec(SQLITE_MIGRATIONS[v - 1] as string);
        db.prepare('INSERT INTO omotenashi_migrations (version) VALUES (?)').run(v);
        applied++;
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return applied;
}

/**
 * Storage in SQLite through better-sqlite3: one table of versioned records (JSON documents with
 * indexed columns for status, customer, ticket, assignee, team, source id and due times), and
 * append-only tables for interactions and audit entries. Commits run in one immediate
 * transaction, checking every version first; a stale version or a taken source id rolls the
 * whole unit of work back with a `ConflictError`. Several connections (and processes) may share
 * the file: give each a busy timeout (`db.pragma('busy_timeout = 5000')`) and use WAL mode.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { createSqliteStorage } from 'omotenashi/sqlite';
 * const db = new Database('desk.db');
 * db.pragma('journal_mode = WAL');
 * const storage = createSqliteStorage({ db });
 * await storage.migrate();
 * const desk = createServiceDesk({ storage });
 * ```
 * @throws ConfigError when `db` is not a database connection.
 */
export function createSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const db = options.db;
  if (typeof db?.prepare !== 'function' || typeof db.transaction !== 'function') {
    throw new ConfigError('createSqliteStorage.db', 'pass an open better-sqlite3 database: new Database("desk.db") (npm install better-sqlite3)');
  }
  let statements: ReturnType<typeof prepareAll> | undefined;
  const ready = (): ReturnType<typeof prepareAll> => {
    if (statements !== undefined) return statements;
    const applied = currentVersion(db);
    if (applied < SQLITE_MIGRATIONS.length) {
      throw new ConfigError('sqlite', `the database schema is at version ${applied} of ${SQLITE_MIGRATIONS.length}: run await storage.migrate() at start-up`);
    }
    return (statements = prepareAll(db));
  };

  const listCache = new Map<string, SqliteStatement>();
  const LIST_STATEMENTS = 100;
  function list<K extends EntityKind>(kind: K, filters: Where, query: { limit?: number | undefined; cursor?: string | undefined; order?: 'asc' | 'desc' | undefined }): Page<EntityMap[K]> {
    ready();
    const limit = query.limit ?? 50;
    const desc = query.order === 'desc';
    const clauses: Where = [['kind = ?', [kind]], ...filters];
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (after !== null) clauses.push([desc ? '(created_at < ? OR (created_at = ? AND id < ?))' : '(created_at > ? OR (created_at = ? AND id > ?))', [after.createdAt, after.createdAt, after.id]]);
    const dir = desc ? 'DESC' : 'ASC';
    const sql = `SELECT id, created_at, doc FROM omotenashi_records WHERE ${clauses.map(([c]) => c).join(' AND ')} ORDER BY created_at ${dir}, id ${dir} LIMIT ?`;
    let statement = listCache.get(sql);
    if (statement === undefined) statement = db.prepare(sql);
    // Most recently used last; the oldest goes once the cache is full (filters vary without end).
    listCache.delete(sql);
    listCache.set(sql, statement);
    if (listCache.size > LIST_STATEMENTS) listCache.delete(listCache.keys().next().value as string);
    const rows = statement.all(...clauses.flatMap(([, p]) => p), limit + 1) as Array<{ id: string; created_at: number; doc: string }>;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map((r) => decode<EntityMap[K]>(r.doc)), nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null };
  }

  const commitTx = db.transaction((work: UnitOfWork) => writeWork(ready(), work));

  const attempt = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    name: 'sqlite',
    capabilities: { durable: true, multiProcess: true },
    migrate: () =>
      attempt(() => {
        const applied = migrateAll(db);
        statements = undefined;
        return applied;
      }),
    get: <K extends EntityKind>(kind: K, id: string) =>
      attempt(() => {
        const row = ready().get.get(kind, id) as { doc: string } | undefined;
        return row === undefined ? null : decode<EntityMap[K]>(row.doc);
      }),
    findTicketBySourceId: (sourceId) =>
      attempt(() => {
        const row = ready().bySource.get(sourceId) as { doc: string } | undefined;
        return row === undefined ? null : decode<EntityMap['ticket']>(row.doc);
      }),
    findKeys: (keys) =>
      attempt(() => {
        const s = ready();
        return [...new Set(keys)].flatMap((key) => {
          const row = s.keyOwner.get(key) as Owner | undefined;
          return row === undefined ? [] : [{ key, kind: row.kind, id: row.id }];
        });
      }),
    list: (kind, q) => attempt(() => list(kind, where(conditionsOf(kind, q)), q)),
    history: <K extends HistoryKind>(kind: K, ticketId: TicketId, q: HistoryQuery = {}) =>
      attempt(() => {
        const s = ready();
        const rows = (kind === 'interaction' ? s.interactions : s.audits).all(ticketId, q.limit ?? -1, q.from ?? 0) as Array<{ doc: string }>;
        return rows.map((r) => decode<HistoryMap[K]>(r.doc));
      }),
    commit: (work) => attempt(() => commitTx.immediate(work)),
  };
}
