import { ConfigError } from '../../errors.js';
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { defineFollowUps as compileFollowUps, type FollowUpConfig, type FollowUpConfigInput } from '../../followup/plan.js';
import type { TemplateRegistry } from '../../notify/templates.js';
import type { NotifierPort } from '../../ports/notifier.js';
import { withDeskParts, type DeskFeature } from '../feature.js';
import { createFollowUpRuntime, followUpVariables } from '../followups.js';

/** Follow-up plans as `createServiceDesk({ followUps })` takes them: from {@link defineFollowUps}. */
export type FollowUpSetup = FollowUpConfig & DeskFeature<'followUps'>;

/** Follow-up plans must be deliverable: a notifier for those that send, templates that exist and fit, a catalog for offers. */
function check(config: FollowUpConfig, notifiers: ReadonlyArray<NotifierPort>, templates: TemplateRegistry | undefined, hasCatalog: boolean): void {
  if (notifiers.length === 0) {
    const sending = [...config.plans.values()].find((p) => p.action.type !== 'task');
    if (sending !== undefined) throw new ConfigError('notifiers', `plan "${sending.id}" sends messages: pass createServiceDesk({ notifiers: [...] }) (e.g. createConsoleNotifier())`);
  }
  for (const plan of config.plans.values()) {
    if (plan.action.type === 'task') continue;
    if (plan.action.type === 'message' && plan.action.includeOffer && !hasCatalog) {
      throw new ConfigError(`followUps.plans.${plan.id}.action.includeOffer`, 'offers come from a catalog: pass createServiceDesk({ catalog: defineCatalog([...]) })');
    }
    if (templates === undefined) continue;
    const where = `followUps.plans.${plan.id}.action.template`;
    if (!templates.has(plan.action.template)) throw new ConfigError(where, `there is no template "${plan.action.template}" in createServiceDesk({ templates }) (known: ${templates.names.join(', ') || 'none'})`);
    const carried = followUpVariables(plan);
    const lacking = templates.required(plan.action.template).find((v) => !carried.has(v));
    if (lacking !== undefined) {
      throw new ConfigError(where, `template "${plan.action.template}" needs "${lacking}", which this plan's messages do not carry (they carry ${[...carried].join(', ')}): make it optional ("${lacking}?") or build it in the template (e.g. a link from {{surveyId}})`);
    }
  }
}

/** The follow-up code a desk runs: the checks against its notifiers and templates, and the runtime that plans, sends and cancels. */
export const FOLLOW_UP_PARTS = { check, createFollowUpRuntime };

/** See {@link FOLLOW_UP_PARTS}. */
export type FollowUpParts = typeof FOLLOW_UP_PARTS;

/**
 * Validate follow-up plans (check-ins, verification, surveys, greetings, thank-you notes), the
 * fatigue cap, survey options and feedback routes. Plans may count their delay on a calendar of
 * `followUps.calendars`, or of the SLA configuration when you pass `{ calendars: sla.calendars }`.
 * The result is what `createServiceDesk({ followUps })` takes.
 *
 * @example
 * ```ts
 * const followUps = defineFollowUps({
 *   plans: [{ id: 'csat', name: 'CSAT after resolution', trigger: { on: 'ticket_resolved' },
 *     timing: { delay: 'PT2H' }, action: { type: 'survey', questions: ['csat', 'solved'] } }],
 *   fatigue: { max: 3, per: 'P30D' },
 * });
 * ```
 * @throws ConfigError naming the plan and field.
 */
export function defineFollowUps(config: FollowUpConfigInput, options: { readonly calendars?: ReadonlyMap<string, BusinessCalendar> } = {}): FollowUpSetup {
  return withDeskParts(compileFollowUps(config, options), 'followUps', FOLLOW_UP_PARTS);
}
