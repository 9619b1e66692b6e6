import { TicketPatchSchema } from '../../domain/ticket.js';
import { decideUpdate } from '../../lifecycle/update.js';
import type { FieldChecks } from '../fields.js';
import { finalOf, type Pipeline } from '../pipeline.js';
import { parse } from '../schemas.js';
import type { ServiceDesk } from '../service-desk.js';

/** Editing a ticket's fields after it is opened (`updateTicket`). */
export function ticketFieldCommands(pipeline: Pipeline, fields: FieldChecks): Pick<ServiceDesk, 'updateTicket'> {
  return {
    async updateTicket(ticketId, patch, options) {
      const data = parse(TicketPatchSchema, patch, 'updateTicket patch');
      return pipeline.ticketCommand(
        ticketId,
        options,
        async (ticket, ctx, read) => {
          const type = data.type ?? ticket.type;
          const customFields = data.customFields === undefined && type === ticket.type ? undefined : await fields.ticketUpdate(ticket, data.customFields ?? {}, type, read.get, 'updateTicket patch');
          return [decideUpdate(ticket, { subject: data.subject, type: data.type, priority: data.priority, customFields, dueAt: data.dueAt }, ctx, options?.reason)];
        },
        (finals, _steps, ticket) => finalOf(finals, ticket.id),
      );
    },
  };
}
