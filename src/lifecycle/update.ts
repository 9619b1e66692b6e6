import { deskEvent, type DeskEvent } from '../events.js';
import type { JsonValue } from '../domain/common.js';
import type { Priority, Ticket, TicketType } from '../domain/ticket.js';
import { diffRecords, omit } from '../internal/diff.js';
import { step, type DecisionContext, type Step } from './engine.js';
import { assertNotClosed } from './transitions.js';

/** The edits `updateTicket` applies, checked: `customFields` is the whole new map, `dueAt: null` clears the due date. */
export interface TicketUpdate {
  readonly subject?: string | undefined;
  readonly type?: TicketType | undefined;
  readonly priority?: Priority | undefined;
  readonly customFields?: Readonly<Record<string, JsonValue>> | undefined;
  readonly dueAt?: Date | null | undefined;
}

/**
 * Edit a ticket's fields. Nothing changes (and nothing is announced) when every value is the
 * one the ticket has; otherwise `ticket.updated` lists each change, and a new priority is also a
 * `ticket.priority_changed` (the SLA clocks and escalation rules react to it as to `setPriority`).
 */
export function decideUpdate(ticket: Ticket, update: TicketUpdate, ctx: DecisionContext, reason?: string): Step {
  assertNotClosed(ticket, 'updateTicket');
  let next: Ticket = { ...ticket };
  if (update.subject !== undefined) next.subject = update.subject;
  if (update.type !== undefined) next.type = update.type;
  if (update.priority !== undefined) next.priority = update.priority;
  if (update.customFields !== undefined) next.customFields = { ...update.customFields };
  if (update.dueAt === null) next = omit(next, 'dueAt');
  else if (update.dueAt !== undefined) next.dueAt = update.dueAt;
  const changes = diffRecords(ticket, next, ['version', 'updatedAt']);
  if (changes.length === 0) return step(ticket, ticket, ctx, 'update', []);
  next = { ...next, updatedAt: ctx.now };
  const events: DeskEvent[] = [deskEvent('ticket.updated', { ticket: next, changes, reason, at: ctx.now, actor: ctx.actor })];
  if (next.priority !== ticket.priority) events.push(deskEvent('ticket.priority_changed', { ticket: next, from: ticket.priority, to: next.priority, reason, at: ctx.now, actor: ctx.actor }));
  return step(ticket, next, ctx, 'update', events, [], reason);
}
