import * as z from 'zod';
import { ActorSchema, AgentIdSchema, ChannelSchema, InteractionIdSchema, JsonValueSchema, TeamIdSchema, TicketIdSchema } from './common.js';
import { ComplaintStepSchema, ConsentAnswerSchema } from './ticket.js';
import { SignalSchema } from './signal.js';
import { AttachmentSchema } from './attachment.js';

/**
 * What an interaction is: a message (e-mail, chat, SMS, social, web form), a call, a
 * face-to-face meeting, a letter, an internal note, or a hold / transfer record.
 */
export const INTERACTION_KINDS = ['message', 'call', 'meeting', 'letter', 'note', 'hold', 'transfer'] as const;
/** Schema of an {@link InteractionKind}. */
export const InteractionKindSchema = z.enum(INTERACTION_KINDS);
/** What an interaction is. */
export type InteractionKind = z.infer<typeof InteractionKindSchema>;

export { AttachmentSchema, type Attachment } from './attachment.js';

const routeSchema = z.object({ agentId: AgentIdSchema.optional(), teamId: TeamIdSchema.optional() });

/** Schema of a stored interaction. */
export const InteractionSchema = z.object({
  id: InteractionIdSchema,
  ticketId: TicketIdSchema,
  at: z.date(),
  channel: ChannelSchema,
  direction: z.enum(['inbound', 'outbound', 'internal']),
  kind: InteractionKindSchema,
  author: ActorSchema,
  visibility: z.enum(['public', 'internal']),
  subject: z.string().optional(),
  body: z.string().optional(),
  /** Summary of what was said, for calls and meetings. */
  summary: z.string().optional(),
  /** What was agreed with the customer, one item a line, so a colleague can continue. */
  agreed: z.array(z.string()).default([]),
  durationMs: z.number().int().nonnegative().optional(),
  complaintStep: ComplaintStepSchema.optional(),
  /** On hold and transfer records: the customer's answer when asked. */
  consent: ConsentAnswerSchema.optional(),
  /** On transfer records: where the ticket went from and to. */
  transfer: z.object({ from: routeSchema, to: routeSchema }).optional(),
  /** On hold records: why, and whom the desk waits on. */
  hold: z.object({ reason: z.string(), waitingOn: z.string().optional() }).optional(),
  attachments: z.array(AttachmentSchema).default([]),
  /** The id of this message in its source system (e-mail Message-ID, chat message id). */
  externalId: z.string().optional(),
  /** Other ids the same message is known by (a Message-ID a mail provider replaced on the way). */
  externalAliases: z.array(z.string()).optional(),
  metadata: z.record(z.string(), JsonValueSchema).default({}),
  /** What the customer's words signal (emotion, a supervisor request, threats, abuse, gratitude). */
  signals: z.array(SignalSchema).default([]),
});
/** One recorded interaction: who, when, on which channel, what was said or agreed. */
export interface Interaction extends z.infer<typeof InteractionSchema> {}

/** Input of `recordInteraction`. Direction and kind are derived when omitted. */
export const InteractionInputSchema = z
  .object({
    channel: ChannelSchema,
    author: ActorSchema,
    /** Defaults: customer → inbound; agent or bot → outbound; internal notes → internal. */
    direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
    /** Defaults from the channel: phone → call, in_person → meeting, postal → letter, else message. */
    kind: z.enum(['message', 'call', 'meeting', 'letter', 'note']).optional(),
    visibility: z.enum(['public', 'internal']).default('public'),
    subject: z.string().max(1000).optional(),
    body: z.string().max(1_000_000).optional(),
    summary: z.string().max(100_000).optional(),
    agreed: z.array(z.string().trim().min(1)).default([]),
    durationMs: z.number().int().nonnegative().optional(),
    complaintStep: ComplaintStepSchema.optional(),
    attachments: z.array(AttachmentSchema).default([]),
    externalId: z.string().min(1).max(1000).optional(),
    /** Other ids the same message is known by; e-mail ids thread replies to the ticket. */
    externalAliases: z.array(z.string().min(1).max(1000)).max(20).optional(),
    metadata: z.record(z.string(), JsonValueSchema).default({}),
    /** After an agent's reply, move the ticket to this status (e.g. wait on the customer). */
    setStatus: z.enum(['open', 'pending_customer']).optional(),
    /**
     * On a customer's message: it confirms the resolution ("received, thank you"). The message
     * is recorded and a resolved ticket closes from the customer's side, instead of reopening.
     */
    confirmsResolution: z.boolean().default(false),
  })
  .refine((i) => i.body !== undefined || i.summary !== undefined || i.attachments.length > 0, {
    message: 'an interaction needs a body, a summary or an attachment',
    path: ['body'],
  })
  .refine((i) => !(i.author.kind === 'customer' && (i.visibility === 'internal' || i.kind === 'note')), {
    message: 'a customer cannot write an internal note; set visibility "public"',
    path: ['visibility'],
  })
  .refine((i) => !i.confirmsResolution || i.author.kind === 'customer', {
    message: 'only the customer confirms a resolution; agents record it with confirmResolution()',
    path: ['confirmsResolution'],
  });
/** Input of `recordInteraction`. */
export interface InteractionInput extends z.input<typeof InteractionInputSchema> {}

/**
 * The lookup key of an e-mail message id: `msg:` and the id without angle brackets. The desk
 * claims one for every e-mail it records or sends on a ticket, so a reply finds its thread.
 */
export const messageKey = (messageId: string): string => `msg:${messageId.trim().replace(/^<\s*/, '').replace(/\s*>$/, '')}`;

/** The message-id keys an interaction claims for its ticket (e-mail only). */
export function interactionKeys(i: Pick<Interaction, 'channel' | 'externalId' | 'externalAliases'>): string[] {
  if (i.channel !== 'email' || i.externalId === undefined) return [];
  return [...new Set([i.externalId, ...(i.externalAliases ?? [])].map(messageKey))];
}
