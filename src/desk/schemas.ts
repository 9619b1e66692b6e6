import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { SignalSchema } from '../domain/signal.js';
import { AgentIdSchema, ChannelSchema, CustomerIdSchema, DurationSchema, JsonValueSchema, MoneySchema, TeamIdSchema } from '../domain/common.js';
import { ADMIN_CLOSE_REASONS, ConsentAnswerSchema } from '../domain/ticket.js';
import { BackoffSchema } from '../domain/backoff.js';

// Command input schemas, built once: constructing a zod schema costs more than parsing with it.

/** Parse `value` with `schema`, or throw a ValidationError naming `subject` and the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(subject, result.error);
  return result.data;
}

export const SignalListSchema = z.array(SignalSchema);

/** A retention rule (`applyRetention`, the `retention` option): how long after closing, and how many tickets a run. */
export const RetentionRuleSchema = z.object({ closedFor: DurationSchema, limit: z.number().int().min(1).max(1000).default(100) }).strict();

/** Options of `pruneRequests` (and of the `pruneRequests` option): how many expired keys a run removes. */
export const PruneOptionsSchema = z.object({ limit: z.number().int().min(1).max(1_000_000).default(10_000) }).strict();

export { ADMIN_CLOSE_REASONS } from '../domain/ticket.js';

export const NoteTextSchema = z.string().trim().min(1, 'a note needs text');
export const AssignTargetSchema = z.object({ agentId: AgentIdSchema.nullable().optional(), teamId: TeamIdSchema.nullable().optional() }).strict();
export const TransferInputSchema = z.object({
  to: z.object({ agentId: AgentIdSchema.optional(), teamId: TeamIdSchema.optional() }).strict().refine((r) => r.agentId !== undefined || r.teamId !== undefined, 'name an agent or a team to transfer to'),
  consent: ConsentAnswerSchema,
  reason: z.string().trim().min(1, 'say why the ticket is transferred'),
});
export const HoldInputSchema = z.object({ reason: z.string().trim().min(1, 'say why the ticket is put on hold'), waitingOn: z.string().trim().min(1).optional(), consent: ConsentAnswerSchema });
export const SetStatusSchema = z.enum(['open', 'pending_customer']);
export const TagListSchema = z.array(z.string().trim().min(1).max(100)).min(1, 'name at least one tag');
export const ResolveInputSchema = z.object({ summary: z.string().trim().min(1, 'describe the resolution') });
export const ReopenInputSchema = z.object({ reason: z.string().trim().min(1, 'say why the ticket is reopened') });
export const CloseInputSchema = z.object({
  reason: z.enum(ADMIN_CLOSE_REASONS, { message: `must be one of ${ADMIN_CLOSE_REASONS.join(', ')}; resolutions close through confirmResolution() or the auto-close` }),
  note: z.string().trim().min(1).optional(),
});
export const SourceIdSchema = z.string().min(1);
export const OrderInputSchema = z
  .object({
    customerId: CustomerIdSchema,
    orderId: z.string().trim().min(1).max(200),
    items: z.array(z.object({ sku: z.string().trim().min(1), quantity: z.number().int().positive().default(1), amount: MoneySchema.optional() }).strict()).min(1, 'an order has at least one item'),
    at: z.date().optional(),
  })
  .strict();
export const HostEventSchema = z
  .object({
    customerId: CustomerIdSchema,
    name: z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/, 'use a lower-case name such as "subscription.renewed"'),
    id: z.string().trim().min(1).max(200),
    data: z.record(z.string(), JsonValueSchema).default({}),
  })
  .strict();
export const FeedbackInputSchema = z
  .object({
    customerId: CustomerIdSchema,
    department: z.string().min(1),
    text: z.string().trim().min(1, 'feedback needs the customer\'s words').max(100_000),
    kind: z.enum(['suggestion', 'complaint', 'praise']).default('suggestion'),
    aboutTicketId: z.string().min(1).optional(),
    channel: ChannelSchema.default('web_form'),
    sourceId: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export const FollowUpFilterSchema = z.object({ customerId: z.string().min(1).optional(), ticketId: z.string().min(1).optional(), planId: z.string().min(1).optional() }).strict();
export const NotifyInputSchema = z
  .object({
    customerId: CustomerIdSchema.optional(),
    agentId: AgentIdSchema.optional(),
    template: z.string().min(1, 'name the template to send'),
    data: z.record(z.string(), JsonValueSchema).default({}),
    channel: ChannelSchema.optional(),
    urgent: z.boolean().default(false),
    key: z.string().min(1).max(300).optional(),
    ticketId: z.string().min(1).optional(),
    notBefore: z.date().optional(),
  })
  .strict()
  .refine((v) => (v.customerId === undefined) !== (v.agentId === undefined), { message: 'give exactly one of customerId and agentId', path: ['customerId'] });
export const OfferTargetSchema = z.union([z.object({ ticketId: z.string().min(1) }).strict(), z.object({ customerId: z.string().min(1) }).strict()], {
  error: 'give { ticketId } or { customerId } (options such as limit go in the second argument)',
});
export const DeliveryOptionsSchema = z.object({ maxAttempts: z.number().int().min(1).max(100).default(8), backoff: BackoffSchema.default(BackoffSchema.parse({})) }).strict();
