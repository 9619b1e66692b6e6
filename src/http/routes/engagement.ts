import * as z from 'zod';
import { NotFoundError } from '../../errors.js';
import { NOTIFICATION_STATUSES, NotificationRecordSchema } from '../../domain/notification.js';
import { OFFER_STATUSES, OfferSchema } from '../../domain/offer.js';
import { SurveyAnswerSchema, SurveySchema, type Survey, type SurveyAnswer } from '../../domain/followup.js';
import { TicketSchema } from '../../domain/ticket.js';
import type { Customer } from '../../domain/customer.js';
import { PortalOfferSchema, PortalSurveySchema, PortalTicketSchema, ownedBy, portalOffer, portalSurvey, portalTicket } from '../portal.js';
import type { RouteContext, RouteSpec } from '../route.js';
import { EVERYONE, PAGING, csvParam, STAFF, listQuery, named, record } from './common.js';

const SurveyView = named('SurveyView', z.union([SurveySchema, PortalSurveySchema]));
const OfferView = named('OfferView', z.union([OfferSchema, PortalOfferSchema]));
const Notification = named('NotificationRecord', NotificationRecordSchema);

const asCustomer = (ctx: RouteContext): string | undefined => (ctx.principal.kind === 'customer' ? ctx.principal.customerId : undefined);

async function visibleSurvey(ctx: RouteContext): Promise<Survey> {
  const id = ctx.params['id'] as string;
  try {
    return ownedBy(ctx.principal, await ctx.desk.getSurvey(id), 'survey', id);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('survey', id, 'check the id');
    throw error;
  }
}

/** Whether the offer was made to this customer (the desk has no single-offer read: their offers are paged through). */
async function offeredTo(ctx: RouteContext, customerId: string, offerId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await ctx.desk.listOffers({ customerId: customerId as Customer['id'], limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    if (page.items.some((o) => o.id === offerId)) return true;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return false;
}

/** Surveys, offers and notifications: what the desk asked, offered and sent. */
export const engagementRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'get',
    path: '/surveys',
    operationId: 'listSurveys',
    summary: 'List surveys (a customer lists their own)',
    tag: 'Surveys',
    roles: EVERYONE,
    query: z.object({ ticketId: z.string().min(1).optional(), customerId: z.string().min(1).optional(), status: z.enum(['sent', 'answered']).optional(), ...PAGING }).strict(),
    response: { ...SurveyView, list: 'page' },
    async handle(ctx) {
      const own = asCustomer(ctx);
      const page = await ctx.desk.listSurveys(listQuery(ctx, { customerId: own }));
      return { body: own === undefined ? page.items : page.items.map(portalSurvey), nextCursor: page.nextCursor };
    },
  },
  {
    method: 'get',
    path: '/surveys/{id}',
    operationId: 'getSurvey',
    summary: 'Read a survey',
    tag: 'Surveys',
    roles: EVERYONE,
    versioned: true,
    response: SurveyView,
    async handle(ctx) {
      const s = await visibleSurvey(ctx);
      return record(s, asCustomer(ctx) === undefined ? s : portalSurvey(s));
    },
  },
  {
    method: 'post',
    path: '/surveys/{id}/answer',
    operationId: 'answerSurvey',
    summary: 'Answer a survey (the customer it was sent to, or a back-end on their behalf)',
    tag: 'Surveys',
    roles: ['customer', 'system'],
    body: named('SurveyAnswer', SurveyAnswerSchema),
    response: named('AnswerSurveyResponse', z.object({ survey: SurveyView.schema, ticket: z.union([TicketSchema, PortalTicketSchema]) })),
    async handle(ctx) {
      const s = await visibleSurvey(ctx);
      const r = await ctx.desk.answerSurvey(s.id, ctx.body as SurveyAnswer, { by: ctx.actor });
      const own = asCustomer(ctx) !== undefined;
      return record(r.survey, { survey: own ? portalSurvey(r.survey) : r.survey, ticket: own ? portalTicket(r.ticket) : r.ticket });
    },
  },
  {
    method: 'get',
    path: '/offers',
    operationId: 'listOffers',
    summary: 'List offers made to customers (a customer lists their own)',
    tag: 'Offers',
    roles: EVERYONE,
    query: z.object({ customerId: z.string().min(1).optional(), sku: z.string().min(1).optional(), status: csvParam(OFFER_STATUSES), ...PAGING }).strict(),
    response: { ...OfferView, list: 'page' },
    async handle(ctx) {
      const own = asCustomer(ctx);
      const page = await ctx.desk.listOffers(listQuery(ctx, { customerId: own }));
      return { body: own === undefined ? page.items : page.items.map(portalOffer), nextCursor: page.nextCursor };
    },
  },
  {
    method: 'post',
    path: '/offers/{id}/answer',
    operationId: 'answerOffer',
    summary: 'Accept or reject an offer',
    tag: 'Offers',
    roles: EVERYONE,
    body: named('AnswerOfferRequest', z.object({ answer: z.enum(['accepted', 'rejected', 'ignored']) }).strict()),
    response: OfferView,
    async handle(ctx) {
      const id = ctx.params['id'] as string;
      const own = asCustomer(ctx);
      if (own !== undefined) {
        if (!(await offeredTo(ctx, own, id))) throw new NotFoundError('offer', id, 'check the id');
      }
      const o = await ctx.desk.answerOffer(id, (ctx.body as { answer: 'accepted' | 'rejected' | 'ignored' }).answer, { by: ctx.actor });
      return record(o, own === undefined ? o : portalOffer(o));
    },
  },
  {
    method: 'get',
    path: '/notifications',
    operationId: 'listNotifications',
    summary: 'List messages in the outbox (queued, sent, failed)',
    tag: 'Notifications',
    roles: STAFF,
    query: z.object({ status: csvParam(NOTIFICATION_STATUSES), recipientId: z.string().min(1).optional(), ticketId: z.string().min(1).optional(), ...PAGING }).strict(),
    response: { ...Notification, list: 'page' },
    async handle(ctx) {
      const page = await ctx.desk.listNotifications(listQuery(ctx));
      return { body: page.items, nextCursor: page.nextCursor };
    },
  },
  {
    method: 'get',
    path: '/notifications/{id}',
    operationId: 'getNotification',
    summary: 'Read a message in the outbox',
    tag: 'Notifications',
    roles: STAFF,
    versioned: true,
    response: Notification,
    handle: async (ctx) => record(await ctx.desk.getNotification(ctx.params['id'] as string)),
  },
  {
    method: 'post',
    path: '/notifications/{id}/retry',
    operationId: 'retryNotification',
    summary: 'Send a failed message again',
    tag: 'Notifications',
    roles: STAFF,
    response: Notification,
    handle: async (ctx) => record(await ctx.desk.retryNotification(ctx.params['id'] as string, { by: ctx.actor })),
  },
  {
    method: 'post',
    path: '/notifications/{id}/cancel',
    operationId: 'cancelNotification',
    summary: 'Cancel a queued message',
    tag: 'Notifications',
    roles: STAFF,
    response: Notification,
    handle: async (ctx) => record(await ctx.desk.cancelNotification(ctx.params['id'] as string, { by: ctx.actor })),
  },
];
