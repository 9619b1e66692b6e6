import { NotFoundError, ValidationError } from '../../errors.js';
import type { AgentId, CustomerId, TeamId, TicketId } from '../../domain/common.js';
import { SurveyAnswerSchema, npsCategory, type Survey } from '../../domain/followup.js';
import { deskEvent } from '../../events.js';
import { checkAnswerFits, isLowAnswer } from '../../followup/survey.js';
import { decideReopen } from '../../lifecycle/engine.js';
import { nothing, type Effect } from '../effects.js';
import type { DeskConfig } from '../config.js';
import { dueEvent, surveyIdOf, type FollowUpRuntime } from '../followups.js';
import { notificationIdOf, type Outbox } from '../outbox.js';
import { offerData, type OfferRuntime } from '../offers.js';
import { fold, type Pipeline } from '../pipeline.js';
import { updated } from '../records.js';
import { outcomeOf, type Kernel } from '../runtime.js';
import { FeedbackInputSchema, FollowUpFilterSchema, HostEventSchema, OrderInputSchema, parse } from '../schemas.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import type { ServiceDesk } from '../service-desk.js';

type FollowUpMethods = 'orderPlaced' | 'reportEvent' | 'answerSurvey' | 'recordFeedback' | 'cancelFollowUps' | 'listFollowUps' | 'listSurveys' | 'getSurvey';
type Deps = { pipeline: Pipeline; followUps: FollowUpRuntime | undefined; outbox: Outbox; offers: OfferRuntime | undefined; openTicket: ServiceDesk['openTicket'] };
type SurveyMethods = 'answerSurvey' | 'recordFeedback';

/** Follow-ups, surveys, orders, host events and feedback on a desk, and the job that carries out a due follow-up. */
export function followUpCommands(k: Kernel, config: DeskConfig, deps: Deps): { commands: Pick<ServiceDesk, FollowUpMethods>; runFollowUp: (id: string) => Promise<void> } {
  return { commands: { ...followUpBasics(k, deps), ...surveyCommands(k, config, deps) }, runFollowUp: followUpRunner(k, deps) };
}

/** Orders and host events that set off follow-ups; cancelling and listing them. */
function followUpBasics(k: Kernel, deps: Deps): Pick<ServiceDesk, Exclude<FollowUpMethods, SurveyMethods>> {
  const { storage } = k;
  const { followUps } = deps;
  return {
    async orderPlaced(input, options) {
      const actor = k.actorOf(options);
      const data = parse(OrderInputSchema, input, 'orderPlaced input');
      return k.run(async (read) => {
        const current = await read.load('customer', data.customerId);
        if (current.purchases.some((p) => p.orderId === data.orderId)) return outcomeOf(current);
        const now = k.now();
        const at = data.at ?? now;
        const purchases = [...current.purchases, ...data.items.map((i) => ({ sku: i.sku, at, orderId: data.orderId, quantity: i.quantity, ...(i.amount === undefined ? {} : { amount: i.amount }) }))];
        const items = data.items.map((i) => ({ sku: i.sku, quantity: i.quantity }));
        const outcome = updated('customer', current, { ...current, purchases }, now, (saved, changes) => [
          deskEvent('customer.updated', { customer: saved, previous: current, changes, at: now, actor }),
          deskEvent('order.placed', { customer: saved, orderId: data.orderId, items, at: now, actor }),
        ]);
        if (followUps === undefined) return outcome;
        const currencies = new Set(data.items.map((i) => i.amount?.currency));
        const amountMinor = currencies.size === 1 && !currencies.has(undefined) ? data.items.reduce((sum, i) => sum + (i.amount?.amountMinor ?? 0), 0) : undefined;
        return fold(outcome, await followUps.forTrigger(outcome.result, { on: 'order_placed', orderId: data.orderId, skus: data.items.map((i) => i.sku), amountMinor, at: at.getTime() }, now, actor));
      }, true);
    },

    async reportEvent(input, options) {
      const actor = k.actorOf(options);
      const data = parse(HostEventSchema, input, 'reportEvent input');
      await k.run(async (read) => {
        const customer = await read.load('customer', data.customerId);
        const now = k.now();
        const event = deskEvent('customer.event_reported', { customer, name: data.name, id: data.id, data: data.data, at: now, actor });
        const base = { work: null, events: [event], effects: [] as Effect[], result: undefined };
        return followUps === undefined ? base : fold(base, await followUps.forTrigger(customer, { on: 'event', name: data.name, id: data.id, data: data.data, at: now.getTime() }, now, actor));
      }, true);
    },

    async cancelFollowUps(filter, options) {
      const actor = k.actorOf(options);
      const f = parse(FollowUpFilterSchema, filter, 'cancelFollowUps filter');
      if (f.customerId === undefined && f.ticketId === undefined && f.planId === undefined) {
        throw new ValidationError('cancelFollowUps filter', [{ path: [], message: 'name a customerId, ticketId or planId: cancelling every follow-up at once is not allowed', code: 'custom' }]);
      }
      if (followUps === undefined) return 0;
      const runtime = followUps;
      return k.run(async () => {
        const add = await runtime.cancel(f as { customerId?: CustomerId; ticketId?: TicketId; planId?: string }, options?.reason ?? 'cancelled by command', k.now(), actor);
        return outcomeOf(add.puts.length, add);
      }, true);
    },

    async listFollowUps(query = {}) {
      parse(QUERY_SCHEMAS.followup, query, 'listFollowUps query');
      return storage.list('followup', query);
    },
    async listSurveys(query = {}) {
      parse(QUERY_SCHEMAS.survey, query, 'listSurveys query');
      return storage.list('survey', query);
    },
    async getSurvey(id) {
      const found = await storage.get('survey', id);
      if (found === null) throw new NotFoundError('survey', id);
      return found;
    },
  };
}

/** Survey answers (reopening an unsolved ticket, flagging low scores for rules) and feedback routed to a department. */
function surveyCommands(k: Kernel, config: DeskConfig, deps: Deps): Pick<ServiceDesk, SurveyMethods> {
  const { storage } = k;
  return {
    async answerSurvey(surveyId, answer, options) {
      const data = parse(SurveyAnswerSchema, answer, 'answerSurvey answer');
      const by = options?.by === undefined ? undefined : k.actorOf(options);
      const first = await storage.get('survey', surveyId);
      if (first === null) throw new NotFoundError('survey', surveyId);
      checkAnswerFits(data, first.questions, 'answerSurvey answer');
      const thresholds = config.followUps?.surveys ?? { lowCsat: 2, lowNps: 6, lowCes: 5, reopenWhenUnsolved: true, perTicket: 1 };
      let survey: Survey = first;
      let answered: Survey | undefined;
      return deps.pipeline.ticketCommand(
        first.ticketId,
        { by: by ?? { kind: 'customer', id: first.customerId } },
        async (ticket, ctx, read) => {
          survey = (await read.get('survey', surveyId)) ?? first;
          answered = undefined;
          if (survey.status === 'answered') {
            if (JSON.stringify(survey.answer) === JSON.stringify(data)) return [];
            throw new ValidationError('answerSurvey answer', [{ path: [], message: `survey "${surveyId}" was already answered at ${survey.answeredAt?.toISOString() ?? '?'}; answers are kept as given`, code: 'custom' }]);
          }
          const low = isLowAnswer(data, thresholds);
          answered = {
            ...survey,
            version: survey.version + 1,
            status: 'answered',
            answeredAt: ctx.now,
            answer: data,
            low,
            ...(data.nps === undefined ? {} : { npsCategory: npsCategory(data.nps) }),
            ...(ticket.assigneeId === undefined ? {} : { assigneeId: ticket.assigneeId }),
            ...(ticket.teamId === undefined ? {} : { teamId: ticket.teamId }),
            ticketType: ticket.type,
            ticketPriority: ticket.priority,
            updatedAt: ctx.now,
          };
          const unsolved = data.solved === false && thresholds.reopenWhenUnsolved && (ticket.status === 'resolved' || ticket.status === 'closed');
          return unsolved ? decideReopen(ticket, 'the customer answered that the resolution did not solve the problem', ctx) : [];
        },
        (finals, steps, ticket) => ({ survey: answered ?? survey, ticket: finals.get(steps[0]?.ticket.id ?? ticket.id) ?? ticket }),
        {
          extra: async (settled, ctx, read) => {
            if (answered === undefined) return nothing();
            const ticket = settled.finals.get(answered.ticketId) ?? (await read.load('ticket', answered.ticketId));
            return {
              puts: [{ kind: 'survey', record: answered, expectedVersion: survey.version }],
              events: [deskEvent('survey.answered', { survey: answered, ticket, low: answered.low === true, at: ctx.now, actor: ctx.actor })],
              effects: [],
            };
          },
        },
      );
    },

    async recordFeedback(input, options) {
      const data = parse(FeedbackInputSchema, input, 'recordFeedback input');
      const routes = config.followUps?.feedbackRoutes ?? {};
      const teamId = routes[data.department];
      if (teamId === undefined) {
        throw new ValidationError('recordFeedback input', [
          { path: ['department'], message: `no feedback route for "${data.department}" (known: ${Object.keys(routes).join(', ') || 'none'}); add it to followUps.feedbackRoutes`, code: 'custom' },
        ]);
      }
      const label = data.kind === 'praise' ? 'Praise' : data.kind === 'complaint' ? 'Product complaint' : 'Suggestion';
      const { ticket } = await deps.openTicket(
        {
          requesterId: data.customerId,
          subject: `${label} for ${data.department}: ${data.text.length > 80 ? `${data.text.slice(0, 79)}…` : data.text}`,
          description: data.text,
          type: 'feedback',
          channel: data.channel,
          teamId: teamId as TeamId,
          tags: ['feedback', `department:${data.department}`, data.kind],
          customFields: { department: data.department, feedbackKind: data.kind, ...(data.aboutTicketId === undefined ? {} : { aboutTicketId: data.aboutTicketId }) },
          ...(data.sourceId === undefined ? {} : { sourceId: `feedback:${data.sourceId}` }),
        },
        options,
      );
      return ticket;
    },

  };
}

/**
 * Carry out a due follow-up: decide, and either commit a skip, cancel or deferral, or commit it
 * as sent together with its message in the outbox (and its survey), all in one unit of work;
 * the relay then delivers the message. A task plan opens its ticket first (idempotent on the
 * follow-up's source id), then records the follow-up as sent.
 */
function followUpRunner(k: Kernel, deps: Deps): (id: string) => Promise<void> {
  const { followUps, outbox, offers } = deps;
  return async (id: string): Promise<void> => {
    const runtime = followUps;
    if (runtime === undefined) return;
    let send: Extract<Awaited<ReturnType<FollowUpRuntime['prepare']>>, { kind: 'send' }>['send'] | undefined;
    await k.run(async () => {
      send = undefined;
      const prepared = await runtime.prepare(id, k.now());
      if (prepared.kind === 'send') send = prepared.send;
      return prepared.kind === 'commit' ? outcomeOf(undefined, prepared.addition) : outcomeOf(undefined);
    }, true);
    if (send === undefined) return;
    const s = send;
    k.emit(dueEvent(s, k.now()));
    const action = s.plan.action;
    let taskTicketId: TicketId | undefined;
    if (action.type === 'task') {
      const { ticket } = await deps.openTicket(
        {
          requesterId: s.customer.id,
          subject: action.subject,
          type: 'follow_up',
          channel: s.channel,
          priority: action.priority,
          ...(action.teamId === undefined ? {} : { teamId: action.teamId as TeamId }),
          ...(action.assigneeId === undefined ? {} : { assigneeId: action.assigneeId as AgentId }),
          sourceId: `followup:${s.followUp.id}`,
          customFields: { followUpId: s.followUp.id, planId: s.plan.id, ...(s.followUp.orderId === undefined ? {} : { orderId: s.followUp.orderId }), ...(s.ticket === undefined ? {} : { aboutTicketId: s.ticket.id }) },
        },
        { by: runtime.actor },
      );
      taskTicketId = ticket.id;
    }
    await k.run(async (read) => {
      const now = k.now();
      const surveyId = action.type === 'survey' ? surveyIdOf(s.followUp) : undefined;
      const add = await runtime.sent(s, action.type === 'task' ? { taskTicketId } : { notificationId: notificationIdOf(s.followUp.id), surveyId }, now);
      if (add.puts.length === 0 || action.type === 'task') return outcomeOf(undefined, add);
      let data = action.type === 'survey' ? { ...s.notification.data, surveyId: surveyId as string, questions: [...action.questions] } : s.notification.data;
      if (action.type === 'message' && action.includeOffer && offers !== undefined) {
        const made = await offers.offer({ customer: s.customer, ticket: s.ticket }, now, runtime.actor, { limit: 1, record: true }, add);
        const top = made.offers[0];
        if (top !== undefined) data = { ...data, ...offerData(top, offers.name(top.sku)) };
      }
      if (action.type === 'survey' && s.ticket !== undefined && (await read.get('survey', surveyId as string)) === null) {
        const survey: Survey = { id: surveyId as string, version: 1, ticketId: s.ticket.id, customerId: s.customer.id, followUpId: s.followUp.id, questions: [...action.questions], status: 'sent', sentAt: now, createdAt: now, updatedAt: now };
        add.puts.push({ kind: 'survey', record: survey, expectedVersion: null });
        add.events.push(deskEvent('survey.sent', { survey, at: now, actor: runtime.actor }));
      }
      await outbox.queue({ ...s.notification, template: action.template, data, urgent: !s.plan.respectQuietHours, customer: s.customer, ticketId: s.ticket?.id, followUpId: s.followUp.id, source: 'follow-up' }, now, runtime.actor, add, read);
      return outcomeOf(undefined, add);
    }, true);
  };
}
