import * as z from 'zod';
import { AgentIdSchema, ChannelSchema, CustomerIdSchema, JsonValueSchema, TeamIdSchema, TicketIdSchema } from './common.js';

/** Where a follow-up stands: waiting for its time, sent, skipped at its time, or cancelled before it. */
export const FOLLOW_UP_STATUSES = ['scheduled', 'sent', 'skipped', 'cancelled'] as const;
/** Schema of a {@link FollowUpStatus}. */
export const FollowUpStatusSchema = z.enum(FOLLOW_UP_STATUSES);
/** Where a follow-up stands. */
export type FollowUpStatus = z.infer<typeof FollowUpStatusSchema>;

/**
 * Why a follow-up was skipped at its time or cancelled before it:
 * - `opted_out`: the customer withdrew follow-up (or marketing) consent, or is flagged do-not-contact;
 * - `no_channel`: no consented channel with a contact point is left;
 * - `condition`: the plan's condition no longer holds (e.g. a complaint is open);
 * - `fatigue`: the customer already had the most touches the fatigue cap allows;
 * - `audience`: the plan does not address this kind of customer (internal or external);
 * - `reopened`: the ticket the follow-up verifies was reopened;
 * - `plan_removed`: the plan is no longer configured;
 * - `survey_exists`: the ticket already had its survey;
 * - `profile_changed`: the date it celebrates changed or was removed from the profile;
 * - `manual`: cancelled by a command.
 */
export const FOLLOW_UP_REASONS = ['opted_out', 'no_channel', 'condition', 'fatigue', 'audience', 'reopened', 'plan_removed', 'survey_exists', 'profile_changed', 'manual'] as const;
/** Schema of a {@link FollowUpReason}. */
export const FollowUpReasonSchema = z.enum(FOLLOW_UP_REASONS);
/** Why a follow-up was skipped or cancelled. */
export type FollowUpReason = z.infer<typeof FollowUpReasonSchema>;

/**
 * Schema of a stored follow-up: one planned touch for one customer. Its id is its key (plan,
 * subject and occurrence), so planning the same touch twice finds the record already there.
 */
export const FollowUpSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  planId: z.string().min(1),
  customerId: CustomerIdSchema,
  /** The ticket it follows up (resolution and closure triggers), if any. */
  ticketId: TicketIdSchema.optional(),
  /** The order it follows up (order trigger), if any. */
  orderId: z.string().min(1).optional(),
  /** What set it off: `order_placed`, `ticket_resolved`, `birthday`, `event:<name>`, ... */
  trigger: z.string().min(1),
  /** Which occurrence of the trigger (a year for a birthday, a resolution time, an event id). */
  occurrence: z.string().min(1),
  status: FollowUpStatusSchema,
  /** When it is (or was) due. */
  dueAt: z.date(),
  /** How many times its time was moved on (quiet hours, a changed profile). */
  deferrals: z.number().int().nonnegative(),
  /** The channel it went out on. */
  channel: ChannelSchema.optional(),
  reason: FollowUpReasonSchema.optional(),
  /** Words explaining the reason, e.g. which condition failed. */
  detail: z.string().optional(),
  sentAt: z.date().optional(),
  /** The outbox message that carries it (`desk.getNotification(id)` tells whether it was delivered). */
  notificationId: z.string().optional(),
  /** The survey it carried, for survey plans. */
  surveyId: z.string().optional(),
  /** The outbound ticket it opened, for task plans (e.g. a check-in call). */
  taskTicketId: TicketIdSchema.optional(),
  /** Data from the trigger (the order, the host event) handed to the template. */
  data: z.record(z.string(), JsonValueSchema),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** One planned touch for one customer: a check-in, verification, survey, greeting or thank-you note. */
export interface FollowUp extends z.infer<typeof FollowUpSchema> {}

/** The questions a survey can ask. */
export const SURVEY_QUESTIONS = ['csat', 'nps', 'ces', 'solved'] as const;
/** Schema of a {@link SurveyQuestion}. */
export const SurveyQuestionSchema = z.enum(SURVEY_QUESTIONS);
/**
 * A survey question: `csat` (satisfaction 1–5), `nps` (likelihood to recommend 0–10), `ces`
 * (customer effort 1–7, lower is easier), `solved` ("did this solve your problem?").
 */
export type SurveyQuestion = z.infer<typeof SurveyQuestionSchema>;

/** NPS groups: promoters (9–10), passives (7–8), detractors (0–6). */
export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** Schema of a {@link SurveyAnswer}. */
export const SurveyAnswerSchema = z
  .object({
    csat: z.number().int('CSAT is a whole number').min(1, 'CSAT runs from 1 to 5').max(5, 'CSAT runs from 1 to 5').optional(),
    /** Why the customer gave that CSAT score. */
    reason: z.string().trim().min(1).max(5000).optional(),
    nps: z.number().int('NPS is a whole number').min(0, 'NPS runs from 0 to 10').max(10, 'NPS runs from 0 to 10').optional(),
    ces: z.number().int('CES is a whole number').min(1, 'CES runs from 1 to 7').max(7, 'CES runs from 1 to 7').optional(),
    solved: z.boolean().optional(),
    /** Free comment. */
    comment: z.string().trim().min(1).max(5000).optional(),
    /** A suggestion for the product or service, routed as feedback when the desk has a route for it. */
    suggestion: z.string().trim().min(1).max(5000).optional(),
  })
  .strict();
/** A customer's answers to a survey; only the questions the survey asked may be answered. */
export interface SurveyAnswer extends z.input<typeof SurveyAnswerSchema> {}

/** Schema of a stored survey. */
export const SurveySchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  ticketId: TicketIdSchema,
  customerId: CustomerIdSchema,
  /** The follow-up that sent it, if any. */
  followUpId: z.string().optional(),
  questions: z.array(SurveyQuestionSchema).min(1),
  status: z.enum(['sent', 'answered']),
  sentAt: z.date(),
  answeredAt: z.date().optional(),
  answer: SurveyAnswerSchema.optional(),
  /** Derived from the NPS answer. */
  npsCategory: z.enum(['promoter', 'passive', 'detractor']).optional(),
  /** Whether the answer counts as low (see the desk's survey options). */
  low: z.boolean().optional(),
  /** Who held the ticket when the customer rated it, so scores are credited fairly. */
  assigneeId: AgentIdSchema.optional(),
  teamId: TeamIdSchema.optional(),
  /** The ticket's type and priority when it was rated, for reports by type and priority. */
  ticketType: z.string().optional(),
  ticketPriority: z.string().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A satisfaction survey about one ticket, and the customer's answer once given. */
export interface Survey extends z.infer<typeof SurveySchema> {}

/** The NPS group of a 0–10 score. */
export function npsCategory(score: number): NpsCategory {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}
