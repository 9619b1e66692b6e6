import type { Actor, AgentId } from '../domain/common.js';
import type { Agent } from '../domain/agent.js';
import type { Customer } from '../domain/customer.js';
import type { Organization } from '../domain/organization.js';
import { jobKey } from '../domain/job.js';
import type { StoredRoutingDecision } from '../domain/routing.js';
import type { Ticket } from '../domain/ticket.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import { deskEvent } from '../events.js';
import { decideAssign, type DecisionContext, type Step } from '../lifecycle/engine.js';
import { listAll, type Put, type StoragePort } from '../ports/storage.js';
import { ticketFacts } from '../rules/facts.js';
import type { RoutingConfig } from '../routing/config.js';
import { decideRoute, eligibility, neededSkills, parseSkills, type RoutingAgent, type RoutingDecision, type RoutingTicket } from '../routing/engine.js';
import { drainQueue } from '../routing/drain.js';
import { nothing, type Addition, type Effect } from './effects.js';
import { organizationOf, type Kernel, type Reader } from './runtime.js';
import type { Settled } from './pipeline.js';

/** Who the audit trail credits for routing's assignments. */
export const ROUTING_ACTOR: Actor = Object.freeze({ kind: 'system', id: 'routing', name: 'Routing' });

/** Ticket statuses that count towards an agent's load. */
const LOAD_STATUSES = ['new', 'open', 'pending_customer', 'on_hold'] as const;
const MAX_STORED_CANDIDATES = 100;
const waiting = (t: Ticket): boolean => t.assigneeId === undefined && (t.status === 'new' || t.status === 'open') && t.routing?.offer === undefined;
const lang = (locale: string | undefined): string | undefined => locale?.split('-')[0]?.toLowerCase();

/** What the pipeline asks of routing: steps for tickets that need an agent, then counters and drains. */
export interface RoutingStage {
  react(settled: Settled, read: Reader, ctx: DecisionContext): Promise<Step[]>;
  finish(settled: Settled, read: Reader, ctx: DecisionContext): Promise<Addition>;
}

/** Within the hours of their calendar (if any) and not out of office: read from the record, no I/O. */
function atWork(calendars: ReadonlyMap<string, BusinessCalendar>, agent: Agent, now: Date): boolean {
  const calendar = agent.calendar === undefined ? undefined : calendars.get(agent.calendar);
  const away = (agent.outOfOffice ?? []).some((p) => p.from <= now && now < p.to);
  return !away && (calendar === undefined || calendar.isOpen(now));
}

/** An agent as routing sees them now: presence, working hours, out of office, load per channel, shares. */
async function agentStateOf(storage: StoragePort, calendars: ReadonlyMap<string, BusinessCalendar>, agent: Agent, now: Date, offered = 0): Promise<RoutingAgent> {
  const held = await listAll(storage, 'ticket', { assigneeId: agent.id, status: [...LOAD_STATUSES] });
  const channels: Partial<Record<Ticket['channel'], number>> = {};
  for (const t of held) channels[t.channel] = (channels[t.channel] ?? 0) + 1;
  return {
    id: agent.id,
    active: agent.active,
    teamIds: agent.teamIds,
    skills: parseSkills(agent.skills),
    languages: agent.languages.map((l) => lang(l) as string),
    channels: agent.channels,
    presence: agent.presence?.status ?? 'online',
    working: atWork(calendars, agent, now),
    load: { total: held.length + offered, channels },
    received: agent.routing?.received ?? 0,
    lastReceivedAt: agent.routing?.lastReceivedAt?.getTime(),
  };
}

/** A ticket as routing sees it: its facts, the customer's language, the nearest SLA breach. */
function routingTicket(ticket: Ticket, customer: Customer, now: Date, organization?: Organization): RoutingTicket {
  const breaches = (ticket.sla?.clocks ?? []).filter((c) => (c.state === 'active' || c.state === 'warning') && c.dueAt !== undefined).map((c) => (c.dueAt as Date).getTime());
  return {
    id: ticket.id,
    priority: ticket.priority,
    channel: ticket.channel,
    createdAt: ticket.createdAt.getTime(),
    teamId: ticket.teamId,
    language: lang(customer.locale),
    nextBreachAt: breaches.length === 0 ? undefined : Math.min(...breaches),
    facts: ticketFacts(ticket, customer, now, organization),
    waitingSince: ticket.statusChangedAt.getTime(),
    declinedBy: ticket.routing?.declinedBy,
  };
}

const stored = (d: RoutingDecision, cause: string): StoredRoutingDecision => ({ ...d, candidates: d.candidates.slice(0, MAX_STORED_CANDIDATES).map((c) => ({ ...c })), skills: d.skills.map((s) => ({ ...s })), cause });

/** The steps that carry out a decision: the assignment or the offer (if any), with the decision on the ticket and `ticket.routed`. */
function routeSteps(config: RoutingConfig, ticket: Ticket, decision: RoutingDecision, cause: string, ctx: DecisionContext): Step[] {
  const rctx: DecisionContext = { ...ctx, actor: ROUTING_ACTOR };
  const declined = ticket.routing?.declinedBy === undefined ? {} : { declinedBy: ticket.routing.declinedBy };
  if (decision.agentId !== undefined && config.offerTimeoutMs !== undefined) {
    const record = stored({ ...decision, outcome: 'offered' }, cause);
    const offer = { agentId: decision.agentId, at: ctx.now, expiresAt: new Date(ctx.now.getTime() + config.offerTimeoutMs) };
    const next: Ticket = { ...ticket, routing: { decision: record, offer, ...declined } };
    return [{ before: ticket, ticket: next, action: 'offer', reason: `offered to ${decision.agentId} until ${offer.expiresAt.toISOString()} (${cause})`, events: [deskEvent('ticket.routed', { ticket: next, decision: record, at: ctx.now, actor: ROUTING_ACTOR })], interactions: [], actor: ROUTING_ACTOR }];
  }
  const record = stored(decision, cause);
  const assign =
    decision.agentId !== undefined
      ? decideAssign(ticket, { agentId: decision.agentId as AgentId }, rctx, `routing (${decision.strategy.replace('_', ' ')}, ${cause})`)
      : ticket.assigneeId !== undefined
        ? decideAssign(ticket, { agentId: null }, rctx, `routing: back to the queue (${cause})`)
        : null;
  const base = assign?.ticket ?? ticket;
  const next: Ticket = { ...base, routing: { decision: record, ...declined } };
  const routed = deskEvent('ticket.routed', { ticket: next, decision: record, at: ctx.now, actor: ROUTING_ACTOR });
  if (assign === null) return [{ before: ticket, ticket: next, action: 'route', reason: `queued: nobody fits (${cause})`, events: [routed], interactions: [], actor: ROUTING_ACTOR }];
  return [{ ...assign, ticket: next, events: [...assign.events, routed], actor: ROUTING_ACTOR }];
}

/** How many waiting tickets are offered to each agent (they count towards the agent's load). */
async function offeredCounts(storage: StoragePort, config: RoutingConfig): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (config.offerTimeoutMs === undefined) return out;
  for (const t of await listAll(storage, 'ticket', { status: ['new', 'open'] })) {
    const to = t.routing?.offer?.agentId;
    if (to !== undefined && t.assigneeId === undefined) out.set(to, (out.get(to) ?? 0) + 1);
  }
  return out;
}

/** A ticket queued for want of an optional skill is tried again when the skill drops. */
function optionalSkillDrains(config: RoutingConfig, settled: Settled): Effect[] {
  const out: Effect[] = [];
  for (const e of settled.events) {
    if (e.name !== 'ticket.routed' || e.payload.decision.outcome !== 'queued' || e.payload.decision.teamId === undefined) continue;
    const wait = Math.min(...e.payload.decision.skills.filter((k) => !k.dropped).map((k) => config.skills.find((r) => r.skill === k.skill && r.level === k.level)?.optionalAfterMs ?? Infinity));
    if (!Number.isFinite(wait)) continue;
    const at = e.payload.ticket.statusChangedAt.getTime() + wait;
    const teamId = e.payload.decision.teamId;
    out.push({ type: 'schedule', job: { key: jobKey('routing.drain', `${teamId}@${at}`), at, type: 'routing.drain', payload: { id: teamId } } });
  }
  return out;
}

/** When an agent's shift ends (the current or next open stretch of their calendar closes), their unstarted tickets go back to routing. */
function shiftEndJobOf(config: RoutingConfig, calendars: ReadonlyMap<string, BusinessCalendar>, agent: Agent, now: Date): Effect | undefined {
  const calendar = agent.calendar === undefined ? undefined : calendars.get(agent.calendar);
  if (calendar === undefined || config.onUnavailable !== 'requeue') return undefined;
  const open = calendar.segments(now, new Date(now.getTime() + 8 * 86_400_000)).find((g) => g.kind === 'open');
  if (open === undefined) return undefined;
  return { type: 'schedule', job: { key: jobKey('routing.shiftEnd', agent.id), at: open.to.getTime(), type: 'routing.shiftEnd', payload: { id: agent.id } } };
}

/** An agent's load with what the current command already gave them. */
function withGiven(a: RoutingAgent, given: ReadonlyMap<Ticket['channel'], number> | undefined): RoutingAgent {
  if (given === undefined) return a;
  const channels = { ...a.load.channels };
  let total = a.load.total;
  for (const [channel, n] of given) {
    channels[channel] = (channels[channel] ?? 0) + n;
    total += n;
  }
  return { ...a, load: { total, channels } };
}

/** Drain these teams' queues now. */
const drainEffects = (teams: Iterable<string>, now: Date): Effect[] => [...teams].map((teamId) => ({ type: 'schedule', job: { key: jobKey('routing.drain', teamId), at: now.getTime(), type: 'routing.drain', payload: { id: teamId } } }));

/** After a command's steps: the shares of agents who received tickets (a version bump), the drains capacity freed, offer timeouts and shift ends. */
async function finishRouting(config: RoutingConfig, calendars: ReadonlyMap<string, BusinessCalendar>, settled: Settled, read: Reader, ctx: DecisionContext): Promise<Addition> {
  const out = nothing();
  const received = new Map<string, number>();
  const freed = new Set<string>();
  // Event payloads show the ticket as committed: an opened ticket routed in the same command counts once, by its assignment.
  const assignedHere = new Set(settled.events.filter((e) => e.name === 'ticket.assigned').map((e) => (e.payload as { ticket: Ticket }).ticket.id));
  for (const e of settled.events) {
    const p = e.payload as { ticket?: Ticket; from?: { agentId?: string }; to?: { agentId?: string } };
    if (p.ticket === undefined) continue;
    const to = e.name === 'ticket.assigned' ? (p.to?.agentId !== p.from?.agentId ? p.to?.agentId : undefined) : (e.name === 'ticket.opened' || e.name === 'ticket.reopened') && !assignedHere.has(p.ticket.id) ? p.ticket.assigneeId : undefined;
    if (to !== undefined) received.set(to, (received.get(to) ?? 0) + 1);
    // An offer reserves capacity: it bumps the agent too (a share of 0), so racing offers conflict.
    if (e.name === 'ticket.routed' && e.payload.decision.outcome === 'offered' && e.payload.decision.agentId !== undefined) {
      const agentId = e.payload.decision.agentId;
      if (!received.has(agentId)) received.set(agentId, 0);
      const offer = p.ticket.routing?.offer;
      if (offer !== undefined) out.effects.push({ type: 'schedule', job: { key: jobKey('routing.offerExpiry', p.ticket.id), at: offer.expiresAt.getTime(), type: 'routing.offerExpiry', payload: { ticketId: p.ticket.id } } });
    }
    if (e.name === 'ticket.assigned' && p.from?.agentId !== undefined && p.from.agentId !== p.to?.agentId) freed.add(p.from.agentId);
    if ((e.name === 'ticket.resolved' || e.name === 'ticket.closed') && p.ticket.assigneeId !== undefined) freed.add(p.ticket.assigneeId);
  }
  // The shares round robin counts, bumped on the agent record: two desks routing to one agent at once conflict, and one retries with the fresh load.
  // The agent as read before the loads were counted (the reader keeps the list it read), so a
  // ticket another desk committed in between makes this commit conflict instead of overfilling.
  const agents = received.size === 0 ? [] : await read.agents();
  for (const [id, n] of received) {
    const agent = agents.find((a) => a.id === id);
    if (agent === undefined) continue;
    const last = n > 0 ? ctx.now : agent.routing?.lastReceivedAt;
    const next: Agent = { ...agent, version: agent.version + 1, routing: { received: (agent.routing?.received ?? 0) + n, ...(last === undefined ? {} : { lastReceivedAt: last }) } };
    out.puts.push({ kind: 'agent', record: next, expectedVersion: agent.version } as Put);
  }
  const teams = new Set<string>();
  for (const id of freed) for (const t of (await read.get('agent', id))?.teamIds ?? []) teams.add(t);
  out.effects.push(...drainEffects(teams, ctx.now));
  out.effects.push(...optionalSkillDrains(config, settled));
  for (const id of received.keys()) {
    const agent = agents.find((a) => a.id === id);
    const effect = agent === undefined ? undefined : shiftEndJobOf(config, calendars, agent, ctx.now);
    if (effect !== undefined) out.effects.push(effect);
  }
  return out;
}

/** Routing on the desk: decisions within the commands that need them, drains as jobs. */
export function createRouting(kernel: Kernel, config: RoutingConfig, calendars: ReadonlyMap<string, BusinessCalendar>) {
  const { storage } = kernel;

  const agentState = async (agent: Agent, now: Date): Promise<RoutingAgent> => agentStateOf(storage, calendars, agent, now, (await offeredCounts(storage, config)).get(agent.id) ?? 0);

  const agentStates = async (agents: ReadonlyArray<Agent>, now: Date): Promise<RoutingAgent[]> => {
    const offered = await offeredCounts(storage, config);
    return Promise.all(agents.map((a) => agentStateOf(storage, calendars, a, now, offered.get(a.id) ?? 0)));
  };
  const candidatesFor = (ticket: Ticket, agents: ReadonlyArray<Agent>, now: Date): Promise<RoutingAgent[]> => agentStates(agents.filter((a) => ticket.teamId === undefined || a.teamIds.includes(ticket.teamId)), now);

  const CAUSES: Readonly<Record<string, string>> = { 'ticket.opened': 'opened', 'ticket.reopened': 'reopened', 'ticket.transferred': 'transferred', 'ticket.escalated': 'escalated' };

  /** Whether an agent can take work now: active, online, at work (their load does not matter here). */
  const available = (agent: Agent, now: Date): boolean => agent.active && (agent.presence?.status ?? 'online') === 'online' && (!config.workingHours || atWork(calendars, agent, now));

  const stage: RoutingStage = {
    async react(settled, read, ctx) {
      const causes = new Map<string, string>();
      for (const e of settled.events) {
        const p = e.payload as { ticket?: Ticket; from?: { agentId?: string }; to?: { agentId?: string } };
        if (p.ticket === undefined) continue;
        const cause = CAUSES[e.name] ?? (e.name === 'ticket.assigned' && p.from?.agentId !== undefined && p.to?.agentId === undefined ? 'requeued' : undefined);
        if (cause !== undefined) causes.set(p.ticket.id, cause); // the latest says why it waits now
      }
      const steps: Step[] = [];
      if (causes.size === 0) return steps;
      const agents = await read.agents();
      // What this command already gave each agent, per channel, so two tickets in one command respect capacity too.
      const given = new Map<string, Map<Ticket['channel'], number>>();
      for (const [id, cause] of causes) {
        const ticket = settled.finals.get(id);
        // Routing works on team queues: a ticket without a team is left to whoever assigns it.
        if (ticket === undefined || ticket.teamId === undefined) continue;
        // A reopened ticket stays with its agent only if they can take it now: never back to someone who left.
        const holder = cause === 'reopened' && ticket.assigneeId !== undefined ? agents.find((a) => a.id === ticket.assigneeId) : undefined;
        const gone = holder !== undefined && !available(holder, ctx.now);
        if (!gone && !waiting(ticket)) continue;
        let decision: RoutingDecision;
        try {
          const [customer, organization] = await Promise.all([read.load('customer', ticket.requesterId), organizationOf(read, ticket)]);
          const candidates = (await candidatesFor(ticket, agents, ctx.now)).map((a) => withGiven(a, given.get(a.id)));
          decision = decideRoute(config, routingTicket(ticket, customer, ctx.now, organization), candidates, ctx.now);
        } catch (error) {
          // A routing failure never costs the command: the ticket stays in its team's queue, and the next drain tries again.
          kernel.onError(error, { source: 'routing', ticketId: ticket.id });
          continue;
        }
        if (decision.agentId !== undefined) {
          const mine = given.get(decision.agentId) ?? new Map<Ticket['channel'], number>();
          mine.set(ticket.channel, (mine.get(ticket.channel) ?? 0) + 1);
          given.set(decision.agentId, mine);
        }
        steps.push(...routeSteps(config, ticket, decision, cause, ctx));
      }
      return steps;
    },

    finish: (settled, read, ctx) => finishRouting(config, calendars, settled, read, ctx),
  };


  return { stage, atWork: (agent: Agent, now: Date) => atWork(calendars, agent, now), shiftEndJob: (agent: Agent, now: Date) => shiftEndJobOf(config, calendars, agent, now), agentState, agentStates, candidatesFor, routingTicket, routeSteps: (ticket: Ticket, decision: RoutingDecision, cause: string, ctx: DecisionContext) => routeSteps(config, ticket, decision, cause, ctx), drainEffects, waiting, config, engine: { decideRoute, drainQueue, eligibility, neededSkills } };
}

/** The routing part of a desk (see {@link createRouting}). */
export type Routing = ReturnType<typeof createRouting>;
