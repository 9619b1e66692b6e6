import { match } from 'ts-pattern';
import { InvalidTransitionError } from '../errors.js';
import type { Ticket, TicketStatus } from '../domain/ticket.js';

/**
 * The statuses each status may move to. Closure comes from the customer's side: `resolved`
 * waits for confirmation (or an auto-close), and both `resolved` and `closed` may be reopened.
 */
export function allowedTransitions(from: TicketStatus): ReadonlyArray<TicketStatus> {
  return match(from)
    .with('new', () => ['open', 'pending_customer', 'on_hold', 'resolved', 'closed'] as const)
    .with('open', () => ['pending_customer', 'on_hold', 'resolved', 'closed'] as const)
    .with('pending_customer', () => ['open', 'on_hold', 'resolved', 'closed'] as const)
    .with('on_hold', () => ['open', 'pending_customer', 'resolved', 'closed'] as const)
    .with('resolved', () => ['open', 'closed'] as const)
    .with('closed', () => ['open'] as const)
    .exhaustive();
}

/** True when a ticket in status `from` may move to `to`. */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return allowedTransitions(from).includes(to);
}

/**
 * Throw {@link InvalidTransitionError} unless `ticket` may move to `to`. `reason` explains a
 * refusal the table alone does not (used by commands with extra rules).
 */
export function assertTransition(ticket: Pick<Ticket, 'id' | 'status'>, to: TicketStatus, reason?: string): void {
  if (!canTransition(ticket.status, to)) {
    throw new InvalidTransitionError({
      ticketId: ticket.id,
      from: ticket.status,
      to,
      allowed: allowedTransitions(ticket.status),
      ...(reason === undefined ? {} : { reason }),
    });
  }
}

/** Throw {@link InvalidTransitionError} when a closed ticket is asked to change in place. */
export function assertNotClosed(ticket: Pick<Ticket, 'id' | 'status'>, command: string): void {
  if (ticket.status === 'closed') {
    throw new InvalidTransitionError({
      ticketId: ticket.id,
      from: 'closed',
      to: 'closed',
      allowed: allowedTransitions('closed'),
      reason: `${command} needs a ticket that is not closed; reopen it first`,
    });
  }
}
