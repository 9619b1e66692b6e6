import * as z from 'zod';
import { normalizeEmail } from './address.js';
import { ChannelSchema, JsonValueSchema, TicketIdSchema } from './common.js';

/**
 * Where a message in the outbox stands: `pending` (waiting for its time or for a retry), `sent`
 * (a notifier accepted it), `failed` (dead-lettered after its last attempt, or refused for good),
 * `cancelled` (withdrawn before it went out).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'cancelled'] as const;
/** Schema of a {@link NotificationStatus}. */
export const NotificationStatusSchema = z.enum(NOTIFICATION_STATUSES);
/** Where a message in the outbox stands. */
export type NotificationStatus = z.infer<typeof NotificationStatusSchema>;

/** Schema of one delivery attempt of an outbox message. */
export const DeliveryAttemptSchema = z.object({
  at: z.date(),
  /** The notifier that was tried, if one was found for the channel. */
  notifier: z.string().optional(),
  ok: z.boolean(),
  /** What went wrong, for a failed attempt. */
  error: z.string().optional(),
  /** The error's code (`DELIVERY_FAILED`, `ADAPTER_FAILED`, ...). */
  code: z.string().optional(),
  /** Whether the failure was worth retrying. */
  retryable: z.boolean().optional(),
});
/** One delivery attempt of an outbox message. */
export interface DeliveryAttempt extends z.infer<typeof DeliveryAttemptSchema> {}

/** Schema of a rendered message kept with an outbox record. */
export const RenderedMessageSchema = z.object({ locale: z.string(), subject: z.string(), text: z.string(), html: z.string() });

/**
 * Schema of a message in the outbox: recorded in the same unit of work as the change that caused
 * it, then delivered at least once by the desk's relay. Its id is `ntf:` and its idempotency key,
 * so queueing the same message twice finds the record already there.
 */
export const NotificationRecordSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  status: NotificationStatusSchema,
  /** Stable for this message across retries and restarts; notifiers deduplicate by it. */
  idempotencyKey: z.string().min(1),
  to: z.object({ kind: z.enum(['customer', 'agent']), id: z.string().min(1), name: z.string(), address: z.string().min(1) }),
  channel: ChannelSchema,
  template: z.string().min(1),
  locale: z.string().min(1),
  data: z.record(z.string(), JsonValueSchema),
  /** The message as rendered when it was queued (when the desk has templates). */
  rendered: RenderedMessageSchema.optional(),
  /** Urgent messages ignore the recipient's quiet hours. */
  urgent: z.boolean(),
  /** Not before this instant (the end of the recipient's quiet hours, or a requested time). */
  notBefore: z.date(),
  /** When the relay tries next (pending messages). */
  nextAttemptAt: z.date(),
  attempts: z.array(DeliveryAttemptSchema),
  /** How many attempts it gets before it is dead-lettered. */
  maxAttempts: z.number().int().positive(),
  /** The notifier that delivered it and the provider's id of the message. */
  notifier: z.string().optional(),
  externalId: z.string().optional(),
  /** Other ids the provider knows the message by. */
  externalAliases: z.array(z.string()).optional(),
  sentAt: z.date().optional(),
  /** When it was dead-lettered, and why. */
  failedAt: z.date().optional(),
  /** The ticket it is about, if any. */
  ticketId: TicketIdSchema.optional(),
  /** The follow-up that sent it, if any. */
  followUpId: z.string().optional(),
  /** What queued it: `command`, `follow-up`, `escalation`. */
  source: z.string().min(1),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A message in the outbox. */
export interface NotificationRecord extends z.infer<typeof NotificationRecordSchema> {}

/** A rendered message, ready for a notifier. */
export interface RenderedMessage {
  /** The locale actually used (after falling back, e.g. `ja-JP` → `ja`). */
  readonly locale: string;
  /** The subject line, on one line. */
  readonly subject: string;
  /** The plain-text body. */
  readonly text: string;
  /** The HTML body, with every variable escaped. */
  readonly html: string;
}

/** Input of `recordBounce`: a delivery status notification about a message the desk sent. */
export const BounceInputSchema = z
  .object({
    /** The Message-ID of the message that bounced. */
    messageId: z.string().trim().min(1).max(1000),
    /** The address that could not be reached. */
    recipient: z.string().transform(normalizeEmail).pipe(z.email('must be the e-mail address that bounced')),
    /** A permanent failure (5.x.x) marks the address bouncing; a delay (4.x.x) only reports. Default true. */
    permanent: z.boolean().default(true),
    /** The enhanced status code (RFC 3463), e.g. `5.1.1`. */
    status: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'must be an enhanced status code such as "5.1.1"').optional(),
    /** The receiving server's words. */
    diagnostic: z.string().max(2000).optional(),
  })
  .strict();
/** Input of `recordBounce`. */
export interface BounceInput extends z.input<typeof BounceInputSchema> {}

