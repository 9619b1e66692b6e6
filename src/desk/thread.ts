import { messageKey } from '../domain/interaction.js';
import type { NotificationRecord } from '../domain/notification.js';
import type { TicketId } from '../domain/common.js';
import type { MessageThread } from '../ports/notifier.js';
import type { KeyChange, StoragePort } from '../ports/storage.js';

/** How many ids `References` keeps: the first of the thread and the latest ones (RFC 5322 §3.6.4 allows trimming the middle). */
const REFERENCES = 10;

const bare = (id: string): string => messageKey(id).slice('msg:'.length);

/**
 * The e-mail thread of the ticket a message is about, read when it goes out: the ticket's subject,
 * the customer's latest e-mail as `inReplyTo`, and the ids of the e-mails on the ticket and of the
 * desk's earlier messages about it, oldest first. Undefined for messages about no ticket or not by e-mail.
 */
export async function threadOf(storage: Pick<StoragePort, 'get' | 'history' | 'list'>, record: NotificationRecord): Promise<MessageThread | undefined> {
  if (record.channel !== 'email' || record.ticketId === undefined) return undefined;
  const ticket = await storage.get('ticket', record.ticketId);
  if (ticket === null) return undefined;
  const dated: Array<{ at: number; id: string }> = [];
  let inReplyTo: string | undefined;
  for (const i of await storage.history('interaction', record.ticketId as TicketId)) {
    if (i.channel !== 'email' || i.externalId === undefined) continue;
    dated.push({ at: i.at.getTime(), id: bare(i.externalId) });
    if (i.direction === 'inbound') inReplyTo = bare(i.externalId);
  }
  const sent = await storage.list('notification', { ticketId: record.ticketId, status: 'sent', limit: 100 });
  for (const n of sent.items) if (n.channel === 'email' && n.externalId !== undefined && n.sentAt !== undefined && n.id !== record.id) dated.push({ at: n.sentAt.getTime(), id: bare(n.externalId) });
  dated.sort((a, b) => a.at - b.at);
  const ids = [...new Set(dated.map((d) => d.id))];
  const references = ids.length <= REFERENCES ? ids : [ids[0] as string, ...ids.slice(ids.length - (REFERENCES - 1))];
  return { ticketId: ticket.id, subject: ticket.subject, ...(inReplyTo === undefined ? {} : { inReplyTo }), references };
}

/** The message-id keys a sent e-mail claims for its outbox record, so replies and bounces find it. */
export function sentMessageKeys(record: Pick<NotificationRecord, 'id' | 'channel'>, externalId: string, aliases: ReadonlyArray<string> | undefined): KeyChange[] {
  if (record.channel !== 'email') return [];
  return [...new Set([externalId, ...(aliases ?? [])].map(messageKey))].map((key) => ({ op: 'claim' as const, key, kind: 'notification' as const, id: record.id }));
}
