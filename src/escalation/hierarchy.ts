import { HIERARCHY_LEVELS, type Agent, type AgentRole, type Team } from '../domain/agent.js';
import type { AgentId, TeamId } from '../domain/common.js';
import type { Ticket } from '../domain/ticket.js';
import type { EscalationAction } from './rules.js';

/** Where an escalation goes, and the way it was found (for the audit trail). */
export type EscalationTarget =
  | {
      readonly found: true;
      readonly agentId?: AgentId;
      readonly teamId?: TeamId;
      /** The ticket's escalation level after the move (hierarchical moves raise it; functional ones keep it). */
      readonly level: number;
      /** How the target was found, step by step. */
      readonly via: ReadonlyArray<string>;
    }
  | { readonly found: false; readonly reason: string };

const rank = (role: AgentRole): number => HIERARCHY_LEVELS.indexOf(role);

/**
 * Resolve an `escalate` or `route_to_team` action when it fires: up the hierarchy from the
 * assignee (their manager, that manager's manager, ...; inactive people are skipped), falling
 * back to the team lead; or to the team serving a function (its lead, or its queue; always its
 * queue with `teamQueues`, when routing picks the agent).
 */
export function resolveEscalationTarget(
  action: Extract<EscalationAction, { type: 'escalate' | 'route_to_team' }>,
  context: { ticket: Ticket; agents: ReadonlyArray<Agent>; teams: ReadonlyArray<Team>; teamQueues?: boolean },
): EscalationTarget {
  const { ticket } = context;
  const agents = new Map(context.agents.map((a) => [a.id as string, a]));
  if (action.type === 'route_to_team') {
    const team = context.teams.filter((t) => t.function === action.function).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    if (team === undefined) return { found: false, reason: `no team serves "${action.function}"; register one with function "${action.function}"` };
    // With routing on the desk, the team's queue takes it and routing picks the agent, as for any ticket.
    const lead = team.leadId === undefined || context.teamQueues === true ? undefined : agents.get(team.leadId);
    return {
      found: true,
      teamId: team.id,
      ...(lead?.active ? { agentId: lead.id } : {}),
      level: ticket.escalationLevel,
      via: [`team ${team.name} serves ${action.function}`, lead?.active ? `its lead ${lead.name}` : context.teamQueues === true ? 'its queue, for routing' : 'its queue'],
    };
  }
  const assignee = ticket.assigneeId === undefined ? undefined : agents.get(ticket.assigneeId);
  const team = ticket.teamId === undefined ? undefined : context.teams.find((t) => t.id === ticket.teamId);
  const lead = team?.leadId === undefined ? undefined : agents.get(team.leadId);
  const floor = assignee === undefined ? -1 : rank(assignee.role);
  const wanted = action.to === 'next_level' ? floor + 1 : rank(action.to);
  const via: string[] = [assignee === undefined ? 'no assignee' : `assignee ${assignee.name} (${assignee.role})`];
  const seen = new Set<string>();
  let cursor = assignee?.managerId === undefined ? undefined : agents.get(assignee.managerId);
  while (cursor !== undefined && !seen.has(cursor.id)) {
    seen.add(cursor.id);
    via.push(`manager ${cursor.name} (${cursor.role}${cursor.active ? '' : ', inactive'})`);
    if (cursor.active && rank(cursor.role) >= wanted && rank(cursor.role) > floor) {
      return { found: true, agentId: cursor.id, ...(ticket.teamId === undefined ? {} : { teamId: ticket.teamId }), level: ticket.escalationLevel + 1, via };
    }
    cursor = cursor.managerId === undefined ? undefined : agents.get(cursor.managerId);
  }
  if (lead !== undefined && lead.active && lead.id !== assignee?.id && rank(lead.role) >= wanted && rank(lead.role) > floor) {
    via.push(`team lead ${lead.name} (${lead.role})`);
    return { found: true, agentId: lead.id, teamId: ticket.teamId as TeamId, level: ticket.escalationLevel + 1, via };
  }
  return { found: false, reason: `nobody above ${assignee?.name ?? 'the front line'} at ${action.to === 'next_level' ? 'the next level' : action.to} or higher (${via.join(' → ')})` };
}
