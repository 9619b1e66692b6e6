import * as z from 'zod';
import { ValidationError } from '../../errors.js';
import { ChannelSchema } from '../../domain/common.js';
import { InteractionInputSchema, InteractionSchema, type InteractionInput } from '../../domain/interaction.js';
import { OpenTicketInputSchema, PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TicketPatchSchema, TicketSchema, type OpenTicketInput, type Ticket } from '../../domain/ticket.js';
import { PortalInteractionSchema, PortalTicketSchema, portalInteractions, portalTicket, sharedWith, visibleTicket } from '../portal.js';
import { HttpError } from '../../errors.js';
import type { RouteContext, RouteSpec } from '../route.js';
import { AuditEntryJsonSchema, SlaEvaluationSchema } from '../schemas.js';
import { EVERYONE, PAGING, csvParam, STAFF, bodyOf, instantParam, listQuery, named, pageOf, record, ticketOptions } from './common.js';

const TicketView = named('TicketView', z.union([TicketSchema, PortalTicketSchema]).describe('The whole ticket for agents and back-ends; the portal view (PortalTicket) for its requester.'));
const InteractionView = named('InteractionView', z.union([InteractionSchema, PortalInteractionSchema]).describe('The whole interaction for agents and back-ends; public ones in the portal view for the requester.'));

/** The ticket as the caller may see it. */
const view = (ctx: RouteContext, t: Ticket): unknown => (ctx.principal.kind === 'customer' ? portalTicket(t) : t);

const openBody = bodyOf(OpenTicketInputSchema, ['by']).extend({
  requesterId: OpenTicketInputSchema.shape.requesterId.optional().describe("The requester (agents and back-ends; a customer's ticket is always their own)."),
  channel: ChannelSchema.optional().describe('Where the request came in (required for agents and back-ends; web_form for customers by default).'),
});
const PORTAL_OPEN_FIELDS = new Set(['subject', 'description', 'type', 'channel', 'message', 'customFields']);

const interactionBody = bodyOf(InteractionInputSchema, ['author']).extend({
  channel: ChannelSchema.optional().describe("Default: the ticket's channel (agents), web_form (customers)."),
  author: InteractionInputSchema.shape.author.optional().describe('Only for back-ends (a bot or the system); agents and customers are the author themselves.'),
});
const PORTAL_INTERACTION_FIELDS = new Set(['channel', 'subject', 'body', 'attachments', 'confirmsResolution']);

const ticketQuery = z
  .object({
    status: csvParam(TICKET_STATUSES),
    priority: csvParam(PRIORITIES),
    type: csvParam(TICKET_TYPES),
    assigneeId: z.string().min(1).optional(),
    teamId: z.string().min(1).optional(),
    requesterId: z.string().min(1).optional().describe("Ignored for customers: they list their own tickets."),
    organizationId: z.string().min(1).optional().describe("Tickets of this organisation. A customer may name one of their own organisations when the API shares organisation tickets (`portal.organizationTickets`)."),
    tag: z.string().min(1).optional(),
    createdFrom: instantParam.optional(),
    createdBefore: instantParam.optional(),
    order: z.enum(['asc', 'desc']).optional(),
    ...PAGING,
  })
  .strict();

/** What a customer's ticket list covers: their own tickets, or one of their organisations' when the portal shares those. */
async function portalScope(ctx: RouteContext): Promise<Record<string, unknown>> {
  const organizationId = ctx.query['organizationId'] as string | undefined;
  if (ctx.principal.kind !== 'customer') return {};
  if (organizationId === undefined) return { requesterId: ctx.principal.customerId };
  if (!(await sharedWith(ctx, { organizationId: organizationId as Ticket['organizationId'] }))) {
    throw new HttpError('FORBIDDEN', ctx.portal.organizationTickets ? `you are not a member of organisation "${organizationId}"` : 'this portal lists your own tickets only: leave organizationId out');
  }
  return { requesterId: undefined, organizationId };
}

/** The fields of the body a customer may set; any other field they sent is refused, by name. */
function portalOnly(ctx: RouteContext, allowed: ReadonlySet<string>): Record<string, unknown> {
  const refused = [...ctx.sent].filter((k) => !allowed.has(k));
  if (refused.length > 0) throw new ValidationError('request body', refused.map((k) => ({ path: [k], code: 'custom', message: `a customer cannot set "${k}"; leave it out` })));
  return Object.fromEntries(Object.entries(ctx.body as Record<string, unknown>).filter(([k]) => allowed.has(k)));
}

const FIELD_EDITS = ['subject', 'type', 'priority', 'customFields', 'dueAt'] as const;
const patchBody = z
  .object({
    ...TicketPatchSchema.shape,
    status: z.enum(['open', 'pending_customer']).optional(),
    addTags: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
    removeTags: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
    reason: z.string().max(10_000).optional(),
  })
  .strict()
  .refine(
    (b) => {
      const edits = FIELD_EDITS.filter((k) => b[k] !== undefined).length;
      const others = [b.status, b.addTags, b.removeTags].filter((v) => v !== undefined).length;
      return (edits > 0 && others === 0) || (edits === 0 && others === 1);
    },
    { message: 'send field edits (subject, type, priority, customFields, dueAt) together, or one of status, addTags, removeTags alone: each PATCH is one desk command, all or nothing' },
  );

/** Tickets: open, list, read, change, and their interactions, audit trail and SLA clocks. */
export const ticketRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'post',
    path: '/tickets',
    operationId: 'openTicket',
    summary: 'Open a ticket',
    description: "Agents and back-ends open tickets for any customer; a customer opens one for themselves with subject, description, type, channel (default web_form), message and customFields. A repeated `sourceId` answers 200 with the existing ticket.",
    tag: 'Tickets',
    roles: EVERYONE,
    body: named('OpenTicketRequest', openBody),
    response: { ...TicketView, status: 201 },
    async handle(ctx) {
      const body = ctx.body as Record<string, unknown>;
      let input: OpenTicketInput;
      if (ctx.principal.kind === 'customer') {
        input = { channel: 'web_form', ...portalOnly(ctx, PORTAL_OPEN_FIELDS), requesterId: ctx.principal.customerId } as OpenTicketInput;
      } else input = body as OpenTicketInput;
      const { ticket, created } = await ctx.desk.openTicket(input, { by: ctx.actor });
      return { ...record(ticket, view(ctx, ticket), created ? 201 : 200), location: `/tickets/${encodeURIComponent(ticket.id)}` };
    },
  },
  {
    method: 'get',
    path: '/tickets',
    operationId: 'listTickets',
    summary: 'List tickets',
    description: 'Filters combine (AND). A customer lists their own tickets.',
    tag: 'Tickets',
    roles: EVERYONE,
    query: ticketQuery,
    response: { ...TicketView, list: 'page' },
    async handle(ctx) {
      const page = await ctx.desk.listTickets(listQuery(ctx, ctx.principal.kind === 'customer' ? await portalScope(ctx) : {}));
      return { body: page.items.map((t) => view(ctx, t)), nextCursor: page.nextCursor };
    },
  },
  {
    method: 'get',
    path: '/tickets/{id}',
    operationId: 'getTicket',
    summary: 'Read a ticket',
    description: "A customer reads their own tickets only; anyone else's is a 404, the same as a ticket that does not exist.",
    tag: 'Tickets',
    roles: EVERYONE,
    versioned: true,
    response: TicketView,
    async handle(ctx) {
      const t = await visibleTicket(ctx, ctx.params['id'] as string);
      return record(t, view(ctx, t));
    },
  },
  {
    method: 'patch',
    path: '/tickets/{id}',
    operationId: 'updateTicket',
    summary: 'Change a ticket',
    description: 'Field edits together (`subject`, `type`, `priority`, `customFields` where `null` removes a key, `dueAt`), checked against the desk’s custom field definitions; or one of `status` (open or pending_customer), `addTags`, `removeTags` alone; with an optional `reason`. Send `If-Match` with the ETag you read to refuse overwriting someone else’s change.',
    tag: 'Tickets',
    roles: STAFF,
    versioned: true,
    body: named('UpdateTicketRequest', patchBody),
    response: named('Ticket', TicketSchema),
    async handle(ctx) {
      const id = (await visibleTicket(ctx, ctx.params['id'] as string)).id;
      const b = ctx.body as z.output<typeof patchBody>;
      const reason = b.reason === undefined ? {} : { reason: b.reason };
      const edits = Object.fromEntries(FIELD_EDITS.filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));
      const t =
        Object.keys(edits).length > 0
          ? await ctx.desk.updateTicket(id, edits, ticketOptions(ctx, reason))
          : b.status !== undefined
            ? await ctx.desk.setStatus(id, b.status, ticketOptions(ctx, reason))
            : b.addTags !== undefined
              ? await ctx.desk.tag(id, b.addTags, ticketOptions(ctx))
              : await ctx.desk.untag(id, b.removeTags ?? [], ticketOptions(ctx));
      return record(t);
    },
  },
  {
    method: 'post',
    path: '/tickets/{id}/interactions',
    operationId: 'recordInteraction',
    summary: 'Add a message, call, note or other interaction',
    description: "Agents write as themselves (replies and internal notes); a customer replies on their own ticket (channel, subject, body, attachments, confirmsResolution). A repeated `externalId` answers 200 with `recorded: false`.",
    tag: 'Tickets',
    roles: EVERYONE,
    versioned: true,
    body: named('RecordInteractionRequest', interactionBody),
    response: { ...named('RecordInteractionResponse', z.object({ ticket: TicketView.schema, interaction: InteractionView.schema, recorded: z.boolean() })), status: 201 },
    async handle(ctx) {
      const ticket = await visibleTicket(ctx, ctx.params['id'] as string);
      const p = ctx.principal;
      const body = p.kind === 'customer' ? portalOnly(ctx, PORTAL_INTERACTION_FIELDS) : (ctx.body as Record<string, unknown>);
      if (p.kind !== 'system' && body['author'] !== undefined) throw new ValidationError('request body', [{ path: ['author'], code: 'custom', message: 'the author is the authenticated caller; leave it out' }]);
      const author = p.kind === 'customer' ? { kind: 'customer' as const, id: p.customerId } : p.kind === 'agent' ? { kind: 'agent' as const, id: p.agentId } : ((body['author'] as InteractionInput['author'] | undefined) ?? { kind: 'system' as const });
      const input = { channel: p.kind === 'customer' ? 'web_form' : ticket.channel, ...body, author } as InteractionInput;
      const r = await ctx.desk.recordInteraction(ticket.id, input, ticketOptions(ctx));
      const interaction = p.kind === 'customer' ? (portalInteractions([r.interaction])[0] ?? null) : r.interaction;
      return { ...record(r.ticket, { ticket: view(ctx, r.ticket), interaction, recorded: r.recorded }, r.recorded ? 201 : 200) };
    },
  },
  {
    method: 'get',
    path: '/tickets/{id}/interactions',
    operationId: 'listInteractions',
    summary: "A ticket's interactions, oldest first",
    description: "With those of the tickets merged into it. A customer sees the public ones of their own tickets only, without internal notes or metadata.",
    tag: 'Tickets',
    roles: EVERYONE,
    query: z.object(PAGING).strict(),
    response: { ...InteractionView, list: 'page' },
    async handle(ctx) {
      const t = await visibleTicket(ctx, ctx.params['id'] as string);
      // A duplicate merged in may be another customer's: the portal shows the ticket's own alone.
      const all = await ctx.desk.listInteractions(t.id, { merged: ctx.principal.kind !== 'customer' });
      return pageOf(ctx.principal.kind === 'customer' ? portalInteractions(all) : all, ctx);
    },
  },
  {
    method: 'get',
    path: '/tickets/{id}/audit',
    operationId: 'getAuditTrail',
    summary: "A ticket's audit trail, oldest first",
    tag: 'Tickets',
    roles: STAFF,
    query: z.object(PAGING).strict(),
    response: { ...named('AuditEntry', AuditEntryJsonSchema), list: 'page' },
    async handle(ctx) {
      const t = await visibleTicket(ctx, ctx.params['id'] as string);
      return pageOf(await ctx.desk.getAuditTrail(t.id), ctx);
    },
  },
  {
    method: 'get',
    path: '/tickets/{id}/sla',
    operationId: 'explainSla',
    summary: "A ticket's SLA clocks and the ledger of why each stands where it does",
    tag: 'Tickets',
    roles: STAFF,
    response: named('SlaEvaluation', SlaEvaluationSchema),
    async handle(ctx) {
      const t = await visibleTicket(ctx, ctx.params['id'] as string);
      return { body: await ctx.desk.explainSla(t.id) };
    },
  },
];
