/**
 * `omotenashi/postgres`: storage in PostgreSQL through a `pg` pool you create (`npm install pg`;
 * an optional peer dependency). Several desks and worker processes may share one database.
 * @module
 */
import { ConfigError, ConflictError } from '../../errors.js';
import type { TicketId } from '../../domain/common.js';
import { decodeCursor, encodeCursor, type EntityKind, type EntityMap, type HistoryKind, type HistoryMap, type HistoryQuery, type Page, type Put, type StoragePort, type UnitOfWork, type VersionCheck, type Deletion } from '../../ports/storage.js';
import type { JobChange, SchedulerPort } from '../../ports/scheduler.js';
import { keyChanges, touchedKeys, type Owner } from '../../ports/keys.js';
import { missingEntry } from '../../ports/rewrites.js';
import { COLUMN_NAMES, FIRST_COLUMN_NAMES, columnValues, columnsOf, conditionsOf, decode, encode, type Condition } from '../sql/codec.js';

/** A query result, as `pg` returns it. */
export interface PgResult {
  /** The rows. */
  readonly rows: ReadonlyArray<Record<string, unknown>>;
  /** How many rows a write touched. */
  readonly rowCount: number | null;
}

/** What the adapter needs of a pooled client (pg's `PoolClient` fits). */
export interface PgClient {
  /** Run a statement with `$1`-style parameters. */
  query(text: string, values?: unknown[]): Promise<PgResult>;
  /** Give the client back to the pool (with the error that broke it, if any). */
  release(error?: Error | boolean): void;
}

/** What the adapter needs of a pool (pg's `Pool` fits). */
export interface PgPool {
  /** Run one statement on any client. */
  query(text: string, values?: unknown[]): Promise<PgResult>;
  /** Check out a client for a transaction. */
  connect(): Promise<PgClient>;
}

/** Options of {@link createPostgresStorage}. */
export interface PostgresStorageOptions {
  /** A `pg` pool you built: `new Pool({ connectionString })`. The adapter never ends it. */
  readonly pool: PgPool;
  /** The schema the tables live in (default `public`); one per tenant partitions data by tenant. */
  readonly schema?: string;
  /**
   * A scheduler on the same database that can write jobs through this storage's transaction
   * (`createPostgresScheduler` from `omotenashi/postgres-scheduler`). With it, every commit also
   * writes the timers the change needs, and the desk uses this scheduler.
   */
  readonly scheduler?: TransactionalScheduler;
}

/** The part of a `pg` client (or pool) a scheduler writes jobs through: `query(text, values)`. */
export interface SqlClient {
  /** Run one statement. */
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** A scheduler that writes its jobs through a client inside an open transaction. */
export interface TransactionalScheduler extends SchedulerPort {
  /**
   * Write timer changes through `client`, inside the caller's open transaction, so they commit or
   * roll back with it. The storage calls this from `commit` when given this scheduler.
   */
  writeIn(client: SqlClient, changes: ReadonlyArray<JobChange>): Promise<void>;
}

/** A PostgreSQL storage: the storage port, plus its migrations. */
export interface PostgresStorage extends StoragePort {
  /**
   * Bring the schema up to date with forward-only, versioned migrations, under an advisory lock
   * so that processes starting together apply each once; returns how many were applied.
   */
  migrate(): Promise<number>;
  /**
   * This storage inside a transaction your application holds on `client` (a pg client after your
   * `BEGIN`): reads see your uncommitted writes, and each unit of work is a savepoint in your
   * transaction (a conflict rolls back to it and leaves your transaction usable), with the timers
   * of this storage's scheduler in it too. Give it to `desk.within(...)`; run one command at a
   * time on it, and commit or roll back yourself.
   */
  using(client: PgClient | SqlClientWithRows): StoragePort;
}

/** A client that answers queries with rows (pg's `Client` and `PoolClient` fit). */
export interface SqlClientWithRows {
  /** Run a statement with `$1`-style parameters. */
  query(text: string, values?: unknown[]): Promise<PgResult>;
}

/** The migrations, in order; `{schema}` is replaced by the quoted schema. Never edit one that shipped. */
export const POSTGRES_MIGRATIONS: ReadonlyArray<string> = [
  `CREATE TABLE {schema}.omotenashi_records (
     kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, created_at BIGINT NOT NULL, doc JSONB NOT NULL,
     ${FIRST_COLUMN_NAMES.map((c) => `${c} ${c === 'due_at' ? 'BIGINT' : 'TEXT'}`).join(', ')},
     PRIMARY KEY (kind, id)
   );
   CREATE UNIQUE INDEX omotenashi_ticket_source ON {schema}.omotenashi_records (source_id) WHERE kind = 'ticket' AND source_id IS NOT NULL;
   CREATE INDEX omotenashi_records_order ON {schema}.omotenashi_records (kind, created_at, id);
   CREATE INDEX omotenashi_records_status ON {schema}.omotenashi_records (kind, status, created_at, id);
   CREATE INDEX omotenashi_records_customer ON {schema}.omotenashi_records (kind, customer_id, created_at, id);
   CREATE INDEX omotenashi_records_ticket ON {schema}.omotenashi_records (kind, ticket_id, created_at, id);
   CREATE INDEX omotenashi_records_assignee ON {schema}.omotenashi_records (kind, assignee_id, created_at, id);
   CREATE INDEX omotenashi_records_due ON {schema}.omotenashi_records (kind, status, due_at);
   CREATE TABLE {schema}.omotenashi_interactions (seq BIGSERIAL PRIMARY KEY, ticket_id TEXT NOT NULL, doc JSONB NOT NULL);
   CREATE INDEX omotenashi_interactions_ticket ON {schema}.omotenashi_interactions (ticket_id, seq);
   CREATE TABLE {schema}.omotenashi_audit (seq BIGSERIAL PRIMARY KEY, ticket_id TEXT NOT NULL, doc JSONB NOT NULL);
   CREATE INDEX omotenashi_audit_ticket ON {schema}.omotenashi_audit (ticket_id, seq);`,
  // 2: agents are listed by whether they are active (kept in the status column).
  `UPDATE {schema}.omotenashi_records SET status = CASE WHEN (doc->>'active')::boolean THEN 'active' ELSE 'inactive' END WHERE kind = 'agent';`,
  // 3: unique lookup keys (normalised e-mail addresses, message ids) and the record owning each.
  `CREATE TABLE {schema}.omotenashi_keys (key TEXT PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL);
   CREATE INDEX omotenashi_keys_owner ON {schema}.omotenashi_keys (kind, id);
   INSERT INTO {schema}.omotenashi_keys (key, kind, id)
     SELECT DISTINCT ON (k) k, 'customer', id FROM (
       SELECT 'email:' || lower(btrim(c->>'address')) AS k, r.id, r.created_at
       FROM {schema}.omotenashi_records r, jsonb_array_elements(r.doc->'contacts') c
       WHERE r.kind = 'customer' AND c->>'channel' = 'email'
     ) e ORDER BY k, created_at, id
     ON CONFLICT DO NOTHING;
   INSERT INTO {schema}.omotenashi_keys (key, kind, id)
     SELECT DISTINCT ON (k) k, 'ticket', ticket_id FROM (
       SELECT 'msg:' || btrim(doc->>'externalId', '<> ') AS k, ticket_id, seq FROM {schema}.omotenashi_interactions
       WHERE doc->>'channel' = 'email' AND jsonb_typeof(doc->'externalId') = 'string'
     ) m ORDER BY k, seq
     ON CONFLICT DO NOTHING;`,
  // 4: organisations, and tickets listed by organisation (a ticket's organisation, an organisation's parent).
  `ALTER TABLE {schema}.omotenashi_records ADD COLUMN org_id TEXT;
   CREATE INDEX omotenashi_records_org ON {schema}.omotenashi_records (kind, org_id, created_at, id);
   UPDATE {schema}.omotenashi_records SET org_id = doc->>'organizationId' WHERE kind = 'ticket';
   UPDATE {schema}.omotenashi_records SET org_id = doc->>'parentId' WHERE kind = 'organization';`,
];

type Where = Array<[string, ReadonlyArray<unknown>]>;
const OPS = { eq: '=', gte: '>=', lt: '<' } as const;
/**
 * Conditions in PostgreSQL's words. Parameters are marked `$?` and numbered when the query is put
 * together (the jsonb `?` operator stays as it is).
 */
const where = (conditions: ReadonlyArray<Condition>): Where =>
  conditions.map((c): [string, ReadonlyArray<unknown>] =>
    c.op === 'tag' ? ["doc->'tags' ? $?", [c.value]] : c.op === 'in' ? [`${c.column} = ANY($?)`, [[...c.value]]] : [`${c.column} ${OPS[c.op]} $?`, [c.value]],
  );

/**
 * Storage in PostgreSQL through `pg`: the same layout as the SQLite adapter (versioned JSONB
 * documents with indexed columns, append-only interactions and audit), in a schema of your
 * choice. A commit is one transaction on one pooled client: each update checks its expected
 * version (`UPDATE … WHERE version = $n`; a concurrent writer waits for the first to commit and
 * then finds the version moved), inserts meet the primary key and the unique source-id index,
 * and any conflict rolls everything back as a `ConflictError`. Deadlocks between units of work
 * that touch the same records in another order are reported as conflicts too, so the desk retries.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStorage } from 'omotenashi/postgres';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const storage = createPostgresStorage({ pool });
 * await storage.migrate();
 * const desk = createServiceDesk({ storage });
 * ```
 * @throws ConfigError when `pool` is not a pool or `schema` is not a plain identifier.
 */
export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  return build(options, false, false);
}

/** A schema's tables and the pool (or transaction) they are reached through. */
interface Tables {
  readonly pool: Pick<PgPool, 'query'>;
  readonly schema: string;
  readonly records: string;
}

/** The columns of new records, one array per column, for the insert by `unnest`. */
const insertValues = (puts: ReadonlyArray<Put>): unknown[] => {
  const rows = puts.map((p) => columnValues(columnsOf(p.kind, p.record)));
  return [puts.map((p) => p.kind), puts.map((p) => p.record.id), puts.map((p) => p.record.version), puts.map((p) => p.record.createdAt.getTime()), puts.map((p) => encode(p.record)), ...COLUMN_NAMES.map((_, c) => rows.map((r) => r[c] ?? null))];
};
/** The conflict behind a failed insert, naming the record from the server's detail (`Key (kind, id)=(ticket, t_1) already exists.`). */
const insertConflict = (t: Tables, error: unknown, puts: ReadonlyArray<Put>): (() => Promise<ConflictError>) | undefined => {
  const e = error as { code?: unknown; constraint?: unknown; detail?: unknown };
  const detail = String(e.detail ?? '');
  if (e.code === '23505' && e.constraint === 'omotenashi_ticket_source') {
    const taken = /^Key \(source_id\)=\((.*)\) already exists/.exec(detail)?.[1];
    const put = puts.find((p) => (p.record as EntityMap['ticket']).sourceId === taken) ?? (puts[0] as Put);
    return () => Promise.resolve(new ConflictError({ entity: 'ticket', id: taken ?? put.record.id, kind: 'source_id', expectedVersion: null, actualVersion: null }));
  }
  if (e.code !== '23505' && e.code !== '40P01' && e.code !== '40001') return undefined;
  const key = /^Key \(kind, id\)=\(([^,]+), (.*)\) already exists/.exec(detail);
  const put = puts.find((p) => p.kind === key?.[1] && p.record.id === key[2]) ?? (puts[0] as Put);
  const kind = e.code === '23505' ? ('exists' as const) : ('version' as const);
  return async () => new ConflictError({ entity: put.kind, id: put.record.id, kind, expectedVersion: null, actualVersion: await currentVersion(t, put.kind, put.record.id) });
};

/** Remove records at their versions; the conflict of the first that is gone or has another version. */
async function deleteRecords(t: Tables, client: PgClient, deletes: ReadonlyArray<Deletion>): Promise<(() => Promise<ConflictError>) | undefined> {
  const r = await client.query(`DELETE FROM ${t.records} WHERE (kind, id, version) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::int[])) RETURNING kind, id`, [deletes.map((d) => d.kind), deletes.map((d) => d.id), deletes.map((d) => d.version)]);
  if ((r.rowCount ?? 0) === deletes.length) return undefined;
  const gone = new Set((r.rows as Array<{ kind: string; id: string }>).map((x) => `${x.kind}\u0000${x.id}`));
  const d = deletes.find((x) => !gone.has(`${x.kind}\u0000${x.id}`)) as Deletion;
  return async () => new ConflictError({ entity: d.kind, id: d.id, kind: 'version', expectedVersion: d.version, actualVersion: await currentVersion(t, d.kind, d.id) });
}

/**
 * Lock the checked records and the ones about to be updated, in one order (kind, id) for every
 * transaction, then compare the checked versions: two commands checking each other's records
 * queue on the same first row instead of deadlocking, and the second sees the first's change.
 */
async function checkVersions(t: Tables, client: PgClient, checks: ReadonlyArray<VersionCheck>, puts: ReadonlyArray<Put>): Promise<ConflictError | undefined> {
  const keys = [...checks.map((c) => [c.kind, c.id] as const), ...puts.filter((p) => p.expectedVersion !== null).map((p) => [p.kind, p.record.id] as const)];
  let rows: Array<{ kind: string; id: string; version: number }>;
  try {
    rows = (await client.query(`SELECT kind, id, version FROM ${t.records} WHERE (kind, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY kind, id FOR UPDATE`, [keys.map((k) => k[0]), keys.map((k) => k[1])])).rows as typeof rows;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === '40P01' || code === '40001') return new ConflictError({ entity: checks[0]?.kind ?? 'record', id: checks[0]?.id ?? '', kind: 'version', expectedVersion: checks[0]?.version ?? null, actualVersion: null });
    throw error;
  }
  const found = new Map(rows.map((r) => [`${r.kind}\u0000${r.id}`, Number(r.version)]));
  for (const c of checks) {
    const actual = found.get(`${c.kind}\u0000${c.id}`) ?? 0;
    if (actual !== c.version) return new ConflictError({ entity: c.kind, id: c.id, kind: 'version', expectedVersion: c.version, actualVersion: actual });
  }
  return undefined;
}

/**
 * Claim and release keys inside the transaction: the owners are read and locked first; a key
 * claimed by a concurrent transaction since meets the primary key, and is reported as a version
 * race so the command is decided again and then sees the owner.
 */
async function writeKeys(t: Tables, client: PgClient, changes: UnitOfWork['keys']): Promise<ConflictError | undefined> {
  const touched = touchedKeys(changes);
  const rows = (await client.query(`SELECT key, kind, id FROM ${t.schema}.omotenashi_keys WHERE key = ANY($1) ORDER BY key FOR UPDATE`, [touched])).rows as Array<{ key: string; kind: EntityKind; id: string }>;
  const owners = new Map(rows.map((r) => [r.key, { kind: r.kind, id: r.id }]));
  const next = keyChanges((key) => owners.get(key), changes);
  if (next instanceof ConflictError) return next;
  if (next.size === 0) return undefined;
  // Only rows this transaction read and locked: a key that was free may have been claimed by a
  // writer that committed since, and that row must meet the primary key below, not be deleted.
  const held = [...next.keys()].filter((key) => owners.has(key));
  if (held.length > 0) await client.query(`DELETE FROM ${t.schema}.omotenashi_keys WHERE key = ANY($1)`, [held]);
  const taken = [...next].filter((e): e is [string, Owner] => e[1] !== null);
  if (taken.length === 0) return undefined;
  try {
    await client.query(`INSERT INTO ${t.schema}.omotenashi_keys (key, kind, id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [taken.map((e) => e[0]), taken.map((e) => e[1].kind), taken.map((e) => e[1].id)]);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '40P01' && code !== '40001') throw error;
    const first = taken[0] as [string, Owner];
    return new ConflictError({ entity: first[1].kind, id: first[1].id, kind: 'version', expectedVersion: null, actualVersion: null, message: `another writer claimed "${first[0]}" at the same time; try again` });
  }
  return undefined;
}

/** A record's version now, or null when there is none. */
async function currentVersion(t: Tables, kind: EntityKind, id: string): Promise<number | null> {
  const r = await t.pool.query(`SELECT version FROM ${t.records} WHERE kind = $1 AND id = $2`, [kind, id]);
  return r.rows[0] === undefined ? null : Number(r.rows[0]['version']);
}

/** What a commit needs: the tables, the pool, the scheduler that writes timers, and the statements. */
interface CommitContext {
  readonly tables: Tables;
  readonly pool: PgPool;
  readonly scheduler: TransactionalScheduler | undefined;
  readonly sql: { readonly begin: string; readonly commit: string; readonly rollback: string; readonly insert: string; readonly update: string };
}

/** Write a unit of work in one transaction (or savepoint); a conflict is thrown as the ConflictError it comes to, after the rollback. */
async function commitWork(c: CommitContext, work: UnitOfWork): Promise<void> {
  if (work.jobs !== undefined && work.jobs.length > 0 && c.scheduler === undefined) {
    throw new ConfigError('createPostgresStorage.scheduler', 'this unit of work carries timers but the storage has no scheduler to write them: pass createPostgresStorage({ scheduler })');
  }
  const client = await c.pool.connect();
  let conflict: (() => Promise<ConflictError>) | undefined;
  try {
    await client.query(c.sql.begin);
    if (work.checks !== undefined && work.checks.length > 0) {
      const failed = await checkVersions(c.tables, client, work.checks, work.puts);
      if (failed !== undefined) {
        conflict = () => Promise.resolve(failed);
        throw failed;
      }
    }
    if (work.keys !== undefined && work.keys.length > 0) {
      const failed = await writeKeys(c.tables, client, work.keys);
      if (failed !== undefined) {
        conflict = () => Promise.resolve(failed);
        throw failed;
      }
    }
    const fresh = work.puts.filter((p) => p.expectedVersion === null);
    if (fresh.length > 0) {
      try {
        await client.query(c.sql.insert, insertValues(fresh));
      } catch (error) {
        conflict = insertConflict(c.tables, error, fresh);
        throw error;
      }
    }
    for (const put of work.puts) {
      if (put.expectedVersion === null) continue;
      try {
        if ((await client.query(c.sql.update, [put.record.version, encode(put.record), ...columnValues(columnsOf(put.kind, put.record)), put.kind, put.record.id, put.expectedVersion])).rowCount === 1) continue;
      } catch (error) {
        const e = error as { code?: unknown; constraint?: unknown };
        if (e.code === '23505' && e.constraint === 'omotenashi_ticket_source') {
          conflict = () => Promise.resolve(new ConflictError({ entity: 'ticket', id: (put.record as EntityMap['ticket']).sourceId ?? put.record.id, kind: 'source_id', expectedVersion: null, actualVersion: null }));
        } else if (e.code === '40P01' || e.code === '40001') {
          conflict = async () => new ConflictError({ entity: put.kind, id: put.record.id, kind: 'version', expectedVersion: put.expectedVersion, actualVersion: await currentVersion(c.tables, put.kind, put.record.id) });
        }
        throw error;
      }
      conflict = async () => new ConflictError({ entity: put.kind, id: put.record.id, kind: 'version', expectedVersion: put.expectedVersion, actualVersion: await currentVersion(c.tables, put.kind, put.record.id) });
      throw new Error('version check failed');
    }
    if (work.deletes !== undefined && work.deletes.length > 0) {
      const failed = await deleteRecords(c.tables, client, work.deletes);
      if (failed !== undefined) {
        conflict = failed;
        throw new Error('version check failed');
      }
    }
    for (const r of work.rewrites ?? []) {
      const table = `${c.tables.schema}.${r.kind === 'interaction' ? 'omotenashi_interactions' : 'omotenashi_audit'}`;
      if ((await client.query(`UPDATE ${table} SET doc = $1::jsonb WHERE seq = (SELECT seq FROM ${table} WHERE ticket_id = $2 ORDER BY seq LIMIT 1 OFFSET $3)`, [encode(r.record), r.ticketId, r.index])).rowCount !== 1) {
        conflict = () => Promise.resolve(missingEntry(r));
        throw new Error('no such history entry');
      }
    }
    if (work.interactions.length > 0) {
      await client.query(`INSERT INTO ${c.tables.schema}.omotenashi_interactions (ticket_id, doc) SELECT * FROM unnest($1::text[], $2::jsonb[])`, [work.interactions.map((i) => i.ticketId), work.interactions.map(encode)]);
    }
    if (work.audit.length > 0) {
      await client.query(`INSERT INTO ${c.tables.schema}.omotenashi_audit (ticket_id, doc) SELECT * FROM unnest($1::text[], $2::jsonb[])`, [work.audit.map((a) => a.ticketId), work.audit.map(encode)]);
    }
    if (work.jobs !== undefined && work.jobs.length > 0) await (c.scheduler as TransactionalScheduler).writeIn(client, work.jobs);
    await client.query(c.sql.commit);
  } catch (error) {
    await client.query(c.sql.rollback).catch(() => undefined);
    client.release();
    if (conflict !== undefined) throw await conflict();
    throw error;
  }
  client.release();
}

/** The version a schema's migrations reached (0 before any), creating the schema and its table of migrations. */
async function schemaVersion(client: { query: PgPool['query'] }, schema: string): Promise<number> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.omotenashi_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const r = await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${schema}.omotenashi_migrations`);
  return Number(r.rows[0]?.['v'] ?? 0);
}

/** Apply the migrations a schema lacks, in one transaction under an advisory lock. Returns how many. */
async function migrateSchema(pool: PgPool, schema: string, schemaName: string): Promise<number> {
  const client = await pool.connect();
  let applied = 0;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`omotenashi:${schemaName}`]);
    for (let v = (await schemaVersion(client, schema)) + 1; v <= POSTGRES_MIGRATIONS.length; v++) {
      await client.query((POSTGRES_MIGRATIONS[v - 1] as string).replace(/\{schema\}/g, schema));
      await client.query(`INSERT INTO ${schema}.omotenashi_migrations (version) VALUES ($1)`, [v]);
      applied++;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return applied;
}

/** The storage on a pool (each commit its own transaction), or on an application's transaction (each commit a savepoint). */
function build(options: PostgresStorageOptions, insideTransaction: boolean, knownMigrated: boolean): PostgresStorage {
  const pool = options.pool;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new ConfigError('createPostgresStorage.pool', 'pass a pg pool: new Pool({ connectionString }) (npm install pg)');
  }
  const schemaName = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName)) throw new ConfigError('createPostgresStorage.schema', `"${schemaName}" is not a plain lower-case identifier such as "tenant_acme"`);
  const schema = `"${schemaName}"`;
  const records = `${schema}.omotenashi_records`;
  const tables: Tables = { pool, schema, records };
  // A storage bound to a transaction starts from what its pool's storage already checked.
  let migrated = knownMigrated;
  const [begin, commit, rollback] = insideTransaction ? ['SAVEPOINT omotenashi_unit', 'RELEASE SAVEPOINT omotenashi_unit', 'ROLLBACK TO SAVEPOINT omotenashi_unit'] : ['BEGIN', 'COMMIT', 'ROLLBACK'];

  async function ready(): Promise<void> {
    if (migrated) return;
    const v = await pool.query(`SELECT to_regclass('${schemaName}.omotenashi_migrations') AS t`);
    const applied = v.rows[0]?.['t'] === null ? 0 : Number((await pool.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${schema}.omotenashi_migrations`)).rows[0]?.['v'] ?? 0);
    if (applied < POSTGRES_MIGRATIONS.length) {
      throw new ConfigError('postgres', `the schema ${schemaName} is at version ${applied} of ${POSTGRES_MIGRATIONS.length}: run await storage.migrate() at start-up`);
    }
    migrated = true;
  }

  async function list<K extends EntityKind>(kind: K, filters: Where, query: { limit?: number | undefined; cursor?: string | undefined; order?: 'asc' | 'desc' | undefined }): Promise<Page<EntityMap[K]>> {
    await ready();
    const limit = query.limit ?? 50;
    const desc = query.order === 'desc';
    const clauses: Where = [['kind = $?', [kind]], ...filters];
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (after !== null) clauses.push([desc ? '(created_at, id) < ($?, $?)' : '(created_at, id) > ($?, $?)', [after.createdAt, after.id]]);
    const dir = desc ? 'DESC' : 'ASC';
    let n = 0;
    const text = clauses.map(([c]) => c.replace(/\$\?/g, () => `$${++n}`)).join(' AND ');
    const sql = `SELECT id, created_at, doc::text AS doc FROM ${records} WHERE ${text} ORDER BY created_at ${dir}, id ${dir} LIMIT $${n + 1}`;
    const r = await pool.query(sql, [...clauses.flatMap(([, p]) => p), limit + 1]);
    const rows = r.rows as ReadonlyArray<{ id: string; created_at: string; doc: string }>;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map((row) => decode<EntityMap[K]>(row.doc)), nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ createdAt: Number(last.created_at), id: last.id }) : null };
  }

  const docs = async <T>(sql: string, values: unknown[]): Promise<T[]> => {
    await ready();
    return ((await pool.query(sql, values)).rows as ReadonlyArray<{ doc: string }>).map((r) => decode<T>(r.doc));
  };
  const one = async <T>(sql: string, values: unknown[]): Promise<T | null> => (await docs<T>(sql, values))[0] ?? null;

  const cols = COLUMN_NAMES.join(', ');
  // New records go in one statement however many there are (an import, a bulk change): one round trip.
  const insertSql = `INSERT INTO ${records} (kind, id, version, created_at, doc, ${cols}) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::jsonb[], ${COLUMN_NAMES.map((c, i) => `$${i + 6}::${c === 'due_at' ? 'bigint' : 'text'}[]`).join(', ')})`;
  const updateSql = `UPDATE ${records} SET version = $1, doc = $2::jsonb, ${COLUMN_NAMES.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE kind = $${COLUMN_NAMES.length + 3} AND id = $${COLUMN_NAMES.length + 4} AND version = $${COLUMN_NAMES.length + 5}`;

  const scheduler = options.scheduler;
  if (scheduler !== undefined && typeof scheduler.writeIn !== 'function') {
    throw new ConfigError('createPostgresStorage.scheduler', 'pass a scheduler that writes in transactions: createPostgresScheduler({ pool }) from omotenashi/postgres-scheduler');
  }

  return {
    name: 'postgres',
    capabilities: { durable: true, multiProcess: true },
    ...(scheduler === undefined ? {} : { scheduler }),
    using(client) {
      if (insideTransaction) throw new ConfigError('postgres.using', 'this storage is already bound to a transaction: call using() on the storage you created');
      if (typeof client?.query !== 'function') throw new ConfigError('postgres.using', 'pass the pg client your transaction runs on (after BEGIN)');
      const query = (text: string, values?: unknown[]): Promise<PgResult> => client.query(text, values);
      return build({ ...options, pool: { query, connect: () => Promise.resolve({ query, release: () => undefined }) } }, true, migrated);
    },
    async migrate() {
      const applied = await migrateSchema(pool, schema, schemaName);
      migrated = true;
      return applied;
    },
    get: <K extends EntityKind>(kind: K, id: string) => one<EntityMap[K]>(`SELECT doc::text AS doc FROM ${records} WHERE kind = $1 AND id = $2`, [kind, id]),
    findTicketBySourceId: (sourceId) => one<EntityMap['ticket']>(`SELECT doc::text AS doc FROM ${records} WHERE kind = 'ticket' AND source_id = $1`, [sourceId]),
    async findKeys(keys) {
      await ready();
      const r = await pool.query(`SELECT key, kind, id FROM ${schema}.omotenashi_keys WHERE key = ANY($1)`, [[...new Set(keys)]]);
      return (r.rows as Array<{ key: string; kind: EntityKind; id: string }>).map((row) => ({ key: row.key, kind: row.kind, id: row.id }));
    },
    list: (kind, q) => list(kind, where(conditionsOf(kind, q)), q),
    history: <K extends HistoryKind>(kind: K, ticketId: TicketId, q: HistoryQuery = {}) =>
      docs<HistoryMap[K]>(`SELECT doc::text AS doc FROM ${schema}.${kind === 'interaction' ? 'omotenashi_interactions' : 'omotenashi_audit'} WHERE ticket_id = $1 ORDER BY seq LIMIT $2 OFFSET $3`, [ticketId, q.limit ?? null, q.from ?? 0]),
    async commit(work) {
      await ready();
      await commitWork({ tables, pool, scheduler, sql: { begin, commit, rollback, insert: insertSql, update: updateSql } }, work);
    },
  };

}
