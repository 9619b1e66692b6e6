/**
 * A job the desk asks to be run later: auto-closing a resolved ticket, an SLA check, a time rule or
 * ladder level, a due follow-up, an outbox delivery, an event to publish (see {@link JOB_TYPES}).
 */
export interface ScheduledJob {
  /** Unique key: scheduling a key again replaces the earlier job (idempotent upsert). */
  readonly key: string;
  /** When to run it, epoch ms. */
  readonly at: number;
  /** What to do, e.g. `ticket.autoClose`. */
  readonly type: string;
  /** Plain JSON data the handler needs. */
  readonly payload: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * A change to the timers, as data: set (or replace) a job, or drop the job with a key. The desk
 * hands these to the scheduler after a commit, or, when the storage writes them itself, inside it.
 */
export type JobChange = { readonly type: 'schedule'; readonly job: ScheduledJob } | { readonly type: 'cancel'; readonly key: string };

/**
 * Every job type the desk schedules (`sla.account` rechecks the clocks of a customer's or an
 * organisation's running tickets after a change of the facts SLA policies read about them). Keys are built only by {@link jobKey}, so each job of a type
 * has one well-known key per subject and re-scheduling replaces it.
 */
export const JOB_TYPES = ['ticket.autoClose', 'sla.check', 'sla.account', 'escalation.time', 'escalation.ladder', 'followup.due', 'notification.send', 'event.publish', 'routing.drain', 'routing.offerExpiry', 'routing.shiftEnd', 'privacy.retention', 'requests.prune'] as const;
/** One of {@link JOB_TYPES}. */
export type JobType = (typeof JOB_TYPES)[number];

/**
 * The key of a job: its type, then the parts that make it unique (a ticket id, a rule id, an
 * outbox id), joined with `:`.
 *
 * @example
 * ```ts
 * jobKey('sla.check', ticket.id); // "sla.check:tkt_1"
 * jobKey('escalation.time', ticket.id, rule.id);
 * ```
 */
export function jobKey(type: JobType, ...parts: ReadonlyArray<string>): string {
  return [type, ...parts].join(':');
}
