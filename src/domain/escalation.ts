import * as z from 'zod';
import { DurationSchema } from './common.js';
import { AgentRoleSchema } from './agent.js';
import { FlagKindSchema } from './customer.js';
import { PrioritySchema } from './ticket.js';
import { SIGNAL_KINDS } from './signal.js';

/** The events a rule can listen to. */
export const ESCALATION_EVENTS = ['ticket.opened', 'ticket.updated', 'interaction.received', 'signal.detected', 'sla.warning', 'sla.breached', 'survey.answered'] as const;
/** An event a rule can listen to. */
export type EscalationEvent = (typeof ESCALATION_EVENTS)[number];

/** Schema of an {@link EscalationTrigger}. */
export const EscalationTriggerSchema = z.union([
  z.object({ on: z.enum(ESCALATION_EVENTS) }).strict(),
  z
    .object({
      /** A time trigger, checked through scheduled checks: e.g. no public update for PT4H of business time. */
      on: z.literal('time'),
      after: DurationSchema,
      since: z.enum(['created', 'last_public_update', 'last_customer_message']),
      /** Calendar id for business time (from the SLA configuration's calendars); absent = elapsed time. */
      calendar: z.string().min(1).optional(),
    })
    .strict(),
]);
/** What sets a rule off: an event, or a span of time since something. */
export type EscalationTrigger = z.input<typeof EscalationTriggerSchema>;

const RecipientSchema = z.union([
  z.object({ role: z.enum(['assignee', 'team_lead', 'manager', 'customer']) }).strict(),
  z.object({ agentId: z.string().min(1) }).strict(),
]);

/** Schema of an {@link EscalationAction}. */
export const EscalationActionSchema = z.discriminatedUnion('type', [
  /** Up the hierarchy: the next rung, or the first agent at or above a role. */
  z.object({ type: z.literal('escalate'), to: z.union([z.literal('next_level'), AgentRoleSchema]) }).strict(),
  /** To the team serving a function: legal, billing, technical, any department. */
  z.object({ type: z.literal('route_to_team'), function: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'use a team function such as "legal"') }).strict(),
  z.object({ type: z.literal('reassign'), agentId: z.string().min(1).optional(), teamId: z.string().min(1).optional() }).strict().refine((a) => a.agentId !== undefined || a.teamId !== undefined, 'name an agent or a team'),
  z.object({ type: z.literal('set_priority'), priority: PrioritySchema }).strict(),
  z.object({ type: z.literal('notify'), recipients: z.array(RecipientSchema).min(1), template: z.string().min(1), urgent: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('add_tag'), tag: z.string().trim().min(1).max(100) }).strict(),
  z.object({ type: z.literal('flag_customer'), kind: FlagKindSchema, reason: z.string().trim().min(1) }).strict(),
  /**
   * Mark the ticket for an agent's confirmation: the signal is suspected, not acted on. When an
   * agent confirms (`desk.confirmSignal`), the customer gets `flag`; a dismissal is recorded.
   */
  z.object({ type: z.literal('suspect_signal'), kind: z.enum(SIGNAL_KINDS), flag: FlagKindSchema.optional(), reason: z.string().trim().min(1).max(10_000) }).strict(),
  z.object({ type: z.literal('request_callback'), from: z.enum(['supervisor', 'manager']), within: DurationSchema.optional() }).strict(),
]);
/** Something a rule does. */
export type EscalationAction = z.output<typeof EscalationActionSchema>;

