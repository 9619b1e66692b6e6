import type { Actor } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { Survey } from '../domain/followup.js';
import type { Interaction } from '../domain/interaction.js';
import type { NotificationRecord } from '../domain/notification.js';
import type { AuditEntry, FieldChange, Ticket } from '../domain/ticket.js';
import { omit } from '../internal/diff.js';

/** What erased text reads as. */
export const ERASED = '[erased]';

/** The display name an erased customer keeps. */
export const ERASED_NAME = 'Erased customer';

// Keys that exist on only some members of a union (an internal customer's role) go through this widening.
const without = <T extends object>(o: T, ...keys: string[]): T => omit(o as Record<string, unknown>, ...keys) as T;

/**
 * A customer with their personal data gone: name, contacts, addressing, birthday and other
 * dates, notes, flags, tags and custom fields removed; consent withdrawn; order ids dropped from
 * their purchases. What reports count stays: the kind, tier, segment, department, organisations,
 * purchases' products, dates and amounts, lifetime value, locale and time zone.
 */
export function redactCustomer(c: Customer, at: Date, by: Actor, reason: string): Customer {
  const kept = without(c, 'birthday', 'customerSince', 'preferredChannel', 'role', 'employeeId', 'organisation');
  return {
    ...kept,
    displayName: ERASED_NAME,
    addressing: { form: 'formal', firstNameUsePermitted: false },
    contacts: [],
    anniversaries: [],
    consent: { marketing: false, followUps: false, optedOutChannels: [] },
    purchases: c.purchases.map((p) => without(p, 'orderId')),
    tags: [],
    customFields: {},
    flags: [],
    notes: [],
    erasure: { at, by, reason },
  } as Customer;
}

/**
 * An interaction of an erased customer's ticket with what was said gone: subject, body, summary,
 * agreements, attachments, metadata and the author's name; the signals keep their kind and
 * label (metrics count them) without the words that matched.
 */
export function redactInteraction(i: Interaction): Interaction {
  const kept = without(i, 'externalId', 'externalAliases', 'consent', 'hold');
  return {
    ...kept,
    ...(i.subject === undefined ? {} : { subject: ERASED }),
    ...(i.body === undefined ? {} : { body: ERASED }),
    ...(i.summary === undefined ? {} : { summary: ERASED }),
    author: without(i.author, 'name') as Interaction['author'],
    agreed: [],
    attachments: [],
    metadata: {},
    signals: i.signals.map((s) => ({ ...s, text: ERASED })),
  };
}

/** A ticket of an erased customer without its words: subject, description, custom fields, resolution summary and notes. */
export function redactTicket(t: Ticket): Ticket {
  const kept = without(t, 'description', 'sourceId');
  return {
    ...kept,
    subject: ERASED,
    customFields: {},
    ...(t.resolution === undefined ? {} : { resolution: { ...t.resolution, summary: ERASED } }),
    ...(t.closure === undefined ? {} : { closure: without(t.closure, 'note') as NonNullable<Ticket['closure']> }),
    ...(t.hold === undefined ? {} : { hold: { ...without(t.hold, 'waitingOn'), reason: ERASED } }),
  };
}

const WORDY = /^(subject|description|customFields(\..*)?|resolution(\..*)?|closure(\..*)?|hold(\..*)?|sourceId)$/;

/** An audit entry of an erased customer's ticket with the words of its changes and its reason gone (the fields and actions stay). */
export function redactAudit(a: AuditEntry): AuditEntry {
  const changes = a.changes.map((c): FieldChange => (WORDY.test(c.field) ? { field: c.field, from: c.from === undefined ? undefined : ERASED, to: c.to === undefined ? undefined : ERASED } : c));
  return { ...a, changes, ...(a.reason === undefined ? {} : { reason: ERASED }) };
}

/** An outbox message to an erased customer: address, name, data and rendering gone; a pending one is cancelled. */
export function redactNotification(n: NotificationRecord): NotificationRecord {
  const kept = without(n, 'rendered');
  return { ...kept, to: { ...n.to, name: ERASED_NAME, address: ERASED }, data: {}, status: n.status === 'pending' ? 'cancelled' : n.status };
}

/** A survey of an erased customer: the scores stay (metrics count them), the words go. */
export function redactSurvey(s: Survey): Survey {
  return s.answer === undefined ? s : { ...s, answer: without(s.answer, 'reason', 'comment', 'suggestion') };
}
