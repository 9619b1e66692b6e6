import { match } from 'ts-pattern';
import { ALWAYS_OPEN, type BusinessCalendar } from '../calendar/calendar.js';
import type { EscalationEvent } from '../domain/escalation.js';
import { jobKey, type JobChange } from '../domain/job.js';
import type { Signal } from '../domain/signal.js';
import type { SlaSnapshot, Ticket } from '../domain/ticket.js';
import type { DeskEvent } from '../events.js';
import type { SlaConfig, SlaMetric } from '../sla/policy.js';
import { LADDER_RULE_PREFIX, levelDueAt, type LadderLevel } from './ladders.js';
import type { CompiledRule, EscalationRules } from './rules.js';

/**
 * When a time rule falls due for a ticket (epoch ms, and the instant it counts from), or null
 * when it does not apply (resolved or closed tickets, rules that are not time rules).
 *
 * @example
 * ```ts
 * const due = timeRuleDue(rule, ticket, sla.calendars); // { at, anchor } | null
 * ```
 */
export function timeRuleDue(rule: CompiledRule, ticket: Ticket, calendars: ReadonlyMap<string, BusinessCalendar>): { at: number; anchor: number } | null {
  if (rule.trigger.on !== 'time' || rule.afterMs === undefined) return null;
  if (ticket.status === 'resolved' || ticket.status === 'closed') return null;
  const since = rule.trigger.since;
  const anchor = (
    since === 'created' ? ticket.createdAt : since === 'last_public_update' ? (ticket.lastAgentReplyAt ?? ticket.createdAt) : (ticket.lastCustomerMessageAt ?? ticket.createdAt)
  ).getTime();
  const calendar = rule.trigger.calendar === undefined ? undefined : calendars.get(rule.trigger.calendar);
  const at = calendar === undefined ? anchor + rule.afterMs : calendar.addBusinessTime(new Date(anchor), rule.afterMs).getTime();
  return { at, anchor };
}

/** The time rules of a rule set (ladder levels are timed by their SLA clocks instead). */
export function timeRules(rules: EscalationRules | undefined): ReadonlyArray<CompiledRule> {
  return (rules?.byEvent.get('time') ?? []).filter((r) => !r.id.startsWith(LADDER_RULE_PREFIX));
}

/**
 * The timer changes that keep one job per ticket and time rule: set when the rule starts to
 * apply, moved when its anchor moves, dropped when it no longer applies.
 */
export function timeRuleChanges(rules: ReadonlyArray<CompiledRule>, before: Ticket | null, after: Ticket, calendars: ReadonlyMap<string, BusinessCalendar>): JobChange[] {
  const changes: JobChange[] = [];
  for (const rule of rules) {
    const was = before === null ? null : timeRuleDue(rule, before, calendars);
    const now = timeRuleDue(rule, after, calendars);
    const key = jobKey('escalation.time', after.id, rule.id);
    if (now === null) {
      if (was !== null) changes.push({ type: 'cancel', key });
    } else if (was === null || was.at !== now.at) {
      changes.push({ type: 'schedule', job: { key, at: now.at, type: 'escalation.time', payload: { ticketId: after.id, ruleId: rule.id, anchor: now.anchor } } });
    }
  }
  return changes;
}

/** Where each ladder level stands on a ticket's SLA snapshot: the clock cycle and when it falls due. */
export function ladderDue(levels: ReadonlyArray<LadderLevel>, ticket: Ticket, snap: SlaSnapshot | undefined, sla: SlaConfig | undefined): Map<string, { at: number; cycle: number }> {
  const out = new Map<string, { at: number; cycle: number }>();
  if (snap === undefined || sla === undefined) return out;
  for (const level of levels) {
    const clock = snap.clocks.find((c) => c.slot === level.slot && c.metric === level.metric);
    if (clock === undefined) continue;
    if (ticket.escalation?.rules[level.ruleId]?.seen.includes(`${level.ruleId}#${clock.cycle}`)) continue;
    const calendar = sla.policies.find((p) => p.id === clock.policyId)?.metrics.get(clock.metric as SlaMetric)?.calendar ?? ALWAYS_OPEN;
    const at = levelDueAt(level, clock, snap.evaluatedAt, calendar);
    if (at !== null) out.set(level.ruleId, { at, cycle: clock.cycle });
  }
  return out;
}

/** The timer changes that keep one job per ticket and ladder level, following its SLA clock. */
export function ladderChanges(levels: ReadonlyArray<LadderLevel>, ticket: Ticket, previous: SlaSnapshot | undefined, next: SlaSnapshot, now: number, sla: SlaConfig | undefined): JobChange[] {
  if (levels.length === 0) return [];
  const was = ladderDue(levels, ticket, previous, sla);
  const will = ladderDue(levels, ticket, next, sla);
  const changes: JobChange[] = [];
  for (const level of levels) {
    const key = jobKey('escalation.ladder', ticket.id, level.ruleId);
    const w = will.get(level.ruleId);
    const p = was.get(level.ruleId);
    if (w === undefined) {
      if (p !== undefined) changes.push({ type: 'cancel', key });
    } else if (p === undefined || p.at !== w.at || p.cycle !== w.cycle) {
      changes.push({ type: 'schedule', job: { key, at: Math.max(w.at, now), type: 'escalation.ladder', payload: { ticketId: ticket.id, ruleId: level.ruleId, cycle: w.cycle } } });
    }
  }
  return changes;
}

/** One reason to run the escalation rules on a ticket: which trigger, which occurrence of it, the event facts and signals. */
export interface EscalationTriggerOccurrence {
  readonly ticketId: string;
  readonly trigger: EscalationEvent;
  /** Identifies this occurrence, so a rule fires once per occurrence (`once` mode). */
  readonly occurrence: string;
  /** The `event.*` facts conditions see. */
  readonly event: Record<string, unknown>;
  /** The signals of the message, for `signals.*` facts. */
  readonly signals: ReadonlyArray<Signal>;
}

/**
 * The escalation triggers in a command's events: one per customer message, detected signals, SLA
 * warning or breach, answered survey, opened ticket, and one `ticket.updated` per changed ticket.
 */
export function escalationTriggers(events: ReadonlyArray<DeskEvent>): EscalationTriggerOccurrence[] {
  const out: EscalationTriggerOccurrence[] = [];
  const updated = new Map<string, number>();
  for (const e of events) {
    const p = e.payload as { ticket?: Ticket };
    if (p.ticket === undefined) continue;
    const id = p.ticket.id;
    const add = (trigger: EscalationEvent, occurrence: string, event: Record<string, unknown>, signals: ReadonlyArray<Signal> = []): void => {
      out.push({ ticketId: id, trigger, occurrence, event, signals });
    };
    match(e)
      .with({ name: 'ticket.opened' }, () => add('ticket.opened', 'opened', { type: 'ticket.opened' }))
      .with({ name: 'interaction.recorded' }, ({ payload }) => {
        if (payload.interaction.author.kind === 'customer' && payload.interaction.visibility === 'public') {
          add('interaction.received', payload.interaction.id, { type: 'interaction.received' }, payload.interaction.signals);
        }
      })
      .with({ name: 'signal.detected' }, ({ payload }) => add('signal.detected', payload.interaction.id, { type: 'signal.detected' }, payload.signals))
      .with({ name: 'sla.warning' }, ({ payload }) => add('sla.warning', `${payload.slot}/${payload.metric}#${payload.clock.cycle}@${payload.thresholdMs}`, { type: 'sla.warning', metric: payload.metric }))
      .with({ name: 'sla.breached' }, ({ payload }) => add('sla.breached', `${payload.slot}/${payload.metric}#${payload.clock.cycle}`, { type: 'sla.breached', metric: payload.metric }))
      .with({ name: 'survey.answered' }, ({ payload }) => {
        const a = payload.survey.answer ?? {};
        const score = a.csat ?? a.nps ?? a.ces;
        out.push({
          ticketId: payload.survey.ticketId,
          trigger: 'survey.answered',
          occurrence: payload.survey.id,
          event: {
            type: 'survey.answered',
            low: payload.low,
            ...(score === undefined ? {} : { score }),
            ...(a.csat === undefined ? {} : { csat: a.csat }),
            ...(a.nps === undefined ? {} : { nps: a.nps }),
            ...(a.ces === undefined ? {} : { ces: a.ces }),
            ...(a.solved === undefined ? {} : { solved: a.solved }),
          },
          signals: [],
        });
      })
      .otherwise(() => {
        if (e.name.startsWith('ticket.') && e.name !== 'ticket.opened') updated.set(id, Math.max(updated.get(id) ?? 0, p.ticket?.version ?? 0));
      });
  }
  for (const [ticketId, version] of updated) out.push({ ticketId, trigger: 'ticket.updated', occurrence: `v${version}`, event: { type: 'ticket.updated' }, signals: [] });
  return out;
}
