import { AdapterError, ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../../errors.js';
import type { Actor, TicketId } from '../../domain/common.js';
import { activeFlags, type Customer } from '../../domain/customer.js';
import { InteractionInputSchema, interactionKeys, messageKey, type Interaction } from '../../domain/interaction.js';
import { OpenTicketInputSchema, PrioritySchema, type Ticket } from '../../domain/ticket.js';
import type { Signal } from '../../domain/signal.js';
import {
  decideAssign,
  decideClose,
  decideConfirm,
  decideHold,
  decideInteraction,
  decideOpen,
  decidePriority,
  decideReopen,
  decideResolve,
  decideResume,
  decideSetStatus,
  decideTag,
  decideTransfer,
  decideUntag,
  type Step,
} from '../../lifecycle/engine.js';
import { allowedTransitions } from '../../lifecycle/transitions.js';
import type { DeskConfig } from '../config.js';
import { finalOf, type Pipeline } from '../pipeline.js';
import { checkRoute } from '../records.js';
import type { Kernel, Reader } from '../runtime.js';
import {
  AssignTargetSchema,
  CloseInputSchema,
  HoldInputSchema,
  ReopenInputSchema,
  ResolveInputSchema,
  SetStatusSchema,
  SignalListSchema,
  SourceIdSchema,
  TagListSchema,
    TransferInputSchema,
  parse,
} from '../schemas.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import type { ServiceDesk } from '../service-desk.js';
import type { FieldChecks } from '../fields.js';
import { linkedTickets, withMerged } from './links.js';
import * as z from 'zod';

const InteractionListQuerySchema = z.object({ merged: z.boolean().optional() }).strict();

type TicketMethods =
  | 'openTicket'
  | 'recordInteraction'
  | 'assign'
  | 'transfer'
  | 'hold'
  | 'resume'
  | 'setStatus'
  | 'setPriority'
  | 'tag'
  | 'untag'
  | 'resolve'
  | 'confirmResolution'
  | 'reopen'
  | 'close'
  | 'getTicket'
  | 'getTicketDetails'
  | 'findTicketBySourceId'
  | 'listTickets'
  | 'listInteractions'
  | 'getAuditTrail';

/** The ticket commands and queries of a desk. */
type IntakeMethods = 'openTicket' | 'recordInteraction';
type QueryMethods = 'getTicket' | 'getTicketDetails' | 'findTicketBySourceId' | 'listTickets' | 'listInteractions' | 'getAuditTrail';

/** The ticket commands and queries of a desk. */
export function ticketCommands(k: Kernel, config: DeskConfig, pipeline: Pipeline, fields: FieldChecks): Pick<ServiceDesk, TicketMethods> {
  return { ...ticketIntake(k, config, pipeline, fields), ...ticketLifecycle(pipeline, fields), ...ticketQueries(k) };
}

const latest = (finals: Map<string, Ticket>, _s: ReadonlyArray<Step>, t: Ticket): Ticket => finalOf(finals, t.id);

/** A ticket names one of its requester's organisations, or none. */
function checkOrganization(requester: Customer, organizationId: string | undefined): void {
  if (organizationId !== undefined && !(requester.organizationIds ?? []).includes(organizationId as never)) {
    throw new ValidationError('openTicket input', [{ path: ['organizationId'], message: `the requester is not in organisation "${organizationId}" (theirs: ${(requester.organizationIds ?? []).join(', ') || 'none'})`, code: 'custom' }]);
  }
}

/**
 * The interaction already recorded with this source id, on this ticket: an e-mail by its
 * Message-ID key (one lookup however long the ticket), anything else by reading the history.
 */
async function recorded(storage: Kernel['storage'], ticketId: TicketId, channel: string, externalId: string, read: Reader): Promise<Interaction | undefined> {
  if (channel === 'email') {
    const key = messageKey(externalId);
    const owner = (await storage.findKeys([key])).find((o) => o.kind === 'ticket' && o.id === ticketId);
    if (owner === undefined) return undefined;
    return (await read.interactions(ticketId)).find((i) => interactionKeys(i).includes(key));
  }
  return (await read.interactions(ticketId)).find((i) => i.externalId === externalId);
}

/** Opening tickets and recording what customers and agents say, with the signals in customers' words. */
function ticketIntake(k: Kernel, config: DeskConfig, pipeline: Pipeline, fields: FieldChecks): Pick<ServiceDesk, IntakeMethods> {
  const { storage } = k;
  const { ticketCommand } = pipeline;
  const detector = config.detector;
  /** Signals in what a customer wrote; a failing detector never keeps the message from being recorded. */
  async function detectSignals(author: Actor, visibility: string, text: string | undefined, locale: string | undefined): Promise<Signal[]> {
    if (detector === undefined || author.kind !== 'customer' || visibility !== 'public' || text === undefined || text.trim() === '') return [];
    try {
      const found = await detector.detect(text, locale === undefined ? {} : { locale });
      const parsed = SignalListSchema.safeParse(found);
      if (!parsed.success) throw new AdapterError(detector.name, 'detect', 'returned signals that break the port contract', { cause: parsed.error });
      return parsed.data.filter((sig) => sig.span[1] <= text.length);
    } catch (error) {
      k.onError(error, { source: 'signals', detector: detector.name });
      return [];
    }
  }


  return {
    async openTicket(input, options) {
      const actor = k.actorOf(options);
      const data = parse(OpenTicketInputSchema, input, 'openTicket input');
      if (data.sourceId !== undefined) {
        const existing = await storage.findTicketBySourceId(data.sourceId);
        if (existing !== null) return { ticket: existing, created: false };
      }
      try {
        return await k.run(async (read) => {
          const requester = await read.load('customer', data.requesterId);
          checkOrganization(requester, data.organizationId);
          await checkRoute(read, { agentId: data.assigneeId, teamId: data.teamId }, 'openTicket input');
          const customFields = await fields.ticketCreate(data.customFields, data.type, read.get, 'openTicket input');
          const signals = await detectSignals({ kind: 'customer' }, 'public', data.description, requester.locale);
          const ctx = k.context(actor);
          const s = decideOpen({ ...data, customFields }, requester, ctx, signals);
          const settled = await pipeline.finish([s], ctx, read);
          return pipeline.asOutcome(settled, { ticket: finalOf(settled.finals, s.ticket.id), created: true });
          // A version race on a record the opening touches (routing's agent, a flagged customer) is decided
          // again; a ticket id or source id that already exists is the caller's to hear about.
        }, (conflict) => conflict.kind === 'version');
      } catch (error) {
        if (error instanceof ConflictError && (error.kind === 'source_id' || error.kind === 'key') && data.sourceId !== undefined) {
          const existing = await storage.findTicketBySourceId(data.sourceId);
          if (existing !== null) return { ticket: existing, created: false };
        }
        throw error;
      }
    },

    async recordInteraction(ticketId, input, options) {
      const data = parse(InteractionInputSchema, input, 'recordInteraction input');
      // Unless told otherwise, whoever wrote the interaction is who changed the ticket.
      if (options?.by === undefined) options = { ...options, by: data.author };
      let duplicate: Interaction | undefined;
      let landedOn: string = ticketId;
      return ticketCommand(
        ticketId,
        options,
        async (ticket, ctx, read) => {
          duplicate = undefined;
          landedOn = ticket.id;
          const signalsFor = async (t: Ticket): Promise<Signal[]> => {
            if (data.author.kind !== 'customer') return [];
            const requester = await read.load('customer', t.requesterId);
            return detectSignals(data.author, data.visibility, data.body ?? data.summary, requester.locale);
          };
          if (data.externalId !== undefined) {
            const seen = await recorded(storage, ticket.id, data.channel, data.externalId, read);
            if (seen !== undefined) {
              duplicate = seen;
              return [];
            }
          }
          const isNote = data.kind === 'note' || (data.visibility === 'internal' && data.author.kind !== 'customer');
          if (ticket.status === 'closed' && !isNote && !data.confirmsResolution) {
            if (data.author.kind !== 'customer') {
              throw new InvalidTransitionError({ ticketId: ticket.id, from: 'closed', to: 'closed', allowed: allowedTransitions('closed'), reason: 'a closed ticket takes only internal notes: reopen it before replying' });
            }
            const reopened = decideReopen(ticket, 'the customer wrote again', ctx);
            const target = reopened[0] as Step;
            landedOn = target.ticket.id;
            return [...reopened, { ...decideInteraction(target.ticket, data, ctx, await signalsFor(ticket)), before: target.ticket }];
          }
          if (data.confirmsResolution && ticket.status !== 'closed') {
            const recorded = decideInteraction(ticket, data, ctx, await signalsFor(ticket));
            return [recorded, decideConfirm(recorded.ticket, ctx, 'confirmed in a message from the customer')];
          }
          return [decideInteraction(ticket, data, ctx, await signalsFor(ticket))];
        },
        (finals, steps, ticket) => {
          if (duplicate !== undefined) return { ticket, interaction: duplicate, recorded: false };
          const interaction = steps.flatMap((s) => s.interactions).at(-1) as Interaction;
          return { ticket: finalOf(finals, landedOn), interaction, recorded: true };
        },
      );
    },

  };
}

/** Routing, holds, transfers, status, priority, tags, resolution and closing. */
function ticketLifecycle(pipeline: Pipeline, fields: FieldChecks): Pick<ServiceDesk, Exclude<TicketMethods, IntakeMethods | QueryMethods>> {
  const { ticketCommand } = pipeline;
  return {
    async assign(ticketId, to, options) {
      const route = parse(AssignTargetSchema, to, 'assign target');
      return ticketCommand(
        ticketId,
        options,
        async (ticket, ctx, read) => {
          // The route as it will be; only a newly named agent has to be active.
          const agentId = route.agentId === null ? undefined : (route.agentId ?? ticket.assigneeId);
          const teamId = route.teamId === null ? undefined : (route.teamId ?? ticket.teamId);
          await checkRoute(read, { agentId, teamId }, 'assign target', { requireActive: route.agentId != null });
          return [decideAssign(ticket, route, ctx, options?.reason)];
        },
        latest,
      );
    },

    async transfer(ticketId, input, options) {
      const data = parse(TransferInputSchema, input, 'transfer input');
      return ticketCommand(
        ticketId,
        options,
        async (ticket, ctx, read) => {
          if (data.consent.granted) await checkRoute(read, { agentId: data.to.agentId, teamId: data.to.teamId ?? (data.to.agentId ? undefined : ticket.teamId) }, 'transfer input');
          return [decideTransfer(ticket, data, ctx)];
        },
        (finals, steps, t) => ({ ticket: finalOf(finals, t.id), transferred: steps[0]?.action === 'transfer' }),
      );
    },

    async hold(ticketId, input, options) {
      const data = parse(HoldInputSchema, input, 'hold input');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideHold(ticket, data, ctx)], (finals, steps, t) => ({ ticket: finalOf(finals, t.id), held: steps[0]?.action === 'hold' }));
    },

    resume: (ticketId, options) => ticketCommand(ticketId, options, (ticket, ctx) => [decideResume(ticket, ctx, options?.reason)], latest),

    async setStatus(ticketId, status, options) {
      const to = parse(SetStatusSchema, status, 'setStatus status');
      return ticketCommand(
        ticketId,
        options,
        (ticket, ctx) => {
          if (ticket.status === 'on_hold' || ticket.status === 'resolved' || ticket.status === 'closed') {
            const hint = ticket.status === 'on_hold' ? 'use resume()' : 'use reopen()';
            throw new ValidationError('setStatus status', [{ path: ['status'], message: `ticket "${ticket.id}" is ${ticket.status}: ${hint}`, code: 'custom' }]);
          }
          return [decideSetStatus(ticket, to, ctx, options?.reason)];
        },
        latest,
      );
    },

    async setPriority(ticketId, priority, options) {
      const p = parse(PrioritySchema, priority, 'setPriority priority');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decidePriority(ticket, p, ctx, options?.reason)], latest);
    },

    async tag(ticketId, tags, options) {
      const list = parse(TagListSchema, tags, 'tag tags');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideTag(ticket, list, ctx)], latest);
    },

    async untag(ticketId, tags, options) {
      const list = parse(TagListSchema, tags, 'untag tags');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideUntag(ticket, list, ctx)], latest);
    },

    async resolve(ticketId, input, options) {
      const data = parse(ResolveInputSchema, input, 'resolve input');
      return ticketCommand(
        ticketId,
        options,
        (ticket, ctx) => {
          fields.ticketResolve(ticket, 'resolve input');
          return [decideResolve(ticket, data.summary, ctx)];
        },
        latest,
      );
    },

    confirmResolution: (ticketId, options) => ticketCommand(ticketId, options, (ticket, ctx) => [decideConfirm(ticket, ctx, options?.note)], latest),

    async reopen(ticketId, input, options) {
      const data = parse(ReopenInputSchema, input, 'reopen input');
      return ticketCommand(ticketId, options, (ticket, ctx) => decideReopen(ticket, data.reason, ctx), (finals, steps, t) => {
        const first = steps[0] as Step;
        return { ticket: finalOf(finals, first.ticket.id), followUp: first.ticket.id !== t.id };
      });
    },

    async close(ticketId, input, options) {
      const data = parse(CloseInputSchema, input, 'close input');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideClose(ticket, data.reason, ctx, data.note)], latest);
    },

  };
}

/** Reading tickets, their interactions and audit trails. */
function ticketQueries(k: Kernel): Pick<ServiceDesk, QueryMethods> {
  const { storage } = k;
  const get = (id: string): Promise<Ticket | null> => storage.get('ticket', id);
  const history = (id: string): Promise<ReadonlyArray<Interaction>> => storage.history('interaction', id as TicketId);
  const loadTicket = async (id: string): Promise<Ticket> => {
    const found = await storage.get('ticket', id);
    if (found === null) throw new NotFoundError('ticket', id);
    return found;
  };
  return {
    getTicket: (id) => loadTicket(id),
    async getTicketDetails(id) {
      const ticket = await loadTicket(id);
      const [requester, interactions, audit, links] = await Promise.all([storage.get('customer', ticket.requesterId), withMerged(ticket, history, get), storage.history('audit', id), linkedTickets(ticket, get)]);
      if (requester === null) throw new NotFoundError('customer', ticket.requesterId);
      return { ticket, requester, flags: activeFlags(requester, k.now()), interactions, audit, links };
    },
    findTicketBySourceId: (sourceId) => storage.findTicketBySourceId(parse(SourceIdSchema, sourceId, 'sourceId')),
    async listTickets(query = {}) {
      parse(QUERY_SCHEMAS.ticket, query, 'listTickets query');
      return storage.list('ticket', query);
    },
    async listInteractions(ticketId, query = {}) {
      const q = parse(InteractionListQuerySchema, query, 'listInteractions query');
      const ticket = await loadTicket(ticketId);
      return q.merged === false ? storage.history('interaction', ticketId) : withMerged(ticket, history, get);
    },
    async getAuditTrail(ticketId) {
      await loadTicket(ticketId);
      return storage.history('audit', ticketId);
    },
  };
}
