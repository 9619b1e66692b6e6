import * as z from 'zod';
import { NotFoundError } from '../errors.js';
import { ActorSchema, ChannelSchema, CustomerIdSchema } from '../domain/common.js';
import { AddressingSchema, ConsentSchema, ContactPointSchema, type Customer } from '../domain/customer.js';
import { AttachmentSchema, InteractionSchema, type Interaction } from '../domain/interaction.js';
import { OfferSchema, type Offer } from '../domain/offer.js';
import { SurveySchema, type Survey } from '../domain/followup.js';
import { TicketSchema, type Ticket } from '../domain/ticket.js';
import type { Principal, RouteContext } from './route.js';

// What a customer sees of their own records in the portal: what was said to them and where
// their request stands, never internal notes, audit entries, routing, scores or other people.

/** A ticket as its requester sees it in the portal. */
export const PortalTicketSchema = TicketSchema.pick({ id: true, version: true, subject: true, description: true, type: true, status: true, channel: true, createdAt: true, updatedAt: true, resolvedAt: true, closedAt: true, followUpOf: true, followUps: true }).extend({
  resolution: z.object({ summary: z.string(), at: z.date() }).optional(),
});
/** A ticket as its requester sees it. */
export type PortalTicket = z.infer<typeof PortalTicketSchema>;

/** A public interaction as the requester sees it: no metadata, signals or ids from other systems. */
export const PortalInteractionSchema = InteractionSchema.pick({ id: true, ticketId: true, at: true, channel: true, direction: true, kind: true, subject: true, body: true, summary: true, agreed: true }).extend({
  author: ActorSchema.pick({ kind: true, name: true }),
  attachments: z.array(AttachmentSchema.pick({ name: true, contentType: true, sizeBytes: true })),
});
/** A public interaction as the requester sees it. */
export type PortalInteraction = z.infer<typeof PortalInteractionSchema>;

/** A customer's own profile in the portal: no flags, notes, purchases or internal fields. */
export const PortalCustomerSchema = z.object({
  id: CustomerIdSchema,
  version: z.number().int().positive(),
  kind: z.enum(['internal', 'external']),
  displayName: z.string(),
  addressing: AddressingSchema,
  contacts: z.array(ContactPointSchema),
  preferredChannel: ChannelSchema.optional(),
  locale: z.string(),
  timeZone: z.string(),
  consent: ConsentSchema,
  createdAt: z.date(),
});
/** A customer's own profile in the portal. */
export type PortalCustomer = z.infer<typeof PortalCustomerSchema>;

/** A survey as the customer it was sent to sees it. */
export const PortalSurveySchema = SurveySchema.pick({ id: true, version: true, ticketId: true, questions: true, status: true, sentAt: true, answeredAt: true, answer: true });
/** An offer as the customer it was made to sees it: no score, reasons or evidence. */
export const PortalOfferSchema = OfferSchema.pick({ id: true, version: true, ticketId: true, sku: true, kind: true, price: true, discount: true, status: true, offeredAt: true, answeredAt: true });

/** The object without its undefined fields (JSON would drop them; desk queries refuse them). */
export const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The portal view of a ticket. */
export const portalTicket = (t: Ticket): PortalTicket =>
  defined({ id: t.id, version: t.version, subject: t.subject, description: t.description, type: t.type, status: t.status, channel: t.channel, createdAt: t.createdAt, updatedAt: t.updatedAt, resolvedAt: t.resolvedAt, closedAt: t.closedAt, followUpOf: t.followUpOf, followUps: t.followUps, resolution: t.resolution === undefined ? undefined : { summary: t.resolution.summary, at: t.resolution.at } });

/** The interactions a requester sees, in the portal view: public ones only. */
export const portalInteractions = (list: ReadonlyArray<Interaction>): PortalInteraction[] =>
  list
    .filter((i) => i.visibility === 'public' && i.kind !== 'note')
    .map((i) =>
      defined({
        id: i.id,
        ticketId: i.ticketId,
        at: i.at,
        channel: i.channel,
        direction: i.direction,
        kind: i.kind,
        subject: i.subject,
        body: i.body,
        summary: i.summary,
        agreed: i.agreed,
        author: defined({ kind: i.author.kind, name: i.author.name }),
        attachments: i.attachments.filter((a) => a.inline !== true).map((a) => defined({ name: a.name, contentType: a.contentType, sizeBytes: a.sizeBytes })),
      }),
    );

/** The portal view of a customer's own profile. */
export const portalCustomer = (c: Customer): PortalCustomer =>
  defined({ id: c.id, version: c.version, kind: c.kind, displayName: c.displayName, addressing: c.addressing, contacts: c.contacts, preferredChannel: c.preferredChannel, locale: c.locale, timeZone: c.timeZone, consent: c.consent, createdAt: c.createdAt });

/** The portal view of a survey. */
export const portalSurvey = (s: Survey): z.infer<typeof PortalSurveySchema> => defined({ id: s.id, version: s.version, ticketId: s.ticketId, questions: s.questions, status: s.status, sentAt: s.sentAt, answeredAt: s.answeredAt, answer: s.answer });

/** The portal view of an offer. */
export const portalOffer = (o: Offer): z.infer<typeof PortalOfferSchema> => defined({ id: o.id, version: o.version, ticketId: o.ticketId, sku: o.sku, kind: o.kind, price: o.price, discount: o.discount, status: o.status, offeredAt: o.offeredAt, answeredAt: o.answeredAt });

/**
 * The ticket, when the caller may see it. A customer asking for someone else's ticket gets the
 * same 404 as for a ticket that does not exist: the answer must not confirm it exists.
 */
export async function visibleTicket(ctx: Pick<RouteContext, 'desk' | 'principal' | 'portal'>, id: string): Promise<Ticket> {
  const { desk, principal } = ctx;
  let ticket: Ticket;
  try {
    ticket = await desk.getTicket(id as Ticket['id']);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('ticket', id, 'check the id');
    throw error;
  }
  if (principal.kind === 'customer' && ticket.requesterId !== principal.customerId && !(await sharedWith(ctx, ticket))) throw new NotFoundError('ticket', id, 'check the id');
  return ticket;
}

/** Whether the portal shares this ticket with the calling customer: it is their organisation's, and the API shares those. */
export async function sharedWith(ctx: Pick<RouteContext, 'desk' | 'principal' | 'portal'>, ticket: Pick<Ticket, 'organizationId'>): Promise<boolean> {
  if (!ctx.portal.organizationTickets || ctx.principal.kind !== 'customer' || ticket.organizationId === undefined) return false;
  const me = await ctx.desk.getCustomer(ctx.principal.customerId as Ticket['requesterId']);
  return (me.organizationIds ?? []).includes(ticket.organizationId);
}

/** Throw the 404 of a record a customer may not see, in the same words as a missing one. */
export function ownedBy<T extends { customerId: string }>(principal: Principal, record: T, entity: string, id: string): T {
  if (principal.kind === 'customer' && record.customerId !== principal.customerId) throw new NotFoundError(entity, id, 'check the id');
  return record;
}
