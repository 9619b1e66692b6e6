import { ConfigError, ConflictError, ValidationError } from '../../errors.js';
import { normalizeEmail } from '../../domain/address.js';
import type { CustomerId, TicketId } from '../../domain/common.js';
import type { CustomerInput } from '../../domain/customer.js';
import type { Priority, TicketType } from '../../domain/ticket.js';
import type { ServiceDesk } from '../../desk/service-desk.js';
import type { AttachmentStorePort } from '../../ports/attachments.js';
import { isDeliveryReport, noiseReason, type IgnoreReason } from './noise.js';
import { parseMessage, type MailAddress, type ParsedMessage } from './parse.js';
import { createRateCaps, type RateCap } from './rate.js';
import type { ThreadTokens } from '../../internal/thread-token.js';
import { trimReply, type TrimmedReply } from './trim.js';
import { append, bounce, customerFor, ignored, keep, open, threadIds, threadOf, type IntakeContext } from './steps.js';

/** Limits on one message; what is over them is refused (`ignored`, `too_large`) or cut, never a crash. */
export interface EmailLimits {
  /** The whole message, in bytes (default 25 MB): larger ones are ignored as `too_large`. */
  readonly maxMessageBytes: number;
  /** The header block, in bytes (default 256 KB). */
  readonly maxHeaderBytes: number;
  /** The text kept on the interaction, in characters (default 100,000); longer text is cut with a note. */
  readonly maxBodyChars: number;
  /** Attachments per message (default 50); a message with more is ignored as `too_large`. */
  readonly maxAttachments: number;
  /** One attachment, in bytes (default 20 MB): a larger one is recorded without its bytes. */
  readonly maxAttachmentBytes: number;
}

const DEFAULT_LIMITS: EmailLimits = { maxMessageBytes: 25 * 1024 * 1024, maxHeaderBytes: 256 * 1024, maxBodyChars: 100_000, maxAttachments: 50, maxAttachmentBytes: 20 * 1024 * 1024 };

/** Options of {@link createEmailIntake}. */
export interface EmailIntakeOptions {
  /** The desk the messages go to. */
  readonly desk: ServiceDesk;
  /** The desk's own addresses (`support@desk.example`): mail from them is a loop, never a ticket. */
  readonly addresses: ReadonlyArray<string>;
  /** Ticket tokens (the same secret as the SMTP notifier's), for replies whose mailer dropped the threading headers. */
  readonly tokens?: ThreadTokens;
  /** Where attachment bytes and the raw source go; without one, attachments are recorded as metadata only. */
  readonly attachments?: AttachmentStorePort;
  /** Size limits (see {@link EmailLimits}). */
  readonly limits?: Partial<EmailLimits>;
  /** Loop caps: per sender (default 20 an hour) and per ticket (default 30 an hour). */
  readonly rate?: { readonly perSender?: RateCap; readonly perTicket?: RateCap };
  /** Reply trimming (default {@link trimReply}); `false` keeps the whole text. */
  readonly trim?: false | ((text: string) => TrimmedReply);
  /** How an unknown sender is registered (default: an external customer with the header's display name). */
  readonly newCustomer?: (from: MailAddress, message: ParsedMessage) => CustomerInput;
  /** Fields of tickets opened by e-mail. */
  readonly ticket?: { readonly type?: TicketType; readonly priority?: Priority; readonly tags?: ReadonlyArray<string>; readonly teamId?: string };
}

/** What happened to one message. */
export type EmailIntakeResult =
  | { readonly outcome: 'opened'; readonly messageId: string; readonly ticketId: TicketId; readonly interactionId: string | undefined; readonly customerId: CustomerId; readonly followUpOf?: TicketId }
  | { readonly outcome: 'appended'; readonly messageId: string; readonly ticketId: TicketId; readonly interactionId: string; readonly customerId: CustomerId; readonly via: ThreadedVia }
  | { readonly outcome: 'duplicate'; readonly messageId: string; readonly ticketId?: TicketId }
  | { readonly outcome: 'ignored'; readonly messageId?: string; readonly reason: IgnoreReason; readonly detail: string; readonly bounce?: BounceResult };

/** How a reply found its ticket. */
export type ThreadedVia = 'in-reply-to' | 'references' | 'token';

/** What a bounce did. */
export interface BounceResult {
  readonly notificationId: string;
  readonly recipient: string;
  readonly permanent: boolean;
  readonly status?: string;
  /** The customer whose address is now marked bouncing. */
  readonly customerId?: string;
}

/** The e-mail intake (see {@link createEmailIntake}). */
export interface EmailIntake {
  /** Take one raw RFC 5322 message (as received over SMTP or from a provider's inbound webhook). */
  receive(raw: string | Uint8Array | ArrayBuffer): Promise<EmailIntakeResult>;
}


function toBytes(raw: unknown): Uint8Array {
  if (typeof raw === 'string') return new TextEncoder().encode(raw);
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  throw new ValidationError('receive raw', [{ path: ['raw'], message: 'pass the raw message as a string, a Uint8Array (a Buffer) or an ArrayBuffer', code: 'custom' }]);
}


/**
 * The e-mail intake of a desk: `receive(raw)` turns a customer's message into a ticket, or into
 * an interaction on the ticket it answers, and ignores what no person wrote.
 *
 * In order: the message is parsed (postal-mime: charsets such as ISO-2022-JP and Shift_JIS,
 * encoded words, RFC 2231 names; HTML-only mail rendered as text); a delivery status notification
 * about a message the desk sent marks that message failed and the address bouncing; a Message-ID
 * already recorded is a `duplicate`; one the desk sent, mail from the desk's own addresses,
 * auto-replies, lists, bulk mail and spam verdicts are `ignored` with the reason; per-sender and
 * per-ticket caps stop loops. A reply is threaded by `In-Reply-To`, then every id in
 * `References`, then a ticket token in a plus address or the subject (a token without its
 * signature only when the sender already takes part in the ticket); a forwarded message, or one
 * that threads nowhere, opens a ticket for its sender. Senders are found by normalised address,
 * unknown ones registered as external customers (a colleague in cc who replies becomes a customer
 * of their own, the author of their message). The interaction keeps the new text only (quoted
 * history and signature trimmed); the raw message is kept in the attachment store as its source.
 *
 * @example
 * ```ts
 * import { createEmailIntake, createThreadTokens } from 'omotenashi/email';
 * const intake = createEmailIntake({ desk, addresses: ['support@desk.example'], tokens: createThreadTokens(secret) });
 * const r = await intake.receive(rawMessage);
 * if (r.outcome === 'ignored') console.log(`ignored: ${r.reason} (${r.detail})`);
 * ```
 * @throws ConfigError when `desk` or `addresses` is missing.
 */
export function createEmailIntake(options: EmailIntakeOptions): EmailIntake {
  const desk = options?.desk;
  if (desk === undefined || typeof desk.recordInteraction !== 'function') throw new ConfigError('createEmailIntake.desk', 'pass the desk the messages go to: createEmailIntake({ desk, addresses })');
  if (!Array.isArray(options.addresses) || options.addresses.length === 0) throw new ConfigError('createEmailIntake.addresses', "list the desk's own addresses, e.g. ['support@desk.example'], so its own mail is never taken for a customer's");
  const own = new Set(options.addresses.map(normalizeEmail));
  const ownDomains = new Set([...own].map((a) => a.split('@')[1] ?? ''));
  const limits: EmailLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const perSender = options.rate?.perSender ?? { count: 20, windowMs: 3_600_000 };
  const perTicket = options.rate?.perTicket ?? { count: 30, windowMs: 3_600_000 };
  const caps = createRateCaps();
  const trim = options.trim === false ? (text: string): TrimmedReply => ({ text: text.trim(), trimmed: false, cut: undefined }) : (options.trim ?? trimReply);
  const c: IntakeContext = { desk, options, limits, trim };

  async function receive(raw: string | Uint8Array | ArrayBuffer): Promise<EmailIntakeResult> {
    const bytes = toBytes(raw);
    if (bytes.length > limits.maxMessageBytes) return ignored('too_large', `the message is ${bytes.length} bytes, over the limit of ${limits.maxMessageBytes}`);
    let m: ParsedMessage;
    try {
      m = await parseMessage(bytes, { maxHeaderBytes: limits.maxHeaderBytes, maxParts: limits.maxAttachments });
    } catch (error) {
      return ignored(error instanceof RangeError ? 'too_large' : 'malformed', `the message could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (m.from === undefined) return ignored('no_sender', 'the message has no From address', m.messageId);
    if (isDeliveryReport(m)) return bounce(c, m);
    // One lookup for the message's own id (a repeat, or the desk's own mail) and its thread's.
    const matches = await desk.findMessages([m.messageId, ...threadIds(m)]);
    const known = matches.find((x) => x.messageId === m.messageId);
    if (known?.origin === 'received') return { outcome: 'duplicate', messageId: m.messageId, ...(known.ticketId === undefined ? {} : { ticketId: known.ticketId as TicketId }) };
    if (known?.origin === 'sent') return ignored('loop', 'it carries a Message-ID the desk sent itself', m.messageId);
    const noise = noiseReason(m, own, ownDomains);
    if (noise !== undefined) return ignored(noise.reason, noise.detail, m.messageId);
    const now = desk.clock.now();
    if (!caps.take(`sender:${m.from.address}`, perSender, now)) return ignored('rate_limited', `more than ${perSender.count} messages from ${m.from.address} in ${perSender.windowMs / 60_000} minutes`, m.messageId);
    const customer = await customerFor(c, m.from, m);
    const target = await threadOf(c, m, customer, matches);
    if (target !== undefined && !caps.take(`ticket:${target.ticketId}`, perTicket, now)) return ignored('rate_limited', `more than ${perTicket.count} messages on ticket ${target.ticketId} in ${perTicket.windowMs / 60_000} minutes`, m.messageId);
    const parts = await keep(c, m, bytes);
    try {
      return target === undefined ? await open(c, m, customer, parts) : await append(c, m, customer, parts, target);
    } catch (error) {
      // The same message delivered twice at once: the other delivery recorded it first.
      if (error instanceof ConflictError && (error.kind === 'key' || error.kind === 'source_id')) {
        const first = (await desk.findMessages([m.messageId]))[0];
        if (first?.origin === 'received') return { outcome: 'duplicate', messageId: m.messageId, ...(first.ticketId === undefined ? {} : { ticketId: first.ticketId as TicketId }) };
      }
      throw error;
    }
  }

  return { receive };
}
