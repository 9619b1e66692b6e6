/** Priorities, lowest first. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * Ticket statuses. `pending_customer` waits on the customer; `on_hold` waits on someone inside
 * or a third party; `resolved` waits for the customer's confirmation; `closed` is final unless
 * reopened within the reopen window.
 */
export const TICKET_STATUSES = ['new', 'open', 'pending_customer', 'on_hold', 'resolved', 'closed'] as const;
