import type { Channel } from '../domain/common.js';
import type { RoutingConfig, RoutingStrategy } from './config.js';
import { capacityOf, compareQueued, totalCapacityOf, decideRoute, eligibility, neededSkills, scoreOf, type CandidateVerdict, type RoutingAgent, type RoutingDecision, type RoutingTicket } from './engine.js';

/** An agent's place in a list, with the key it was sorted by (the agent's own fields change under it). */
interface Live {
  agent: MutableAgent;
  score: number;
  received: number;
  last: number;
}

/** The order of {@link better}, on the keys the entries were sorted by. */
const byKey = (a: Live, b: Live): number => b.score - a.score || a.received - b.received || a.last - b.last || (a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0);
const keyed = (agent: MutableAgent, score: number): Live => ({ agent, score, received: agent.received, last: agent.lastReceivedAt ?? -1 });

/** Where `entry` sits in a list sorted by {@link byKey}: the first index not before it. */
function position(entries: ReadonlyArray<Live>, entry: Live): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byKey(entries[mid] as Live, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
type MutableAgent = { -readonly [K in keyof RoutingAgent]: RoutingAgent[K] } & { load: { total: number; channels: Partial<Record<Channel, number>> } };

const ORDER_FREE: ReadonlySet<RoutingStrategy> = new Set(['least_loaded', 'round_robin', 'longest_idle']);
const CHOSEN: Readonly<Record<RoutingStrategy, string>> = { least_loaded: 'first in least loaded order who fits', round_robin: 'first in round robin order who fits', most_skilled: 'most skilled who fits', longest_idle: 'first in longest idle order who fits' };

/** The agents who could take tickets of one team, strategy, channel and language, best first. */
interface List {
  readonly strategy: RoutingStrategy;
  readonly channel: Channel;
  readonly entries: Live[];
  readonly byAgent: Map<MutableAgent, Live>;
}

/** What a drain decided, and the agents as they stand after it. */
export interface DrainResult {
  /** One decision per ticket, in queue order. */
  readonly decisions: ReadonlyArray<RoutingDecision>;
  /** The agents with the loads and shares the drain gave them. */
  readonly agents: ReadonlyArray<RoutingAgent>;
}

/**
 * Drain a queue: tickets in queue order ({@link compareQueued}), each to the best eligible agent,
 * loads and shares updated as it goes, at most `intakeLimit` tickets per agent. Where the order of
 * agents does not depend on the ticket (least loaded, round robin, longest idle), each team keeps
 * its available agents sorted (an agent who is full or at the intake limit leaves the lists) and a
 * ticket looks only as far as the first one who fits, so a drain of 10,000 tickets over 500 agents
 * stays fast; its decisions name the agents it looked at (`decideRoute` explains one ticket
 * against everyone). Otherwise (most
 * skilled, a preferred language) every ticket is scored against every candidate.
 *
 * @example
 * ```ts
 * const { decisions } = drainQueue(routing, queued, agents, clock.now());
 * decisions.filter((d) => d.outcome === 'assigned').length;
 * ```
 */
export function drainQueue(config: RoutingConfig, tickets: ReadonlyArray<RoutingTicket>, agents: ReadonlyArray<RoutingAgent>, now: Date | number): DrainResult {
  const at = typeof now === 'number' ? now : now.getTime();
  const live: MutableAgent[] = agents.map((a) => ({ ...a, load: { total: a.load.total, channels: { ...a.load.channels } } }));
  const taken = new Map<string, number>();
  const lists = new Map<string, List>();
  const member = new Map<MutableAgent, Set<List>>();
  const ordered = (teamId: string | undefined, strategy: RoutingStrategy, probe: RoutingTicket): List => {
    const language = config.language === 'required' ? probe.language : undefined;
    const key = `${teamId ?? '*'}|${strategy}|${probe.channel}|${language ?? '*'}`;
    let list = lists.get(key);
    if (list === undefined) {
      // Only agents who could take a ticket of this team, channel and language now are listed;
      // one who is full or at the intake limit leaves the lists.
      const entries = live
        .filter((a) => (teamId === undefined || a.teamIds.includes(teamId)) && available(config, a) && serves(config, a, probe.channel, language))
        .map((agent) => keyed(agent, scoreOf(config, strategy, agent, probe, [])));
      entries.sort(byKey);
      list = { strategy, channel: probe.channel, entries, byAgent: new Map(entries.map((e) => [e.agent, e])) };
      lists.set(key, list);
      for (const e of entries) {
        let m = member.get(e.agent);
        if (m === undefined) member.set(e.agent, (m = new Set()));
        m.add(list);
      }
    }
    return list;
  };
  const decisions: RoutingDecision[] = [];
  const when = new Date(at);
  for (const ticket of [...tickets].sort(compareQueued)) {
    const strategy = (ticket.teamId === undefined ? undefined : config.teams[ticket.teamId]?.strategy) ?? config.strategy;
    if (!ORDER_FREE.has(strategy) || config.language === 'preferred') {
      const d = decideRoute(config, ticket, live, at, taken);
      if (d.agentId !== undefined) receive(live.find((a) => a.id === d.agentId) as MutableAgent, ticket, at, taken, member, config);
      decisions.push(d);
      continue;
    }
    const skills = neededSkills(config, ticket, at);
    const list = ordered(ticket.teamId, strategy, ticket);
    const looked: CandidateVerdict[] = [];
    let chosen: Live | undefined;
    for (const c of list.entries) {
      const e = eligibility(config, c.agent, ticket, skills, taken.get(c.agent.id) ?? 0);
      if (e.ok) {
        chosen = c;
        break;
      }
      looked.push({ agentId: c.agent.id, eligible: false, reason: e.reason, detail: e.detail });
    }
    // Built field by field, one shared Date: a drain makes thousands of these, and allocation is most of its cost.
    const decision: { -readonly [K in keyof RoutingDecision]: RoutingDecision[K] } = { ticketId: ticket.id, outcome: 'queued', strategy, skills, candidates: looked, at: when };
    if (ticket.teamId !== undefined) decision.teamId = ticket.teamId;
    decisions.push(decision);
    if (chosen === undefined) continue;
    decision.outcome = 'assigned';
    decision.agentId = chosen.agent.id;
    looked.unshift({ agentId: chosen.agent.id, eligible: true, reason: 'chosen', detail: CHOSEN[strategy], score: chosen.score });
    receive(chosen.agent, ticket, at, taken, member, config);
  }
  return { decisions, agents: live };
}

/** Whether an agent could take some ticket in this drain: active, online, at work, not full. */
function available(config: RoutingConfig, a: RoutingAgent): boolean {
  return a.active && a.presence === 'online' && (!config.workingHours || a.working) && a.load.total < totalCapacityOf(config, a.id);
}

/** Whether an agent serves a channel, speaks a language, and has room on that channel. */
function serves(config: RoutingConfig, a: RoutingAgent, channel: Channel, language: string | undefined): boolean {
  if (a.channels.length > 0 && !a.channels.includes(channel)) return false;
  if (language !== undefined && a.languages.length > 0 && !a.languages.includes(language)) return false;
  const cap = capacityOf(config, a.id, channel).channel;
  return cap === undefined || (a.load.channels[channel] ?? 0) < cap;
}

/** Give an agent a ticket: load, shares, idle time, intake, and its place in every list it is in (or none, once full). */
function receive(agent: MutableAgent, ticket: RoutingTicket, at: number, taken: Map<string, number>, member: Map<MutableAgent, Set<List>>, config: RoutingConfig): void {
  const channel = ticket.channel;
  agent.load.total++;
  agent.load.channels[channel] = (agent.load.channels[channel] ?? 0) + 1;
  agent.received++;
  agent.lastReceivedAt = at;
  taken.set(agent.id, (taken.get(agent.id) ?? 0) + 1);
  const done = !available(config, agent) || (taken.get(agent.id) ?? 0) >= config.intakeLimit;
  const lists = member.get(agent);
  if (lists === undefined) return;
  for (const list of lists) {
    // The entry is found by the key it was sorted by, in log time, not by a scan.
    const entry = list.byAgent.get(agent) as Live;
    list.entries.splice(position(list.entries, entry), 1);
    if (done || !serves(config, agent, list.channel, undefined)) {
      lists.delete(list);
      list.byAgent.delete(agent);
      continue;
    }
    const fresh = keyed(agent, scoreOf(config, list.strategy, agent, ticket, []));
    entry.score = fresh.score;
    entry.received = fresh.received;
    entry.last = fresh.last;
    list.entries.splice(position(list.entries, entry), 0, entry);
  }
}
