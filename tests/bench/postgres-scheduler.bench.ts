import pg from 'pg';
import { bench, describe, inject } from 'vitest';
import { createPostgresScheduler } from 'omotenashi/postgres-scheduler';

// The next 20 timers due, among 1,000,000 pending (half this desk's, half another tenant's), through
// the scheduler's index on (task, due time), against the same query with index scans turned off
// (what the database does without that index: read every row and sort). BENCH_ROWS overrides 1M.
const url = inject('postgresUrl');
const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const pool = new pg.Pool({ connectionString: url, max: 2 });
pool.on('error', () => undefined);
pool.on('connect', (client) => client.on('error', () => undefined));
const schema = 'bench_timers';
const scheduler = createPostgresScheduler({ pool, schema, worker: false });
const QUERY = `SELECT j.payload FROM ${schema}._private_jobs j WHERE j.task_id = (SELECT id FROM ${schema}._private_tasks WHERE identifier = 'omotenashi') AND j.is_available ORDER BY j.run_at, j.id LIMIT 20`;
if (url !== '') {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await scheduler.migrate();
  await pool.query(`INSERT INTO ${schema}._private_tasks (identifier) VALUES ('omotenashi'), ('other_tenant') ON CONFLICT DO NOTHING`);
  await pool.query(
    `INSERT INTO ${schema}._private_jobs (task_id, payload, run_at, max_attempts, key)
     SELECT t.id, json_build_object('key', 'sla:' || g, 'at', 0, 'type', 'sla.check', 'payload', '{}'::json), now() + (random() * 30) * interval '1 day', 8, t.identifier || ':sla:' || g
     FROM generate_series(1, $1::int / 2) g CROSS JOIN ${schema}._private_tasks t`,
    [ROWS],
  );
  await pool.query(`ANALYZE ${schema}._private_jobs`);
  const plan = (await pool.query(`EXPLAIN ${QUERY}`)).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
  if (!/Index Scan using omotenashi_jobs_due/.test(plan)) throw new Error(`the upcoming query does not use its index:\n${plan}`);
}

describe.skipIf(url === '')(`next 20 timers due among ${ROWS.toLocaleString('en')} (PostgreSQL 15, graphile-worker 0.17)`, () => {
  bench('baseline: same query, index scans off (sequential scan and sort)', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_indexscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      await client.query(QUERY);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }, { iterations: 10, warmupIterations: 1 });
  bench('omotenashi: scheduler.upcoming(20)', async () => {
    await scheduler.upcoming(20);
  }, { iterations: 200 });
});
