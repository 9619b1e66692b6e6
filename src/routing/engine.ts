import type { Channel } from '../domain/common.js';
import type { Priority } from '../domain/ticket.js';
import type { RoutingConfig, RoutingStrategy } from './config.js';

/** Where an agent stands for routing. */
export type AgentPresence = 'online' | 'away' | 'offline';

/** What routing reads of an agent, as it stands now. */
export interface RoutingAgent {
  readonly id: string;
  readonly active: boolean;
  readonly teamIds: ReadonlyArray<string>;
  /** Skill name → level (`billing:3` in the agent's skills; a bare name is level 1). */
  readonly skills: ReadonlyMap<string, number>;
  /** Languages as locale prefixes (`ja`, `en`); empty = speaks any. */
  readonly languages: ReadonlyArray<string>;
  /** Channels served; empty = every channel. */
  readonly channels: ReadonlyArray<Channel>;
  readonly presence: AgentPresence;
  /** Within working hours and not out of office (true when the agent has no calendar). */
  readonly working: boolean;
  /** Open tickets held now, in total and per channel. */
  readonly load: { readonly total: number; readonly channels: Readonly<Partial<Record<Channel, number>>> };
  /** Tickets received so far, every way (routing, manual assignment, reopen): the shares round robin evens out. */
  readonly received: number;
  /** When the agent last received a ticket (epoch ms), if ever. */
  readonly lastReceivedAt?: number | undefined;
}

/** What routing reads of a ticket. */
export interface RoutingTicket {
  readonly id: string;
  readonly priority: Priority;
  readonly channel: Channel;
  readonly createdAt: number;
  readonly teamId?: string | undefined;
  /** The customer's language (locale prefix). */
  readonly language?: string | undefined;
  /** The nearest SLA breach (epoch ms), if a clock runs. */
  readonly nextBreachAt?: number | undefined;
  /** The facts the skill conditions read (`{ ticket, customer }`). */
  readonly facts: object;
  /** Since when it waits for an agent (epoch ms; default `createdAt`). */
  readonly waitingSince?: number | undefined;
  /** Agents who declined it or let an offer of it time out. */
  readonly declinedBy?: ReadonlyArray<string> | undefined;
}

/** Why a candidate was or was not chosen. */
export type CandidateReason =
  | 'chosen'
  | 'inactive'
  | 'offline'
  | 'away'
  | 'not_working'
  | 'not_in_team'
  | 'channel'
  | 'language'
  | 'skill'
  | 'capacity_channel'
  | 'capacity_total'
  | 'intake_limit'
  | 'declined'
  | 'lower_score'
  | 'tie_lost';

/** One candidate of a decision, with the reason. */
export interface CandidateVerdict {
  readonly agentId: string;
  readonly eligible: boolean;
  readonly reason: CandidateReason;
  /** In words, e.g. `lacks billing at level 3 (has 1)`, `chat 3 of 3`. */
  readonly detail: string;
  /** The strategy's score, for eligible candidates (higher wins). */
  readonly score?: number;
}

/** A skill a ticket needed, and whether its wait dropped it. */
export interface NeededSkill {
  readonly skill: string;
  readonly level: number;
  readonly dropped: boolean;
}

/** A routing decision as data: who, or the team queue, and why for every candidate. */
export interface RoutingDecision {
  readonly ticketId: string;
  readonly outcome: 'assigned' | 'queued' | 'offered';
  readonly agentId?: string;
  readonly teamId?: string;
  readonly strategy: RoutingStrategy;
  readonly skills: ReadonlyArray<NeededSkill>;
  readonly candidates: ReadonlyArray<CandidateVerdict>;
  readonly at: Date;
}

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * The order of a queue: priority first, then the nearest SLA breach, then age, then id — the
 * next ticket an agent gets is the one most at risk. A total order.
 */
export function compareQueued(a: RoutingTicket, b: RoutingTicket): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    (a.nextBreachAt ?? Infinity) - (b.nextBreachAt ?? Infinity) ||
    a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export { parseSkills } from './skills.js';

/** The skills a ticket needs now (optional ones past their wait are dropped). */
export function neededSkills(config: RoutingConfig, ticket: RoutingTicket, now: number): NeededSkill[] {
  const waited = now - (ticket.waitingSince ?? ticket.createdAt);
  return config.skills.filter((s) => s.when(ticket.facts)).map((s) => ({ skill: s.skill, level: s.level, dropped: s.optionalAfterMs !== undefined && waited >= s.optionalAfterMs }));
}

const strategyOf = (config: RoutingConfig, teamId: string | undefined): RoutingStrategy => (teamId === undefined ? undefined : config.teams[teamId]?.strategy) ?? config.strategy;

/** An agent's capacity: their own, else the desk's. */
export function capacityOf(config: RoutingConfig, agentId: string, channel: Channel): { total: number; channel: number | undefined } {
  const own = config.agents[agentId];
  return { total: totalCapacityOf(config, agentId), channel: own?.channels?.[channel] ?? config.capacity.channels[channel] };
}

/** An agent's capacity in all channels together: their own, else the desk's. */
export const totalCapacityOf = (config: RoutingConfig, agentId: string): number => config.agents[agentId]?.total ?? config.capacity.total;

/** Whether an agent may take the ticket; the reason when not. */
export function eligibility(config: RoutingConfig, agent: RoutingAgent, ticket: RoutingTicket, skills: ReadonlyArray<NeededSkill>, taken = 0): { ok: true } | { ok: false; reason: CandidateReason; detail: string } {
  if (!agent.active) return { ok: false, reason: 'inactive', detail: 'deactivated' };
  if (agent.presence === 'offline') return { ok: false, reason: 'offline', detail: 'offline' };
  if (agent.presence === 'away') return { ok: false, reason: 'away', detail: 'away' };
  if (config.workingHours && !agent.working) return { ok: false, reason: 'not_working', detail: 'outside working hours or out of office' };
  if (ticket.declinedBy?.includes(agent.id) === true) return { ok: false, reason: 'declined', detail: 'declined it, or let the offer time out' };
  if (ticket.teamId !== undefined && !agent.teamIds.includes(ticket.teamId)) return { ok: false, reason: 'not_in_team', detail: `not in team ${ticket.teamId}` };
  if (agent.channels.length > 0 && !agent.channels.includes(ticket.channel)) return { ok: false, reason: 'channel', detail: `does not serve ${ticket.channel}` };
  if (config.language === 'required' && ticket.language !== undefined && agent.languages.length > 0 && !agent.languages.includes(ticket.language)) {
    return { ok: false, reason: 'language', detail: `does not speak ${ticket.language}` };
  }
  for (const s of skills) {
    if (s.dropped) continue;
    const has = agent.skills.get(s.skill) ?? 0;
    if (has < s.level) return { ok: false, reason: 'skill', detail: `lacks ${s.skill} at level ${s.level}${has > 0 ? ` (has ${has})` : ''}` };
  }
  const cap = capacityOf(config, agent.id, ticket.channel);
  const onChannel = agent.load.channels[ticket.channel] ?? 0;
  if (cap.channel !== undefined && onChannel >= cap.channel) return { ok: false, reason: 'capacity_channel', detail: `${ticket.channel} ${onChannel} of ${cap.channel}` };
  if (agent.load.total >= cap.total) return { ok: false, reason: 'capacity_total', detail: `${agent.load.total} of ${cap.total} in all` };
  if (taken >= config.intakeLimit) return { ok: false, reason: 'intake_limit', detail: `took ${taken} in this drain (limit ${config.intakeLimit})` };
  return { ok: true };
}

/** The strategy's score of an eligible agent (higher wins); ties go to fewer shares, then longer idle, then id. */
export function scoreOf(config: RoutingConfig, strategy: RoutingStrategy, agent: RoutingAgent, ticket: RoutingTicket, skills: ReadonlyArray<NeededSkill>): number {
  const lang = config.language === 'preferred' && ticket.language !== undefined && agent.languages.includes(ticket.language) ? 0.5 : 0;
  switch (strategy) {
    case 'least_loaded':
      return lang - agent.load.total / totalCapacityOf(config, agent.id);
    case 'round_robin':
      return lang - agent.received;
    case 'most_skilled':
      return lang + skills.reduce((n, s) => n + (agent.skills.get(s.skill) ?? 0), 0);
    case 'longest_idle':
      return lang - (agent.lastReceivedAt ?? -1) / 1e13;
  }
}

/** The deterministic order of eligible agents: score, then fewer shares, longer idle, id. */
export function better(a: { agent: RoutingAgent; score: number }, b: { agent: RoutingAgent; score: number }): number {
  return b.score - a.score || a.agent.received - b.agent.received || (a.agent.lastReceivedAt ?? -1) - (b.agent.lastReceivedAt ?? -1) || (a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0);
}

/**
 * Decide where one ticket goes: the best eligible agent by the team's strategy, or the team's
 * queue when nobody fits; every candidate gets its reason. Pure: the same input, the same
 * decision. `taken` counts tickets each agent already took in the current drain (the intake limit).
 *
 * @example
 * ```ts
 * const d = decideRoute(routing, ticket, agents, clock.now());
 * d.outcome; // 'assigned'
 * d.candidates.find((c) => c.agentId === 'agt_ben')?.detail; // 'does not speak ja'
 * ```
 */
export function decideRoute(config: RoutingConfig, ticket: RoutingTicket, agents: ReadonlyArray<RoutingAgent>, now: Date | number, taken: ReadonlyMap<string, number> = new Map()): RoutingDecision {
  const at = typeof now === 'number' ? now : now.getTime();
  const skills = neededSkills(config, ticket, at);
  const strategy = strategyOf(config, ticket.teamId);
  const verdicts: CandidateVerdict[] = [];
  const eligible: Array<{ agent: RoutingAgent; score: number }> = [];
  for (const agent of agents) {
    const e = eligibility(config, agent, ticket, skills, taken.get(agent.id) ?? 0);
    if (e.ok) eligible.push({ agent, score: scoreOf(config, strategy, agent, ticket, skills) });
    else verdicts.push({ agentId: agent.id, eligible: false, reason: e.reason, detail: e.detail });
  }
  eligible.sort(better);
  const [best, ...rest] = eligible;
  const ranked = rest.map((c): CandidateVerdict => ({ agentId: c.agent.id, eligible: true, reason: best !== undefined && c.score === best.score ? 'tie_lost' : 'lower_score', detail: best !== undefined && c.score === best.score ? `same score as ${best.agent.id}; lost on shares, idle time or id` : `score ${round(c.score)} below ${round(best?.score ?? 0)}`, score: c.score }));
  const base = { ticketId: ticket.id, strategy, skills, at: new Date(at), ...(ticket.teamId === undefined ? {} : { teamId: ticket.teamId }) };
  if (best === undefined) return { ...base, outcome: 'queued', candidates: verdicts };
  return { ...base, outcome: 'assigned', agentId: best.agent.id, candidates: [{ agentId: best.agent.id, eligible: true, reason: 'chosen', detail: `best ${strategy.replace('_', ' ')} score`, score: best.score }, ...ranked, ...verdicts] };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
