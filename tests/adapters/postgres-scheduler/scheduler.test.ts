import type pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from 'omotenashi';
import { defineSchedulerConformanceSuite } from 'omotenashi/testing';
import { createPostgresScheduler, type PostgresScheduler } from 'omotenashi/postgres-scheduler';

import { pgPools } from '../pg-pools.js';

const { available, pool } = pgPools();
let n = 0;
const schemas = new WeakMap<object, string>();

describe.skipIf(!available)('postgres scheduler (graphile-worker)', () => {
  const shared = available ? pool(6) : (undefined as unknown as pg.Pool);

  defineSchedulerConformanceSuite({
    name: 'postgres scheduler conformance',
    time: 'real',
    quietMs: 600,
    create: async (clock) => {
      const schema = `gw_conf_${process.pid}_${++n}`;
      const scheduler = createPostgresScheduler({ pool: shared, schema, clock, concurrency: 1, pollIntervalMs: 50, onError: () => undefined });
      await scheduler.migrate();
      schemas.set(scheduler, schema);
      return scheduler;
    },
    destroy: async (scheduler) => {
      await shared.query(`DROP SCHEMA IF EXISTS "${schemas.get(scheduler)}" CASCADE`);
    },
  });

  it('checks its options', () => {
    expect(() => createPostgresScheduler({ pool: {} as pg.Pool })).toThrow(ConfigError);
    expect(() => createPostgresScheduler({ pool: shared, schema: 'x"; DROP' })).toThrow(/plain lower-case identifier/);
    expect(() => createPostgresScheduler({ pool: shared, task: 'Tenant A' })).toThrow(/createPostgresScheduler.task/);
    expect(() => createPostgresScheduler({ pool: shared, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createPostgresScheduler({ pool: shared, heartbeatMs: 10_000, staleAfterMs: 15_000 })).toThrow(/twice heartbeatMs/);
  });

  it('writes jobs inside the caller\'s transaction: a rollback leaves no timer, a commit leaves one', async () => {
    const schema = `gw_tx_${process.pid}`;
    const scheduler = createPostgresScheduler({ pool: shared, schema, worker: false });
    await scheduler.migrate();
    const client = await shared.connect();
    try {
      const at = Date.now() + 3_600_000;
      await client.query('BEGIN');
      await scheduler.writeIn(client, [{ type: 'schedule', job: { key: 'sla:t_1', at, type: 'sla.check', payload: { ticketId: 't_1' } } }]);
      await client.query('ROLLBACK');
      expect(await scheduler.pending()).toBe(0);
      await client.query('BEGIN');
      await scheduler.writeIn(client, [{ type: 'schedule', job: { key: 'sla:t_1', at, type: 'sla.check', payload: { ticketId: 't_1' } } }]);
      await scheduler.writeIn(client, [{ type: 'schedule', job: { key: 'sla:t_1', at: at + 1000, type: 'sla.check', payload: { ticketId: 't_1' } } }]);
      await client.query('COMMIT');
      expect(await scheduler.pending()).toBe(1);
      const row = (await shared.query(`SELECT key, run_at, payload FROM "${schema}"._private_jobs`)).rows[0] as { key: string; run_at: Date; payload: { at: number } };
      expect(row.key).toBe('omotenashi:sla:t_1');
      expect(row.run_at.getTime()).toBe(at + 1000);
      expect(row.payload.at).toBe(at + 1000);
      await scheduler.cancel('sla:t_1');
      expect(await scheduler.pending()).toBe(0);
    } finally {
      client.release();
      await shared.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('tenants share one graphile-worker schema with a task name each', async () => {
    const schema = `gw_tenants_${process.pid}`;
    const acme = createPostgresScheduler({ pool: shared, schema, task: 'acme', worker: false });
    const globex = createPostgresScheduler({ pool: shared, schema, task: 'globex', worker: false });
    await acme.migrate();
    const job = { key: 'sla:t_1', at: Date.now() + 60_000, type: 'sla.check', payload: {} };
    await acme.schedule(job);
    await globex.schedule(job);
    expect([await acme.pending(), await globex.pending()]).toEqual([1, 1]);
    await acme.cancel('sla:t_1');
    expect([await acme.pending(), await globex.pending()]).toEqual([0, 1]);
    await shared.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('a worker that stops beating is taken for dead: its locked jobs go back to the queue', async () => {
    const schema = `gw_sweep_${process.pid}`;
    const scheduler: PostgresScheduler = createPostgresScheduler({ pool: shared, schema, worker: false, heartbeatMs: 100, staleAfterMs: 200 });
    await scheduler.migrate();
    await scheduler.schedule({ key: 'k', at: Date.now() - 1000, type: 't', payload: {} });
    // A worker that locked the job and then vanished (as after SIGKILL), its last heartbeat a minute old.
    await shared.query(`UPDATE "${schema}"._private_jobs SET locked_at = now(), locked_by = 'worker-gone'`);
    await shared.query(`INSERT INTO "${schema}".omotenashi_worker_heartbeats VALUES ('worker-gone', now() - interval '1 minute'), ('worker-alive', now())`);
    expect(await scheduler.sweep()).toBe(1);
    const rows = (await shared.query(`SELECT locked_by FROM "${schema}".jobs`)).rows;
    expect(rows).toEqual([{ locked_by: null }]);
    expect((await shared.query(`SELECT worker_id FROM "${schema}".omotenashi_worker_heartbeats`)).rows).toEqual([{ worker_id: 'worker-alive' }]);
    await shared.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('lists the next jobs due, earliest first, through its index', async () => {
    const schema = `gw_upcoming_${process.pid}`;
    const scheduler = createPostgresScheduler({ pool: shared, schema, worker: false });
    await scheduler.migrate();
    const base = Date.parse('2030-01-01T00:00:00Z');
    for (const [key, offset] of [['c', 3000], ['a', 1000], ['b', 2000]] as const) await scheduler.schedule({ key, at: base + offset, type: 'sla.check', payload: { key } });
    expect((await scheduler.upcoming(2)).map((j) => [j.key, j.at])).toEqual([['a', base + 1000], ['b', base + 2000]]);
    await expect(scheduler.upcoming(0)).rejects.toBeInstanceOf(ConfigError);
    // 20,000 timers of another tenant and of this one: the plan reads the index, not the table.
    await shared.query(`INSERT INTO "${schema}"._private_tasks (identifier) VALUES ('other') ON CONFLICT DO NOTHING`);
    await shared.query(`INSERT INTO "${schema}"._private_jobs (task_id, payload, run_at, max_attempts, key) SELECT t.id, '{}'::json, now() + g * interval '1 second', 8, t.identifier || ':' || g FROM generate_series(1, 10000) g CROSS JOIN "${schema}"._private_tasks t`);
    await shared.query(`ANALYZE "${schema}"._private_jobs`);
    const plan = (await shared.query(`EXPLAIN SELECT j.payload FROM "${schema}"._private_jobs j WHERE j.task_id = (SELECT id FROM "${schema}"._private_tasks WHERE identifier = 'omotenashi') AND j.is_available ORDER BY j.run_at, j.id LIMIT 20`)).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
    expect(plan).toMatch(/Index Scan using omotenashi_jobs_due/);
    await shared.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('reports a failed job once, with the job, and gives it up after maxAttempts', async () => {
    const schema = `gw_fail_${process.pid}`;
    const reports: Array<{ key: string | undefined; attempt: number; givenUp: boolean }> = [];
    const scheduler = createPostgresScheduler({ pool: shared, schema, maxAttempts: 1, pollIntervalMs: 50, onError: (_e, job, attempt, givenUp) => void reports.push({ key: job?.key, attempt, givenUp }) });
    await scheduler.migrate();
    scheduler.start(async () => {
      throw new Error('boom');
    });
    await scheduler.schedule({ key: 'bad', at: Date.now(), type: 't', payload: {} });
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 15_000, interval: 25 });
    await scheduler.stop();
    expect(reports).toEqual([{ key: 'bad', attempt: 1, givenUp: true }]);
    expect(await scheduler.pending()).toBe(0);
    await shared.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
});
