
import type { Customer } from '../domain/customer.js';
import type { TicketId } from '../domain/common.js';
import { jobKey } from '../domain/job.js';
import type { AuditEntry, Ticket } from '../domain/ticket.js';
import { interactionKeys } from '../domain/interaction.js';
import type { DeskEvent } from '../events.js';
import { autoCloseDueAt, type DecisionContext, type Step } from '../lifecycle/engine.js';
import { diffRecords } from '../internal/diff.js';
import type { CompiledRule } from '../escalation/rules.js';
import type { EscalationParts } from './features/escalation.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import type { Put, UnitOfWork } from '../ports/storage.js';
import type { Addition, Effect } from './effects.js';
import type { DeskConfig } from './config.js';
import type { FollowUpRuntime } from './followups.js';
import { fold, type Kernel, type Outcome, type Reader } from './runtime.js';

export { fold } from './runtime.js';
import type { TicketCommandOptions } from './options.js';
import type { SlaStage } from './sla-stage.js';
import type { RoutingStage } from './routing.js';
import { expectVersion } from './records.js';
import { createLinksStage } from './links-stage.js';

/** A command's ticket changes turned into a unit of work: records, audit, events, timers, and each ticket as it will be committed. */
export interface Settled {
  readonly work: UnitOfWork | null;
  readonly events: DeskEvent[];
  readonly effects: Effect[];
  /** Each ticket as it will be committed. */
  readonly finals: Map<string, Ticket>;
  /** Each written ticket as it was stored before the command (null: new). */
  readonly bases: Map<string, Ticket | null>;
}

/** What escalation adds to a command: more steps on its tickets, then records (flags, notices) once the tickets are final. */
export interface EscalationReaction {
  readonly steps: ReadonlyArray<Step>;
  readonly finish: (finals: ReadonlyMap<string, Ticket>) => Promise<Addition>;
}

/** The escalation part of the pipeline (see `commands/escalation.ts`). */
export interface EscalationStage {
  react(settled: Settled, read: Reader, ctx: DecisionContext): Promise<EscalationReaction | null>;
}

const CREATION_FIELDS = ['subject', 'type', 'priority', 'status', 'requesterId', 'organizationId', 'channel', 'assigneeId', 'teamId', 'followUpOf', 'sourceId'] as const;

/** Point every ticket event at the ticket as it will be committed. */
export function bind(events: ReadonlyArray<DeskEvent>, finals: ReadonlyMap<string, Ticket>): DeskEvent[] {
  return events.map((e) => ('ticket' in e.payload ? ({ name: e.name, payload: { ...e.payload, ticket: finals.get(e.payload.ticket.id) ?? e.payload.ticket } } as DeskEvent) : e));
}

/** What settling needs to keep a ticket's timers: the lifecycle policy (auto-close), the time rules and calendars. */
interface SettleTimers {
  readonly policy: Kernel['policy'];
  readonly rulesOnTime: ReadonlyArray<CompiledRule>;
  /** How the time rules' timers follow a ticket (with escalation only). */
  readonly timeRuleChanges: EscalationParts['timeRuleChanges'] | undefined;
  readonly calendars: ReadonlyMap<string, BusinessCalendar>;
}

/** Turn lifecycle steps into a unit of work, audit entries, final event payloads and timer effects. */
export function settleSteps(steps: ReadonlyArray<Step>, ctx: DecisionContext, stored: ReadonlyMap<string, Ticket | null>, timers: SettleTimers): Settled {
  const { policy, rulesOnTime, calendars, timeRuleChanges } = timers;
  const bases = new Map<string, Ticket | null>(stored);
  const last = new Map<string, Ticket>();
  for (const s of steps) {
    if (!bases.has(s.ticket.id)) bases.set(s.ticket.id, s.before);
    last.set(s.ticket.id, s.ticket);
  }
  const finals = new Map<string, Ticket>();
  const puts: Put[] = [];
  const effects: Effect[] = [];
  for (const [id, after] of last) {
    const before = bases.get(id) ?? null;
    const changed = before === null || steps.some((s) => s.ticket.id === id && (s.before !== s.ticket || s.interactions.length > 0));
    if (!changed) {
      finals.set(id, after);
      continue;
    }
    const record: Ticket = { ...after, version: (before?.version ?? 0) + 1, updatedAt: ctx.now };
    finals.set(id, record);
    puts.push({ kind: 'ticket', record, expectedVersion: before?.version ?? null });
    if (timeRuleChanges !== undefined) effects.push(...timeRuleChanges(rulesOnTime, before, record, calendars));
    const due = autoCloseDueAt(record, policy);
    const key = jobKey('ticket.autoClose', id);
    if (due !== null && (before === null || before.status !== 'resolved' || before.resolvedAt?.getTime() !== record.resolvedAt?.getTime())) {
      effects.push({ type: 'schedule', job: { key, at: due, type: 'ticket.autoClose', payload: { ticketId: id } } });
    } else if (due === null && before?.status === 'resolved') {
      effects.push({ type: 'cancel', key });
    }
  }
  const audit: AuditEntry[] = [];
  for (const s of steps) {
    const final = finals.get(s.ticket.id) as Ticket;
    const changes =
      s.before === null
        ? CREATION_FIELDS.filter((f) => s.ticket[f] !== undefined).map((f) => ({ field: f, from: undefined, to: s.ticket[f] }))
        : diffRecords(s.before, s.ticket, ['version', 'updatedAt', 'escalation', 'sla']);
    if (changes.length === 0 && s.interactions.length === 0 && s.events.length === 0) continue;
    audit.push({ ticketId: s.ticket.id, version: final.version, at: ctx.now, actor: s.actor ?? ctx.actor, action: s.action, changes, ...(s.reason === undefined ? {} : { reason: s.reason }) });
  }
  const events = bind(
    steps.flatMap((s) => s.events),
    finals,
  );
  const interactions = steps.flatMap((s) => s.interactions);
  const keys = interactions.flatMap((i) => interactionKeys(i).map((key) => ({ op: 'claim' as const, key, kind: 'ticket' as const, id: i.ticketId })));
  const work = puts.length === 0 && interactions.length === 0 ? null : { puts, interactions, audit, ...(keys.length === 0 ? {} : { keys }) };
  return { work, events, effects, finals, bases };
}


/** The follow-ups a command's ticket changes set off or cancel, in the same unit of work. */
async function withFollowUps(runtime: FollowUpRuntime | undefined, settled: Settled, read: Reader, ctx: DecisionContext): Promise<Settled> {
  if (runtime === undefined || settled.work === null) return settled;
  const changes: Array<{ before: Ticket | null; after: Ticket }> = [];
  for (const p of settled.work.puts) {
    if (p.kind === 'ticket') changes.push({ before: settled.bases.get(p.record.id) ?? null, after: settled.finals.get(p.record.id) as Ticket });
  }
  const customerOf = (id: string): Promise<Customer> => read.load('customer', id);
  return fold(settled, await runtime.forTickets(changes, customerOf, ctx.now, ctx.actor));
}


/** The ticket pipeline: lifecycle steps → records and audit → SLA → follow-ups → escalation, all in one unit of work. */
export function createPipeline(kernel: Kernel, config: DeskConfig, parts: { sla: SlaStage | undefined; followUps: FollowUpRuntime | undefined }) {
  const esc = config.parts.escalation;
  const timers: SettleTimers = { policy: kernel.policy, rulesOnTime: config.rulesOnTime, timeRuleChanges: esc?.timeRuleChanges, calendars: config.sla?.calendars ?? new Map() };
  const settle = (steps: ReadonlyArray<Step>, ctx: DecisionContext, stored: ReadonlyMap<string, Ticket | null> = new Map()): Settled => settleSteps(steps, ctx, stored, timers);
  let escalation: EscalationStage | undefined;
  let routing: RoutingStage | undefined;
  const links = createLinksStage(config.links.openChildren);

  async function through(steps: ReadonlyArray<Step>, ctx: DecisionContext, read: Reader, check: Ticket | undefined, extra: ((s: Settled) => Promise<Addition>) | undefined): Promise<Settled> {
    // Steps of a later pass start from tickets this command already changed: versions count from the stored ones.
    let settled = settle(steps, ctx, check === undefined ? new Map() : new Map([[check.id, check]]));
    if (parts.sla !== undefined) settled = await parts.sla.apply(settled, read, ctx, check);
    return extra === undefined ? settled : fold(settled, await extra(settled));
  }

  /**
   * Everything a command's steps cause, decided together: records, audit, SLA, the escalation
   * rules its events set off (their steps settled with the command's, their flags and notices
   * added once the tickets are final), then the follow-ups of the final tickets, once. Events
   * caused by escalation set off no rules.
   */
  async function finish(steps: ReadonlyArray<Step>, ctx: DecisionContext, read: Reader, mode: { check?: Ticket; extra?: (s: Settled) => Promise<Addition>; escalate?: boolean } = {}): Promise<Settled> {
    let settled = await through(steps, ctx, read, mode.check, mode.extra);
    const reaction = escalation === undefined || mode.escalate === false ? null : await escalation.react(settled, read, ctx);
    let all: ReadonlyArray<Step> = steps;
    if (reaction !== null && reaction.steps.length > 0) {
      all = [...steps, ...reaction.steps];
      settled = await through(all, ctx, read, mode.check, mode.extra);
    }
    const family = await links.react(settled, all, read, ctx);
    if (family.length > 0) {
      all = [...all, ...family];
      settled = await through(all, ctx, read, mode.check, mode.extra);
    }
    // Routing sees the tickets as the command and its escalations left them.
    const routed = routing === undefined ? [] : await routing.react(settled, read, ctx);
    if (routed.length > 0) settled = await through([...all, ...routed], ctx, read, mode.check, mode.extra);
    settled = await withFollowUps(parts.followUps, settled, read, ctx);
    if (routing !== undefined) settled = fold(settled, await routing.finish(settled, read, ctx));
    return reaction === null ? settled : fold(settled, await reaction.finish(settled.finals));
  }

  const asOutcome = <R>(settled: Settled, result: R): Outcome<R> => ({ work: settled.work, events: settled.events, effects: settled.effects, result });

  /** Run a command on one ticket: load, check the caller's version, decide, settle, commit. */
  function ticketCommand<R>(
    ticketId: TicketId,
    options: TicketCommandOptions | undefined,
    decide: (ticket: Ticket, ctx: DecisionContext, read: Reader) => Promise<Step[]> | Step[],
    result: (finals: Map<string, Ticket>, steps: ReadonlyArray<Step>, ticket: Ticket) => R,
    mode: { slaCheck?: boolean; escalate?: boolean; extra?: (settled: Settled, ctx: DecisionContext, read: Reader) => Promise<Addition> } = {},
  ): Promise<R> {
    const actor = kernel.actorOf(options);
    const expected = options?.expectedVersion;
    return kernel.run(async (read) => {
      const ticket = await read.load('ticket', ticketId);
      expectVersion('ticket', ticket, expected);
      const ctx = kernel.context(actor);
      const steps = await decide(ticket, ctx, read);
      const extra = mode.extra;
      const settled = await finish(steps, ctx, read, {
        ...(mode.slaCheck ? { check: ticket } : {}),
        ...(extra === undefined ? {} : { extra: (s: Settled) => extra(s, ctx, read) }),
        ...(mode.escalate === undefined ? {} : { escalate: mode.escalate }),
      });
      return asOutcome(settled, result(settled.finals, steps, ticket));
    }, expected === undefined);
  }

  return {
    settle,
    finish,
    ticketCommand,
    asOutcome,
    /** Plug in the escalation stage (built after the pipeline, since it settles steps too). */
    useEscalation(stage: EscalationStage): void {
      escalation = stage;
    },
    /** Plug in the routing stage. */
    useRouting(stage: RoutingStage): void {
      routing = stage;
    },
  };
}

/** The ticket pipeline of a desk (see {@link createPipeline}). */
export type Pipeline = ReturnType<typeof createPipeline>;

/** The ticket of `finals` with this id (it is always there for a ticket the command touched). */
export const finalOf = (finals: ReadonlyMap<string, Ticket>, id: string): Ticket => finals.get(id) as Ticket;
