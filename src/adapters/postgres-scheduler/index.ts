/**
 * `omotenashi/postgres-scheduler`: durable timers in PostgreSQL on graphile-worker
 * (`npm install pg graphile-worker`; both optional peer dependencies), shared by any number of
 * worker processes, written in the same transaction as the state when paired with
 * `omotenashi/postgres`.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { Logger, run, runMigrations, type Job, type JobHelpers, type Runner, type WorkerEvents } from 'graphile-worker';
import type { Pool } from 'pg';
import { ConfigError } from '../../errors.js';
import { createSystemClock } from '../memory/clock.js';
import { createConsoleLogger } from '../memory/logger.js';
import type { Logger as DeskLogger } from '../../ports/logger.js';
import type { ClockPort } from '../../ports/clock.js';
import type { JobChange, JobHandler, ScheduledJob } from '../../ports/scheduler.js';
import type { SqlClient, TransactionalScheduler } from '../postgres/index.js';

/** Options of {@link createPostgresScheduler}. */
export interface PostgresSchedulerOptions {
  /** The `pg` pool of the database that holds the jobs (usually the storage's pool). */
  readonly pool: Pool;
  /** graphile-worker's schema (default `graphile_worker`). */
  readonly schema?: string;
  /**
   * The task name the jobs are filed under (default `omotenashi`). Job keys are prefixed with it, so
   * several desks (tenants) can share one graphile-worker schema with a task name each.
   */
  readonly task?: string;
  /** Run jobs in this process (default true). `false` makes an API process that only enqueues. */
  readonly worker?: boolean;
  /** Jobs run at once in this process (default 4). */
  readonly concurrency?: number;
  /** How often an idle worker looks for jobs that fell due, in ms (default 1000). */
  readonly pollIntervalMs?: number;
  /** Attempts per job before it is given up (default 8); graphile-worker waits e^attempt seconds between them. */
  readonly maxAttempts?: number;
  /** How often this process says it is alive, in ms (default 10 000). */
  readonly heartbeatMs?: number;
  /**
   * After how long without a heartbeat a worker counts as dead and its locked jobs are handed to
   * the others, in ms (default 60 000; at least twice `heartbeatMs`).
   */
  readonly staleAfterMs?: number;
  /** Arms the heartbeat (default: the system clock). Due times are always the database's. */
  readonly clock?: ClockPort;
  /** Where graphile-worker's own messages and failed jobs are written (pino's shape; default: the console, warnings and up). */
  readonly logger?: DeskLogger;
  /** Told about a job that failed, and whether it was given up. Default: `logger.warn` for a retry, `logger.error` when given up. */
  readonly onError?: (error: unknown, job: ScheduledJob | undefined, attempt: number, givenUp: boolean) => void;
}

/** The PostgreSQL scheduler: the port, plus what runs it in production. */
export interface PostgresScheduler extends TransactionalScheduler {
  /**
   * Install or upgrade graphile-worker's schema and the heartbeat table. Safe to call from every
   * process at start-up; concurrent calls apply each migration once.
   */
  migrate(): Promise<void>;
  /** How many of this task's jobs are waiting or running (given-up jobs excluded). */
  pending(): Promise<number>;
  /**
   * The next jobs to fall due, earliest first (running and given-up jobs excluded): for dashboards
   * and operations. Served by an index on (task, due time), so it stays fast with millions of timers.
   */
  upcoming(limit?: number): Promise<ScheduledJob[]>;
  /**
   * Hand the locked jobs of workers whose heartbeat is older than `staleAfterMs` back to the queue;
   * returns how many workers were found dead. Every running scheduler does this on each heartbeat.
   */
  sweep(): Promise<number>;
  /** graphile-worker's ids of this process's worker pool and workers, the names jobs are locked in (empty until `start` has connected). */
  readonly workerIds: ReadonlyArray<string>;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
const UPCOMING_SQL = (schema: string): string =>
  `SELECT j.payload FROM ${schema}._private_jobs j WHERE j.task_id = (SELECT id FROM ${schema}._private_tasks WHERE identifier = $1) AND j.is_available ORDER BY j.run_at, j.id LIMIT $2`;
const HEARTBEAT_TABLE = (table: string): string => `CREATE TABLE IF NOT EXISTS ${table} (worker_id TEXT PRIMARY KEY, beat_at TIMESTAMPTZ NOT NULL)`;

interface Payload {
  readonly key: string;
  readonly at: number;
  readonly type: string;
  readonly payload: ScheduledJob['payload'];
}

const positiveInt = (value: number | undefined, fallback: number, field: string, min = 1): number => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`createPostgresScheduler.${field}`, `must be an integer of at least ${min}, got ${String(value)}`);
  return v;
};

/** The options checked, with their defaults. */
function settingsOf(options: PostgresSchedulerOptions) {
const pool = options.pool;
if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
  throw new ConfigError('createPostgresScheduler.pool', 'pass a pg pool: new Pool({ connectionString }) (npm install pg graphile-worker)');
}
const schemaName = options.schema ?? 'graphile_worker';
if (!IDENT.test(schemaName)) throw new ConfigError('createPostgresScheduler.schema', `"${schemaName}" is not a plain lower-case identifier such as "graphile_worker"`);
const task = options.task ?? 'omotenashi';
if (!IDENT.test(task)) throw new ConfigError('createPostgresScheduler.task', `"${task}" is not a plain lower-case identifier such as "omotenashi" or "tenant_acme"`);
const concurrency = positiveInt(options.concurrency, 4, 'concurrency');
const pollInterval = positiveInt(options.pollIntervalMs, 1000, 'pollIntervalMs', 10);
const maxAttempts = positiveInt(options.maxAttempts, 8, 'maxAttempts');
const heartbeatMs = positiveInt(options.heartbeatMs, 10_000, 'heartbeatMs', 10);
const staleAfterMs = positiveInt(options.staleAfterMs, Math.max(60_000, heartbeatMs * 2), 'staleAfterMs', 10);
if (staleAfterMs < heartbeatMs * 2) {
  throw new ConfigError('createPostgresScheduler.staleAfterMs', `must be at least twice heartbeatMs (${heartbeatMs * 2}), or live workers would be taken for dead`);
}
  return { pool, schemaName, task, concurrency, pollInterval, maxAttempts, heartbeatMs, staleAfterMs };
}

/**
 * graphile-worker's messages, routed to the logger; its own errors (not a failed job, which the
 * task wrapper reports with the job) to onError as well.
 */
function graphileLogger(log: DeskLogger, onError: NonNullable<PostgresSchedulerOptions['onError']>): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta, source: 'graphile-worker' };
    if (level === 'error') {
      if (meta?.['failure'] !== true) onError(new Error(message), undefined, 0, false);
      else log.debug(fields, message);
    } else log[level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug'](fields, message);
  });
}

/** Write timer changes as graphile-worker jobs (keyed upserts, removals) on a client or pool. */
async function writeJobs(client: SqlClient, changes: ReadonlyArray<JobChange>, at: { schema: string; task: string; prefix: string; maxAttempts: number }): Promise<void> {
  const { schema, task, prefix, maxAttempts } = at;
  for (const change of changes) {
    if (change.type === 'cancel') {
      await client.query(`SELECT ${schema}.remove_job($1)`, [prefix + change.key]);
      continue;
    }
    const { job } = change;
    const payload: Payload = { key: job.key, at: job.at, type: job.type, payload: job.payload };
    await client.query(`SELECT ${schema}.add_job($1, $2::json, run_at => $3::timestamptz, max_attempts => $4, job_key => $5, job_key_mode => 'replace')`, [
      task,
      JSON.stringify(payload),
      new Date(job.at).toISOString(),
      maxAttempts,
      prefix + job.key,
    ]);
  }
}

/** A job as the desk scheduled it, from graphile-worker's payload. */
const toJob = (payload: unknown): ScheduledJob => {
  const p = payload as Payload;
  return { key: p.key, at: p.at, type: p.type, payload: p.payload };
};

/** The graphile-worker task that runs the desk's handler, reporting a failure with the job. */
function taskOf(handler: JobHandler, onError: NonNullable<PostgresSchedulerOptions['onError']>) {
  return async (payload: unknown, helpers: JobHelpers): Promise<void> => {
    const job = toJob(payload);
    const meta: Job = helpers.job;
    try {
      await handler(job);
    } catch (error) {
      onError(error, job, meta.attempts, meta.attempts >= meta.max_attempts);
      throw error;
    }
  };
}

/**
 * Each process's heartbeat: its workers' row is beaten every `heartbeatMs`, and the workers of a
 * process that stopped beating for `staleAfterMs` are unlocked so others run their jobs again.
 */
function heartbeat(h: {
  pool: Pool;
  heartbeats: string;
  schema: string;
  staleAfterMs: number;
  heartbeatMs: number;
  clock: ClockPort;
  onError: NonNullable<PostgresSchedulerOptions['onError']>;
  workerIds: Set<string>;
  state: { stopped: boolean; cancelBeat: (() => void) | undefined };
}) {
  async function beat(): Promise<void> {
    if (h.workerIds.size > 0) {
      await h.pool.query(`INSERT INTO ${h.heartbeats} (worker_id, beat_at) SELECT unnest($1::text[]), now() ON CONFLICT (worker_id) DO UPDATE SET beat_at = now()`, [[...h.workerIds]]);
    }
  }
  async function sweep(): Promise<number> {
    const r = await h.pool.query(
      `WITH dead AS (DELETE FROM ${h.heartbeats} WHERE beat_at < now() - make_interval(secs => $1::float8 / 1000) RETURNING worker_id)
       SELECT ${h.schema}.force_unlock_workers(array(SELECT worker_id FROM dead)), (SELECT count(*)::int FROM dead) AS n`,
      [h.staleAfterMs],
    );
    return Number((r.rows[0] as { n?: number } | undefined)?.n ?? 0);
  }
  const armBeat = (): void => {
    h.state.cancelBeat = h.clock.setAlarm(h.clock.now() + h.heartbeatMs, async () => {
      if (h.state.stopped) return;
      try {
        await beat();
        await sweep();
      } catch (error) {
        h.onError(error, undefined, 0, false);
      }
      if (!h.state.stopped) armBeat();
    });
  };
  return { beat, sweep, armBeat };
}

/** graphile-worker's events, noting the ids jobs are locked in the name of: the pool's or its workers', depending on the version and mode. */
function workerEvents(workerIds: Set<string>): WorkerEvents {
  const events = new EventEmitter();
  events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => void workerIds.add(workerPool.id));
  events.on('worker:create', ({ worker }: { worker: { workerId: string } }) => void workerIds.add(worker.workerId));
  return events as unknown as WorkerEvents;
}

/**
 * A durable scheduler on PostgreSQL, built on graphile-worker (an optional peer dependency): SLA
 * timers, follow-ups and the outbox relay become rows in graphile-worker's job table, due at the
 * database's clock, shared by every worker process on the database (each job is locked by one
 * worker with `SKIP LOCKED`).
 *
 * - Keyed upserts: a job's key becomes graphile-worker's `job_key` in `replace` mode, so one key
 *   has at most one pending job, and re-scheduling a running job leaves a new one for later.
 * - In one transaction with the state: give the scheduler to `createPostgresStorage({ scheduler })`
 *   and the desk writes its timers in the commit that changes the tickets.
 * - Crashes: each process keeps a heartbeat row; when one stops beating for `staleAfterMs`, the
 *   others unlock its jobs (`force_unlock_workers`) and run them again. Handlers are idempotent,
 *   and messages carry idempotency keys, so a re-run repeats no delivery the receiver keeps.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStorage } from 'omotenashi/postgres';
 * import { createPostgresScheduler } from 'omotenashi/postgres-scheduler';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const scheduler = createPostgresScheduler({ pool, concurrency: 8 });
 * const storage = createPostgresStorage({ pool, scheduler });
 * await scheduler.migrate();
 * await storage.migrate();
 * const desk = createServiceDesk({ storage }); // uses the storage's scheduler
 * ```
 * @throws ConfigError for a pool that is not one, a schema or task that is not a plain identifier, or
 * numbers out of range.
 */
export function createPostgresScheduler(options: PostgresSchedulerOptions): PostgresScheduler {
  const { pool, schemaName, task, concurrency, pollInterval, maxAttempts, heartbeatMs, staleAfterMs } = settingsOf(options);
  const clock = options.clock ?? createSystemClock();
  const log = options.logger ?? createConsoleLogger();
  const onError = options.onError ?? ((error: unknown, job: ScheduledJob | undefined, attempt: number, givenUp: boolean) => log[givenUp ? 'error' : 'warn']({ err: error, job: job?.key, attempt, givenUp }, `job ${job?.key ?? '?'} failed (attempt ${attempt}${givenUp ? ', given up' : ''})`));
  const schema = `"${schemaName}"`;
  const heartbeats = `${schema}.omotenashi_worker_heartbeats`;
  const prefix = `${task}:`;
  const logger = graphileLogger(log, onError);

  const workerIds = new Set<string>();
  let starting: Promise<Runner | undefined> | undefined;
  // Shared with the heartbeat: whether the scheduler stopped, and how to cancel the next beat.
  const state: { stopped: boolean; cancelBeat: (() => void) | undefined } = { stopped: false, cancelBeat: undefined };

  /** Our additions to graphile-worker's schema (once its own migrations have run). */
  async function ownTables(): Promise<void> {
    await pool.query(HEARTBEAT_TABLE(heartbeats));
    // graphile-worker's own index leads with priority; "what is due next for this task" needs task first.
    await pool.query(`CREATE INDEX IF NOT EXISTS omotenashi_jobs_due ON ${schema}._private_jobs (task_id, run_at, id) WHERE is_available`);
  }

  async function migrate(): Promise<void> {
    await runMigrations({ pgPool: pool, schema: schemaName, logger });
    await ownTables();
  }

  const writeIn = (client: SqlClient, changes: ReadonlyArray<JobChange>): Promise<void> => writeJobs(client, changes, { schema, task, prefix, maxAttempts });

  const { beat, sweep, armBeat } = heartbeat({ pool, heartbeats, schema, staleAfterMs, heartbeatMs, clock, onError, workerIds, state });

  async function begin(handler: JobHandler): Promise<Runner | undefined> {
    const events = workerEvents(workerIds);
    // run() applies graphile-worker's migrations itself; ours follow.
    const runner = await run({
      pgPool: pool,
      schema: schemaName,
      concurrency,
      pollInterval,
      noHandleSignals: true,
      logger,
      events,
      taskList: { [task]: taskOf(handler, onError) },
    });
    if (state.stopped) {
      await runner.stop();
      return undefined;
    }
    await ownTables();
    await beat();
    await sweep();
    armBeat();
    return runner;
  }

  return {
    name: 'postgres (graphile-worker)',
    capabilities: { durable: true },
    get workerIds() {
      return [...workerIds];
    },
    migrate,
    writeIn,
    schedule: (job) => writeIn(pool, [{ type: 'schedule', job }]),
    cancel: (key) => writeIn(pool, [{ type: 'cancel', key }]),
    async pending() {
      const r = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.jobs WHERE task_identifier = $1 AND attempts < max_attempts`, [task]);
      return Number((r.rows[0] as { n?: number } | undefined)?.n ?? 0);
    },
    sweep,
    async upcoming(limit = 20) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ConfigError('upcoming.limit', `must be an integer from 1 to 10000, got ${String(limit)}`);
      const r = await pool.query(UPCOMING_SQL(schema), [task, limit]);
      return (r.rows as ReadonlyArray<{ payload: unknown }>).map((row) => toJob(row.payload));
    },
    start(handler) {
      if (options.worker === false || starting !== undefined) return;
      state.stopped = false;
      starting = begin(handler);
      starting.catch((error: unknown) => onError(error, undefined, 0, false));
    },
    async stop() {
      state.stopped = true;
      state.cancelBeat?.();
      state.cancelBeat = undefined;
      const runner = await starting?.catch(() => undefined);
      starting = undefined;
      await runner?.stop();
      if (workerIds.size > 0) await pool.query(`DELETE FROM ${heartbeats} WHERE worker_id = ANY($1::text[])`, [[...workerIds]]).catch(() => undefined);
      workerIds.clear();
    },
  };
}
