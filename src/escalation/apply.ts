import { deskEvent, type DeskEvent, type Route } from '../events.js';
import type { Agent, Team } from '../domain/agent.js';
import type { AgentId, TeamId } from '../domain/common.js';
import type { Ticket } from '../domain/ticket.js';
import { omit } from '../internal/diff.js';
import { decideAssign, decidePriority, decideTag, type DecisionContext, type Step } from '../lifecycle/engine.js';
import type { EscalationState, FiredRule } from './evaluate.js';
import { resolveEscalationTarget } from './hierarchy.js';
import type { EscalationAction } from './rules.js';
import type { Signal } from '../domain/signal.js';
import { decideSuspicion } from './suspicions.js';

/** A customer flag an escalation asks for (applied by the desk to the requester). */
export interface FlagRequest {
  /** The flag kind. */
  readonly kind: string;
  /** Why, as the rule says. */
  readonly reason: string;
  /** The rule that asked. */
  readonly ruleId: string;
}

const routeOf = (t: Ticket): Route => ({ agentId: t.assigneeId, teamId: t.teamId });

/**
 * Turn fired rules into lifecycle steps on one ticket, action by action, in order: hierarchical
 * and functional escalations (targets resolved now, from the people as they are), reassignment,
 * priority, tags, suspected signals; and the rules' memory stored with the ticket. Customer flags are returned for
 * the desk to apply; notify and callback actions travel in `escalation.rule_fired`.
 */
export function decideEscalations(input: {
  ticket: Ticket;
  fired: ReadonlyArray<FiredRule>;
  state: EscalationState;
  trigger: string;
  agents: ReadonlyArray<Agent>;
  teams: ReadonlyArray<Team>;
  ctx: DecisionContext;
  /** The signals of the message that set the rules off, and its id, for `suspect_signal`. */
  signals?: ReadonlyArray<Signal>;
  interactionId?: string;
  /** Functional escalations go to the team's queue, for routing to pick the agent. */
  teamQueues?: boolean;
}): { steps: Step[]; flags: FlagRequest[] } {
  const { ctx } = input;
  const steps: Step[] = [];
  const flags: FlagRequest[] = [];
  let t = input.ticket;
  const push = (s: Step): void => {
    steps.push(s);
    t = s.ticket;
  };
  for (const rule of input.fired) {
    const skipped: Array<{ action: EscalationAction; reason: string }> = [];
    for (const action of rule.actions) {
      switch (action.type) {
        case 'escalate':
        case 'route_to_team': {
          const target = resolveEscalationTarget(action, { ticket: t, agents: input.agents, teams: input.teams, teamQueues: input.teamQueues === true });
          if (!target.found) {
            skipped.push({ action, reason: target.reason });
            break;
          }
          const from = routeOf(t);
          let next: Ticket = target.agentId === undefined ? omit(t, 'assigneeId') : { ...t, assigneeId: target.agentId };
          next = { ...(target.teamId === undefined ? next : { ...next, teamId: target.teamId }), escalationLevel: target.level, updatedAt: ctx.now };
          if (next.status === 'new' && next.assigneeId !== undefined) next = { ...next, status: 'open', statusChangedAt: ctx.now };
          const events: DeskEvent[] = [
            deskEvent('ticket.escalated', {
              ticket: next,
              kind: action.type === 'escalate' ? 'hierarchical' : 'functional',
              ruleId: rule.ruleId,
              from,
              to: routeOf(next),
              level: target.level,
              via: target.via,
              because: rule.because,
              at: ctx.now,
              actor: ctx.actor,
            }),
          ];
          if (t.status !== next.status) events.push(deskEvent('ticket.status_changed', { ticket: next, from: t.status, to: next.status, reason: 'escalated', at: ctx.now, actor: ctx.actor }));
          push({ before: t, ticket: next, action: action.type === 'escalate' ? 'escalate' : 'route_to_team', reason: `rule ${rule.ruleId}: ${target.via.join(' → ')}`, events, interactions: [] });
          break;
        }
        case 'reassign': {
          const agentOk = action.agentId === undefined || input.agents.some((a) => a.id === action.agentId && a.active);
          const teamOk = action.teamId === undefined || input.teams.some((x) => x.id === action.teamId);
          if (!agentOk || !teamOk) {
            skipped.push({ action, reason: !agentOk ? `agent "${action.agentId}" is unknown or inactive` : `team "${action.teamId}" is unknown` });
            break;
          }
          push(decideAssign(t, { ...(action.agentId === undefined ? {} : { agentId: action.agentId as AgentId }), ...(action.teamId === undefined ? {} : { teamId: action.teamId as TeamId }) }, ctx, `rule ${rule.ruleId}`));
          break;
        }
        case 'set_priority':
          push(decidePriority(t, action.priority, ctx, `rule ${rule.ruleId}`));
          break;
        case 'add_tag':
          push(decideTag(t, [action.tag], ctx));
          break;
        case 'flag_customer':
          flags.push({ kind: action.kind, reason: action.reason, ruleId: rule.ruleId });
          break;
        case 'suspect_signal': {
          const step = decideSuspicion(t, { ...action, ruleId: rule.ruleId, signals: input.signals ?? [], interactionId: input.interactionId }, ctx);
          if (step !== null) push(step);
          break;
        }
        case 'notify':
        case 'request_callback':
          break;
      }
    }
    const matched = rule.because.matchedLeaves.map((l) => `${l.fact} ${l.op} ${JSON.stringify(l.value)} (saw ${JSON.stringify(l.actual)})`).join(', ');
    push({
      before: t,
      ticket: t,
      action: 'escalation_rule',
      reason: `rule ${rule.ruleId} on ${input.trigger}${matched ? `: ${matched}` : ''}${skipped.length > 0 ? `; skipped: ${skipped.map((x) => x.reason).join('; ')}` : ''}`,
      events: [deskEvent('escalation.rule_fired', { ticket: t, ruleId: rule.ruleId, name: rule.name, trigger: input.trigger, actions: rule.actions, because: rule.because, skipped, at: ctx.now, actor: ctx.actor })],
      interactions: [],
    });
  }
  if (input.state !== (input.ticket.escalation?.rules ?? {})) {
    const next: Ticket = { ...t, escalation: { rules: { ...input.state } as NonNullable<Ticket['escalation']>['rules'] } };
    steps.push({ before: t, ticket: next, action: 'escalation_memory', events: [], interactions: [] });
  }
  return { steps, flags };
}
