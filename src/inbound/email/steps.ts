import { ConflictError } from '../../errors.js';
import { normalizeEmail } from '../../domain/address.js';
import type { JsonValue, TicketId } from '../../domain/common.js';
import type { Customer } from '../../domain/customer.js';
import type { Attachment } from '../../domain/attachment.js';
import { readDeliveryReport } from './bounce.js';
import { sha256Hex } from '../../internal/digest.js';
import type { MailAddress, ParsedMessage } from './parse.js';
import type { TrimmedReply } from './trim.js';
import type { BounceResult, EmailIntakeOptions, EmailIntakeResult, EmailLimits, ThreadedVia } from './intake.js';
import type { IgnoreReason } from './noise.js';
import type { MessageMatch } from '../../desk/service-desk.js';

/** What the steps of the intake share: the desk, the options and the limits in force. */
export interface IntakeContext {
  readonly desk: EmailIntakeOptions['desk'];
  readonly options: EmailIntakeOptions;
  readonly limits: EmailLimits;
  readonly trim: (text: string) => TrimmedReply;
}

/** A message's attachments as referenced, those too large to keep, and where its source went. */
export interface Kept {
  readonly attachments: Attachment[];
  readonly refused: string[];
  readonly sourceKey: string | undefined;
}

const FORWARD = /^\s*(?:fwd?|fw|wg|tr|転送)\s*[:：]/i;
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100) || 'file';

/** An `ignored` outcome. */
export const ignored = (reason: IgnoreReason, detail: string, messageId?: string): EmailIntakeResult => ({ outcome: 'ignored', reason, detail, ...(messageId === undefined ? {} : { messageId }) });

/** A bounce for a message the desk sent: marked on the message and the address; any other report is only ignored. */
export async function bounce(c: IntakeContext, m: ParsedMessage): Promise<EmailIntakeResult> {
  const report = readDeliveryReport(m);
  if (report.messageId === undefined) return ignored('bounce', 'a delivery report that names no message', m.messageId);
  const match = (await c.desk.findMessages([report.messageId]))[0];
  if (match?.origin !== 'sent' || match.notificationId === undefined) return ignored('bounce', `a delivery report about ${report.messageId}, which the desk did not send`, m.messageId);
  const recipient = report.recipient ?? (await c.desk.getNotification(match.notificationId)).to.address;
  const r = await c.desk.recordBounce({ messageId: report.messageId, recipient, permanent: report.permanent, ...(report.status === undefined ? {} : { status: report.status }), ...(report.diagnostic === undefined ? {} : { diagnostic: report.diagnostic }) });
  const result: BounceResult = { notificationId: r.notification.id, recipient: normalizeEmail(recipient), permanent: report.permanent, ...(report.status === undefined ? {} : { status: report.status }), ...(r.customer === null || !report.permanent ? {} : { customerId: r.customer.id }) };
  return { outcome: 'ignored', reason: 'bounce', detail: `${report.permanent ? 'permanent failure' : 'delay'}${report.status === undefined ? '' : ` ${report.status}`} for ${recipient}`, messageId: m.messageId, bounce: result };
}

/** The ids a message's thread is asked by, in precedence order: `In-Reply-To`, then `References` from the latest. */
export const threadIds = (m: ParsedMessage): string[] => [...m.inReplyTo, ...[...m.references].reverse()].slice(0, 50);

/**
 * The ticket a reply belongs to: by its headers (the matches of {@link threadIds}, looked up with
 * the message's own id), then by a token the sender may use.
 */
export async function threadOf(c: IntakeContext, m: ParsedMessage, customer: Customer, known: ReadonlyArray<MessageMatch>): Promise<{ ticketId: TicketId; via: ThreadedVia } | undefined> {
  if (FORWARD.test(m.subject)) return undefined;
  const byId = new Map(known.filter((f) => f.ticketId !== undefined).map((f) => [f.messageId, f.ticketId as TicketId]));
  for (const id of threadIds(m)) {
    const ticketId = byId.get(id);
    if (ticketId !== undefined) return { ticketId, via: m.inReplyTo.includes(id) ? 'in-reply-to' : 'references' };
  }
  const token = await c.options.tokens?.find(m.subject, [...m.to.map((a) => a.address), ...m.cc.map((a) => a.address), ...m.deliveredTo]);
  if (token === undefined) return undefined;
  const ticket = await c.desk.getTicket(token.ticketId as TicketId).catch(() => null);
  if (ticket === null) return undefined;
  if (token.signed || ticket.requesterId === customer.id) return { ticketId: ticket.id, via: 'token' };
  const authors = (await c.desk.listInteractions(ticket.id)).map((i) => (i.author.kind === 'customer' ? i.author.id : undefined));
  return authors.includes(customer.id) ? { ticketId: ticket.id, via: 'token' } : undefined;
}

/** The sender as a customer: found by address, or registered (a racing registration finds the first). */
export async function customerFor(c: IntakeContext, from: MailAddress, m: ParsedMessage): Promise<Customer> {
  const found = await c.desk.findCustomerByContact({ email: from.address });
  if (found !== null) return found;
  const input = c.options.newCustomer?.(from, m) ?? {
    kind: 'external' as const,
    displayName: from.name || from.address.split('@')[0] || from.address,
    contacts: [{ channel: 'email' as const, address: from.address }],
    preferredChannel: 'email' as const,
    locale: JAPANESE.test(`${m.subject} ${m.text.slice(0, 2000)}`) ? 'ja' : 'en',
  };
  try {
    return await c.desk.registerCustomer(input, { by: { kind: 'system', name: 'email-intake' } });
  } catch (error) {
    if (!(error instanceof ConflictError && error.kind === 'key')) throw error;
    const again = await c.desk.findCustomerByContact({ email: from.address });
    if (again === null) throw error;
    return again;
  }
}

/** Attachments (their bytes in the store) and the raw source, as the interaction references them. */
export async function keep(c: IntakeContext, m: ParsedMessage, bytes: Uint8Array): Promise<Kept> {
  const store = c.options.attachments;
  // Named by a digest of the Message-ID, so no crafted id can name another message's files.
  const folder = store === undefined ? '' : `email/${(await sha256Hex(m.messageId)).slice(0, 32)}`;
  const attachments: Attachment[] = [];
  const refused: string[] = [];
  for (const [i, a] of m.attachments.entries()) {
    const ref: Attachment = { name: a.name, contentType: a.contentType, sizeBytes: a.bytes.length, inline: a.inline, ...(a.contentId === undefined ? {} : { contentId: a.contentId }) };
    if (store === undefined || a.bytes.length > c.limits.maxAttachmentBytes) {
      if (store !== undefined) refused.push(a.name);
      attachments.push(ref);
      continue;
    }
    const storageKey = `${folder}/${i + 1}-${safeName(a.name)}`;
    await store.put(storageKey, a.bytes, { contentType: a.contentType, name: a.name, sizeBytes: a.bytes.length });
    attachments.push({ ...ref, storageKey });
  }
  let sourceKey: string | undefined;
  if (store !== undefined) {
    sourceKey = `${folder}/source.eml`;
    await store.put(sourceKey, bytes, { contentType: 'message/rfc822', name: 'source.eml', sizeBytes: bytes.length });
  }
  return { attachments, refused, sourceKey };
}

/** The new text and what the interaction's metadata says about the message. */
function textOf(c: IntakeContext, m: ParsedMessage, parts: { refused: string[]; sourceKey: string | undefined }): { body: string | undefined; metadata: Record<string, JsonValue> } {
  const t = c.trim(m.text);
  const cut = t.text.length > c.limits.maxBodyChars;
  const body = cut ? `${t.text.slice(0, c.limits.maxBodyChars)}\n[… ${t.text.length - c.limits.maxBodyChars} more characters cut; the whole message is in its source]` : t.text;
  const email: Record<string, JsonValue> = {
    messageId: m.messageId,
    from: m.from?.address ?? null,
    to: m.to.map((a) => a.address),
    cc: m.cc.map((a) => a.address),
    ...(m.date === undefined ? {} : { date: m.date.toISOString() }),
    ...(m.inReplyTo.length === 0 ? {} : { inReplyTo: m.inReplyTo.slice(0, 5) }),
    trimmed: t.cut ?? false,
    html: m.fromHtml,
    sizeBytes: m.size,
    ...(parts.sourceKey === undefined ? {} : { source: parts.sourceKey }),
    ...(parts.refused.length === 0 ? {} : { attachmentsTooLarge: parts.refused }),
    ...(cut ? { cutAt: c.limits.maxBodyChars } : {}),
  };
  return { body: body === '' ? undefined : body, metadata: { email } };
}

export async function open(c: IntakeContext, m: ParsedMessage, customer: Customer, parts: Kept): Promise<EmailIntakeResult> {
  const { body, metadata } = textOf(c, m, parts);
  const t = c.options.ticket;
  const r = await c.desk.openTicket(
    {
      requesterId: customer.id,
      subject: m.subject.slice(0, 500) || '(no subject)',
      ...(body === undefined ? {} : { description: body }),
      channel: 'email',
      sourceId: m.messageId,
      message: { attachments: parts.attachments, metadata },
      ...(t?.type === undefined ? {} : { type: t.type }),
      ...(t?.priority === undefined ? {} : { priority: t.priority }),
      ...(t?.tags === undefined ? {} : { tags: [...t.tags] }),
      ...(t?.teamId === undefined ? {} : { teamId: t.teamId as never }),
    },
    { by: { kind: 'customer', id: customer.id, name: customer.displayName } },
  );
  if (!r.created) return { outcome: 'duplicate', messageId: m.messageId, ticketId: r.ticket.id };
  const first = (await c.desk.listInteractions(r.ticket.id))[0];
  return { outcome: 'opened', messageId: m.messageId, ticketId: r.ticket.id, interactionId: first?.id, customerId: customer.id };
}

export async function append(c: IntakeContext, m: ParsedMessage, customer: Customer, parts: Kept, target: { ticketId: TicketId; via: ThreadedVia }): Promise<EmailIntakeResult> {
  const { body, metadata } = textOf(c, m, parts);
  const r = await c.desk.recordInteraction(target.ticketId, {
    channel: 'email',
    author: { kind: 'customer', id: customer.id, name: customer.displayName },
    ...(m.subject === '' ? {} : { subject: m.subject.slice(0, 1000) }),
    body: body ?? (parts.attachments.length > 0 ? undefined : '(empty message)'),
    attachments: parts.attachments,
    externalId: m.messageId,
    metadata,
  });
  if (!r.recorded) return { outcome: 'duplicate', messageId: m.messageId, ticketId: r.ticket.id };
  if (r.ticket.id !== target.ticketId) return { outcome: 'opened', messageId: m.messageId, ticketId: r.ticket.id, interactionId: r.interaction.id, customerId: customer.id, followUpOf: target.ticketId };
  return { outcome: 'appended', messageId: m.messageId, ticketId: r.ticket.id, interactionId: r.interaction.id, customerId: customer.id, via: target.via };
}

