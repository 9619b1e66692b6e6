import { ValidationError } from '../../errors.js';
import { describeValue } from '../../internal/kind.js';
import type { AgentId, TeamId, TicketId } from '../../domain/common.js';
import type { Agent } from '../../domain/agent.js';
import { AGENT_STATUSES, type Presence, type StoredRoutingDecision } from '../../domain/routing.js';
import { deskEvent } from '../../events.js';
import { decideAssign } from '../../lifecycle/engine.js';
import { listAll } from '../../ports/storage.js';
import { eligibility, neededSkills, decideRoute } from '../../routing/engine.js';
import { drainQueue } from '../../routing/drain.js';
import type { Pipeline } from '../pipeline.js';
import { updated } from '../records.js';
import { ROUTING_ACTOR, type Routing } from '../routing.js';
import type { Kernel } from '../runtime.js';
import type { ServiceDesk } from '../service-desk.js';

/** Agent presence and the routing explanation, and the drain job. */
export function routingCommands(k: Kernel, pipeline: Pipeline, routing: Routing | undefined) {
  const requireRouting = (method: string): Routing => {
    if (routing === undefined) throw new ValidationError(method, [{ path: [], code: 'custom', message: 'this desk has no routing: pass `routing` to createServiceDesk (see defineRouting)' }]);
    return routing;
  };

  /** Route the waiting tickets of a team, in queue order, each in its own unit of work (it re-checks the agent it was given). */
  async function drainTeam(teamId: string): Promise<number> {
    const team = teamId as TeamId;
    if (routing === undefined) return 0;
    const now = k.clock.now();
    const at = new Date(now);
    const queue = (await listAll(k.storage, 'ticket', { teamId: team, status: ['new', 'open'] })).filter(routing.waiting);
    if (queue.length === 0) return 0;
    const agents = (await listAll(k.storage, 'agent', { active: true })).filter((a) => a.teamIds.includes(team));
    const states = await Promise.all(agents.map((a) => routing.agentState(a, at)));
    const customers = new Map<string, Awaited<ReturnType<typeof k.storage.get<'customer'>>>>();
    const tickets = [];
    for (const t of queue) {
      if (!customers.has(t.requesterId)) customers.set(t.requesterId, await k.storage.get('customer', t.requesterId));
      const c = customers.get(t.requesterId);
      if (c != null) tickets.push(routing.routingTicket(t, c, at));
    }
    let assigned = 0;
    for (const d of drainQueue(routing.config, tickets, states, now).decisions) {
      if (d.agentId === undefined) continue;
      const chosen = d.agentId;
      await pipeline.ticketCommand(d.ticketId as TicketId, { by: ROUTING_ACTOR }, async (ticket, ctx, read) => {
        if (!routing.waiting(ticket)) return [];
        const customer = await read.load('customer', ticket.requesterId);
        const rt = routing.routingTicket(ticket, customer, ctx.now);
        // The agents first, then their loads: the versions the commit checks are older than the loads it decided on.
        const agents = await read.agents();
        const agent = agents.find((a) => a.id === chosen);
        // The drain decided from loads read before; the agent may have filled up since (another desk, a manual assignment).
        const fresh = agent === undefined ? null : await routing.agentState(agent, ctx.now);
        const still = fresh !== null && eligibility(routing.config, fresh, rt, neededSkills(routing.config, rt, ctx.now.getTime())).ok;
        const decision = still ? d : decideRoute(routing.config, rt, await routing.candidatesFor(ticket, agents, ctx.now), ctx.now);
        if (decision.agentId === undefined) return [];
        assigned++;
        return routing.routeSteps(ticket, decision, 'drain', ctx);
      }, () => undefined);
    }
    return assigned;
  }

  const commands: Pick<ServiceDesk, 'setAgentStatus' | 'explainRouting'> = {
    async setAgentStatus(agentId, status, options) {
      if (!(AGENT_STATUSES as ReadonlyArray<string>).includes(status)) throw new ValidationError('setAgentStatus status', [{ path: ['status'], code: 'invalid_value', message: `${describeValue(status)} is not a status; use one of ${AGENT_STATUSES.join(', ')}` }]);
      const actor = k.actorOf(options);
      let requeue: Agent | undefined;
      const saved = await k.run(async (read) => {
        const current = await read.load('agent', agentId);
        const now = k.now();
        const from = current.presence?.status ?? 'online';
        const presence: Presence = { status, since: now, ...(options?.reason === undefined ? {} : { reason: options.reason }) };
        const next: Agent = { ...current, presence, ...(options?.outOfOffice === undefined ? {} : { outOfOffice: options.outOfOffice.map((p) => ({ ...p })) }) };
        const unstarted =
          routing !== undefined && status !== 'online' && routing.config.onUnavailable === 'requeue'
            ? (await listAll(k.storage, 'ticket', { assigneeId: current.id, status: ['new', 'open'] })).filter((t) => t.firstAgentReplyAt === undefined).map((t) => t.id)
            : [];
        const outcome = updated('agent', current, next, now, (agent) => [deskEvent('agent.status_changed', { agent, from, to: status, requeued: unstarted, at: now, actor })]);
        requeue = unstarted.length > 0 ? outcome.result : undefined;
        if (routing !== undefined && status === 'online' && from !== 'online') return { ...outcome, effects: [...outcome.effects, ...routing.drainEffects(current.teamIds, now)] };
        return outcome;
      }, true);
      // Unstarted tickets go back to routing one by one: each is unassigned, and the routing stage finds it someone else.
      if (requeue !== undefined) {
        for (const t of await listAll(k.storage, 'ticket', { assigneeId: requeue.id, status: ['new', 'open'] })) {
          if (t.firstAgentReplyAt !== undefined) continue;
          await pipeline.ticketCommand(t.id, { by: ROUTING_ACTOR }, (ticket, ctx) => (ticket.assigneeId === (agentId as AgentId) && ticket.firstAgentReplyAt === undefined ? [decideAssign(ticket, { agentId: null }, ctx, `${status}: back to routing`)] : []), () => undefined);
        }
      }
      return saved;
    },

    async explainRouting(ticketId) {
      requireRouting('explainRouting');
      const ticket = await k.storage.get('ticket', ticketId);
      if (ticket === null) return null;
      return (ticket.routing?.decision ?? null) as StoredRoutingDecision | null;
    },
  };
  return { commands, drainTeam };
}
