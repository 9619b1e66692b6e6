import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { CHANNELS, ChannelSchema, DurationSchema, LocalTimeSchema, TeamIdSchema, AgentIdSchema, toMillis, type Channel } from '../domain/common.js';
import { CloseReasonSchema, PrioritySchema, TicketTypeSchema, type CloseReason, type Priority, type TicketType } from '../domain/ticket.js';
import { SurveyQuestionSchema, type SurveyQuestion } from '../domain/followup.js';
import { createBusinessCalendar, type BusinessCalendar, type BusinessCalendarSpec } from '../calendar/calendar.js';
import { ConditionSchema, compileCondition, type CompiledCondition, type Condition } from '../rules/condition.js';
import { TICKET_FACT_SCHEMA, validateCondition, type FactSchema } from '../rules/facts.js';

const PlanIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'use letters, digits, "_", "-" or "." (at most 100)');
const EventNameSchema = z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/, 'use a lower-case name such as "subscription.renewed"');
const PERIOD_RE = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** Schema of a {@link FollowUpTrigger}. */
export const FollowUpTriggerSchema = z.discriminatedUnion('on', [
  /** The host app reported an order (`desk.placeOrder`); optionally only for some SKUs. */
  z.object({ on: z.literal('order_placed'), skus: z.array(z.string().min(1)).min(1).optional() }).strict(),
  /** A ticket was resolved; optionally only tickets of some types. */
  z.object({ on: z.literal('ticket_resolved'), types: z.array(TicketTypeSchema).min(1).optional() }).strict(),
  /** A ticket was closed; optionally only for some close reasons or ticket types. */
  z.object({ on: z.literal('ticket_closed'), reasons: z.array(CloseReasonSchema).min(1).optional(), types: z.array(TicketTypeSchema).min(1).optional() }).strict(),
  /** Every year on the customer's birthday (29 February falls on 28 February in other years, or 1 March). */
  z.object({ on: z.literal('birthday'), feb29: z.enum(['feb28', 'mar1']).default('feb28') }).strict(),
  /** Every year on the date the customer became one (`customer_since`), or on the anniversary with this label. */
  z.object({ on: z.literal('anniversary'), of: z.string().trim().min(1).default('customer_since'), feb29: z.enum(['feb28', 'mar1']).default('feb28') }).strict(),
  /** Every period (`"P6M"`, `"P1Y"`, `"P2W"`) from the customer's registration or `customer_since`. */
  z
    .object({
      on: z.literal('periodic'),
      every: z.string().regex(PERIOD_RE, 'use a calendar period such as "P6M", "P1Y", "P2W" or "P30D"').refine((p) => p !== 'P', 'give a length, e.g. "P6M"'),
      from: z.enum(['registered', 'customer_since']).default('registered'),
    })
    .strict(),
  /** A custom event the host app reports (`desk.reportEvent`). */
  z.object({ on: z.literal('event'), name: EventNameSchema }).strict(),
]);
/** What sets a follow-up plan off. */
export type FollowUpTrigger = z.input<typeof FollowUpTriggerSchema>;

/** Schema of a {@link FollowUpAction}. */
export const FollowUpActionSchema = z.discriminatedUnion('type', [
  /** Send a message from a template (a thank-you note, a greeting, a check-in e-mail). */
  z
    .object({
      type: z.literal('message'),
      template: z.string().trim().min(1),
      /** Add the customer's top suggestion (`offerName`, `offerPercent`, ...) when the desk has a catalog and no guardrail holds. */
      includeOffer: z.boolean().default(false),
    })
    .strict(),
  /** Send a satisfaction survey about the ticket (ticket triggers only). */
  z
    .object({
      type: z.literal('survey'),
      template: z.string().trim().min(1).default('survey'),
      questions: z.array(SurveyQuestionSchema).min(1).default(['csat', 'solved']),
    })
    .strict(),
  /** Open an outbound follow-up ticket for a person to act on, e.g. a check-in call. */
  z
    .object({
      type: z.literal('task'),
      subject: z.string().trim().min(1).max(500),
      teamId: TeamIdSchema.optional(),
      assigneeId: AgentIdSchema.optional(),
      priority: PrioritySchema.default('normal'),
    })
    .strict(),
]);
/** What a follow-up does when it falls due. */
export type FollowUpAction = z.input<typeof FollowUpActionSchema>;

const SendChannelSchema = z.union([z.literal('preferred'), ChannelSchema]).refine((c) => c !== 'in_person' && c !== 'web_form', 'follow-ups cannot be sent in person or through a web form');

/** Schema of a {@link FollowUpPlanInput}. */
export const FollowUpPlanSchema = z
  .object({
    id: PlanIdSchema,
    name: z.string().trim().min(1),
    /** Off: nothing new is scheduled and pending touches are skipped at their time. */
    enabled: z.boolean().default(true),
    trigger: FollowUpTriggerSchema,
    /**
     * Why the customer is contacted: `service` (check-ins, verification, surveys) and
     * `relationship` (greetings, thank-you notes) need follow-up consent; `marketing` needs
     * marketing consent too.
     */
    purpose: z.enum(['service', 'relationship', 'marketing']).default('service'),
    /** Which customers it addresses. */
    audience: z.enum(['all', 'external', 'internal']).default('all'),
    timing: z
      .object({
        /** Wait this long after the trigger (elapsed time, or business time with `calendar`). */
        delay: DurationSchema.default(0),
        /** A business calendar id: the delay counts only its open hours. */
        calendar: z.string().min(1).optional(),
        /** Send at this local time of day in the customer's time zone (the next one after the delay). */
        at: LocalTimeSchema.optional(),
        /** For date triggers (birthday, anniversary, periodic): this many days before the date, e.g. for a postal card. */
        daysBefore: z.number().int().min(0).max(60).default(0),
        /** Wait until the customer's quiet hours end (default true). */
        respectQuietHours: z.boolean().default(true),
      })
      .strict()
      .default({ delay: 0, daysBefore: 0, respectQuietHours: true }),
    /**
     * Channels to try in order: `preferred` is the customer's preferred channel. The first one
     * the customer has not opted out of and has a contact point for is used. Postal mail only
     * when listed.
     */
    channels: z.array(SendChannelSchema).min(1).default(['preferred']),
    /** Only when this holds, checked when scheduling and again when sending. */
    when: ConditionSchema.optional(),
    action: FollowUpActionSchema,
    /** Cancel the touch when its ticket is reopened (default true: a verification of a reopened ticket is moot). */
    cancelOnReopen: z.boolean().default(true),
    /** Whether it counts towards (and is held back by) the fatigue cap (default true). */
    countsTowardsFatigue: z.boolean().default(true),
  })
  .strict();
/** A follow-up plan as data: trigger, timing, channel, conditions and what to do. */
export type FollowUpPlanInput = z.input<typeof FollowUpPlanSchema>;

/** Schema of the survey options of a desk. */
export const SurveyOptionsSchema = z
  .object({
    /** Surveys per ticket (default 1). */
    perTicket: z.number().int().min(1).max(10).default(1),
    /** CSAT at or below this counts as low (default 2). */
    lowCsat: z.number().int().min(1).max(5).default(2),
    /** NPS at or below this counts as low (default 6: detractors). */
    lowNps: z.number().int().min(0).max(10).default(6),
    /** CES at or above this counts as low (default 5: hard work for the customer). */
    lowCes: z.number().int().min(1).max(7).default(5),
    /** Reopen the ticket when the customer answers "no" to "did this solve your problem?" (default true). */
    reopenWhenUnsolved: z.boolean().default(true),
  })
  .strict();

/** Schema of a {@link FollowUpConfigInput}. */
export const FollowUpConfigSchema = z
  .object({
    /** Business calendars by id for `timing.calendar` (the SLA configuration's calendars are known too). */
    calendars: z.record(z.string(), z.custom<BusinessCalendarSpec>((v) => typeof v === 'object' && v !== null)).default({}),
    plans: z.array(FollowUpPlanSchema).default([]),
    /** No more than `max` touches per customer within any `per` (e.g. 3 per `P30D`). */
    fatigue: z.object({ max: z.number().int().min(1), per: DurationSchema }).strict().optional(),
    surveys: SurveyOptionsSchema.default({ perTicket: 1, lowCsat: 2, lowNps: 6, lowCes: 5, reopenWhenUnsolved: true }),
    /**
     * Where customers' feedback and suggestions go, by department: `{ product: 'team_product' }`.
     * `desk.recordFeedback` opens a feedback ticket in that team's queue.
     */
    feedbackRoutes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'use a department such as "product"'), TeamIdSchema).default({}),
  })
  .strict();
/** The follow-up configuration of a desk: plans, calendars, fatigue cap, surveys and feedback routes. */
export type FollowUpConfigInput = z.input<typeof FollowUpConfigSchema>;

/** A calendar period: whole years, months and days. */
export interface CalendarPeriod {
  /** Whole months (years count 12). */
  readonly months: number;
  /** Whole days (weeks count 7). */
  readonly days: number;
}

/** A validated plan, its condition compiled and durations in milliseconds. */
export interface ResolvedPlan {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly trigger: z.output<typeof FollowUpTriggerSchema>;
  readonly purpose: 'service' | 'relationship' | 'marketing';
  readonly audience: 'all' | 'external' | 'internal';
  readonly delayMs: number;
  readonly calendar: BusinessCalendar | undefined;
  /** Local time of day in ms, when given. */
  readonly atMs: number | undefined;
  readonly daysBefore: number;
  readonly respectQuietHours: boolean;
  readonly channels: ReadonlyArray<Channel | 'preferred'>;
  readonly when: CompiledCondition | undefined;
  readonly action:
    | { readonly type: 'message'; readonly template: string; readonly includeOffer: boolean }
    | { readonly type: 'survey'; readonly template: string; readonly questions: ReadonlyArray<SurveyQuestion> }
    | { readonly type: 'task'; readonly subject: string; readonly teamId?: string | undefined; readonly assigneeId?: string | undefined; readonly priority: Priority };
  readonly cancelOnReopen: boolean;
  readonly countsTowardsFatigue: boolean;
  /** For periodic triggers. */
  readonly period: CalendarPeriod | undefined;
}

/** A validated follow-up configuration, ready for the desk. */
export interface FollowUpConfig {
  /** Marks a validated configuration. */
  readonly kind: 'followup-config';
  /** Plans by id, in the order given. */
  readonly plans: ReadonlyMap<string, ResolvedPlan>;
  /** The fatigue cap, if any. */
  readonly fatigue: { readonly max: number; readonly perMs: number } | undefined;
  /** Survey options. */
  readonly surveys: z.output<typeof SurveyOptionsSchema>;
  /** Feedback routes: department → team id. */
  readonly feedbackRoutes: Readonly<Record<string, string>>;
  /** The configuration as given (JSON). */
  readonly source: FollowUpConfigInput;
}

/**
 * The facts a follow-up plan's `when` condition may use: the customer (as for tickets), their
 * open tickets, the ticket for ticket triggers, the order and the host event.
 */
export const FOLLOW_UP_FACT_SCHEMA: FactSchema = Object.freeze({
  ...TICKET_FACT_SCHEMA,
  'customer.openTickets': { type: 'number' },
  'customer.openComplaints': { type: 'number' },
  'customer.purchases': { type: 'number' },
  'followUp.trigger': { type: 'string' },
  'followUp.planId': { type: 'string' },
  'order.id': { type: 'string' },
  'order.skus': { type: 'array', items: 'string' },
  'order.amountMinor': { type: 'number' },
  'event.name': { type: 'string' },
});

const TICKET_TRIGGERS = new Set(['ticket_resolved', 'ticket_closed']);

/** Parse a calendar period such as `"P6M"` or `"P1Y2W"` into months and days. */
export function parsePeriod(text: string, path = 'period'): CalendarPeriod {
  const m = PERIOD_RE.exec(text);
  if (m === null || text === 'P') throw new ConfigError(path, `"${text}" is not a calendar period such as "P6M", "P1Y" or "P2W"`);
  const n = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  const period = { months: n(m[1]) * 12 + n(m[2]), days: n(m[3]) * 7 + n(m[4]) };
  if (period.months === 0 && period.days === 0) throw new ConfigError(path, 'a period must be longer than zero');
  return period;
}

/**
 * Check one plan early, with types and defaults, where plans are written in code. The desk
 * validates the whole configuration again with {@link defineFollowUps}.
 */
export function defineFollowUpPlan(plan: FollowUpPlanInput): FollowUpPlanInput {
  const parsed = FollowUpPlanSchema.safeParse(plan);
  if (!parsed.success) throw ConfigError.fromZod(`followUps.plans(${typeof (plan as { id?: unknown } | null)?.id === 'string' ? (plan as { id: string }).id : '?'})`, parsed.error);
  return plan;
}

/**
 * Validate a follow-up configuration: plan ids, triggers, timing (calendars known, durations
 * valid), channels, conditions against {@link FOLLOW_UP_FACT_SCHEMA}, and that survey plans
 * follow tickets. Everything is checked here, so scheduling never fails on configuration.
 *
 * @param options - `calendars`: calendars known from elsewhere (the desk passes its SLA calendars).
 * @throws ConfigError naming the field, e.g. `followUps.plans[2].timing.calendar`.
 * @example
 * ```ts
 * const config = defineFollowUps({
 *   plans: [{ id: 'csat', name: 'CSAT after resolution', trigger: { on: 'ticket_resolved' },
 *     timing: { delay: 'PT2H' }, action: { type: 'survey', questions: ['csat', 'solved'] } }],
 *   fatigue: { max: 3, per: 'P30D' },
 * });
 * ```
 */
export function defineFollowUps(config: FollowUpConfigInput, options: { calendars?: ReadonlyMap<string, BusinessCalendar> } = {}): FollowUpConfig {
  const parsed = FollowUpConfigSchema.safeParse(config);
  if (!parsed.success) throw ConfigError.fromZod('followUps', parsed.error);
  const calendars = new Map(options.calendars ?? []);
  for (const [id, spec] of Object.entries(parsed.data.calendars)) {
    try {
      calendars.set(id, createBusinessCalendar(spec));
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`followUps.calendars.${id}${e.path.replace(/^calendar/, '')}`, e.message.replace(/^Invalid configuration at [^:]+: /, ''));
      throw e;
    }
  }
  const plans = new Map<string, ResolvedPlan>();
  parsed.data.plans.forEach((p, i) => {
    const at = `followUps.plans[${i}]`;
    if (plans.has(p.id)) throw new ConfigError(`${at}.id`, `plan id "${p.id}" is used twice`);
    const calendar = p.timing.calendar === undefined ? undefined : calendars.get(p.timing.calendar);
    if (p.timing.calendar !== undefined && calendar === undefined) {
      throw new ConfigError(`${at}.timing.calendar`, `no calendar "${p.timing.calendar}" (known: ${[...calendars.keys()].join(', ') || 'none'}); add it to followUps.calendars or sla.calendars`);
    }
    const ticketTriggered = TICKET_TRIGGERS.has(p.trigger.on);
    if (p.action.type === 'survey' && !ticketTriggered) {
      throw new ConfigError(`${at}.action`, 'a survey asks about a ticket: use the trigger ticket_resolved or ticket_closed, or send a message instead');
    }
    if (p.when !== undefined) validateCondition(p.when as Condition, FOLLOW_UP_FACT_SCHEMA, { path: `${at}.when` });
    const atMs = p.timing.at === undefined ? undefined : Number(p.timing.at.slice(0, 2)) * 3_600_000 + Number(p.timing.at.slice(3, 5)) * 60_000;
    const datedTrigger = p.trigger.on === 'birthday' || p.trigger.on === 'anniversary' || p.trigger.on === 'periodic';
    if (!datedTrigger && p.timing.daysBefore > 0) throw new ConfigError(`${at}.timing.daysBefore`, 'only birthday, anniversary and periodic plans can be sent before their date; use delay for the others');
    plans.set(p.id, {
      id: p.id,
      name: p.name,
      enabled: p.enabled,
      trigger: p.trigger,
      purpose: p.purpose,
      audience: p.audience,
      delayMs: toMillis(p.timing.delay, `${at}.timing.delay`),
      calendar,
      atMs: atMs === undefined ? (datedTrigger ? 9 * 3_600_000 : undefined) : atMs,
      daysBefore: p.timing.daysBefore,
      respectQuietHours: p.timing.respectQuietHours,
      channels: p.channels as ReadonlyArray<Channel | 'preferred'>,
      when: p.when === undefined ? undefined : compileCondition(p.when as Condition, { path: `${at}.when` }),
      action: p.action,
      cancelOnReopen: p.cancelOnReopen,
      countsTowardsFatigue: p.countsTowardsFatigue,
      period: p.trigger.on === 'periodic' ? parsePeriod(p.trigger.every, `${at}.trigger.every`) : undefined,
    });
  });
  const fatigue = parsed.data.fatigue === undefined ? undefined : { max: parsed.data.fatigue.max, perMs: toMillis(parsed.data.fatigue.per, 'followUps.fatigue.per') };
  if (fatigue !== undefined && fatigue.perMs <= 0) throw new ConfigError('followUps.fatigue.per', 'the fatigue period must be longer than zero');
  return { kind: 'followup-config', plans, fatigue, surveys: parsed.data.surveys, feedbackRoutes: parsed.data.feedbackRoutes, source: config };
}

/**
 * Whether a ticket trigger's filters accept a ticket of this type (and close reason). Outbound
 * follow-up and feedback tickets are left out unless the trigger names their type: a check-in
 * call's own resolution should not set off another survey.
 */
export function ticketTriggerAccepts(trigger: ResolvedPlan['trigger'], type: TicketType, reason?: CloseReason): boolean {
  if (trigger.on !== 'ticket_resolved' && trigger.on !== 'ticket_closed') return false;
  if (trigger.types === undefined ? type === 'follow_up' || type === 'feedback' : !trigger.types.includes(type)) return false;
  if (trigger.on === 'ticket_closed' && trigger.reasons !== undefined && (reason === undefined || !trigger.reasons.includes(reason))) return false;
  return true;
}

/** Every channel a plan could name. */
export const FOLLOW_UP_CHANNELS: ReadonlyArray<Channel> = CHANNELS.filter((c) => c !== 'in_person' && c !== 'web_form');
