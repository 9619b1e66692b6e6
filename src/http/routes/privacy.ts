import * as z from 'zod';
import { ActorSchema } from '../../domain/common.js';
import { CustomerSchema, type Customer } from '../../domain/customer.js';
import { FollowUpSchema, SurveySchema } from '../../domain/followup.js';
import { InteractionSchema } from '../../domain/interaction.js';
import { NotificationRecordSchema } from '../../domain/notification.js';
import { OfferSchema } from '../../domain/offer.js';
import { OrganizationSchema } from '../../domain/organization.js';
import { TicketSchema } from '../../domain/ticket.js';
import type { RouteSpec } from '../route.js';
import { AuditEntryJsonSchema } from '../schemas.js';
import { STAFF, named } from './common.js';

const CustomerExportSchema = z.object({
  format: z.literal('omotenashi.customer-export/1'),
  exportedAt: z.date(),
  customer: CustomerSchema,
  organizations: z.array(OrganizationSchema),
  tickets: z.array(z.object({ ticket: TicketSchema, interactions: z.array(InteractionSchema), audit: z.array(AuditEntryJsonSchema) })),
  notifications: z.array(NotificationRecordSchema),
  followUps: z.array(FollowUpSchema),
  surveys: z.array(SurveySchema),
  offers: z.array(OfferSchema),
});

const ErasureReportSchema = z.object({
  customerId: z.string(),
  erased: z.boolean(),
  at: z.date(),
  by: ActorSchema,
  reason: z.string(),
  tickets: z.number(),
  interactions: z.number(),
  auditEntries: z.number(),
  notifications: z.number(),
  surveys: z.number(),
  followUps: z.number(),
});

/** A person's data: export and erasure, for staff and back-ends (see the privacy guide). */
export const privacyRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'get',
    path: '/customers/{id}/export',
    operationId: 'exportCustomerData',
    summary: 'Everything the desk holds about a customer (a subject access request)',
    tag: 'Privacy',
    roles: STAFF,
    response: named('CustomerExport', CustomerExportSchema),
    async handle(ctx) {
      return { body: await ctx.desk.exportCustomerData(ctx.params['id'] as Customer['id']) };
    },
  },
  {
    method: 'post',
    path: '/customers/{id}/erase',
    operationId: 'eraseCustomer',
    summary: "Erase a customer's personal data",
    description: 'In one unit of work, audited with the caller and the reason; erasing again answers `erased: false`.',
    tag: 'Privacy',
    roles: STAFF,
    body: named('EraseCustomerRequest', z.object({ reason: z.string().min(1).max(1000) }).strict()),
    response: named('ErasureReport', ErasureReportSchema),
    async handle(ctx) {
      const { reason } = ctx.body as { reason: string };
      return { body: await ctx.desk.eraseCustomer(ctx.params['id'] as Customer['id'], { reason, by: ctx.actor }) };
    },
  },
];
