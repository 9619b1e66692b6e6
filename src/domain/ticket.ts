import * as z from 'zod';
import { PRIORITIES, TICKET_STATUSES } from './ticket-enums.js';
import { SuspicionSchema } from './suspicion.js';
import { AttachmentSchema } from './attachment.js';
import { RoutingOfferSchema, StoredRoutingDecisionSchema } from './routing.js';

export { PRIORITIES, TICKET_STATUSES } from './ticket-enums.js';
import {
  ActorSchema,
  AgentIdSchema,
  ChannelSchema,
  CustomerIdSchema,
  JsonValueSchema,
  OrganizationIdSchema,
  TeamIdSchema,
  TicketIdSchema,
} from './common.js';

/** Kinds of request, from the source texts. */
export const TICKET_TYPES = ['inquiry', 'complaint', 'order', 'support', 'return_refund', 'feedback', 'follow_up'] as const;
/** Schema of a {@link TicketType}. */
export const TicketTypeSchema = z.enum(TICKET_TYPES);
/** A kind of request: inquiry, complaint, order, support, return/refund, feedback, outbound follow-up. */
export type TicketType = z.infer<typeof TicketTypeSchema>;

/** Schema of a {@link Priority}. */
export const PrioritySchema = z.enum(PRIORITIES);
/** A ticket's priority. */
export type Priority = z.infer<typeof PrioritySchema>;

/** Schema of a {@link TicketStatus}. */
export const TicketStatusSchema = z.enum(TICKET_STATUSES);
/** A ticket's status. */
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/**
 * The four steps of handling a complaint, in order: understand the problem, repeat back what
 * was understood, resolve it until the customer is satisfied, thank the customer.
 */
export const COMPLAINT_STEPS = ['understand', 'repeat_back', 'resolve', 'thank'] as const;
/** Schema of a {@link ComplaintStep}. */
export const ComplaintStepSchema = z.enum(COMPLAINT_STEPS);
/** One of the four complaint-handling steps. */
export type ComplaintStep = z.infer<typeof ComplaintStepSchema>;

/**
 * Why a ticket was closed. The first two come from the customer's side; `merged` is set by
 * `mergeTickets` alone; the rest are administrative.
 */
export const CLOSE_REASONS = ['confirmed_by_customer', 'auto_closed', 'duplicate', 'spam', 'withdrawn', 'no_response', 'merged', 'other'] as const;
/** Schema of a {@link CloseReason}. */
export const CloseReasonSchema = z.enum(CLOSE_REASONS);
/** Why a ticket was closed. */
export type CloseReason = z.infer<typeof CloseReasonSchema>;

/** The close reasons `desk.close` takes: all but the customer's confirmation, the auto-close and a merge. */
export const ADMIN_CLOSE_REASONS = CLOSE_REASONS.filter((r) => r !== 'confirmed_by_customer' && r !== 'auto_closed' && r !== 'merged') as [AdminCloseReason, ...AdminCloseReason[]];
/** A close reason `desk.close` takes (see {@link ADMIN_CLOSE_REASONS}). */
export type AdminCloseReason = Exclude<CloseReason, 'confirmed_by_customer' | 'auto_closed' | 'merged'>;

/** The customer's answer when asked for permission to hold or transfer. */
export const ConsentAnswerSchema = z.object({
  /** Whether the customer agreed. */
  granted: z.boolean(),
  /** Words the customer used, or how the permission was given. */
  note: z.string().trim().min(1).optional(),
});
/** The customer's answer to a request for permission. */
export interface ConsentAnswer extends z.infer<typeof ConsentAnswerSchema> {}

/** Counters kept on every ticket for service measures (holds, transfers, reopens, contacts). */
export const TicketCountersSchema = z.object({
  holds: z.number().int().nonnegative(),
  declinedHolds: z.number().int().nonnegative(),
  transfers: z.number().int().nonnegative(),
  declinedTransfers: z.number().int().nonnegative(),
  reopens: z.number().int().nonnegative(),
  /** Inbound contacts from the customer. */
  contacts: z.number().int().nonnegative(),
  /** Public replies from human agents. */
  agentReplies: z.number().int().nonnegative(),
  /** Handle time: the sum of the interactions' `durationMs` (calls, meetings, work logged). */
  handleMs: z.number().nonnegative().optional(),
});
/** Counters kept on a ticket. */
export interface TicketCounters extends z.infer<typeof TicketCountersSchema> {}

/** Schema of one SLA clock as stored with the ticket (the ledger is computed on demand). */
export const SlaClockSnapshotSchema = z.object({
  slot: z.string(),
  policyId: z.string(),
  metric: z.string(),
  state: z.enum(['active', 'paused', 'warning', 'breached', 'fulfilled', 'cancelled']),
  paused: z.boolean(),
  targetMs: z.number(),
  elapsedMs: z.number(),
  startedAt: z.date().optional(),
  dueAt: z.date().optional(),
  breachedAt: z.date().optional(),
  cycle: z.number().int().positive(),
  breaches: z.number().int().nonnegative(),
  warningsPassed: z.array(z.number()),
});
/** One SLA clock as stored with the ticket. */
export interface SlaClockSnapshot extends z.infer<typeof SlaClockSnapshotSchema> {}

/** Schema of an {@link SlaPin}. */
export const SlaPinSchema = z.object({
  /** The fingerprint of the policy version the ticket runs on (the `sla_policy` record `<policyId>@<v>`). */
  v: z.string().min(1),
  /** When the ticket moved to this version from an earlier one (an `onEdit: 'apply'` edit): no breach is dated before it. */
  since: z.date().optional(),
  /** Breaches the ticket already had when it moved, by `slot/metric#cycle`, kept at their instants. */
  held: z.record(z.string(), z.date()).optional(),
});
/** Which version of a policy a ticket runs on. */
export interface SlaPin extends z.infer<typeof SlaPinSchema> {}
/** A ticket's pins, by policy id. */
export type SlaPins = Readonly<Record<string, SlaPin>>;

/** Schema of the SLA state stored with a ticket after every command. */
export const SlaSnapshotSchema = z.object({
  evaluatedAt: z.date(),
  clocks: z.array(SlaClockSnapshotSchema),
  nextCheckAt: z.date().optional(),
  /** The version of each policy the ticket has run on, by policy id: an edit of a policy leaves running tickets on theirs (see `SlaPolicyInput.onEdit`). */
  pins: z.record(z.string(), SlaPinSchema).optional(),
  /**
   * The values of the facts policies read beyond the timeline's own (a customer's or an
   * organisation's tier, the ticket's type, custom fields), each time they changed while the
   * ticket ran: a change switches policy from then on, following the metric's `onChange`, as a
   * priority change does.
   */
  account: z.array(z.object({ at: z.date(), values: z.record(z.string(), z.unknown()) })).optional(),
  /** The calendars of the teams that have held the ticket (team id → calendar), as last seen: their stretches count on them. */
  teams: z.record(z.string(), z.string()).optional(),
  /**
   * The clocks folded forward from the events so far (see `SlaFoldStateSchema`): kept opaque
   * here, and checked where it is used, so a damaged state can only cost a replay, never a read.
   */
  fold: z.unknown().optional(),
});
/** The SLA clocks of a ticket as of its last change (see `desk.explainSla` for the ledger). */
export interface SlaSnapshot extends z.infer<typeof SlaSnapshotSchema> {}

/**
 * How two tickets are linked, seen from the ticket holding the link: `merged_into` (this one is a
 * duplicate, closed into the other) and `merged_from`; `split_into` (part of this conversation
 * went on in the other) and `split_from`; `child` (the other is part of this one's work, owned by
 * another team) and `parent`; `related`. Every link is kept on both tickets.
 */
export const TICKET_LINK_TYPES = ['merged_into', 'merged_from', 'split_into', 'split_from', 'parent', 'child', 'related'] as const;
/** Schema of a {@link TicketLinkType}. */
export const TicketLinkTypeSchema = z.enum(TICKET_LINK_TYPES);
/** One kind of link between tickets (see {@link TICKET_LINK_TYPES}). */
export type TicketLinkType = z.infer<typeof TicketLinkTypeSchema>;

/** Schema of a {@link TicketLink}. */
export const TicketLinkSchema = z.object({
  /** How the other ticket relates to this one. */
  type: TicketLinkTypeSchema,
  /** The other ticket. */
  ticketId: TicketIdSchema,
  /** When the link was made. */
  at: z.date(),
});
/** A link from one ticket to another, kept on both. */
export interface TicketLink extends z.infer<typeof TicketLinkSchema> {}

/** Schema of a stored ticket. */
export const TicketSchema = z.object({
  id: TicketIdSchema,
  version: z.number().int().positive(),
  subject: z.string(),
  description: z.string().optional(),
  type: TicketTypeSchema,
  priority: PrioritySchema,
  status: TicketStatusSchema,
  requesterId: CustomerIdSchema,
  /** Copied from the requester so policies and reports can tell internal from external. */
  requesterKind: z.enum(['internal', 'external']),
  /** The requester's organisation the ticket is for (their first, unless `openTicket` named another of theirs). */
  organizationId: OrganizationIdSchema.optional(),
  /** The channel the ticket arrived on. */
  channel: ChannelSchema,
  /** Every channel the conversation has used, in order of first use (omnichannel). */
  channels: z.array(ChannelSchema),
  assigneeId: AgentIdSchema.optional(),
  teamId: TeamIdSchema.optional(),
  /** 0 on the front line; each hierarchical escalation raises it. */
  escalationLevel: z.number().int().nonnegative(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), JsonValueSchema),
  /** The id of the message that created the ticket (an e-mail's Message-ID): opening is idempotent on it. */
  sourceId: z.string().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
  statusChangedAt: z.date(),
  firstAgentReplyAt: z.date().optional(),
  lastCustomerMessageAt: z.date().optional(),
  lastAgentReplyAt: z.date().optional(),
  resolvedAt: z.date().optional(),
  closedAt: z.date().optional(),
  resolution: z.object({ summary: z.string(), by: ActorSchema, at: z.date() }).optional(),
  closure: z.object({ reason: CloseReasonSchema, by: ActorSchema, at: z.date(), note: z.string().optional() }).optional(),
  /** Present while the ticket is on hold. */
  hold: z
    .object({ since: z.date(), reason: z.string(), waitingOn: z.string().optional(), resumeTo: z.enum(['open', 'pending_customer']) })
    .optional(),
  /** When each complaint-handling step was first recorded. */
  complaintSteps: z.object({
    understand: z.date().optional(),
    repeat_back: z.date().optional(),
    resolve: z.date().optional(),
    thank: z.date().optional(),
  }),
  counters: TicketCountersSchema,
  /** The closed ticket this one follows up, when opened by a reopen after the window. */
  followUpOf: TicketIdSchema.optional(),
  /** Follow-up tickets opened from this one. */
  followUps: z.array(TicketIdSchema),
  /** Merges, splits, parent and child tickets, related tickets (see `desk.mergeTickets`, `splitTicket`, `openChildTicket`, `linkTickets`). */
  links: z.array(TicketLinkSchema).optional(),
  /**
   * While a parent waits for its children (`openChildTicket({ waitForChildren: true })`): it is on
   * hold and resumes when the last of them is resolved or closed.
   */
  waitingOnChildren: z.boolean().optional(),
  /** When the work is due, as the agents agreed it (not an SLA target: see `updateTicket`). */
  dueAt: z.date().optional(),
  /** When retention removed the words of its interactions (`desk.applyRetention`). */
  bodiesRemovedAt: z.date().optional(),
  /** The SLA clocks as of the last change, when the desk has an SLA configuration. */
  sla: SlaSnapshotSchema.optional(),
  /** The last routing decision, with every candidate's reason (see `desk.explainRouting`). */
  routing: z.object({ decision: StoredRoutingDecisionSchema, offer: RoutingOfferSchema.optional(), declinedBy: z.array(z.string()).optional() }).optional(),
  /** Signals a rule was not sure enough of to act on, waiting for an agent's confirmation (see `confirmSignal`). */
  suspicions: z.array(SuspicionSchema).optional(),
  /** What the escalation rules remember about this ticket (run-once, re-arm, occurrences seen). */
  escalation: z
    .object({ rules: z.record(z.string(), z.object({ fired: z.number().int().nonnegative(), disarmed: z.boolean(), seen: z.array(z.string()) })) })
    .optional(),
});
/** A ticket (request, case): what the customer needs, who handles it, and where it stands. */
export interface Ticket extends z.infer<typeof TicketSchema> {}

/** Input of `openTicket`. */
export const OpenTicketInputSchema = z.object({
  id: TicketIdSchema.optional(),
  requesterId: CustomerIdSchema,
  subject: z.string().trim().min(1, 'a ticket needs a subject').max(500),
  /** The customer's request in their words; recorded as the first inbound interaction. */
  description: z.string().trim().min(1).max(100_000).optional(),
  type: TicketTypeSchema.default('inquiry'),
  priority: PrioritySchema.default('normal'),
  channel: ChannelSchema,
  tags: z.array(z.string().trim().min(1).max(100)).default([]),
  customFields: z.record(z.string(), JsonValueSchema).default({}),
  sourceId: z.string().trim().min(1).max(1000).optional(),
  /**
   * More about the first message (the description): its attachments, its metadata, and other ids
   * it is known by in its source system (`sourceId` is its id there).
   */
  message: z
    .object({
      attachments: z.array(AttachmentSchema).max(100).default([]),
      metadata: z.record(z.string(), JsonValueSchema).default({}),
      externalAliases: z.array(z.string().min(1).max(1000)).max(20).optional(),
    })
    .strict()
    .optional(),
  assigneeId: AgentIdSchema.optional(),
  teamId: TeamIdSchema.optional(),
  /** Which of the requester's organisations the ticket is for (default: their first). */
  organizationId: OrganizationIdSchema.optional(),
  by: ActorSchema.optional(),
});
/** Input of `openTicket`. */
export interface OpenTicketInput extends z.input<typeof OpenTicketInputSchema> {}

/** Schema of a {@link TicketPatch}. */
export const TicketPatchSchema = z
  .object({
    subject: z.string().trim().min(1, 'a ticket needs a subject').max(500).optional(),
    type: TicketTypeSchema.optional(),
    priority: PrioritySchema.optional(),
    /** Custom field values to set; `null` removes one. Keys left out keep their values. */
    customFields: z.record(z.string(), JsonValueSchema.nullable()).optional(),
    /** When the work is due; `null` clears it. */
    dueAt: z.date().nullable().optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'name at least one field to change: subject, type, priority, customFields or dueAt' });
/** What `updateTicket` changes: any of subject, type, priority, custom fields, due date. */
export interface TicketPatch extends z.input<typeof TicketPatchSchema> {}

/** Schema of a {@link ChildTicketInput}. */
export const ChildTicketInputSchema = OpenTicketInputSchema.omit({ requesterId: true, channel: true, sourceId: true, by: true }).extend({
  /** The requester of the child (the parent's when absent): a department or colleague when the work is internal. */
  requesterId: CustomerIdSchema.optional(),
  /** The child's channel (the parent's last one when absent). */
  channel: ChannelSchema.optional(),
  /** Whether the parent goes on hold until every child is resolved or closed. */
  waitForChildren: z.boolean().default(false),
}).strict();
/** A child ticket for the part of the work another team or department owns (see `openChildTicket`). */
export interface ChildTicketInput extends z.input<typeof ChildTicketInputSchema> {}

/** One field's change in an audit entry. */
export interface FieldChange {
  /** The field that changed, dotted for nested ones (`counters.holds`). */
  readonly field: string;
  /** Its value before (undefined when it was unset). */
  readonly from: unknown;
  /** Its value after (undefined when it was cleared). */
  readonly to: unknown;
}

/** Schema of an {@link AuditEntry}. */
export const AuditEntrySchema = z.object({
  ticketId: TicketIdSchema,
  /** The ticket version this change produced. */
  version: z.number().int().positive(),
  at: z.date(),
  actor: ActorSchema,
  /** The command or event that made the change: `open`, `assign`, `hold`, `hold_declined`, ... */
  action: z.string().min(1),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  reason: z.string().optional(),
});
/** One entry of a ticket's audit trail: who, when, what changed, why. */
export interface AuditEntry extends z.infer<typeof AuditEntrySchema> {}
