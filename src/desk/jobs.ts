import * as z from 'zod';
import { isOmotenashiError } from '../errors.js';
import { SYSTEM_ACTOR } from '../domain/common.js';
import { JOB_TYPES, type JobType, type ScheduledJob } from '../domain/job.js';
import type { Ticket } from '../domain/ticket.js';
import { deskEvent } from '../events.js';
import { pageAll } from '../ports/storage.js';
import type { Kernel } from './runtime.js';

/** How the pending jobs of a type are found again in storage, for `restoreSchedules()`. */
export type JobRebuild =
  /** From each ticket that is not closed (one scan serves every type that rebuilds this way). */
  | { readonly perTicket: (ticket: Ticket) => ReadonlyArray<ScheduledJob> }
  /** From records of their own (the outbox, follow-ups, published events). */
  | { readonly all: () => Promise<ReadonlyArray<ScheduledJob>> };

/** One job type: its payload's schema, what runs it, and how its pending jobs are rebuilt. */
export interface JobSpec<P> {
  readonly payload: z.ZodType<P>;
  readonly run: (payload: P, job: ScheduledJob) => Promise<void>;
  readonly rebuild: JobRebuild;
}

/** The desk's job table: every job type has exactly one entry, so none can be forgotten in dispatch or restore. */
export type JobTable = { readonly [T in JobType]: JobSpec<never> };

/** Type one entry of a {@link JobTable} by its payload schema. */
export const jobSpec = <P>(spec: JobSpec<P>): JobSpec<never> => spec as unknown as JobSpec<never>;

/** Payload schemas of the job types. */
export const JobPayloads = {
  ticket: z.object({ ticketId: z.string().min(1) }),
  timeRule: z.object({ ticketId: z.string().min(1), ruleId: z.string().min(1), anchor: z.number() }),
  ladder: z.object({ ticketId: z.string().min(1), ruleId: z.string().min(1), cycle: z.number().int() }),
  id: z.object({ id: z.string().min(1) }),
  account: z.object({ kind: z.enum(['customer', 'organization']), id: z.string().min(1) }),
  none: z.object({}),
} as const;

const OPEN_STATUSES = ['new', 'open', 'pending_customer', 'on_hold', 'resolved'] as const;

/** Dispatch and restore over a job table. */
export function createJobRunner(k: Kernel, table: JobTable) {
  const tableOf = new Map<string, JobSpec<never>>(JOB_TYPES.map((t) => [t, table[t]]));

  /** Run one due job. A job whose ticket is gone is done; a malformed or unknown one is reported and dropped. */
  async function handle(job: ScheduledJob): Promise<void> {
    const spec = tableOf.get(job.type);
    if (spec === undefined) {
      k.onError(new Error(`no handler for job type "${job.type}" (known: ${JOB_TYPES.join(', ')})`), { source: 'job', job });
      return;
    }
    const parsed = (spec.payload as z.ZodType<unknown>).safeParse(job.payload);
    if (!parsed.success) {
      k.onError(new Error(`job "${job.key}" has a payload its type "${job.type}" does not accept: ${parsed.error.issues[0]?.message ?? 'invalid'}`), { source: 'job', job });
      return;
    }
    try {
      await spec.run(parsed.data as never, job);
    } catch (error) {
      if (isOmotenashiError(error) && error.code === 'NOT_FOUND') return;
      throw error;
    }
  }

  /** Schedule again every pending job of every type, rebuilt from storage. Returns how many. */
  async function restore(): Promise<number> {
    let count = 0;
    const perTicket = JOB_TYPES.map((t) => table[t].rebuild).filter((r): r is Extract<JobRebuild, { perTicket: unknown }> => 'perTicket' in r);
    for await (const page of pageAll(k.storage, 'ticket', { status: [...OPEN_STATUSES] })) {
      for (const t of page) {
        for (const r of perTicket) {
          for (const job of r.perTicket(t)) {
            await k.scheduler.schedule(job);
            count++;
          }
        }
      }
    }
    for (const type of JOB_TYPES) {
      const r = table[type].rebuild;
      if (!('all' in r)) continue;
      for (const job of await r.all()) {
        await k.scheduler.schedule(job);
        count++;
      }
    }
    return count;
  }

  /** Tell the desk's listeners and `onError` that a job failed (`givenUp`: it is dead-lettered). */
  function failed(error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean): void {
    k.onError(error, { source: 'job', job });
    const at = k.now();
    k.emit(deskEvent('job.failed', { job: { key: job.key, type: job.type, at: new Date(job.at) }, attempt, givenUp, error: error instanceof Error ? error.message : String(error), at, actor: SYSTEM_ACTOR }));
  }

  return { handle, restore, failed };
}
