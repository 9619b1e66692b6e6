import { jobKey, type ScheduledJob } from '../domain/job.js';
import type { RetentionRule } from './config.js';
import type { Kernel } from './runtime.js';
import type { ServiceDesk } from './service-desk.js';

/**
 * The desk's own retention runs (`createServiceDesk({ retention })`): one job, `privacy.retention`,
 * that applies the rule and schedules the next run, `every` later, or at once while tickets are left.
 */
export function createRetentionRuns(k: Kernel, rule: RetentionRule | undefined, apply: ServiceDesk['applyRetention']) {
  const job = (at: number): ScheduledJob => ({ key: jobKey('privacy.retention'), at, type: 'privacy.retention', payload: {} });

  async function run(): Promise<void> {
    if (rule === undefined) return;
    const report = await apply({ closedFor: rule.closedFor, limit: rule.limit });
    await k.scheduler.schedule(job(k.clock.now() + (report.more ? 0 : rule.everyMs)));
  }

  /** The run to schedule when the desk starts or is restored: one, now. */
  const jobs = (): ScheduledJob[] => (rule === undefined ? [] : [job(k.clock.now())]);

  return { run, jobs };
}

/** See {@link createRetentionRuns}. */
export type RetentionRuns = ReturnType<typeof createRetentionRuns>;
