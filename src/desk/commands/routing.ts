import { ConfigError, ValidationError } from '../../errors.js';
import { describeValue } from '../../internal/kind.js';
import type { AgentId, TeamId, TicketId } from '../../domain/common.js';
import type { Agent } from '../../domain/agent.js';
import { AGENT_STATUSES, type Presence, type StoredRoutingDecision } from '../../domain/routing.js';
import { deskEvent } from '../../events.js';
import { decideAssign } from '../../lifecycle/engine.js';
import { listAll } from '../../ports/storage.js';
import { finalOf, type Pipeline } from '../pipeline.js';
import type { Ticket } from '../../domain/ticket.js';
import { jobKey } from '../../domain/job.js';
import { nothing } from '../effects.js';
import { updated } from '../records.js';
import { ROUTING_ACTOR, type Routing } from '../routing.js';
import { organizationOf, type Kernel } from '../runtime.js';
import type { ServiceDesk } from '../service-desk.js';

const finalTicket = (finals: Map<string, Ticket>, _s: unknown, t: Ticket): Ticket => finalOf(finals, t.id);

/** Route the waiting tickets of a team, in queue order, each in its own unit of work (it re-checks the agent it was given). */
async function drainTeamOf(k: Kernel, pipeline: Pipeline, routing: Routing | undefined, teamId: string): Promise<number> {
  const team = teamId as TeamId;
  if (routing === undefined) return 0;
  const now = k.clock.now();
  const at = new Date(now);
  const queue = (await listAll(k.storage, 'ticket', { teamId: team, status: ['new', 'open'] })).filter(routing.waiting);
  if (queue.length === 0) return 0;
  const agents = (await listAll(k.storage, 'agent', { active: true })).filter((a) => a.teamIds.includes(team));
  const states = await routing.agentStates(agents, at);
  const customers = new Map<string, Awaited<ReturnType<typeof k.storage.get<'customer'>>>>();
  const tickets = [];
  for (const t of queue) {
    if (!customers.has(t.requesterId)) customers.set(t.requesterId, await k.storage.get('customer', t.requesterId));
    const c = customers.get(t.requesterId);
    if (c != null) tickets.push(routing.routingTicket(t, c, at, await organizationOf(k.storage, t)));
  }
  let assigned = 0;
  for (const d of routing.engine.drainQueue(routing.config, tickets, states, now).decisions) {
    if (d.agentId === undefined) continue;
    const chosen = d.agentId;
    await pipeline.ticketCommand(d.ticketId as TicketId, { by: ROUTING_ACTOR }, async (ticket, ctx, read) => {
      if (!routing.waiting(ticket)) return [];
      const customer = await read.load('customer', ticket.requesterId);
      const rt = routing.routingTicket(ticket, customer, ctx.now, await organizationOf(read, ticket));
      // The agents first, then their loads: the versions the commit checks are older than the loads it decided on.
      const agents = await read.agents();
      const agent = agents.find((a) => a.id === chosen);
      // The drain decided from loads read before; the agent may have filled up since (another desk, a manual assignment).
      const fresh = agent === undefined ? null : await routing.agentState(agent, ctx.now);
      const still = fresh !== null && routing.engine.eligibility(routing.config, fresh, rt, routing.engine.neededSkills(routing.config, rt, ctx.now.getTime())).ok;
      const decision = still ? d : routing.engine.decideRoute(routing.config, rt, await routing.candidatesFor(ticket, agents, ctx.now), ctx.now);
      if (decision.agentId === undefined) return [];
      assigned++;
      return routing.routeSteps(ticket, decision, 'drain', ctx);
    }, () => undefined);
  }
  return assigned;
}

/** End an offer: the agent declined it or let it time out; the ticket moves on to the next agent (or waits). */
function endOfferOf(pipeline: Pipeline, r: Routing, ticketId: TicketId, agentId: string | undefined, how: 'declined' | 'expired', options: { by?: unknown; reason?: string | undefined } | undefined, expiresAt?: number): Promise<Ticket> {
  return pipeline.ticketCommand(ticketId, options as never, async (ticket, ctx, read) => {
    const offer = ticket.routing?.offer;
    if (offer === undefined || (agentId !== undefined && offer.agentId !== agentId) || (expiresAt !== undefined && offer.expiresAt.getTime() !== expiresAt)) {
      if (how === 'expired') return [];
      throw new ValidationError('declineOffer', [{ path: ['ticketId'], code: 'custom', message: `ticket "${ticket.id}" is not offered to ${agentId ?? 'anyone'}${offer === undefined ? '' : ` (it is offered to ${offer.agentId})`}` }]);
    }
    const declinedBy = [...(ticket.routing?.declinedBy ?? []), offer.agentId];
    const cleared: Ticket = { ...ticket, routing: { decision: (ticket.routing as NonNullable<Ticket['routing']>).decision, declinedBy } };
    const end = { before: ticket, ticket: cleared, action: how === 'declined' ? 'decline_offer' : 'offer_expired', reason: `${offer.agentId} ${how === 'declined' ? `declined${options?.reason === undefined ? '' : `: ${options.reason}`}` : 'did not answer in time'}`, events: [], interactions: [] };
    const customer = await read.load('customer', ticket.requesterId);
    const decision = r.engine.decideRoute(r.config, r.routingTicket(cleared, customer, ctx.now, await organizationOf(read, cleared)), await r.candidatesFor(cleared, await read.agents(), ctx.now), ctx.now);
    return [end, ...r.routeSteps(cleared, decision, how, ctx)];
  }, finalTicket);
}

/** Hand an agent's unstarted tickets back to routing one by one: each is unassigned, and the routing stage finds it someone else. */
/** An agent's tickets that routing may place again: a team's, open, not replied to yet. */
async function unstarted(k: Kernel, agentId: AgentId): Promise<TicketId[]> {
  return (await listAll(k.storage, 'ticket', { assigneeId: agentId, status: ['new', 'open'] })).filter((t) => t.firstAgentReplyAt === undefined && t.teamId !== undefined).map((t) => t.id);
}

/** Hand tickets back to routing one by one: each is unassigned (if still the agent's and unstarted), and the routing stage finds it someone else. */
async function handBack(pipeline: Pipeline, agentId: AgentId, tickets: ReadonlyArray<TicketId>, why: string): Promise<void> {
  for (const id of tickets) {
    await pipeline.ticketCommand(id, { by: ROUTING_ACTOR }, (ticket, ctx) => (ticket.assigneeId === agentId && ticket.firstAgentReplyAt === undefined ? [decideAssign(ticket, { agentId: null }, ctx, `${why}: back to routing`)] : []), () => undefined);
  }
}

/** Agent presence and the routing explanation, and the drain job. */
export function routingCommands(k: Kernel, pipeline: Pipeline, routing: Routing | undefined) {
  const requireRouting = (method: string): Routing => {
    if (routing === undefined) throw new ConfigError('routing', `${method} needs routing: pass createServiceDesk({ routing: defineRouting({ ... }) })`);
    return routing;
  };

  const commands: Pick<ServiceDesk, 'setAgentStatus' | 'explainRouting' | 'acceptOffer' | 'declineOffer'> = {
    async acceptOffer(ticketId, options) {
      requireRouting('acceptOffer');
      const actor = k.actorOf(options);
      if (actor.kind !== 'agent' || actor.id === undefined) throw new ValidationError('acceptOffer options', [{ path: ['by'], code: 'custom', message: "the agent the ticket is offered to accepts it: pass { by: { kind: 'agent', id } }" }]);
      return pipeline.ticketCommand(ticketId, options, (ticket, ctx) => {
        const offer = ticket.routing?.offer;
        if (offer === undefined || offer.agentId !== actor.id) throw new ValidationError('acceptOffer', [{ path: ['ticketId'], code: 'custom', message: `ticket "${ticket.id}" is not offered to ${actor.id}${offer === undefined ? '' : ` (it is offered to ${offer.agentId})`}` }]);
        if (ctx.now >= offer.expiresAt) throw new ValidationError('acceptOffer', [{ path: ['ticketId'], code: 'custom', message: `the offer of ticket "${ticket.id}" expired at ${offer.expiresAt.toISOString()}` }]);
        const assign = decideAssign(ticket, { agentId: offer.agentId as AgentId }, ctx, 'accepted the offer');
        const routing = ticket.routing as NonNullable<Ticket['routing']>;
        const next: Ticket = { ...assign.ticket, routing: { decision: { ...routing.decision, outcome: 'assigned' }, ...(routing.declinedBy === undefined ? {} : { declinedBy: routing.declinedBy }) } };
        return [{ ...assign, ticket: next }];
      }, finalTicket, { extra: async () => ({ ...nothing(), effects: [{ type: 'cancel', key: jobKey('routing.offerExpiry', ticketId) }] }) });
    },

    async declineOffer(ticketId, options) {
      const actor = k.actorOf(options);
      if (actor.kind !== 'agent' || actor.id === undefined) throw new ValidationError('declineOffer options', [{ path: ['by'], code: 'custom', message: "the agent the ticket is offered to declines it: pass { by: { kind: 'agent', id } }" }]);
      return endOfferOf(pipeline, requireRouting('declineOffer'), ticketId, actor.id, 'declined', options);
    },

    async setAgentStatus(agentId, status, options) {
      if (!(AGENT_STATUSES as ReadonlyArray<string>).includes(status)) throw new ValidationError('setAgentStatus status', [{ path: ['status'], code: 'invalid_value', message: `${describeValue(status)} is not a status; use one of ${AGENT_STATUSES.join(', ')}` }]);
      const actor = k.actorOf(options);
      let requeue: TicketId[] = [];
      const saved = await k.run(async (read) => {
        const current = await read.load('agent', agentId);
        const now = k.now();
        const from = current.presence?.status ?? 'online';
        const presence: Presence = { status, since: now, ...(options?.reason === undefined ? {} : { reason: options.reason }) };
        const next: Agent = { ...current, presence, ...(options?.outOfOffice === undefined ? {} : { outOfOffice: options.outOfOffice.map((p) => ({ ...p })) }) };
        requeue = routing !== undefined && status !== 'online' && routing.config.onUnavailable === 'requeue' ? await unstarted(k, current.id) : [];
        const requeued = requeue;
        const outcome = updated('agent', current, next, now, (agent) => [deskEvent('agent.status_changed', { agent, from, to: status, requeued, at: now, actor })]);
        if (routing !== undefined && status === 'online' && from !== 'online') return { ...outcome, effects: [...outcome.effects, ...routing.drainEffects(current.teamIds, now)] };
        return outcome;
      }, true);
      await handBack(pipeline, agentId, requeue, status);
      return saved;
    },

    async explainRouting(ticketId) {
      requireRouting('explainRouting');
      const ticket = await k.storage.get('ticket', ticketId);
      if (ticket === null) return null;
      return (ticket.routing?.decision ?? null) as StoredRoutingDecision | null;
    },
  };
  /** The offer-expiry job: the offer still stands as it was made, so it times out. */
  const expireOffer = async (ticketId: string): Promise<void> => {
    const ticket = await k.storage.get('ticket', ticketId);
    const offer = ticket?.routing?.offer;
    if (offer === undefined || routing === undefined) return;
    await endOfferOf(pipeline, routing, ticketId as TicketId, offer.agentId, 'expired', { by: ROUTING_ACTOR }, offer.expiresAt.getTime());
  };
  /** The shift-end job: if the agent's calendar is closed now, their unstarted tickets go back to routing. */
  const endShift = async (agentId: string): Promise<void> => {
    const agent = await k.storage.get('agent', agentId);
    if (agent === null || routing === undefined || routing.config.onUnavailable !== 'requeue') return;
    if (routing.atWork(agent, new Date(k.clock.now()))) return;
    await handBack(pipeline, agent.id, await unstarted(k, agent.id), 'shift ended');
  };
  return { commands, drainTeam: (teamId: string) => drainTeamOf(k, pipeline, routing, teamId), expireOffer, endShift };
}
