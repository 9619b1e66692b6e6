import { z } from 'zod';
import { ConfigError } from '../errors.js';

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
export type Actor = z.infer<typeof ActorSchema>;

/** The actor used when a command names none: the desk itself. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system' as const });

/** Money in integer minor units (cents, yen) with an ISO 4217 currency code. */
export const MoneySchema = z.object({
  amountMinor: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "JPY" or "EUR"'),
});
/** Money in integer minor units with its currency. */
export type Money = z.infer<typeof MoneySchema>;

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

const zoneCache = new Map<string, boolean>();

/**
 * True when `name` is an IANA time zone this runtime knows (e.g. `Asia/Tokyo`, `UTC`).
 * Results are cached; the check itself uses `Intl.DateTimeFormat`.
 */
export function isValidTimeZone(name: string): boolean {
  const hit = zoneCache.get(name);
  if (hit !== undefined) return hit;
  let ok = false;
  if (name.length > 0) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
  }
  zoneCache.set(name, ok);
  return ok;
}

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

/** True when `y-m-d` is a real calendar date (proleptic Gregorian). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

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

const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1000 } as const;
const DURATION_RE =
  /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * A duration in configuration: an ISO 8601 string (`"PT4H"`, `"P2D"`, `"PT1H30M"`, `"P1W"`)
 * or a number of milliseconds. Days are 24 hours and weeks 7 days of elapsed time; years and
 * months are refused because their length depends on the date.
 */
export type Duration = string | number;

/**
 * Parse an ISO 8601 duration (or pass milliseconds through) into milliseconds.
 *
 * @throws ConfigError when the text is not a supported duration; `path` names the field.
 * @example
 * ```ts
 * toMillis('PT4H');    // 14_400_000
 * toMillis('P1DT30M'); // 88_200_000
 * ```
 */
export function toMillis(duration: Duration, path = 'duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new ConfigError(path, `${duration} is not a duration; use a non-negative number of milliseconds or an ISO 8601 text such as "PT4H"`);
    }
    return withinMax(duration, path);
  }
  if (typeof duration !== 'string') throw new ConfigError(path, `expected an ISO 8601 duration such as "PT4H" or a number of milliseconds, not ${duration === null ? 'null' : typeof duration}`);
  const m = DURATION_RE.exec(duration);
  if (m === null || duration === 'P' || duration.endsWith('T')) {
    const hint = /^P.*\d+[YM]/.test(duration) && !/T.*M/.test(duration)
      ? ' (years and months vary in length: write days or weeks, e.g. "P30D")'
      : '';
    throw new ConfigError(path, `"${duration}" is not an ISO 8601 duration such as "PT4H", "P2D" or "PT1H30M"${hint}`);
  }
  const part = (s: string | undefined, unit: number): number => (s === undefined ? 0 : Number(s.replace(',', '.')) * unit);
  return withinMax(Math.round(part(m[1], MS.W) + part(m[2], MS.D) + part(m[3], MS.H) + part(m[4], MS.M) + part(m[5], MS.S)), path);
}

/** The longest duration accepted anywhere: ten years of 365 days (`"P3650D"`). */
export const MAX_DURATION_MS = 3650 * 86_400_000;

function withinMax(ms: number, path: string): number {
  if (ms > MAX_DURATION_MS) throw new ConfigError(path, `${ms.toLocaleString('en')} ms is longer than ten years ("P3650D"), the longest duration accepted; no SLA, wait or delay needs more`);
  return ms;
}

/**
 * Format milliseconds as a compact ISO 8601 duration (`"PT1H30M"`, `"P2DT4H"`), the inverse
 * of {@link toMillis} for whole milliseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new ConfigError('duration', `${ms} is not a non-negative duration`);
  let rest = Math.round(ms);
  const days = Math.floor(rest / MS.D);
  rest -= days * MS.D;
  const hours = Math.floor(rest / MS.H);
  rest -= hours * MS.H;
  const minutes = Math.floor(rest / MS.M);
  rest -= minutes * MS.M;
  const seconds = rest / 1000;
  let time = '';
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds) time += `${seconds}S`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** Schema of a {@link Duration}: an ISO 8601 text or non-negative milliseconds, checked on parse. */
export const DurationSchema = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  try {
    toMillis(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message.replace(/^Invalid configuration at duration: /, '') : String(e) });
  }
});
