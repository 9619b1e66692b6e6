import { jobKey, type ScheduledJob } from '../domain/job.js';
import type { DeskConfig } from './config.js';
import type { Kernel } from './runtime.js';
import type { ServiceDesk } from './service-desk.js';

/**
 * The desk's own housekeeping runs: retention (`createServiceDesk({ retention })`, the
 * `privacy.retention` job) and the pruning of expired idempotency keys (`pruneRequests`, the
 * `requests.prune` job). Each job does its work and schedules its next run, one period later,
 * or at once while work is left.
 */
export function createHousekeeping(k: Kernel, config: Pick<DeskConfig, 'retention' | 'pruning'>, desk: Pick<ServiceDesk, 'applyRetention' | 'pruneRequests'>) {
  const { retention: rule, pruning } = config;
  const job = (type: 'privacy.retention' | 'requests.prune', at: number): ScheduledJob => ({ key: jobKey(type), at, type, payload: {} });

  async function run(): Promise<void> {
    if (rule === undefined) return;
    const report = await desk.applyRetention({ closedFor: rule.closedFor, limit: rule.limit });
    await k.scheduler.schedule(job('privacy.retention', k.clock.now() + (report.more ? 0 : rule.everyMs)));
  }

  async function prune(): Promise<void> {
    if (pruning === undefined) return;
    const removed = await desk.pruneRequests({ limit: pruning.limit });
    await k.scheduler.schedule(job('requests.prune', k.clock.now() + (removed >= pruning.limit ? 0 : pruning.everyMs)));
  }

  /** The runs to schedule when the desk starts or is restored: each configured one, now. */
  const jobs = (): ScheduledJob[] => [...(rule === undefined ? [] : [job('privacy.retention', k.clock.now())]), ...(pruning === undefined ? [] : [job('requests.prune', k.clock.now())])];

  return { run, prune, jobs, retentionJobs: () => jobs().filter((j) => j.type === 'privacy.retention'), pruneJobs: () => jobs().filter((j) => j.type === 'requests.prune') };
}

/** See {@link createHousekeeping}. */
export type Housekeeping = ReturnType<typeof createHousekeeping>;
