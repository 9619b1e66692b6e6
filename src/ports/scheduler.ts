import type { ScheduledJob } from '../domain/job.js';

export type { JobChange, ScheduledJob } from '../domain/job.js';

/** Runs a due job; throwing makes the scheduler retry it later. */
export type JobHandler = (job: ScheduledJob) => Promise<void>;

/** What a scheduler adapter can do beyond the contract. */
export interface SchedulerCapabilities {
  /** Jobs survive a process restart. */
  readonly durable: boolean;
}

/**
 * Runs jobs when they fall due.
 *
 * Contract (checked by `defineSchedulerConformanceSuite`-style tests):
 * - `schedule` with a key already pending replaces that job: one key, at most one pending job.
 * - `cancel` of an unknown key is a no-op.
 * - Due jobs run in order of `at` (then of scheduling); a job is handed to the handler at or
 *   after its `at`, never before.
 * - A handler that throws has its job retried later; handlers must be idempotent, since any
 *   job may run more than once.
 */
export interface SchedulerPort {
  /** A short name for error messages. */
  readonly name: string;
  /** What this adapter can do. */
  readonly capabilities: SchedulerCapabilities;
  /** Create or replace the job with this key. */
  schedule(job: ScheduledJob): Promise<void>;
  /** Remove the pending job with this key, if any. */
  cancel(key: string): Promise<void>;
  /** Begin handing due jobs to `handler`. Called once by the desk. */
  start(handler: JobHandler): void;
  /** Stop handing out jobs; pending jobs stay pending. */
  stop(): Promise<void>;
}
