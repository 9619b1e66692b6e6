import * as z from 'zod';
import { ADMIN_CLOSE_REASONS, TicketSchema, type Ticket } from '../../domain/ticket.js';
import { PortalTicketSchema, portalTicket, visibleTicket } from '../portal.js';
import type { Role, RouteContext, RouteResult, RouteSpec } from '../route.js';
import { EVERYONE, STAFF, named, record, ticketOptions } from './common.js';

const TICKET_VIEW = z.union([TicketSchema, PortalTicketSchema]);
const note = z.string().max(10_000);
const consent = z.object({ granted: z.boolean().describe("The customer's answer when asked"), note: note.optional() }).strict();
const target = z.object({ agentId: z.string().min(1).optional(), teamId: z.string().min(1).optional() }).strict();

/** One ticket action route: `POST /tickets/{id}/<name>` with a small body, answered with the ticket. */
function action<B extends z.ZodObject>(name: string, operationId: string, summary: string, roles: ReadonlyArray<Role>, body: B, run: (ctx: RouteContext, id: Ticket['id'], body: z.output<B>) => Promise<{ ticket: Ticket; extra?: Record<string, unknown> }>, description?: string): RouteSpec {
  const response = named(`${operationId[0]?.toUpperCase()}${operationId.slice(1)}Response`, z.object({ ticket: TICKET_VIEW.describe('The ticket after the action') }).catchall(z.boolean()).describe('The ticket, and for hold, transfer and reopen whether it happened (held, transferred, followUp)'));
  return {
    method: 'post',
    path: `/tickets/{id}/${name}`,
    operationId,
    summary,
    ...(description === undefined ? {} : { description }),
    tag: 'Ticket actions',
    roles,
    versioned: true,
    body: named(`${operationId[0]?.toUpperCase()}${operationId.slice(1)}Request`, body),
    response,
    async handle(ctx): Promise<RouteResult> {
      const t = await visibleTicket(ctx, ctx.params['id'] as string);
      const { ticket, extra } = await run(ctx, t.id, ctx.body as z.output<B>);
      return record(ticket, { ticket: ctx.principal.kind === 'customer' ? portalTicket(ticket) : ticket, ...extra });
    },
  };
}

const withReason = z.object({ reason: note.optional() }).strict();

/** The ticket's moves through its lifecycle, one route each. */
export const actionRoutes: ReadonlyArray<RouteSpec> = [
  action('assign', 'assignTicket', 'Assign to an agent and/or a team (null unassigns)', STAFF, z.object({ agentId: z.string().min(1).nullable().optional(), teamId: z.string().min(1).nullable().optional(), reason: note.optional() }).strict(), async (ctx, id, b) => {
    const { reason, ...to } = b;
    return { ticket: await ctx.desk.assign(id, to as Parameters<typeof ctx.desk.assign>[1], ticketOptions(ctx, reason === undefined ? {} : { reason })) };
  }),
  action('hold', 'holdTicket', 'Put on hold, with the customer’s consent', STAFF, z.object({ reason: z.string().min(1).max(10_000), waitingOn: z.string().max(500).optional(), consent }).strict(), async (ctx, id, b) => {
    const r = await ctx.desk.hold(id, b as Parameters<typeof ctx.desk.hold>[1], ticketOptions(ctx));
    return { ticket: r.ticket, extra: { held: r.held } };
  }, 'A declined hold is recorded and does not happen: `held: false`.'),
  action('resume', 'resumeTicket', 'End a hold', STAFF, withReason, async (ctx, id, b) => ({ ticket: await ctx.desk.resume(id, ticketOptions(ctx, b)) })),
  action('transfer', 'transferTicket', 'Hand a live conversation to another agent or team, with the customer’s consent', STAFF, z.object({ to: target, consent, reason: z.string().min(1).max(10_000) }).strict(), async (ctx, id, b) => {
    const r = await ctx.desk.transfer(id, b as Parameters<typeof ctx.desk.transfer>[1], ticketOptions(ctx));
    return { ticket: r.ticket, extra: { transferred: r.transferred } };
  }, 'A declined transfer is recorded and does not happen: `transferred: false`.'),
  action('resolve', 'resolveTicket', 'Record the resolution', STAFF, z.object({ summary: z.string().min(1).max(10_000) }).strict(), async (ctx, id, b) => ({ ticket: await ctx.desk.resolve(id, b, ticketOptions(ctx)) })),
  action('reopen', 'reopenTicket', 'Reopen (past the reopen window a linked follow-up ticket opens)', STAFF, z.object({ reason: z.string().min(1).max(10_000) }).strict(), async (ctx, id, b) => {
    const r = await ctx.desk.reopen(id, b, ticketOptions(ctx));
    return { ticket: r.ticket, extra: { followUp: r.followUp } };
  }),
  action('close', 'closeTicket', 'Close for an administrative reason', STAFF, z.object({ reason: z.enum(ADMIN_CLOSE_REASONS), note: note.optional() }).strict(), async (ctx, id, b) => ({
    ticket: await ctx.desk.close(id, b as Parameters<typeof ctx.desk.close>[1], ticketOptions(ctx)),
  })),
  action('confirm', 'confirmResolution', 'Confirm the resolution: the ticket closes', EVERYONE, z.object({ note: note.optional() }).strict(), async (ctx, id, b) => ({ ticket: await ctx.desk.confirmResolution(id, ticketOptions(ctx, b)) }), 'The requester confirms in the portal; an agent records a confirmation given by phone.'),
];
