import PostalMime from 'postal-mime';
import type { Address, Email, Attachment as MimeAttachment } from 'postal-mime';
import { normalizeEmail } from '../../domain/address.js';
import { htmlToText } from './html.js';
import { sha256Hex } from '../../internal/digest.js';

/** A sender or recipient: the normalised address and the display name from the header. */
export interface MailAddress {
  readonly address: string;
  readonly name: string;
}

/** One attachment of a parsed message: what it is, and its bytes. */
export interface ParsedAttachment {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly contentId?: string;
  readonly inline: boolean;
}

/** A message parsed into what the intake decides on. */
export interface ParsedMessage {
  /** Its Message-ID without angle brackets (made up from its bytes when it has none). */
  readonly messageId: string;
  /** Whether the Message-ID was made up. */
  readonly syntheticId: boolean;
  readonly inReplyTo: ReadonlyArray<string>;
  readonly references: ReadonlyArray<string>;
  readonly from: MailAddress | undefined;
  readonly replyTo: ReadonlyArray<MailAddress>;
  readonly to: ReadonlyArray<MailAddress>;
  readonly cc: ReadonlyArray<MailAddress>;
  readonly deliveredTo: ReadonlyArray<string>;
  readonly subject: string;
  readonly date: Date | undefined;
  /** The plain text: the text part, or the HTML part rendered as text. */
  readonly text: string;
  /** Whether `text` came from the HTML part. */
  readonly fromHtml: boolean;
  readonly attachments: ReadonlyArray<ParsedAttachment>;
  /** Header values by lower-case name (every occurrence). */
  readonly headers: ReadonlyMap<string, ReadonlyArray<string>>;
  /** The content type of the top part, lower case, with its parameters. */
  readonly contentType: string;
  /** The message's size in bytes. */
  readonly size: number;
}

/** Limits on what one message may be; over them it is refused or cut (see {@link EmailLimits}). */
export interface ParseLimits {
  readonly maxHeaderBytes: number;
  readonly maxParts: number;
}

const ID = /<([^<>\s]+)>/g;
/** Message ids in a header (`<a@b> <c@d>`), without brackets; a bare id without brackets too. */
export function messageIds(value: string | undefined): string[] {
  if (value === undefined) return [];
  const found = [...value.matchAll(ID)].map((m) => m[1] as string);
  if (found.length > 0) return found;
  const bare = value.trim();
  return /^[^\s<>@]+@[^\s<>@]+$/.test(bare) ? [bare] : [];
}

/** Control characters (a CR/LF hidden in an encoded word) become spaces: a decoded header never spans lines. */
export const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();

function flatten(list: ReadonlyArray<Address> | Address | undefined): MailAddress[] {
  if (list === undefined) return [];
  const out: MailAddress[] = [];
  for (const a of Array.isArray(list) ? list : [list]) {
    if (a.group !== undefined) {
      for (const m of a.group) if (m.address) out.push({ address: normalizeEmail(m.address), name: oneLine(m.name) });
    } else if (a.address) out.push({ address: normalizeEmail(a.address), name: oneLine(a.name) });
  }
  return out;
}

const toBytes = (c: MimeAttachment['content']): Uint8Array => (typeof c === 'string' ? new TextEncoder().encode(c) : c instanceof Uint8Array ? c : new Uint8Array(c));

/** The header block's size: everything before the first empty line. */
function headerBytes(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 10 && (bytes[i + 1] === 10 || (bytes[i + 1] === 13 && bytes[i + 2] === 10))) return i + 1;
  }
  return bytes.length;
}

/**
 * Parse a raw RFC 5322 message with postal-mime (charsets, encoded words, RFC 2231 names): the
 * ids, addresses normalised, the subject on one line, the text (or the HTML rendered as text), and
 * the attachments. Throws the parser's error for a message it cannot read, or a RangeError for one
 * over the limits; the intake turns both into an `ignored` outcome.
 */
export async function parseMessage(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedMessage> {
  if (headerBytes(bytes) > limits.maxHeaderBytes) throw new RangeError(`the header block is over ${limits.maxHeaderBytes} bytes`);
  const mail: Email = await PostalMime.parse(bytes, { maxHeadersSize: limits.maxHeaderBytes, maxNestingDepth: 20, forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  if (mail.attachments.length > limits.maxParts) throw new RangeError(`the message has ${mail.attachments.length} attachments, over ${limits.maxParts}`);
  const headers = new Map<string, string[]>();
  for (const h of mail.headers) headers.set(h.key, [...(headers.get(h.key) ?? []), h.value]);
  const declared = messageIds(mail.messageId)[0];
  const text = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
  const date = mail.date === undefined ? undefined : new Date(mail.date);
  return {
    messageId: declared ?? `${await sha256Hex(bytes)}@omotenashi.invalid`,
    syntheticId: declared === undefined,
    inReplyTo: messageIds(mail.inReplyTo),
    references: messageIds(mail.references),
    from: flatten(mail.from)[0],
    replyTo: flatten(mail.replyTo),
    to: flatten(mail.to),
    cc: flatten(mail.cc),
    deliveredTo: [...(headers.get('delivered-to') ?? []), ...(headers.get('x-original-to') ?? []), ...(headers.get('envelope-to') ?? [])].map((a) => normalizeEmail(a)),
    subject: oneLine(mail.subject ?? ''),
    date: date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined,
    text: text.replace(/\r\n?/g, '\n'),
    fromHtml: !mail.text?.trim() && mail.html !== undefined,
    attachments: mail.attachments.map((a) => ({
      name: oneLine(a.filename ?? '') || (a.mimeType === 'message/rfc822' ? 'message.eml' : 'attachment'),
      contentType: a.mimeType,
      bytes: toBytes(a.content),
      ...(a.contentId === undefined ? {} : { contentId: a.contentId.replace(/^<|>$/g, '') }),
      inline: a.disposition === 'inline' || a.related === true,
    })),
    headers,
    contentType: (headers.get('content-type')?.[0] ?? 'text/plain').toLowerCase(),
    size: bytes.length,
  };
}
