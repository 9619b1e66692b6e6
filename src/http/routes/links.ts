import * as z from 'zod';
import { ChildTicketInputSchema, TICKET_LINK_TYPES, TicketLinkSchema, TicketSchema, type TicketLinkType } from '../../domain/ticket.js';
import { visibleTicket } from '../portal.js';
import type { RouteSpec } from '../route.js';
import { STAFF, bodyOf, named, record, ticketOptions } from './common.js';

const manual = z.enum(['related', 'parent', 'child']).describe('How the other ticket relates to this one (`child`: it becomes a child of this one)');
const LinkedTicket = named('LinkedTicket', z.object({ link: TicketLinkSchema, ticket: TicketSchema }).describe('A link with the ticket at its other end'));

/** Merging, splitting, child tickets and links: agents and back-ends only (the portal shows none of them). */
export const linkRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'post',
    path: '/tickets/{id}/merge',
    operationId: 'mergeTicket',
    summary: 'Merge this ticket (a duplicate) into another',
    description: 'The duplicate closes as `merged` with its SLA clocks cancelled; its interactions are listed with the target’s. With `tell`, the requester is told first in a public reply. Merging again into the same target answers `merged: false`.',
    tag: 'Ticket links',
    roles: STAFF,
    versioned: true,
    body: named('MergeTicketRequest', z.object({ targetId: z.string().min(1).max(200), reason: z.string().min(1).max(10_000).optional(), tell: z.string().min(1).max(100_000).optional() }).strict()),
    response: named('MergeTicketResponse', z.object({ source: TicketSchema, target: TicketSchema, merged: z.boolean() })),
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      const { targetId, ...rest } = ctx.body as { targetId: string; reason?: string; tell?: string };
      const r = await ctx.desk.mergeTickets(id, targetId as typeof id, ticketOptions(ctx, rest));
      return record(r.source, r);
    },
  },
  {
    method: 'post',
    path: '/tickets/{id}/split',
    operationId: 'splitTicket',
    summary: 'Split interactions off into a new ticket',
    tag: 'Ticket links',
    roles: STAFF,
    versioned: true,
    body: named('SplitTicketRequest', z.object({ interactionIds: z.array(z.string().min(1).max(200)).min(1).max(1000), subject: z.string().min(1).max(500).optional(), reason: z.string().min(1).max(10_000).optional() }).strict()),
    response: { ...named('SplitTicketResponse', z.object({ source: TicketSchema, ticket: TicketSchema.describe('The new ticket') })), status: 201 },
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      const r = await ctx.desk.splitTicket(id, ctx.body as Parameters<typeof ctx.desk.splitTicket>[1], ticketOptions(ctx));
      return { ...record(r.source, r, 201), location: `/tickets/${encodeURIComponent(r.ticket.id)}` };
    },
  },
  {
    method: 'post',
    path: '/tickets/{id}/children',
    operationId: 'openChildTicket',
    summary: 'Open a child ticket for the part of the work another team owns',
    description: 'With `waitForChildren`, this ticket goes on hold until every child is resolved or closed.',
    tag: 'Ticket links',
    roles: STAFF,
    versioned: true,
    body: named('OpenChildTicketRequest', bodyOf(ChildTicketInputSchema)),
    response: { ...named('OpenChildTicketResponse', z.object({ parent: TicketSchema, child: TicketSchema })), status: 201 },
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      const r = await ctx.desk.openChildTicket(id, ctx.body as Parameters<typeof ctx.desk.openChildTicket>[1], ticketOptions(ctx));
      return { ...record(r.parent, r, 201), location: `/tickets/${encodeURIComponent(r.child.id)}` };
    },
  },
  {
    method: 'get',
    path: '/tickets/{id}/links',
    operationId: 'listLinkedTickets',
    summary: 'The tickets linked to this one, with each link',
    tag: 'Ticket links',
    roles: STAFF,
    query: z.object({ type: z.enum(TICKET_LINK_TYPES).optional() }).strict(),
    response: { ...LinkedTicket, list: 'array' },
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      const type = ctx.query['type'] as TicketLinkType | undefined;
      return { body: await ctx.desk.listLinkedTickets(id, type === undefined ? {} : { type }) };
    },
  },
  {
    method: 'post',
    path: '/tickets/{id}/links',
    operationId: 'linkTickets',
    summary: 'Link another ticket as related, parent or child',
    tag: 'Ticket links',
    roles: STAFF,
    versioned: true,
    body: named('LinkTicketsRequest', z.object({ ticketId: z.string().min(1).max(200), type: manual }).strict()),
    response: named('Ticket', TicketSchema),
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      const b = ctx.body as { ticketId: string; type: 'related' | 'parent' | 'child' };
      return record(await ctx.desk.linkTickets(id, b.ticketId as typeof id, b.type, ticketOptions(ctx)));
    },
  },
  {
    method: 'delete',
    path: '/tickets/{id}/links/{type}/{otherId}',
    operationId: 'unlinkTickets',
    summary: 'Remove a related or parent/child link',
    tag: 'Ticket links',
    roles: STAFF,
    versioned: true,
    response: named('Ticket', TicketSchema),
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      // The desk checks the type, answering 400 with the allowed ones.
      return record(await ctx.desk.unlinkTickets(id, ctx.params['otherId'] as typeof id, ctx.params['type'] as 'related', ticketOptions(ctx)));
    },
  },
];
