import pg from 'pg';
import { bench, describe, inject } from 'vitest';
import { makeTicket } from 'omotenashi/testing';
import { createPostgresStorage } from 'omotenashi/postgres';

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
