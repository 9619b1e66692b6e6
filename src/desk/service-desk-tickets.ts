import type { InteractionId, TicketId } from '../domain/common.js';
import type { ChildTicketInput, Ticket, TicketLink, TicketLinkType, TicketPatch } from '../domain/ticket.js';
import type { TicketCommandOptions } from './options.js';

/** Result of {@link TicketEditing.mergeTickets}. */
export interface MergeResult {
  /** The duplicate, closed as `merged` with a `merged_into` link. */
  readonly source: Ticket;
  /** The ticket it was merged into, with a `merged_from` link. */
  readonly target: Ticket;
  /** False when the source had already been merged into this target (nothing changed). */
  readonly merged: boolean;
}

/** Result of {@link TicketEditing.splitTicket}. */
export interface SplitResult {
  /** The ticket split from, with a `split_into` link. */
  readonly source: Ticket;
  /** The new ticket, holding copies of the picked interactions and a `split_from` link. */
  readonly ticket: Ticket;
}

/** Result of {@link TicketEditing.openChildTicket}. */
export interface ChildTicketResult {
  /** The parent, with a `child` link (on hold when it waits for its children). */
  readonly parent: Ticket;
  /** The new child, with a `parent` link. */
  readonly child: Ticket;
}

/** A link with the ticket at its other end. */
export interface LinkedTicket {
  /** The link, as the ticket asked about holds it. */
  readonly link: TicketLink;
  /** The ticket at the other end. */
  readonly ticket: Ticket;
}

/** Editing tickets after they are opened, and linking them: merge, split, parent and child, related. */
export interface TicketEditing {
  /**
   * Change a ticket's subject, type, priority, custom fields (merged into the stored ones; `null`
   * removes a key) or due date in one command. Custom fields are checked against the desk's
   * `fields`; every change is its own line in the audit trail (`customFields.plan`), and the SLA
   * clocks are recomputed (a new priority or type may select another policy).
   * @example
   * await desk.updateTicket(id, { type: 'complaint', customFields: { orderNumber: 'A-1234' } }, { by: agent });
   * @throws ValidationError naming the field; InvalidTransitionError on a closed ticket.
   */
  updateTicket(ticketId: TicketId, patch: TicketPatch, options?: TicketCommandOptions & { reason?: string }): Promise<Ticket>;
  /**
   * Merge a duplicate into another ticket. The source closes as `merged` with its SLA clocks
   * cancelled; its interactions are listed with the target's (`listInteractions`,
   * `getTicketDetails`); both get an internal note and a link. With `tell`, the requester is told
   * first, in a public reply on the source. Merging again into the same target changes nothing.
   * @throws ValidationError when the tickets are the same, or the source was merged elsewhere;
   * InvalidTransitionError when either is closed.
   */
  mergeTickets(sourceId: TicketId, targetId: TicketId, options?: TicketCommandOptions & { reason?: string; tell?: string }): Promise<MergeResult>;
  /**
   * Split part of a conversation into a new ticket: copies of the named interactions go on there
   * (`metadata.splitFrom` names each original), linked both ways. The source keeps its history.
   * @throws ValidationError when an interaction is not on this ticket.
   */
  splitTicket(ticketId: TicketId, input: { interactionIds: ReadonlyArray<InteractionId>; subject?: string; reason?: string }, options?: TicketCommandOptions): Promise<SplitResult>;
  /**
   * Open a child ticket for the part of the work another team or department owns. With
   * `waitForChildren`, the parent goes on hold until every child is resolved or closed, then
   * resumes by itself. Resolving or closing a parent whose children are not done is refused,
   * or takes them with it (`createServiceDesk({ links: { openChildren: 'cascade' } })`).
   * @example
   * const { child } = await desk.openChildTicket(id, { subject: 'Refund the second charge', teamId: 'team_billing', waitForChildren: true });
   */
  openChildTicket(parentId: TicketId, input: ChildTicketInput, options?: TicketCommandOptions): Promise<ChildTicketResult>;
  /** Link two tickets as related, or as parent and child (`type` as the first sees the second: `child` makes `otherId` its child). */
  linkTickets(ticketId: TicketId, otherId: TicketId, type: 'related' | 'parent' | 'child', options?: TicketCommandOptions): Promise<Ticket>;
  /** Remove a related or parent/child link (both ends). Merges and splits stay. */
  unlinkTickets(ticketId: TicketId, otherId: TicketId, type: 'related' | 'parent' | 'child', options?: TicketCommandOptions): Promise<Ticket>;
  /** The tickets linked to this one, with each link (of one `type` when given). */
  listLinkedTickets(ticketId: TicketId, query?: { type?: TicketLinkType }): Promise<ReadonlyArray<LinkedTicket>>;
}
