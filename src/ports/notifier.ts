import type { RenderedMessage } from '../domain/notification.js';
import type { Channel, JsonValue } from '../domain/common.js';

/** Whom a notification goes to: a customer or an agent, with the address on the channel used. */
export interface NotificationRecipient {
  /** A customer or an agent. */
  readonly kind: 'customer' | 'agent';
  /** Their id. */
  readonly id: string;
  /** How to address them, as their profile says ("Ms Tanaka", 「田中様」, or the first name where permitted). */
  readonly name: string;
  /** The address on the channel: an e-mail address, an E.164 number, a handle, postal lines. */
  readonly address: string;
}

/** One message for a notifier to deliver. */
export interface Notification {
  /** The recipient. */
  readonly to: NotificationRecipient;
  /** The channel it goes out on. */
  readonly channel: Channel;
  /** The template key, e.g. `survey` or `birthday_greeting`. */
  readonly template: string;
  /** What the template is filled with (plain JSON). */
  readonly data: Readonly<Record<string, JsonValue>>;
  /** The recipient's locale (BCP 47), for choosing the template's language. */
  readonly locale: string;
  /**
   * Stable for one message however often it is retried: a notifier that has already delivered a
   * message with this key MUST NOT deliver it again and returns the same `externalId`.
   */
  readonly idempotencyKey: string;
  /**
   * The message rendered from the desk's templates (subject, text, HTML), when the desk has them.
   * Notifiers that need finished text (SMTP) use it; others may send `template` and `data`.
   */
  readonly rendered?: RenderedMessage | undefined;
  /**
   * For e-mail about a ticket: the thread it belongs to, so a notifier can set `In-Reply-To` and
   * `References` and mark the ticket in the subject or reply address, and the customer's reply
   * finds its ticket again.
   */
  readonly thread?: MessageThread | undefined;
}

/** The e-mail thread of a ticket, as the desk knows it when a message about it goes out. */
export interface MessageThread {
  /** The ticket the message is about. */
  readonly ticketId: string;
  /** The ticket's subject. */
  readonly subject: string;
  /** The message being answered: the customer's latest e-mail on the ticket, if any. */
  readonly inReplyTo?: string | undefined;
  /** Earlier message ids of the thread, oldest first (the first and the latest few). */
  readonly references: ReadonlyArray<string>;
}

/** What a notifier answers when a provider accepted a message. */
export interface SendResult {
  /** The id of the message (for e-mail, the Message-ID it carries). */
  readonly externalId: string;
  /** Other ids the provider knows the message by (Amazon SES replaces the Message-ID). */
  readonly aliases?: ReadonlyArray<string> | undefined;
}

/** What a notifier can do. */
export interface NotifierCapabilities {
  /** The channels it delivers on; the desk routes each notification to the first notifier that lists its channel. */
  readonly channels: ReadonlyArray<Channel>;
  /** Whether it remembers idempotency keys itself (otherwise the desk's records are the only guard). */
  readonly deduplicates: boolean;
}

/**
 * Delivers messages to customers and agents: e-mail, SMS, chat, postal (through a print
 * service), or anything the host app plugs in.
 *
 * Contract (checked by the notifier conformance tests in `omotenashi/testing`):
 * - `send` resolves with the provider's id of the message once the provider accepted it, and
 *   rejects when it did not (the desk retries later with the same idempotency key). Reject with
 *   a `DeliveryError` whose `retryable` is false when trying again cannot help (a 400, an
 *   unknown mailbox), so the message is dead-lettered at once; `retryAfterMs` asks for a pause.
 * - Sending twice with one `idempotencyKey` delivers once when `capabilities.deduplicates` is true.
 * - `send` never mutates the notification.
 */
export interface NotifierPort {
  /** A short name for error messages (`console`, `smtp`, `webhook`). */
  readonly name: string;
  /** What this notifier can do. */
  readonly capabilities: NotifierCapabilities;
  /** Deliver one message. */
  send(notification: Notification): Promise<SendResult>;
}

/**
 * What renders a named template for a recipient: the desk's `defineTemplates(...)` registry
 * satisfies it. Notifiers that render for themselves (the SMTP one, used outside a desk) take one.
 */
export interface MessageRenderer {
  /** Render template `name` in `locale` (falling back as the registry does) with `data`. */
  render(name: string, locale: string, data: Readonly<Record<string, JsonValue>>): RenderedMessage;
}
