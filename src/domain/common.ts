import * as z from 'zod';
import { isRealDate, isValidTimeZone, toMillis } from './time.js';

export { MAX_DURATION_MS, formatDuration, isRealDate, isValidTimeZone, toMillis, type Duration } from './time.js';

/** Branded id of a customer. Obtain one from a command result or {@link toCustomerId}. */
export const CustomerIdSchema = z.string().min(1).max(200).brand<'CustomerId'>();
/** Branded id of a customer. */
export type CustomerId = z.infer<typeof CustomerIdSchema>;
/** Branded id of an agent. */
export const AgentIdSchema = z.string().min(1).max(200).brand<'AgentId'>();
/** Branded id of an agent. */
export type AgentId = z.infer<typeof AgentIdSchema>;
/** Branded id of a team. */
export const TeamIdSchema = z.string().min(1).max(200).brand<'TeamId'>();
/** Branded id of a team. */
export type TeamId = z.infer<typeof TeamIdSchema>;
/** Branded id of an organisation (a customer company, or a department of your own). */
export const OrganizationIdSchema = z.string().min(1).max(200).brand<'OrganizationId'>();
/** Branded id of an organisation. */
export type OrganizationId = z.infer<typeof OrganizationIdSchema>;
/** Branded id of a ticket. */
export const TicketIdSchema = z.string().min(1).max(200).brand<'TicketId'>();
/** Branded id of a ticket. */
export type TicketId = z.infer<typeof TicketIdSchema>;
/** Branded id of an interaction. */
export const InteractionIdSchema = z.string().min(1).max(200).brand<'InteractionId'>();
/** Branded id of an interaction. */
export type InteractionId = z.infer<typeof InteractionIdSchema>;

/** Brand a string you stored elsewhere as a {@link CustomerId}. */
export const toCustomerId = (value: string): CustomerId => value as CustomerId;
/** Brand a string you stored elsewhere as an {@link AgentId}. */
export const toAgentId = (value: string): AgentId => value as AgentId;
/** Brand a string you stored elsewhere as a {@link TeamId}. */
export const toTeamId = (value: string): TeamId => value as TeamId;
/** Brand a string you stored elsewhere as a {@link TicketId}. */
export const toTicketId = (value: string): TicketId => value as TicketId;
/** Brand a string you stored elsewhere as an {@link InteractionId}. */
export const toInteractionId = (value: string): InteractionId => value as InteractionId;

/**
 * Every channel a customer can reach the desk on, from the source texts: phone, e-mail, live
 * chat, SMS, social media, face to face at the desk or counter, web forms, and postal mail.
 */
export const CHANNELS = ['phone', 'email', 'chat', 'sms', 'social', 'in_person', 'web_form', 'postal'] as const;
/** Schema of a {@link Channel}. */
export const ChannelSchema = z.enum(CHANNELS);
/** A contact channel. */
export type Channel = z.infer<typeof ChannelSchema>;

/** Who did something: a customer, an agent, a bot (auto-replies, chatbots) or the system. */
export const ActorSchema = z.object({
  kind: z.enum(['customer', 'agent', 'bot', 'system']),
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});
/** Who did something; recorded in audit trails and on interactions. */
export interface Actor extends z.infer<typeof ActorSchema> {}

/** The actor used when a command names none: the desk itself. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system' as const });

/** Money in integer minor units (cents, yen) with an ISO 4217 currency code. */
export const MoneySchema = z.object({
  amountMinor: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "JPY" or "EUR"'),
});
/** Money in integer minor units with its currency. */
export interface Money extends z.infer<typeof MoneySchema> {}

/** A JSON value: what custom fields may hold, so records stay serialisable. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Schema of a {@link JsonValue}. */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

/** Schema of an IANA time zone name, checked against the runtime's zone database. */
export const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone; use a name such as "Asia/Tokyo" or "Europe/London"` });

/** Schema of a BCP 47 locale tag such as `ja-JP` or `en`. */
export const LocaleSchema = z.string().refine(
  (v) => {
    try {
      return Intl.getCanonicalLocales(v).length === 1;
    } catch {
      return false;
    }
  },
  { error: (iss) => `"${String(iss.input)}" is not a BCP 47 locale tag; use one such as "ja-JP" or "en-GB"` },
);


/** Schema of a local calendar date `YYYY-MM-DD` that really exists (no 30 February). */
export const LocalDateSchema = z.string().refine(
  (v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  { error: (iss) => `"${String(iss.input)}" is not a real date in the form YYYY-MM-DD` },
);

/** Schema of a local time of day `HH:MM` (00:00–24:00). */
export const LocalTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a local time "HH:MM" between 00:00 and 24:00');

/** Schema of a {@link Duration}: an ISO 8601 text or non-negative milliseconds, checked on parse. */
export const DurationSchema = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  try {
    toMillis(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message.replace(/^Invalid configuration at duration: /, '') : String(e) });
  }
});
