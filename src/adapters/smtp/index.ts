/**
 * `omotenashi/smtp`: a notifier that sends e-mail through a nodemailer transport you create
 * (`nodemailer` is an optional peer dependency: `npm install nodemailer`).
 * @module
 */
import { ConfigError, DeliveryError, isOmotenashiError } from '../../errors.js';
import type { MessageRenderer, MessageThread, Notification, NotifierPort } from '../../ports/notifier.js';
import type { ThreadTokens } from '../../internal/thread-token.js';
import { sha256Hex } from '../../internal/digest.js';

/** An address with a display name, as nodemailer takes it. */
export interface SmtpAddress {
  /** The display name ("Ms Tanaka", "Omotenashi Support"). */
  readonly name: string;
  /** The e-mail address. */
  readonly address: string;
}

/** The message the notifier hands to the transport (a subset of nodemailer's `SendMailOptions`). */
export interface SmtpMail {
  readonly from: string | SmtpAddress;
  readonly to: SmtpAddress;
  readonly replyTo?: string | SmtpAddress;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What the notifier needs of a transport: nodemailer's `Transporter` (from
 * `nodemailer.createTransport(...)`) fits, and so does anything with the same `sendMail`.
 */
export interface SmtpTransport {
  /** Send one message; resolves once the server accepted it. */
  sendMail(mail: SmtpMail): Promise<{ readonly messageId?: string; readonly accepted?: ReadonlyArray<unknown>; readonly rejected?: ReadonlyArray<unknown> }>;
}

/** Options of {@link createSmtpNotifier}. */
export interface SmtpNotifierOptions {
  /** A nodemailer transport you built: `nodemailer.createTransport({ host, port, auth })`. */
  readonly transport: SmtpTransport;
  /** The sender: `"support@example.com"` or `{ name: 'Example Support', address: 'support@example.com' }`. */
  readonly from: string | SmtpAddress;
  /** Where replies go, when not to `from` (the inbound address that opens tickets). */
  readonly replyTo?: string | SmtpAddress;
  /**
   * Templates to render messages that arrive without `rendered` content (the desk renders them
   * itself when it has templates; this is for using the notifier on its own).
   */
  readonly templates?: MessageRenderer;
  /** A name for errors and delivery records (default `smtp`). */
  readonly name?: string;
  /**
   * Ticket tokens for messages about a ticket (`createThreadTokens(secret)` from
   * `omotenashi/email`), so replies thread back even when a mailer drops `In-Reply-To` and
   * `References`. Without it, threading relies on those headers alone.
   */
  readonly tokens?: ThreadTokens;
  /**
   * Where the token goes: the subject (`Re: Invoice [#tkt_0042.k3j5h2g9ab]`, the default), a
   * plus address in `Reply-To` (`support+tkt_0042.k3j5h2g9ab@desk.example`; your inbound
   * mailbox must accept plus addresses), or both.
   */
  readonly tokenIn?: 'subject' | 'address' | 'both';
}

const addressOf = (from: string | SmtpAddress): string => (typeof from === 'string' ? from.replace(/^.*<([^>]+)>\s*$/, '$1') : from.address);

/** Whether an SMTP failure may pass if tried later: connection trouble and 4xx replies yes, 5xx replies and bad envelopes no. */
function classify(error: unknown): DeliveryError {
  if (isOmotenashiError(error) && error instanceof DeliveryError) return error;
  const e = error as { message?: unknown; code?: unknown; responseCode?: unknown; response?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const reason = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  if (status !== undefined && status >= 500) return new DeliveryError(`the mail server refused the message (${status}): ${reason}; check the recipient's address`, { retryable: false, status, cause: error });
  if (code === 'EENVELOPE' && status === undefined) return new DeliveryError(`the message has no valid recipient: ${reason}`, { retryable: false, cause: error });
  return new DeliveryError(`could not hand the message to the mail server${code === undefined ? '' : ` (${code})`}: ${reason}`, { retryable: true, ...(status === undefined ? {} : { status }), cause: error });
}

/**
 * A notifier that sends e-mail through a nodemailer transport: the rendered subject, a
 * plain-text part and an HTML part, addressed by the recipient's name as their profile says.
 * The `Message-ID` is derived from the idempotency key, so a message re-sent after a crash
 * carries the same id and mail clients show it once; the key is also in the
 * `X-Omotenashi-Idempotency-Key` header. SMTP itself cannot refuse a repeat, so
 * `capabilities.deduplicates` is false.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 * import { createSmtpNotifier } from 'omotenashi/smtp';
 * const smtp = createSmtpNotifier({
 *   transport: nodemailer.createTransport({ host: 'smtp.example.com', port: 587, auth: { user, pass } }),
 *   from: { name: 'Example Support', address: 'support@example.com' },
 * });
 * const desk = createServiceDesk({ storage, notifiers: [smtp], templates });
 * ```
 * @throws ConfigError when the transport or the sender is missing.
 */
export function createSmtpNotifier(options: SmtpNotifierOptions): NotifierPort {
  if (typeof options.transport?.sendMail !== 'function') {
    throw new ConfigError('createSmtpNotifier.transport', 'pass a nodemailer transport: nodemailer.createTransport({ host, port, auth }) (npm install nodemailer)');
  }
  const fromAddress = options.from === undefined ? '' : addressOf(options.from);
  if (!/^[^@\s]+@[^@\s]+$/.test(fromAddress)) throw new ConfigError('createSmtpNotifier.from', 'give the sender as "support@example.com" or { name, address }');
  const domain = fromAddress.split('@')[1] as string;
  const name = options.name ?? 'smtp';
  const tokenIn = options.tokenIn ?? 'subject';
  const replyBase = options.replyTo === undefined ? fromAddress : addressOf(options.replyTo);

  /** `In-Reply-To`, `References`, and the ticket token in the subject or the reply address. */
  async function threadHeaders(thread: MessageThread | undefined, subject: string): Promise<{ subject: string; replyTo?: string | SmtpAddress; headers: Record<string, string> }> {
    const plain = options.replyTo === undefined ? {} : { replyTo: options.replyTo };
    if (thread === undefined) return { subject, ...plain, headers: {} };
    const angle = (id: string): string => `<${id.replace(/^<|>$/g, '')}>`;
    const headers: Record<string, string> = {};
    if (thread.inReplyTo !== undefined) headers['In-Reply-To'] = angle(thread.inReplyTo);
    if (thread.references.length > 0) headers['References'] = thread.references.map(angle).join(' ');
    const tokens = options.tokens;
    const tagged = tokens !== undefined && tokenIn !== 'address' ? await tokens.tagSubject(subject, thread.ticketId) : subject;
    if (tokens === undefined || tokenIn === 'subject') return { subject: tagged, ...plain, headers };
    const plus = await tokens.plusAddress(replyBase, thread.ticketId);
    const display = typeof options.replyTo === 'object' ? options.replyTo.name : typeof options.from === 'object' ? options.from.name : undefined;
    return { subject: tagged, replyTo: display === undefined ? plus : { name: display, address: plus }, headers };
  }

  return {
    name,
    capabilities: { channels: ['email'], deduplicates: false },
    async send(notification: Notification) {
      if (notification.channel !== 'email') throw new DeliveryError(`${name} delivers e-mail only, not "${notification.channel}"`, { retryable: false });
      const content = notification.rendered ?? options.templates?.render(notification.template, notification.locale, { ...notification.data, recipientName: notification.to.name });
      if (content === undefined) {
        throw new DeliveryError(`message "${notification.idempotencyKey}" has no rendered text: pass createServiceDesk({ templates }) or createSmtpNotifier({ templates })`, { retryable: false });
      }
      const messageId = `<${(await sha256Hex(notification.idempotencyKey)).slice(0, 32)}@${domain}>`;
      const threaded = await threadHeaders(notification.thread, content.subject);
      try {
        const info = await options.transport.sendMail({
          from: options.from,
          to: { name: notification.to.name, address: notification.to.address },
          ...(threaded.replyTo === undefined ? {} : { replyTo: threaded.replyTo }),
          subject: threaded.subject,
          text: content.text,
          html: content.html,
          messageId,
          headers: { 'X-Omotenashi-Idempotency-Key': notification.idempotencyKey, 'Content-Language': content.locale, ...threaded.headers },
        });
        if ((info.accepted?.length ?? 1) === 0 && (info.rejected?.length ?? 0) > 0) {
          throw new DeliveryError(`the mail server rejected ${notification.to.address}`, { retryable: false });
        }
        // The id the provider reports (Amazon SES sets its own) is kept as an alias of ours.
        const reported = typeof info.messageId === 'string' && info.messageId !== '' && info.messageId !== messageId ? [info.messageId] : [];
        return { externalId: messageId, ...(reported.length === 0 ? {} : { aliases: reported }) };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}
