import type { TicketId } from '../domain/common.js';
import { jobKey } from '../domain/job.js';
import { autoCloseDueAt, decideAutoClose } from '../lifecycle/engine.js';
import type { Escalation } from './commands/escalation.js';
import type { eventPublisher } from './commands/publishing.js';
import type { DeskConfig } from './config.js';
import type { FollowUpRuntime } from './followups.js';
import { JobPayloads, jobSpec, type JobTable } from './jobs.js';
import type { Outbox } from './outbox.js';
import type { Pipeline } from './pipeline.js';
import type { Kernel } from './runtime.js';
import type { SlaStage } from './sla-stage.js';
import type { Routing } from './routing.js';
import type { AccountRecheck } from './sla-account.js';
import type { Housekeeping } from './housekeeping.js';
import { pageAll } from '../ports/storage.js';

/** What the job table's handlers and rebuilds need from the desk. */
export interface JobTableDeps {
  readonly kernel: Kernel;
  readonly config: DeskConfig;
  readonly pipeline: Pipeline;
  readonly escalation: Escalation | undefined;
  readonly followUps: FollowUpRuntime | undefined;
  readonly outbox: Outbox;
  readonly sla: SlaStage | undefined;
  readonly runFollowUp: (id: string) => Promise<void>;
  readonly relay: (id: string) => Promise<void>;
  readonly drainTeam: (teamId: string) => Promise<number>;
  readonly expireOffer: (ticketId: string) => Promise<void>;
  readonly endShift: (agentId: string) => Promise<void>;
  readonly routing: Routing | undefined;
  readonly publisher: ReturnType<typeof eventPublisher>;
  readonly recheck: AccountRecheck;
  readonly housekeeping: Housekeeping;
}

/** The desk's job table: every job type's payload, handler and rebuild (see `jobs.ts`). */
export function deskJobTable(deps: JobTableDeps): JobTable {
  const { kernel, config, pipeline, escalation, followUps, outbox, sla, publisher } = deps;
  const esc = config.parts.escalation;
  const rulesOnTime = config.rulesOnTime;
  const calendars = config.sla?.calendars ?? new Map();

  return {
    'ticket.autoClose': jobSpec({
      payload: JobPayloads.ticket,
      run: async ({ ticketId }) => {
        await pipeline.ticketCommand(ticketId as TicketId, undefined, (ticket, ctx) => {
          const s = decideAutoClose(ticket, ctx);
          return s === null ? [] : [s];
        }, () => undefined);
      },
      rebuild: {
        perTicket: (t) => {
          const due = autoCloseDueAt(t, kernel.policy);
          return due === null ? [] : [{ key: jobKey('ticket.autoClose', t.id), at: due, type: 'ticket.autoClose', payload: { ticketId: t.id } }];
        },
      },
    }),
    'sla.check': jobSpec({
      payload: JobPayloads.ticket,
      run: async ({ ticketId }) => {
        await pipeline.ticketCommand(ticketId as TicketId, undefined, () => [], () => undefined, { slaCheck: true });
      },
      rebuild: {
        perTicket: (t) => {
          const at = t.sla?.nextCheckAt;
          return sla === undefined || at === undefined ? [] : [{ key: jobKey('sla.check', t.id), at: at.getTime(), type: 'sla.check', payload: { ticketId: t.id } }];
        },
      },
    }),
    'sla.account': jobSpec({
      payload: JobPayloads.account,
      run: ({ kind, id }) => deps.recheck.run(kind, id),
      rebuild: { all: () => deps.recheck.pending() },
    }),
    'escalation.time': jobSpec({
      payload: JobPayloads.timeRule,
      run: async (p) => escalation?.onTimeRule(p),
      rebuild: { perTicket: (t) => (esc?.timeRuleChanges(rulesOnTime, null, t, calendars) ?? []).flatMap((c) => (c.type === 'schedule' ? [c.job] : [])) },
    }),
    'escalation.ladder': jobSpec({
      payload: JobPayloads.ladder,
      run: async ({ ticketId, ruleId, cycle }) => {
        const level = config.ladders.find((l) => l.ruleId === ruleId);
        if (level !== undefined) await escalation?.onLadder(level, cycle, ticketId);
      },
      rebuild: {
        perTicket: (t) => (t.sla === undefined || esc === undefined ? [] : esc.ladderChanges(config.ladders, t, undefined, t.sla, kernel.clock.now(), config.sla).flatMap((c) => (c.type === 'schedule' ? [c.job] : []))),
      },
    }),
    'followup.due': jobSpec({
      payload: JobPayloads.id,
      run: ({ id }) => deps.runFollowUp(id),
      rebuild: { all: async () => (followUps === undefined ? [] : (await followUps.pendingJobs()).flatMap((c) => (c.type === 'schedule' ? [c.job] : []))) },
    }),
    'notification.send': jobSpec({
      payload: JobPayloads.id,
      run: ({ id }) => deps.relay(id),
      rebuild: { all: async () => (await outbox.pendingJobs()).flatMap((c) => (c.type === 'schedule' ? [c.job] : [])) },
    }),
    ...routingJobs(deps),
    'privacy.retention': jobSpec({
      payload: JobPayloads.none,
      run: () => deps.housekeeping.run(),
      rebuild: { all: async () => deps.housekeeping.retentionJobs() },
    }),
    'requests.prune': jobSpec({
      payload: JobPayloads.none,
      run: () => deps.housekeeping.prune(),
      rebuild: { all: async () => deps.housekeeping.pruneJobs() },
    }),
    'event.publish': jobSpec({
      payload: JobPayloads.id,
      run: ({ id }) => publisher.publish(id),
      rebuild: { all: () => publisher.pendingJobs() },
    }),
  };
}

/** The routing jobs: draining a team's queue, an offer's timeout, an agent's shift end. */
function routingJobs(deps: JobTableDeps): Pick<JobTable, 'routing.drain' | 'routing.offerExpiry' | 'routing.shiftEnd'> {
  const { kernel } = deps;
  return {
    'routing.drain': jobSpec({
      payload: JobPayloads.id,
      run: async ({ id }) => {
        await deps.drainTeam(id);
      },
      rebuild: {
        all: async () => {
          if (deps.routing === undefined) return [];
          const teams = new Set<string>();
          for await (const page of pageAll(kernel.storage, 'ticket', { status: ['new', 'open'] })) for (const t of page) if (t.teamId !== undefined && t.assigneeId === undefined) teams.add(t.teamId);
          return [...teams].map((id) => ({ key: jobKey('routing.drain', id), at: kernel.clock.now(), type: 'routing.drain' as const, payload: { id } }));
        },
      },
    }),
    'routing.offerExpiry': jobSpec({
      payload: JobPayloads.ticket,
      run: ({ ticketId }) => deps.expireOffer(ticketId),
      rebuild: {
        perTicket: (t) => {
          const offer = t.routing?.offer;
          return deps.routing === undefined || offer === undefined || t.assigneeId !== undefined ? [] : [{ key: jobKey('routing.offerExpiry', t.id), at: offer.expiresAt.getTime(), type: 'routing.offerExpiry', payload: { ticketId: t.id } }];
        },
      },
    }),
    'routing.shiftEnd': jobSpec({
      payload: JobPayloads.id,
      run: ({ id }) => deps.endShift(id),
      rebuild: {
        all: async () => {
          const routing = deps.routing;
          if (routing === undefined) return [];
          const now = new Date(kernel.clock.now());
          const holders = new Set<string>();
          for await (const page of pageAll(kernel.storage, 'ticket', { status: ['new', 'open'] })) for (const t of page) if (t.assigneeId !== undefined && t.firstAgentReplyAt === undefined) holders.add(t.assigneeId);
          const jobs = [];
          for (const id of holders) {
            const agent = await kernel.storage.get('agent', id);
            const effect = agent === null ? undefined : routing.shiftEndJob(agent, now);
            if (effect?.type === 'schedule') jobs.push(effect.job);
          }
          return jobs;
        },
      },
    }),
  };
}
