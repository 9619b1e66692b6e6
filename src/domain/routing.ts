import * as z from 'zod';

/** Where an agent stands: taking work, briefly away, or gone. */
export const AGENT_STATUSES = ['online', 'away', 'offline'] as const;

/** Schema of an agent's presence. */
export const PresenceSchema = z.object({
  status: z.enum(AGENT_STATUSES),
  since: z.date(),
  /** Why, in the agent's or the app's words ("lunch", "shift ended"). */
  reason: z.string().max(10_000).optional(),
});
/** An agent's presence, as `setAgentStatus` last set it (absent: online). */
export interface Presence extends z.infer<typeof PresenceSchema> {}

/** Schema of a period an agent is out of office. */
export const OutOfOfficeSchema = z.object({ from: z.date(), to: z.date(), reason: z.string().max(10_000).optional() });
/** A period an agent is out of office: routing gives them nothing within it. */
export interface OutOfOffice extends z.infer<typeof OutOfOfficeSchema> {}

/** Schema of what routing remembers of an agent: the shares round robin evens out. */
export const AgentRoutingStateSchema = z.object({
  /** Tickets received so far, every way (routing, manual assignment, reopen). */
  received: z.number().int().nonnegative(),
  lastReceivedAt: z.date().optional(),
});
/** What routing remembers of an agent. */
export interface AgentRoutingState extends z.infer<typeof AgentRoutingStateSchema> {}

const CandidateSchema = z.object({
  agentId: z.string(),
  eligible: z.boolean(),
  reason: z.string(),
  detail: z.string(),
  score: z.number().optional(),
});

/** Schema of a routing decision as stored with the ticket (see `desk.explainRouting`). */
export const StoredRoutingDecisionSchema = z.object({
  ticketId: z.string(),
  outcome: z.enum(['assigned', 'queued', 'offered']),
  agentId: z.string().optional(),
  teamId: z.string().optional(),
  strategy: z.string(),
  skills: z.array(z.object({ skill: z.string(), level: z.number(), dropped: z.boolean() })),
  /** Every candidate considered (at most 100 kept), the chosen one first. */
  candidates: z.array(CandidateSchema),
  at: z.date(),
  /** What set it off: `opened`, `reopened`, `transferred`, `escalated`, `requeued`, `drain`. */
  cause: z.string(),
});
/** A routing decision as stored with the ticket. */
export interface StoredRoutingDecision extends z.infer<typeof StoredRoutingDecisionSchema> {}

/** Schema of an offer of a ticket to an agent, waiting for their answer. */
export const RoutingOfferSchema = z.object({ agentId: z.string(), at: z.date(), expiresAt: z.date() });
/** An offer of a ticket to an agent (routing with `offerTimeout`). */
export type RoutingOffer = z.infer<typeof RoutingOfferSchema>;
