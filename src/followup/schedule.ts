import type { Channel } from '../domain/common.js';
import type { ContactPoint, Customer } from '../domain/customer.js';
import type { FollowUp, FollowUpReason } from '../domain/followup.js';
import type { Ticket } from '../domain/ticket.js';
import { addMonths, daysInMonth, fromLocal, toLocal } from '../calendar/local.js';
import { ticketFacts } from '../rules/facts.js';
import type { Organization } from '../domain/organization.js';
import { afterQuietHours, chooseChannel, contactRefusal } from './contact.js';
import type { FollowUpConfig, ResolvedPlan } from './plan.js';

const DAY_MS = 86_400_000;

/** One occurrence of a dated trigger (birthday, anniversary, periodic): its key and send time. */
export interface DatedOccurrence {
  /** The date for birthdays and anniversaries (a changed date is a new occurrence), `n<k>` for the k-th period. */
  readonly occurrence: string;
  /** The local date being celebrated, `YYYY-MM-DD`. */
  readonly date: string;
  /** When to send, epoch ms (before quiet hours are applied). */
  readonly at: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;

/** A yearly date in year `y`, with 29 February moved to 28 February or 1 March when `y` is not a leap year. */
function yearly(y: number, month: number, day: number, feb29: 'feb28' | 'mar1'): { year: number; month: number; day: number } {
  if (month === 2 && day === 29 && daysInMonth(y, 2) === 28) return feb29 === 'feb28' ? { year: y, month: 2, day: 28 } : { year: y, month: 3, day: 1 };
  return { year: y, month, day };
}

/** The instant to send for a local date: `daysBefore` days earlier, at the plan's local time. */
function sendAt(plan: ResolvedPlan, zone: string, date: { year: number; month: number; day: number }): number {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) - plan.daysBefore * DAY_MS);
  return fromLocal(zone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), plan.atMs ?? 9 * 3_600_000);
}

/** The month and day (and year, when known) a dated plan celebrates for this customer, or null when the profile lacks it. */
function anchorOf(plan: ResolvedPlan, customer: Customer): { year: number | undefined; month: number; day: number } | null {
  const t = plan.trigger;
  let text: string | undefined;
  if (t.on === 'birthday') text = customer.birthday;
  else if (t.on === 'anniversary') text = t.of === 'customer_since' ? customer.customerSince : customer.anniversaries.find((a) => a.label === t.of)?.date;
  else if (t.on === 'periodic') {
    if (t.from === 'customer_since') text = customer.customerSince;
    else {
      const l = toLocal(customer.timeZone, customer.createdAt.getTime());
      return { year: l.year, month: l.month, day: l.day };
    }
  }
  if (text === undefined) return null;
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (full) return { year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) };
  const md = /^--(\d{2})-(\d{2})$/.exec(text);
  return md ? { year: undefined, month: Number(md[1]), day: Number(md[2]) } : null;
}

/**
 * The next occurrence of a dated plan (birthday, anniversary, periodic) whose send time is at
 * or after `from`, in the customer's own time zone; null when the customer's profile has no
 * such date. Anniversaries start the year after the date itself; periods count from one.
 *
 * @example
 * ```ts
 * nextDatedOccurrence(birthdayPlan, { ...customer, birthday: '1992-02-29', timeZone: 'Asia/Tokyo' }, Date.parse('2027-01-01'));
 * // { occurrence: '2027', date: '2027-02-28', at: <2027-02-28T09:00+09:00> }
 * ```
 */
export function nextDatedOccurrence(plan: ResolvedPlan, customer: Customer, from: number): DatedOccurrence | null {
  const anchor = anchorOf(plan, customer);
  if (anchor === null) return null;
  const zone = customer.timeZone;
  const t = plan.trigger;
  if (t.on === 'periodic') {
    const period = plan.period as { months: number; days: number };
    const start = anchor as { year: number; month: number; day: number };
    const approx = period.months * 30.436875 * DAY_MS + period.days * DAY_MS;
    const anchorAt = Date.UTC(start.year, start.month - 1, start.day);
    let n = Math.max(1, Math.floor((from - anchorAt) / approx) - 1);
    for (;;) {
      const m = addMonths(start.year, start.month, start.day, period.months * n);
      const d = new Date(Date.UTC(m.year, m.month - 1, m.day) + period.days * n * DAY_MS);
      const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      const at = sendAt(plan, zone, date);
      if (at >= from) return { occurrence: `n${n}`, date: isoDate(date.year, date.month, date.day), at };
      n++;
    }
  }
  const feb29 = t.on === 'birthday' || t.on === 'anniversary' ? t.feb29 : 'feb28';
  const firstYear = t.on === 'anniversary' && anchor.year !== undefined ? anchor.year + 1 : -Infinity;
  for (let y = Math.max(toLocal(zone, from).year - 1, firstYear); ; y++) {
    const date = yearly(y, anchor.month, anchor.day, feb29);
    const at = sendAt(plan, zone, date);
    if (at >= from) return { occurrence: isoDate(date.year, date.month, date.day), date: isoDate(date.year, date.month, date.day), at };
  }
}

/**
 * When a touch set off at `base` falls due: after the plan's delay (elapsed, or business time
 * on its calendar), at the next local time of day it names, in the customer's zone, and outside
 * the customer's quiet hours unless the plan ignores them.
 */
export function dueAfter(plan: ResolvedPlan, customer: Customer, base: number): number {
  let t = plan.calendar === undefined ? base + plan.delayMs : plan.calendar.addBusinessTime(new Date(base), plan.delayMs).getTime();
  if (plan.atMs !== undefined && !isDated(plan)) {
    const l = toLocal(customer.timeZone, t);
    let at = fromLocal(customer.timeZone, l.year, l.month, l.day, plan.atMs);
    if (at < t) {
      const next = new Date(Date.UTC(l.year, l.month - 1, l.day) + DAY_MS);
      at = fromLocal(customer.timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), plan.atMs);
    }
    t = at;
  }
  return plan.respectQuietHours ? afterQuietHours(customer, t) : t;
}

/** Whether a plan's trigger is a date in the customer's profile. */
export function isDated(plan: ResolvedPlan): boolean {
  return plan.trigger.on === 'birthday' || plan.trigger.on === 'anniversary' || plan.trigger.on === 'periodic';
}

/** What the desk knows about the customer and the trigger when a plan's condition is checked. */
export interface FollowUpFactInput {
  readonly customer: Customer;
  readonly ticket?: Ticket | undefined;
  /** The customer's tickets not yet resolved or closed. */
  readonly openTickets: ReadonlyArray<Pick<Ticket, 'type'>>;
  readonly followUp: Pick<FollowUp, 'trigger' | 'planId' | 'data'>;
  /** The organisation: the ticket's, or else the customer's first (`organization.*` facts). */
  readonly organization?: Organization | undefined;
}

/** Build the facts a plan's `when` condition runs on (see `FOLLOW_UP_FACT_SCHEMA`). */
export function followUpFacts(input: FollowUpFactInput, now: Date): Record<string, unknown> {
  const { customer, ticket, openTickets, followUp, organization } = input;
  const withOrg = ticketFacts((ticket ?? { createdAt: now }) as Ticket, customer, now, organization);
  const base = ticket === undefined ? { customer: withOrg.customer, ...(withOrg.organization === undefined ? {} : { organization: withOrg.organization }) } : withOrg;
  const order = followUp.data['order'];
  const event = followUp.data['event'];
  return {
    ...base,
    customer: {
      ...base.customer,
      openTickets: openTickets.length,
      openComplaints: openTickets.filter((t) => t.type === 'complaint').length,
      purchases: customer.purchases.length,
    },
    followUp: { trigger: followUp.trigger, planId: followUp.planId },
    ...(order !== undefined && order !== null && typeof order === 'object' ? { order } : {}),
    ...(event !== undefined && event !== null && typeof event === 'object' ? { event } : {}),
  };
}

/** What to do with a follow-up when it falls due. */
export type DueDecision =
  | { readonly type: 'send'; readonly channel: Channel; readonly contact: ContactPoint }
  | { readonly type: 'skip'; readonly reason: FollowUpReason; readonly detail: string }
  | { readonly type: 'cancel'; readonly reason: FollowUpReason; readonly detail: string }
  | { readonly type: 'defer'; readonly at: number; readonly detail: string };

/** Everything {@link decideDue} weighs. */
export interface DueInput {
  readonly followUp: FollowUp;
  /** The plan as configured now; undefined when it was removed. */
  readonly plan: ResolvedPlan | undefined;
  readonly config: FollowUpConfig;
  readonly customer: Customer;
  /** The ticket it follows, when it follows one. */
  readonly ticket?: Ticket | undefined;
  /** When the customer's earlier touches that count towards fatigue were sent, epoch ms. */
  readonly recentTouches: ReadonlyArray<number>;
  /** The plan condition's facts (see {@link followUpFacts}). */
  readonly facts: Record<string, unknown>;
  readonly now: number;
  /** Whether some notifier delivers on a channel (task plans need none). */
  readonly deliverable?: (channel: Channel) => boolean;
}

/**
 * Decide, at its time, whether a follow-up goes out: the plan must still exist and be on, the
 * ticket it verifies not reopened, the customer still in the audience and still consenting,
 * outside quiet hours (else it waits), reachable on a channel, under the fatigue cap, and the
 * plan's condition must still hold. Every refusal says why.
 */
export function decideDue(input: DueInput): DueDecision {
  const { followUp, plan, customer, ticket, now } = input;
  if (plan === undefined) return { type: 'cancel', reason: 'plan_removed', detail: `plan "${followUp.planId}" is no longer configured` };
  if (!plan.enabled) return { type: 'skip', reason: 'plan_removed', detail: `plan "${plan.id}" is turned off` };
  if (ticket !== undefined && plan.cancelOnReopen && followUp.trigger.startsWith('ticket_') && ticket.status !== 'resolved' && ticket.status !== 'closed') {
    return { type: 'cancel', reason: 'reopened', detail: `ticket "${ticket.id}" is ${ticket.status} again` };
  }
  if (plan.audience !== 'all' && plan.audience !== customer.kind) return { type: 'skip', reason: 'audience', detail: `plan "${plan.id}" addresses ${plan.audience} customers only` };
  const refusal = contactRefusal(customer, plan.purpose, new Date(now));
  if (refusal !== null) return { type: 'cancel', reason: refusal, detail: plan.purpose === 'marketing' ? 'no marketing consent or do-not-contact' : 'the customer opted out of follow-ups or is flagged do-not-contact' };
  if (plan.respectQuietHours) {
    const open = afterQuietHours(customer, now);
    if (open > now) return { type: 'defer', at: open, detail: 'within the customer\'s quiet hours' };
  }
  const route = chooseChannel(customer, plan.channels, plan.action.type === 'task' ? undefined : input.deliverable);
  if (route === null) return { type: 'skip', reason: 'no_channel', detail: `no consented channel with a contact point among ${plan.channels.join(', ')}` };
  const cap = input.config.fatigue;
  if (cap !== undefined && plan.countsTowardsFatigue) {
    const recent = input.recentTouches.filter((t) => t > now - cap.perMs && t <= now).length;
    if (recent >= cap.max) return { type: 'skip', reason: 'fatigue', detail: `${recent} touches within the fatigue period (at most ${cap.max})` };
  }
  if (plan.when !== undefined && !plan.when(input.facts)) {
    const failed = plan.when.explain(input.facts).leaves.filter((l) => !l.matched);
    return { type: 'skip', reason: 'condition', detail: `condition not met: ${failed.map((l) => `${l.fact} ${l.op} ${JSON.stringify(l.value)} (was ${JSON.stringify(l.actual)})`).join('; ')}` };
  }
  return { type: 'send', channel: route.channel, contact: route.contact };
}
