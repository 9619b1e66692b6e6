import { createBusinessCalendar, type BusinessCalendar } from '../calendar/calendar.js';
import type { Channel } from '../domain/common.js';
import { activeFlags, type ContactPoint, type Customer } from '../domain/customer.js';
import type { FollowUpReason } from '../domain/followup.js';

const contactCalendars = new Map<string, BusinessCalendar>();

/**
 * The hours a customer may be contacted in: the complement of their quiet hours, in their own
 * time zone. Undefined when they have no quiet hours (any time will do).
 */
export function contactHours(customer: Pick<Customer, 'consent' | 'timeZone'>): BusinessCalendar | undefined {
  const quiet = customer.consent.quietHours;
  if (quiet === undefined || quiet.start === quiet.end) return undefined;
  const key = `${customer.timeZone}|${quiet.start}|${quiet.end}`;
  let cal = contactCalendars.get(key);
  if (cal === undefined) {
    const open: Array<[string, string]> =
      quiet.start < quiet.end
        ? ([['00:00', quiet.start], [quiet.end, '24:00']] as Array<[string, string]>).filter(([a, b]) => a !== b)
        : [[quiet.end, quiet.start]];
    cal = createBusinessCalendar({ timeZone: customer.timeZone, weekly: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: open, sun: open } });
    contactCalendars.set(key, cal);
  }
  return cal;
}

/** The first instant at or after `t` outside the customer's quiet hours. */
export function afterQuietHours(customer: Pick<Customer, 'consent' | 'timeZone'>, t: number): number {
  const hours = contactHours(customer);
  return hours === undefined ? t : hours.nextOpen(new Date(t)).getTime();
}

/**
 * Whether the customer may be contacted for this purpose now, or why not: a do-not-contact flag
 * or withdrawn follow-up consent stops every touch; marketing needs marketing consent too.
 */
export function contactRefusal(customer: Customer, purpose: 'service' | 'relationship' | 'marketing', now: Date): FollowUpReason | null {
  if (activeFlags(customer, now).some((f) => f.kind === 'do_not_contact')) return 'opted_out';
  if (!customer.consent.followUps) return 'opted_out';
  if (purpose === 'marketing' && !customer.consent.marketing) return 'opted_out';
  return null;
}

/**
 * The channel to use: the first of `channels` (`preferred` standing for the customer's
 * preferred channel, or their first non-postal contact point when they named none) that the
 * customer has not opted out of, has a contact point for, and `deliverable` accepts (a notifier
 * handles it). Null when none is left.
 */
export function chooseChannel(
  customer: Customer,
  channels: ReadonlyArray<Channel | 'preferred'>,
  deliverable: (channel: Channel) => boolean = () => true,
): { channel: Channel; contact: ContactPoint } | null {
  const opted = customer.consent.optedOutChannels;
  const live = customer.contacts.filter((p) => !('bouncing' in p && p.bouncing !== undefined));
  const usable = (c: Channel): ContactPoint | undefined => (opted.includes(c) || !deliverable(c) ? undefined : live.find((p) => p.channel === c));
  for (const wanted of channels) {
    if (wanted === 'preferred') {
      if (customer.preferredChannel !== undefined) {
        const contact = usable(customer.preferredChannel);
        if (contact !== undefined) return { channel: customer.preferredChannel, contact };
        continue;
      }
      const first = live.find((p) => p.channel !== 'postal' && !opted.includes(p.channel) && deliverable(p.channel));
      if (first !== undefined) return { channel: first.channel, contact: first };
      continue;
    }
    const contact = usable(wanted);
    if (contact !== undefined) return { channel: wanted, contact };
  }
  return null;
}

/** A contact point as one line a notifier can address: an e-mail address, a number, a handle, postal lines. */
export function contactAddress(contact: ContactPoint): string {
  switch (contact.channel) {
    case 'email':
      return contact.address;
    case 'phone':
    case 'sms':
      return contact.number;
    case 'chat':
      return contact.handle;
    case 'social':
      return `${contact.network}:${contact.handle}`;
    case 'postal':
      return [...contact.address.lines, [contact.address.postalCode, contact.address.locality, contact.address.region].filter(Boolean).join(' '), contact.address.country]
        .filter((l) => l !== '')
        .join('\n');
  }
}
