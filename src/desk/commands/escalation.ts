import type { Actor, AgentId, CustomerId, JsonValue, TicketId } from '../../domain/common.js';
import { activeFlags, salutationName, type Customer, type CustomerFlag } from '../../domain/customer.js';
import type { EscalationAction } from '../../domain/escalation.js';
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
import { chooseChannel, contactAddress, contactHours } from '../../followup/contact.js';
import type { DecisionContext, Step } from '../../lifecycle/engine.js';
import { ticketFacts } from '../../rules/facts.js';
import { signalFacts } from '../../signals/detect.js';
import { nothing, type Addition } from '../effects.js';
import type { DeskConfig } from '../config.js';
import type { FollowUpRuntime } from '../followups.js';
import type { Outbox } from '../outbox.js';
import type { EscalationReaction, EscalationStage, Pipeline, Settled } from '../pipeline.js';
import type { Kernel, Reader } from '../runtime.js';
import type { SlaStage } from '../sla-stage.js';

/** Who the audit trail and events credit for what escalation rules do. */
export const ESCALATION_ACTOR: Actor = Object.freeze({ kind: 'system' as const, name: 'escalation rules' });

interface Notice {
  readonly ticketId: string;
  readonly ruleId: string;
  readonly occurrence: string;
  readonly action: Extract<EscalationAction, { type: 'notify' }>;
}

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

  /** Evaluate the rules for one trigger occurrence on a ticket as it stands in the command. */
  async function evaluateOn(ticket: Ticket, t: EscalationTriggerOccurrence | { ticketId: string; trigger: 'time'; occurrence: string; event: Record<string, unknown>; signals: [] }, read: Reader, ctx: DecisionContext, more: { only?: ReadonlyArray<string>; facts?: object; pending?: ReadonlyArray<Interaction> } = {}): Promise<Evaluated | null> {
    if (ticket.status === 'closed') return null;
    const customer = await read.load('customer', ticket.requesterId);
    const base = ticketFacts(ticket, customer, ctx.now);
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
    const decided = decideEscalations({ ticket, fired: decision.fired, state: decision.state, trigger: t.trigger, agents, teams, ctx: escCtx });
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

  /** Flag requested customers, in the command's unit of work (with the follow-ups a flag sets off). */
  async function flagCustomers(flags: Evaluated['flags'], read: Reader, now: Date, out: Addition): Promise<void> {
    const byCustomer = new Map<string, Evaluated['flags']>();
    for (const f of flags) byCustomer.set(f.customerId, [...(byCustomer.get(f.customerId) ?? []), f]);
    for (const [id, requests] of byCustomer) {
      const before = await read.load('customer', id);
      let next: Customer = before;
      const added: CustomerFlag[] = [];
      for (const r of requests) {
        if (activeFlags(next, now).some((f) => f.kind === r.kind && f.reason === r.reason)) continue;
        const flag: CustomerFlag = { kind: r.kind, reason: r.reason, author: ESCALATION_ACTOR, at: now, ticketId: r.ticketId as TicketId };
        next = { ...next, flags: [...next.flags, flag] };
        added.push(flag);
      }
      if (added.length === 0) continue;
      const saved: Customer = { ...next, version: before.version + 1, updatedAt: now };
      out.puts.push({ kind: 'customer', record: saved, expectedVersion: before.version });
      for (const flag of added) out.events.push(deskEvent('customer.flagged', { customer: saved, flag, at: now, actor: ESCALATION_ACTOR }));
      if (parts.followUps !== undefined) {
        const more = await parts.followUps.forCustomer(before, saved, now, ESCALATION_ACTOR);
        out.puts.push(...more.puts);
        out.events.push(...more.events);
        out.effects.push(...more.effects);
      }
    }
  }

  /** The people a notice goes to, resolved on the ticket as the command leaves it. */
  async function recipientsOf(notice: Notice, ticket: Ticket, read: Reader): Promise<{ agents: string[]; customer: boolean }> {
    const people = new Set<string>();
    let toCustomer = false;
    for (const r of notice.action.recipients) {
      if ('agentId' in r) people.add(r.agentId);
      else if (r.role === 'customer') toCustomer = true;
      else if (r.role === 'assignee' && ticket.assigneeId !== undefined) people.add(ticket.assigneeId);
      else if (r.role === 'team_lead') {
        const lead = (await read.teams()).find((x) => x.id === ticket.teamId)?.leadId;
        if (lead !== undefined) people.add(lead);
      } else if (r.role === 'manager' && ticket.assigneeId !== undefined) {
        const manager = (await read.agents()).find((a) => a.id === ticket.assigneeId)?.managerId;
        if (manager !== undefined) people.add(manager);
      }
    }
    return { agents: [...people], customer: toCustomer };
  }

  /**
   * Queue a rule's notices in the outbox: each recipient's message waits for their working hours
   * (an agent's calendar) or quiet hours (a customer's) unless urgent. A recipient who cannot be
   * reached (no e-mail address, no usable channel, do-not-contact) is reported, not fatal.
   */
  async function queueNotices(notices: ReadonlyArray<Notice>, finals: ReadonlyMap<string, Ticket>, read: Reader, now: Date, out: Addition): Promise<void> {
    for (const notice of notices) {
      const ticket = finals.get(notice.ticketId) ?? (await read.load('ticket', notice.ticketId));
      const { agents: ids, customer: toCustomer } = await recipientsOf(notice, ticket, read);
      const assignee = ticket.assigneeId === undefined ? undefined : (await read.agents()).find((a) => a.id === ticket.assigneeId);
      const data: Record<string, JsonValue> = { ticketRef: ticket.id, ticketSubject: ticket.subject, ruleId: notice.ruleId, ...(assignee === undefined ? {} : { agentName: assignee.name }) };
      const unreachable = (recipient: string, why: string): void => {
        kernel.onError(new Error(`escalation rule "${notice.ruleId}" could not notify ${recipient}: ${why}`), { source: 'escalation', ticketId: ticket.id, trigger: notice.occurrence });
      };
      const queue = async (to: { kind: 'agent' | 'customer'; id: string; name: string; address: string }, channel: Parameters<Outbox['queue']>[0]['channel'], locale: string, notBefore: number, customer: Customer | undefined): Promise<void> => {
        const key = `esc:${ticket.id}:${notice.ruleId}:${notice.occurrence}:${to.id}`;
        const q = await parts.outbox.queue(
          { idempotencyKey: key, to, channel, template: notice.action.template, locale, data, urgent: notice.action.urgent, notBefore, customer, ticketId: ticket.id, source: 'escalation' },
          now,
          ESCALATION_ACTOR,
          out,
        );
        if (!q.created) return;
        const recipient = to.kind === 'agent' ? { kind: 'agent' as const, agentId: to.id as AgentId } : { kind: 'customer' as const, customerId: to.id };
        out.events.push(deskEvent('escalation.notify', { ticket, ruleId: notice.ruleId, template: notice.action.template, urgent: notice.action.urgent, recipient, requestedAt: now, sendAt: q.record.nextAttemptAt, notificationId: q.record.id, at: now, actor: ESCALATION_ACTOR }));
      };
      for (const id of ids) {
        const agent = (await read.agents()).find((a) => a.id === id);
        if (agent === undefined) continue;
        if (agent.email === undefined) {
          unreachable(`agent "${agent.id}"`, 'the agent has no e-mail address (set one with updateAgent)');
          continue;
        }
        if (parts.outbox.notifierFor('email') === undefined) {
          unreachable(`agent "${agent.id}"`, 'no notifier delivers e-mail');
          continue;
        }
        const calendar = agent.calendar === undefined ? undefined : calendars.get(agent.calendar);
        const at = notice.action.urgent || calendar === undefined ? now.getTime() : calendar.nextOpen(now).getTime();
        await queue({ kind: 'agent', id: agent.id, name: agent.name, address: agent.email }, 'email', agent.languages[0] ?? config.templates?.defaultLocale ?? 'en', at, undefined);
      }
      if (toCustomer) {
        const customer = await read.load('customer', ticket.requesterId);
        if (!notice.action.urgent && activeFlags(customer, now).some((f) => f.kind === 'do_not_contact')) {
          unreachable(`customer "${customer.id}"`, 'the customer is flagged do_not_contact (only urgent notices go to them)');
          continue;
        }
        const chosen = chooseChannel(customer, ['preferred'], (c) => parts.outbox.notifierFor(c) !== undefined);
        if (chosen === null) {
          unreachable(`customer "${customer.id}"`, 'no contact point on a channel a notifier delivers');
          continue;
        }
        const quiet = notice.action.urgent ? undefined : contactHours(customer);
        const at = quiet === undefined ? now.getTime() : quiet.nextOpen(now).getTime();
        await queue({ kind: 'customer', id: customer.id, name: salutationName(customer, customer.locale), address: contactAddress(chosen.contact) }, chosen.channel, customer.locale, at, customer);
      }
    }
  }

  /** Collect what the rules decide for a set of triggers, each seeing the ticket as the earlier ones left it. */
  async function evaluateAll(triggers: ReadonlyArray<EscalationTriggerOccurrence>, start: ReadonlyMap<string, Ticket>, read: Reader, ctx: DecisionContext, pending: ReadonlyArray<Interaction>): Promise<Evaluated> {
    const current = new Map(start);
    const all: Evaluated = { steps: [], flags: [], notices: [] };
    for (const t of triggers) {
      const ticket = current.get(t.ticketId) ?? (await read.load('ticket', t.ticketId));
      const r = await evaluateOn(ticket, t, read, ctx, { pending });
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
      await flagCustomers(e.flags, read, now, out);
      await queueNotices(e.notices, finals, read, now, out);
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
        const r = await evaluateOn(ticket, { ticketId, trigger: 'time', occurrence, event: { type: 'time' }, signals: [] }, read, ctx, { only: [only], facts: extra });
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

/** The escalation module of a desk (see {@link createEscalation}). */
export type Escalation = ReturnType<typeof createEscalation>;
