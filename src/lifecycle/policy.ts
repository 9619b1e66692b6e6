import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { DurationSchema, toMillis, type Duration } from '../domain/common.js';
import type { BusinessCalendar } from '../calendar/calendar.js';

/** Schema of a {@link LifecyclePolicy}. */
export const LifecyclePolicySchema = z
  .object({
    /**
     * Quiet period after which a resolved ticket the customer has not answered is closed
     * (default `'P4D'`); null keeps resolved tickets open until the customer confirms.
     */
    autoCloseAfter: DurationSchema.nullable().default('P4D'),
    /**
     * Count the quiet period in business time on this calendar (a name in the SLA
     * configuration's `calendars`), so "three business days" skips the weekend; calendar time
     * when absent.
     */
    autoCloseCalendar: z.string().min(1).optional(),
    /**
     * How long after closing a ticket may still be reopened in place (default `'P7D'`). After
     * that, a reopen opens a follow-up ticket linked to the old one. `null`: never in place.
     */
    reopenWindow: DurationSchema.nullable().default('P7D'),
    /** A customer's public reply to a resolved ticket reopens it (default true). */
    reopenOnCustomerReply: z.boolean().default(true),
    /**
     * Refuse to resolve a complaint before the first two of the four steps (understand, repeat
     * back) were recorded (default false: the steps are tracked but not enforced).
     */
    enforceComplaintSteps: z.boolean().default(false),
  })
  .strict();

/** Lifecycle rules of a desk: auto-close, reopen window, complaint steps. */
export type LifecyclePolicy = z.input<typeof LifecyclePolicySchema>;

/** A validated lifecycle policy with durations in milliseconds. */
export interface ResolvedLifecyclePolicy {
  readonly autoCloseAfterMs: number | null;
  /** The calendar the quiet period counts business time on (calendar time when absent). */
  readonly autoCloseCalendar?: BusinessCalendar;
  readonly reopenWindowMs: number | null;
  readonly reopenOnCustomerReply: boolean;
  readonly enforceComplaintSteps: boolean;
}

/**
 * Validate a lifecycle policy and fill in defaults. `calendars` are those `autoCloseCalendar`
 * may name (the desk passes its SLA calendars).
 *
 * @throws ConfigError naming the field (e.g. `lifecycle.autoCloseAfter`).
 */
export function defineLifecyclePolicy(policy: LifecyclePolicy = {}, options: { calendars?: ReadonlyMap<string, BusinessCalendar> | undefined } = {}): ResolvedLifecyclePolicy {
  const parsed = LifecyclePolicySchema.safeParse(policy);
  if (!parsed.success) throw ConfigError.fromZod('lifecycle', parsed.error);
  const ms = (d: Duration | null, path: string): number | null => (d === null ? null : toMillis(d, path));
  const name = parsed.data.autoCloseCalendar;
  const calendar = name === undefined ? undefined : options.calendars?.get(name);
  if (name !== undefined && calendar === undefined) {
    throw new ConfigError('lifecycle.autoCloseCalendar', `no calendar "${name}" in sla.calendars (known: ${[...(options.calendars?.keys() ?? [])].join(', ') || 'none: pass createServiceDesk({ sla: { calendars } })'})`);
  }
  return {
    autoCloseAfterMs: ms(parsed.data.autoCloseAfter, 'lifecycle.autoCloseAfter'),
    ...(calendar === undefined ? {} : { autoCloseCalendar: calendar }),
    reopenWindowMs: ms(parsed.data.reopenWindow, 'lifecycle.reopenWindow'),
    reopenOnCustomerReply: parsed.data.reopenOnCustomerReply,
    enforceComplaintSteps: parsed.data.enforceComplaintSteps,
  };
}
