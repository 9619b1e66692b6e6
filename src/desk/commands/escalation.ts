import type { Actor, CustomerId, TicketId } from '../../domain/common.js';
import { activeFlags, type Customer, type CustomerFlag } from '../../domain/customer.js';
import type { Interaction } from '../../domain/interaction.js';
import type { Ticket } from '../../domain/ticket.js';
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { deskEvent } from '../../events.js';
import { decideEscalations, type FlagRequest } from '../../escalation/apply.js';
import { evaluateEscalation } from '../../escalation/evaluate.js';
import { resolveEscalationTarget } from '../../escalation/hierarchy.js';
import { clockFacts, type LadderLevel } from '../../escalation/ladders.js';
import { limitFacts } from '../../escalation/limits.js';
import type { EscalationRules } from '../../escalation/rules.js';
import { escalationTriggers, timeRuleDue, type EscalationTriggerOccurrence } from '../../escalation/timers.js';
import type { DecisionContext, Step } from '../../lifecycle/engine.js';
import { ticketFacts } from '../../rules/facts.js';
import { signalFacts } from '../../signals/detect.js';
import { nothing, type Addition } from '../effects.js';
import type { DeskConfig } from '../config.js';
import type { FollowUpRuntime } from '../followups.js';
import type { Outbox } from '../outbox.js';
import { ESCALATION_ACTOR, escalationNotices, type Notice } from './notices.js';

export { ESCALATION_ACTOR } from './notices.js';
import type { EscalationReaction, EscalationStage, Pipeline, Settled } from '../pipeline.js';
import { organizationOf, type Kernel, type Reader } from '../runtime.js';
import type { SlaStage } from '../sla-stage.js';

interface Evaluated {
  readonly steps: Step[];
  readonly flags: Array<FlagRequest & { customerId: CustomerId; ticketId: string }>;
  readonly notices: Notice[];
}

/**
 * Escalation on the desk: rules set off by a command's events decide within that command (their
 * steps, flags and notices join its unit of work); time rules and ladder levels run as jobs.
 */
export function createEscalation(kernel: Kernel, config: DeskConfig, rules: EscalationRules, parts: { pipeline: Pipeline; sla: SlaStage | undefined; outbox: Outbox; followUps: FollowUpRuntime | undefined }) {
  const calendars = config.sla?.calendars ?? new Map<string, BusinessCalendar>();
  const notices = escalationNotices(kernel, config, parts.outbox);

  /** Collect what the rules decide for a set of triggers, each seeing the ticket as the earlier ones left it. */
  async function evaluateAll(triggers: ReadonlyArray<EscalationTriggerOccurrence>, start: ReadonlyMap<string, Ticket>, read: Reader, ctx: DecisionContext, pending: ReadonlyArray<Interaction>): Promise<Evaluated> {
    const current = new Map(start);
    const all: Evaluated = { steps: [], flags: [], notices: [] };
    for (const t of triggers) {
      const ticket = current.get(t.ticketId) ?? (await read.load('ticket', t.ticketId));
      const r = await evaluateOn(rules, config, ticket, t, read, ctx, { pending });
      if (r === null) continue;
      all.steps.push(...r.steps);
      all.flags.push(...r.flags);
      all.notices.push(...r.notices);
      const last = r.steps.at(-1);
      if (last !== undefined) current.set(t.ticketId, last.ticket);
    }
    return all;
  }

  const reactionOf = (e: Evaluated, read: Reader, now: Date): EscalationReaction => ({
    steps: e.steps,
    finish: async (finals) => {
      const out = nothing();
      await flagCustomers(parts.followUps, e.flags, read, now, out);
      await notices.queueNotices(e.notices, finals, read, now, out);
      return out;
    },
  });

  const stage: EscalationStage = {
    async react(settled: Settled, read, ctx) {
      const triggers = escalationTriggers(settled.events).filter((t) => rules.byEvent.has(t.trigger));
      if (triggers.length === 0) return null;
      const e = await evaluateAll(triggers, settled.finals, read, ctx, settled.work?.interactions ?? []);
      return e.steps.length === 0 && e.flags.length === 0 && e.notices.length === 0 ? null : reactionOf(e, read, ctx.now);
    },
  };

  /** A timed rule or ladder level fell due: run it as its own command (its events set off no further rules). */
  async function runTimed(ticketId: string, occurrence: string, only: string, facts: (ticket: Ticket, read: Reader, ctx: DecisionContext) => Promise<object | null>): Promise<void> {
    let reaction: EscalationReaction | null = null;
    await parts.pipeline.ticketCommand(
      ticketId as TicketId,
      { by: ESCALATION_ACTOR },
      async (ticket, ctx, read) => {
        reaction = null;
        const extra = await facts(ticket, read, ctx);
        if (extra === null) return [];
        const r = await evaluateOn(rules, config, ticket, { ticketId, trigger: 'time', occurrence, event: { type: 'time' }, signals: [] }, read, ctx, { only: [only], facts: extra });
        if (r === null) return [];
        reaction = reactionOf(r, read, ctx.now);
        return r.steps;
      },
      () => undefined,
      { escalate: false, extra: async (settled) => (reaction === null ? nothing() : reaction.finish(settled.finals)) },
    );
  }

  /** The job handler of a time rule: stale when the rule's anchor moved on (the agent did update the customer). */
  async function onTimeRule(payload: { ticketId: string; ruleId: string; anchor: number }): Promise<void> {
    const rule = rules.rules.find((r) => r.id === payload.ruleId);
    if (rule === undefined) return;
    await runTimed(payload.ticketId, `${payload.ruleId}@${payload.anchor}`, payload.ruleId, async (ticket) => {
      const due = timeRuleDue(rule, ticket, calendars);
      return due !== null && due.anchor === payload.anchor && due.at <= kernel.clock.now() ? {} : null;
    });
  }

  /** The job handler of a ladder level: climbs only if its clock is still in the cycle it was set for. */
  async function onLadder(level: LadderLevel, cycle: number, ticketId: string): Promise<void> {
    const sla = parts.sla;
    if (sla === undefined) return;
    await runTimed(ticketId, `${level.ruleId}#${cycle}`, level.ruleId, async (ticket, read, ctx) => {
      // The clock as it stands now, not as stored at the last change.
      const fresh = await sla.clocksNow(ticket, read, ctx.now);
      const clock = fresh.clocks.find((c) => c.slot === level.slot && c.metric === level.metric);
      if (clock === undefined || clock.cycle !== cycle) return null;
      return { sla: clockFacts(clock, ctx.now.getTime()) };
    });
  }

  return { stage, onTimeRule, onLadder };
}

/** Evaluate the rules for one trigger occurrence on a ticket as it stands in the command. */
async function evaluateOn(rules: EscalationRules, config: DeskConfig, ticket: Ticket, t: EscalationTriggerOccurrence | { ticketId: string; trigger: 'time'; occurrence: string; event: Record<string, unknown>; signals: [] }, read: Reader, ctx: DecisionContext, more: { only?: ReadonlyArray<string>; facts?: object; pending?: ReadonlyArray<Interaction> } = {}): Promise<Evaluated | null> {
  if (ticket.status === 'closed') return null;
  const [customer, organization] = await Promise.all([read.load('customer', ticket.requesterId), organizationOf(read, ticket)]);
  const base = ticketFacts(ticket, customer, ctx.now, organization);
  let facts: object = { ...base, event: t.event, signals: signalFacts(t.signals), ...more.facts };
  if (config.usesLimitFacts && t.trigger === 'interaction.received') {
    const [stored, agents] = await Promise.all([read.interactions(ticket.id), read.agents()]);
    const extra = limitFacts(ticket, [...stored, ...(more.pending ?? []).filter((i) => i.ticketId === ticket.id)], agents);
    facts = { ...facts, ticket: { ...base.ticket, ...extra.ticket }, ...(extra.assignee === undefined ? {} : { assignee: extra.assignee }) };
  }
  const state = ticket.escalation?.rules ?? {};
  const decision = evaluateEscalation({ rules, event: t.trigger, occurrence: t.occurrence, facts, state, ...(more.only ? { only: more.only } : {}) });
  if (decision.fired.length === 0 && decision.state === state) return null;
  const needsPeople = decision.fired.some((f) => f.actions.some((a) => a.type === 'escalate' || a.type === 'route_to_team' || a.type === 'reassign' || a.type === 'request_callback'));
  const [agents, teams] = needsPeople ? await Promise.all([read.agents(), read.teams()]) : [[], []];
  const escCtx: DecisionContext = { ...ctx, actor: ESCALATION_ACTOR };
  const fromMessage = t.trigger === 'signal.detected' || t.trigger === 'interaction.received';
  const decided = decideEscalations({ ticket, fired: decision.fired, state: decision.state, trigger: t.trigger, agents, teams, ctx: escCtx, signals: t.signals, teamQueues: config.routing !== undefined, ...(fromMessage ? { interactionId: t.occurrence } : {}) });
  const notices = decision.fired.flatMap((f) =>
    f.actions.flatMap((a): Notice[] => {
      if (a.type === 'notify') return [{ ticketId: ticket.id, ruleId: f.ruleId, occurrence: t.occurrence, action: a }];
      if (a.type !== 'request_callback') return [];
      // Ask the supervisor (or manager) above the holder to call the customer back.
      const target = resolveEscalationTarget({ type: 'escalate', to: a.from }, { ticket, agents, teams });
      if (!target.found || target.agentId === undefined) return [];
      return [{ ticketId: ticket.id, ruleId: f.ruleId, occurrence: t.occurrence, action: { type: 'notify', recipients: [{ agentId: target.agentId as string }], template: 'callback_request', urgent: false } }];
    }),
  );
  return {
    steps: decided.steps.map((s) => ({ ...s, actor: ESCALATION_ACTOR })),
    flags: decided.flags.map((f) => ({ ...f, customerId: customer.id, ticketId: ticket.id })),
    notices,
  };
}


/** Flag requested customers, in the command's unit of work (with the follow-ups a flag sets off); `author` is who the flags credit. */
export async function flagCustomers(followUps: FollowUpRuntime | undefined, flags: ReadonlyArray<FlagRequest & { customerId: CustomerId | string; ticketId: string }>, read: Reader, now: Date, out: Addition, author: Actor = ESCALATION_ACTOR): Promise<void> {
  const byCustomer = new Map<string, Array<(typeof flags)[number]>>();
  for (const f of flags) byCustomer.set(f.customerId, [...(byCustomer.get(f.customerId) ?? []), f]);
  for (const [id, requests] of byCustomer) {
    const before = await read.load('customer', id);
    let next: Customer = before;
    const added: CustomerFlag[] = [];
    for (const r of requests) {
      if (activeFlags(next, now).some((f) => f.kind === r.kind && f.reason === r.reason)) continue;
      const flag: CustomerFlag = { kind: r.kind, reason: r.reason, author, at: now, ticketId: r.ticketId as TicketId };
      next = { ...next, flags: [...next.flags, flag] };
      added.push(flag);
    }
    if (added.length === 0) continue;
    const saved: Customer = { ...next, version: before.version + 1, updatedAt: now };
    out.puts.push({ kind: 'customer', record: saved, expectedVersion: before.version });
    for (const flag of added) out.events.push(deskEvent('customer.flagged', { customer: saved, flag, at: now, actor: author }));
    if (followUps !== undefined) {
      const more = await followUps.forCustomer(before, saved, now, author);
      out.puts.push(...more.puts);
      out.events.push(...more.events);
      out.effects.push(...more.effects);
    }
  }
}

/** The escalation module of a desk (see {@link createEscalation}). */
export type Escalation = ReturnType<typeof createEscalation>;
