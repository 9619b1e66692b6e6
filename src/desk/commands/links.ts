import { ValidationError } from '../../errors.js';
import type { TicketId } from '../../domain/common.js';
import { InteractionInputSchema, type Interaction } from '../../domain/interaction.js';
import { ChildTicketInputSchema, TICKET_LINK_TYPES, type Ticket } from '../../domain/ticket.js';
import { decideInteraction, decideOpen, lastChannel, type Step } from '../../lifecycle/engine.js';
import { decideChild, decideLink, decideMerge, decideSplit, decideUnlink, linked, linksOf, type ManualLinkType } from '../../lifecycle/links.js';
import type { FieldChecks } from '../fields.js';
import { finalOf, type Pipeline } from '../pipeline.js';
import { checkRoute } from '../records.js';
import { createReader, type Kernel } from '../runtime.js';
import { parse } from '../schemas.js';
import type { ServiceDesk } from '../service-desk.js';
import type { LinkedTicket } from '../service-desk-tickets.js';
import * as z from 'zod';

type LinkMethods = 'mergeTickets' | 'splitTicket' | 'openChildTicket' | 'linkTickets' | 'unlinkTickets' | 'listLinkedTickets';

const ManualLinkSchema = z.enum(['related', 'parent', 'child'], { error: 'must be "related", "parent" or "child" (merges and splits have their own commands)' });
const SplitInputSchema = z
  .object({
    interactionIds: z.array(z.string().min(1).max(200)).min(1, 'name at least one interaction to split off').max(1000),
    subject: z.string().trim().min(1).max(500).optional(),
    reason: z.string().trim().min(1).max(10_000).optional(),
  })
  .strict();
const LinkQuerySchema = z.object({ type: z.enum(TICKET_LINK_TYPES).optional() }).strict();

/** The interactions of a ticket with those of every ticket merged into it (and into those), oldest first. */
export async function withMerged(ticket: Ticket, history: (id: string) => Promise<ReadonlyArray<Interaction>>, get: (id: string) => Promise<Ticket | null>): Promise<Interaction[]> {
  const seen = new Set<string>([ticket.id]);
  const own = await history(ticket.id);
  const out: Interaction[] = [];
  const queue = linked(ticket, 'merged_from');
  while (queue.length > 0) {
    const id = queue.shift() as TicketId;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(...(await history(id)));
    const source = await get(id);
    if (source !== null) queue.push(...linked(source, 'merged_from'));
  }
  // At the same instant the merged ones come first: the merge happened before the target's note of it.
  return seen.size === 1 ? [...own] : [...out, ...own].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The tickets at the other end of a ticket's links. */
export async function linkedTickets(ticket: Ticket, get: (id: string) => Promise<Ticket | null>, type?: string): Promise<LinkedTicket[]> {
  const out: LinkedTicket[] = [];
  for (const link of linksOf(ticket)) {
    if (type !== undefined && link.type !== type) continue;
    const other = await get(link.ticketId);
    if (other !== null) out.push({ link, ticket: other });
  }
  return out;
}

/** Merging, splitting, parent and child tickets, related links. */
export function linkCommands(k: Kernel, pipeline: Pipeline, fields: FieldChecks): Pick<ServiceDesk, LinkMethods> {
  const { ticketCommand } = pipeline;
  const get = (id: string): Promise<Ticket | null> => k.storage.get('ticket', id);
  return {
    async mergeTickets(sourceId, targetId, options) {
      const tell = options?.tell;
      let merged = false;
      let target: Ticket | undefined;
      return ticketCommand(
        sourceId,
        options,
        async (source, ctx, read) => {
          target = await read.load('ticket', targetId);
          if (linked(source, 'merged_into').includes(target.id)) {
            merged = false;
            return [];
          }
          let told: Step | undefined;
          if (tell !== undefined) {
            if (ctx.actor.kind === 'customer') throw new ValidationError('mergeTickets options', [{ path: ['tell'], message: 'the requester is told by an agent, a bot or the system: pass options.by', code: 'custom' }]);
            const reply = parse(InteractionInputSchema, { author: ctx.actor, channel: lastChannel(source), visibility: 'public', direction: 'outbound', body: tell }, 'mergeTickets tell');
            told = decideInteraction(source, reply, ctx);
          }
          const from = told?.ticket ?? source;
          // Its stored ones, the reply telling the requester, and the note of the merge.
          const count = (await read.interactions(source.id)).length + (told === undefined ? 0 : 1) + 1;
          const [closing, into] = decideMerge(from, target, ctx, options?.reason, count) as [Step, Step];
          merged = true;
          return told === undefined ? [closing, into] : [told, { ...closing, before: from }, into];
        },
        (finals, _steps, source) => ({ source: finals.get(source.id) ?? source, target: finals.get(targetId) ?? (target as Ticket), merged }),
      );
    },

    async splitTicket(ticketId, input, options) {
      const data = parse(SplitInputSchema, input, 'splitTicket input');
      let created: TicketId | undefined;
      return ticketCommand(
        ticketId,
        options,
        async (source, ctx, read) => {
          const history = await read.interactions(source.id);
          const byId = new Map(history.map((i) => [i.id as string, i]));
          const missing = data.interactionIds.filter((id) => !byId.has(id));
          if (missing.length > 0) throw new ValidationError('splitTicket input', missing.map((id) => ({ path: ['interactionIds', data.interactionIds.indexOf(id)], message: `interaction "${id}" is not on ticket ${source.id}`, code: 'custom' })));
          const picked = [...new Set(data.interactionIds)].map((id) => byId.get(id) as Interaction);
          const steps = decideSplit(source, picked, ctx, { subject: data.subject, reason: data.reason });
          created = (steps[0] as Step).ticket.id;
          return steps;
        },
        (finals, _steps, source) => ({ source: finalOf(finals, source.id), ticket: finalOf(finals, created as string) }),
      );
    },

    async openChildTicket(parentId, input, options) {
      const data = parse(ChildTicketInputSchema, input, 'openChildTicket input');
      let childId: TicketId | undefined;
      return ticketCommand(
        parentId,
        options,
        async (parent, ctx, read) => {
          const requester = await read.load('customer', data.requesterId ?? parent.requesterId);
          await checkRoute(read, { agentId: data.assigneeId, teamId: data.teamId }, 'openChildTicket input');
          const customFields = await fields.ticketCreate(data.customFields, data.type, read.get, 'openChildTicket input');
          const opened = decideOpen({ ...data, customFields, requesterId: requester.id, channel: data.channel ?? lastChannel(parent) }, requester, ctx);
          childId = opened.ticket.id;
          return decideChild(parent, opened, ctx, data.waitForChildren);
        },
        (finals, _steps, parent) => ({ parent: finalOf(finals, parent.id), child: finalOf(finals, childId as string) }),
      );
    },

    async linkTickets(ticketId, otherId, type, options) {
      const t = parse(ManualLinkSchema, type, 'linkTickets type') as ManualLinkType;
      return ticketCommand(
        ticketId,
        options,
        async (a, ctx, read) => {
          const b = await read.load('ticket', otherId);
          if (t !== 'related') await refuseCycle(a, b, t, read.get);
          return decideLink(a, b, t, ctx);
        },
        (finals, _steps, a) => finalOf(finals, a.id),
      );
    },

    async unlinkTickets(ticketId, otherId, type, options) {
      const t = parse(ManualLinkSchema, type, 'unlinkTickets type') as ManualLinkType;
      return ticketCommand(ticketId, options, async (a, ctx, read) => decideUnlink(a, await read.load('ticket', otherId), t, ctx), (finals, _steps, a) => finalOf(finals, a.id));
    },

    async listLinkedTickets(ticketId, query = {}) {
      const q = parse(LinkQuerySchema, query, 'listLinkedTickets query');
      return linkedTickets(await createReader(k.storage).load('ticket', ticketId), get, q.type);
    },
  };
}

/** A parent cannot become its own descendant: walk up from the would-be parent. */
async function refuseCycle(a: Ticket, b: Ticket, type: 'parent' | 'child', get: (kind: 'ticket', id: string) => Promise<Ticket | null>): Promise<void> {
  const [parent, child] = type === 'child' ? [a, b] : [b, a];
  const seen = new Set<string>();
  let at: Ticket | null = parent;
  while (at !== null && !seen.has(at.id)) {
    if (at.id === child.id) throw new ValidationError('linkTickets', [{ path: ['type'], message: `ticket "${child.id}" is already above "${parent.id}": the link would make a loop`, code: 'custom' }]);
    seen.add(at.id);
    const up: TicketId | undefined = linked(at, 'parent')[0];
    at = up === undefined ? null : await get('ticket', up);
  }
}
