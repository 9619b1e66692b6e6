import type { CustomerId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { FollowUp, Survey } from '../domain/followup.js';
import type { Interaction } from '../domain/interaction.js';
import type { NotificationRecord } from '../domain/notification.js';
import type { Offer } from '../domain/offer.js';
import type { Organization } from '../domain/organization.js';
import type { AuditEntry, Ticket } from '../domain/ticket.js';
import type { Duration } from '../domain/common.js';
import type { CommandOptions } from './options.js';

/** Everything the desk holds about one person (`desk.exportCustomerData`): JSON once stringified. */
export interface CustomerExport {
  /** The export's format, for whoever reads it later. */
  readonly format: 'omotenashi.customer-export/1';
  readonly exportedAt: Date;
  readonly customer: Customer;
  /** The organisations they belong to. */
  readonly organizations: ReadonlyArray<Organization>;
  /** Their tickets, each with its interactions and audit trail. */
  readonly tickets: ReadonlyArray<{ readonly ticket: Ticket; readonly interactions: ReadonlyArray<Interaction>; readonly audit: ReadonlyArray<AuditEntry> }>;
  /** Messages the outbox sent or meant to send them. */
  readonly notifications: ReadonlyArray<NotificationRecord>;
  readonly followUps: ReadonlyArray<FollowUp>;
  readonly surveys: ReadonlyArray<Survey>;
  readonly offers: ReadonlyArray<Offer>;
}

export type { ErasureReport } from '../domain/privacy.js';
import type { ErasureReport } from '../domain/privacy.js';

/** What `applyRetention` removed. */
export interface RetentionReport {
  /** Tickets whose interactions lost their words in this call. */
  readonly tickets: number;
  readonly interactions: number;
  /** Whether more tickets are due: call again (each call takes at most `limit`). */
  readonly more: boolean;
}

/** A person's data: export it, erase it, and keep conversations no longer than they are needed. */
export interface PrivacyMethods {
  /**
   * Everything the desk holds about a customer, for a subject access request: their record,
   * organisations, tickets with interactions and audit trails, messages, follow-ups, surveys and
   * offers. `JSON.stringify` it to hand it over.
   */
  exportCustomerData(customerId: CustomerId): Promise<CustomerExport>;
  /**
   * Erase a customer's personal data, in one unit of work on any storage adapter: their record
   * is anonymised (name, contacts, dates, notes, flags, custom fields, consent), their tickets,
   * interactions and audit entries lose their words, messages to them lose their address and
   * content (pending ones are cancelled), survey comments go, scheduled follow-ups are
   * cancelled, and their addresses and message ids are released. Ids, times, statuses, scores
   * and amounts stay, so metrics keep their counts. Each ticket gets an audit entry
   * `erase` naming who and why, and `customer.erased` reports what was erased. Erasing again
   * changes nothing.
   */
  eraseCustomer(customerId: CustomerId, options: CommandOptions & { readonly reason: string }): Promise<ErasureReport>;
  /**
   * Retention: the interactions of tickets closed longer ago than `closedFor` lose their words
   * and attachments (the tickets, their times and measures stay), at most `limit` tickets (100)
   * per call. Run it from a periodic job; each ticket is swept once (`ticket.bodiesRemovedAt`).
   * @example
   * await desk.applyRetention({ closedFor: 'P730D' }); // two years after closing
   */
  applyRetention(rule: { readonly closedFor: Duration; readonly limit?: number }, options?: CommandOptions): Promise<RetentionReport>;
}
