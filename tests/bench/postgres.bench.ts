import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { bench, describe, inject } from 'vitest';
import type { Ticket } from 'omotenashi';
import { makeTicket } from 'omotenashi/testing';
import { createPostgresStorage } from 'omotenashi/postgres';
import { COLUMN_NAMES, columnValues, columnsOf, encode } from '../../src/adapters/sql/codec.js';

// One ticket created and updated (with its version check) through the PostgreSQL adapter, against
// raw pg running the same statements in the same transactions, on the throwaway cluster.
const url = inject('postgresUrl');
const pool = new pg.Pool({ connectionString: url, max: 4 });
const storage = createPostgresStorage({ pool, schema: 'bench_adapter' });
const raw = createPostgresStorage({ pool, schema: 'bench_raw' });
if (url !== '') {
  await storage.migrate();
  await raw.migrate();
}
async function rawWrite(id: string, doc: string, updated: string): Promise<void> {
  for (const [sql, values] of [
    ['INSERT INTO bench_raw.omotenashi_records (kind, id, version, created_at, doc, status, customer_id, type, priority) VALUES ($1, $2, 1, 0, $3::jsonb, $4, $5, $6, $7)', ['ticket', id, doc, 'new', 'cus_1', 'support', 'normal']],
    ['UPDATE bench_raw.omotenashi_records SET version = 2, doc = $1::jsonb, status = $2 WHERE kind = $3 AND id = $4 AND version = 1', [updated, 'open', 'ticket', id]],
  ] as const) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const r = await client.query(sql, [...values]);
      if (r.rowCount !== 1) throw new Error('conflict');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
let a = 0;
let r = 0;
describe.skipIf(url === '')('one ticket created and updated (PostgreSQL 15, 127.0.0.1)', () => {
  bench('baseline: raw pg, same statements and transactions', async () => {
    const t = makeTicket({ id: `raw_${++r}`, requesterId: 'cus_1' });
    await rawWrite(t.id, JSON.stringify(t), JSON.stringify({ ...t, version: 2, status: 'open' }));
  });
  bench('omotenashi: createPostgresStorage commit (create, then versioned update)', async () => {
    const t = makeTicket({ id: `ad_${++a}`, requesterId: 'cus_1' });
    await storage.commit({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }], interactions: [], audit: [] });
    await storage.commit({ puts: [{ kind: 'ticket', record: { ...t, version: 2, status: 'open' }, expectedVersion: 1 }], interactions: [], audit: [] });
  });
});

// Bulk import: 5,000 tickets per iteration through the adapter's commit (units of 1,000 records,
// one multi-row INSERT each, with documents, indexed columns and the uniqueness checks) against
// COPY FROM STDIN of the same rows in the same layout: the fastest way into PostgreSQL.
const BULK = 5000;
const CHUNK = 1000;
const bulkStorage = createPostgresStorage({ pool, schema: 'bench_bulk_adapter' });
const bulkCopy = createPostgresStorage({ pool, schema: 'bench_bulk_copy' });
if (url !== '') {
  await bulkStorage.migrate();
  await bulkCopy.migrate();
}
let batch = 0;
const ticketsOf = (tag: string): Ticket[] => Array.from({ length: BULK }, (_, i) => makeTicket({ id: `${tag}_${i}`, requesterId: `cus_${i % 97}` as Ticket['requesterId'], sourceId: `${tag}-mail-${i}`, tags: ['import'] }));
const csv = (v: string | number | null): string => (v === null ? '' : `"${String(v).replace(/"/g, '""')}"`);
describe.skipIf(url === '')(`bulk import of ${BULK} tickets (PostgreSQL 15, 127.0.0.1)`, () => {
  bench('baseline: COPY FROM STDIN, same rows and columns', async () => {
    const tickets = ticketsOf(`copy${++batch}`);
    const client = await pool.connect();
    try {
      const stream = client.query(copyFrom(`COPY bench_bulk_copy.omotenashi_records (kind, id, version, created_at, doc, ${COLUMN_NAMES.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      const lines = tickets.map((t) => ['ticket', t.id, t.version, t.createdAt.getTime(), encode(t), ...columnValues(columnsOf('ticket', t))].map(csv).join(',')).join('\n');
      await pipeline(Readable.from([`${lines}\n`]), stream);
    } finally {
      client.release();
    }
  }, { iterations: 10, warmupIterations: 2 });
  bench('omotenashi: createPostgresStorage commit, 1,000 records per unit of work', async () => {
    const tickets = ticketsOf(`bulk${++batch}`);
    for (let i = 0; i < BULK; i += CHUNK) {
      await bulkStorage.commit({ puts: tickets.slice(i, i + CHUNK).map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })), interactions: [], audit: [] });
    }
  }, { iterations: 10, warmupIterations: 2 });
});
