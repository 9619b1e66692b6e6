import { ConfigError, DeliveryError, isOmotenashiError } from '../errors.js';
import type { Actor, Channel, JsonValue, TicketId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { DeliveryAttempt, NotificationRecord } from '../domain/notification.js';
import { deskEvent } from '../events.js';
import { afterQuietHours } from '../followup/contact.js';
import { backoffDelay, jitterUnit, type Backoff } from '../domain/backoff.js';
import type { TemplateRegistry } from '../notify/templates.js';
import type { NotificationRecipient, NotifierPort } from '../ports/notifier.js';
import { listAll, type StoragePort } from '../ports/storage.js';
import { nothing, type Addition, type Effect } from './effects.js';
import { sentMessageKeys, threadOf } from './thread.js';

/** The scheduler job type of the outbox relay. */
export const NOTIFICATION_SEND = 'notification.send';
const jobKey = (id: string): string => `${NOTIFICATION_SEND}:${id}`;
const RELAY_ACTOR: Actor = Object.freeze({ kind: 'system' as const, name: 'outbox' });

/** The id of the outbox record of a message with this idempotency key. */
export const notificationIdOf = (idempotencyKey: string): string => `ntf:${idempotencyKey}`;

/** How the relay delivers: attempts before dead-lettering, and the wait between them. */
export interface DeliveryPolicy {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
}

/** A message to put in the outbox. */
export interface OutboxMessage {
  readonly idempotencyKey: string;
  readonly to: NotificationRecipient;
  readonly channel: Channel;
  readonly template: string;
  readonly locale: string;
  readonly data: Readonly<Record<string, JsonValue>>;
  readonly urgent: boolean;
  /** Not before this instant (default: now). */
  readonly notBefore?: number | undefined;
  /** The customer it goes to, for quiet hours. */
  readonly customer?: Pick<Customer, 'consent' | 'timeZone'> | undefined;
  readonly ticketId?: TicketId | undefined;
  readonly followUpId?: string | undefined;
  readonly source: string;
}

/** What one delivery attempt came to. */
type AttemptResult = { readonly ok: true; readonly notifier: string; readonly externalId: string; readonly aliases?: ReadonlyArray<string> | undefined } | { readonly ok: false; readonly attempt: DeliveryAttempt; readonly retryAfterMs: number | undefined };

const scheduleAt = (record: NotificationRecord): Effect => ({ type: 'schedule', job: { key: jobKey(record.id), at: record.nextAttemptAt.getTime(), type: NOTIFICATION_SEND, payload: { id: record.id } } });

/** A new outbox record for a message, due at `at`. */
function newRecord(message: OutboxMessage, id: string, rendered: { locale: string; subject?: string | undefined; text: string; html?: string | undefined } | undefined, at: number, now: Date, maxAttempts: number): NotificationRecord {
  return {
    id,
    version: 1,
    status: 'pending',
    idempotencyKey: message.idempotencyKey,
    to: { ...message.to },
    channel: message.channel,
    template: message.template,
    locale: message.locale,
    data: { ...message.data },
    ...(rendered === undefined ? {} : { rendered: { locale: rendered.locale, subject: rendered.subject, text: rendered.text, html: rendered.html } }),
    urgent: message.urgent,
    notBefore: new Date(at),
    nextAttemptAt: new Date(at),
    attempts: [],
    maxAttempts,
    ...(message.ticketId === undefined ? {} : { ticketId: message.ticketId }),
    ...(message.followUpId === undefined ? {} : { followUpId: message.followUpId }),
    source: message.source,
    createdAt: now,
    updatedAt: now,
  } as NotificationRecord;
}

/** Hand a message to a notifier. Never throws: a failure is an attempt to record. */
async function sendWith(notifier: NotifierPort, storage: StoragePort, record: NotificationRecord, now: Date): Promise<AttemptResult> {
  try {
    const thread = await threadOf(storage, record);
    const { externalId, aliases } = await notifier.send({
      to: record.to,
      channel: record.channel,
      template: record.template,
      data: record.data,
      locale: record.locale,
      idempotencyKey: record.idempotencyKey,
      ...(record.rendered === undefined ? {} : { rendered: record.rendered }),
      ...(thread === undefined ? {} : { thread }),
    });
    return { ok: true, notifier: notifier.name, externalId, aliases };
  } catch (error) {
    const delivery = error instanceof DeliveryError ? error : isOmotenashiError(error) && error.cause instanceof DeliveryError ? error.cause : undefined;
    return {
      ok: false,
      attempt: { at: now, notifier: notifier.name, ok: false, error: error instanceof Error ? error.message : String(error), code: isOmotenashiError(error) ? error.code : 'ADAPTER_FAILED', retryable: delivery?.retryable ?? true },
      retryAfterMs: delivery?.retryAfterMs,
    };
  }
}

/** Put a dead-lettered message back in line with a fresh set of attempts. */
function reviveRecord(record: NotificationRecord, now: Date, actor: Actor, maxAttempts: number): Addition {
  const again: NotificationRecord = { ...record, version: record.version + 1, status: 'pending', nextAttemptAt: now, maxAttempts: record.attempts.length + maxAttempts, updatedAt: now };
  delete (again as { failedAt?: Date }).failedAt;
  return { puts: [{ kind: 'notification', record: again, expectedVersion: record.version }], events: [deskEvent('notification.queued', { notification: again, at: now, actor })], effects: [scheduleAt(again)] };
}

/** Withdraw a pending message. */
function withdraw(record: NotificationRecord, now: Date, actor: Actor): Addition {
  const gone: NotificationRecord = { ...record, version: record.version + 1, status: 'cancelled', updatedAt: now };
  return { puts: [{ kind: 'notification', record: gone, expectedVersion: record.version }], events: [deskEvent('notification.cancelled', { notification: gone, at: now, actor })], effects: [{ type: 'cancel', key: jobKey(record.id) }] };
}

/** A failed attempt's records: dead-lettered after the last attempt or a final failure, else a retry after the backoff. */
function afterFailure(out: Addition, fresh: NotificationRecord, base: NotificationRecord, failure: Extract<AttemptResult, { ok: false }>, now: Date, policy: DeliveryPolicy): Addition {
  const attempts = [...fresh.attempts, failure.attempt];
  if (failure.attempt.retryable === false || attempts.length >= fresh.maxAttempts) {
    const dead: NotificationRecord = { ...base, status: 'failed', failedAt: now, attempts };
    out.puts.push({ kind: 'notification', record: dead, expectedVersion: fresh.version });
    out.events.push(deskEvent('notification.failed', { notification: dead, attempt: failure.attempt, at: now, actor: RELAY_ACTOR }));
    return out;
  }
  const wait = Math.max(backoffDelay(attempts.length, policy.backoff, jitterUnit(fresh.idempotencyKey, attempts.length)), failure.retryAfterMs ?? 0);
  const retryAt = new Date(now.getTime() + wait);
  const again: NotificationRecord = { ...base, nextAttemptAt: retryAt, attempts };
  out.puts.push({ kind: 'notification', record: again, expectedVersion: fresh.version });
  out.events.push(deskEvent('notification.retry_scheduled', { notification: again, attempt: failure.attempt, retryAt, at: now, actor: RELAY_ACTOR }));
  out.effects.push(scheduleAt(again));
  return out;
}

/**
 * The desk's outbox: messages are recorded in the unit of work of the change that caused them,
 * then a relay (a scheduler job per message) delivers each at least once, recording every
 * attempt, retrying with backoff and dead-lettering after the last attempt.
 */
export function createOutbox(deps: { storage: StoragePort; notifiers: ReadonlyArray<NotifierPort>; templates: TemplateRegistry | undefined; policy: DeliveryPolicy }) {
  const { storage, notifiers, templates, policy } = deps;
  const notifierFor = (channel: Channel): NotifierPort | undefined => notifiers.find((n) => n.capabilities.channels.includes(channel));

  /**
   * The record and additions for a new message, or nothing when a message with this key is
   * already in the outbox. Renders it now when the desk has templates, so a missing variable
   * fails the command that queued it rather than the relay.
   */
  async function queue(
    message: OutboxMessage,
    now: Date,
    actor: Actor,
    into: Addition = nothing(),
    read: Pick<StoragePort, 'get'> = storage,
  ): Promise<{ record: NotificationRecord; addition: Addition; created: boolean }> {
    const id = notificationIdOf(message.idempotencyKey);
    const existing = await read.get('notification', id);
    if (existing !== null) return { record: existing, addition: into, created: false };
    if (templates !== undefined && !templates.has(message.template)) {
      throw new ConfigError('template', `there is no template "${message.template}": add it to createServiceDesk({ templates: defineTemplates({ ... }) })`);
    }
    const rendered = templates?.render(message.template, message.locale, { ...message.data, recipientName: message.to.name });
    const t = now.getTime();
    const earliest = Math.max(t, message.notBefore ?? t);
    const at = message.urgent || message.customer === undefined ? earliest : afterQuietHours(message.customer, earliest);
    const record = newRecord(message, id, rendered, at, now, policy.maxAttempts);
    into.puts.push({ kind: 'notification', record, expectedVersion: null });
    into.events.push(deskEvent('notification.queued', { notification: record, at: now, actor }));
    into.effects.push(scheduleAt(record));
    return { record, addition: into, created: true };
  }

  /**
   * What the relay should do with a message now: nothing (gone, done, or not yet due, in which
   * case its job is set again), wait for the recipient's quiet hours, or send.
   */
  async function due(id: string, now: number, customer: (id: string) => Promise<Customer | null>): Promise<{ kind: 'none'; effects: Effect[] } | { kind: 'defer'; addition: Addition } | { kind: 'send'; record: NotificationRecord }> {
    const record = await storage.get('notification', id);
    if (record === null || record.status !== 'pending') return { kind: 'none', effects: [] };
    if (record.nextAttemptAt.getTime() > now) return { kind: 'none', effects: [scheduleAt(record)] };
    if (!record.urgent && record.to.kind === 'customer') {
      const c = await customer(record.to.id);
      const after = c === null ? now : afterQuietHours(c, now);
      if (after > now) {
        const moved: NotificationRecord = { ...record, version: record.version + 1, notBefore: new Date(after), nextAttemptAt: new Date(after), updatedAt: new Date(now) };
        return { kind: 'defer', addition: { puts: [{ kind: 'notification', record: moved, expectedVersion: record.version }], events: [], effects: [scheduleAt(moved)] } };
      }
    }
    return { kind: 'send', record };
  }

  /** Hand a message to the notifier for its channel. Never throws: a failure is an attempt to record. */
  async function attempt(record: NotificationRecord, now: Date): Promise<AttemptResult> {
    const notifier = notifierFor(record.channel);
    if (notifier === undefined) {
      return { ok: false, attempt: { at: now, ok: false, error: `no notifier delivers on "${record.channel}": pass one in createServiceDesk({ notifiers })`, code: 'CONFIG_INVALID', retryable: false }, retryAfterMs: undefined };
    }
    return sendWith(notifier, storage, record, now);
  }

  /**
   * The records to commit after an attempt: sent; or failed with a retry planned; or
   * dead-lettered. Read afresh, so an attempt that raced another relay changes nothing.
   */
  async function settle(id: string, result: AttemptResult, now: Date): Promise<Addition> {
    const out = nothing();
    const fresh = await storage.get('notification', id);
    if (fresh === null || fresh.status !== 'pending') return out;
    const base = { ...fresh, version: fresh.version + 1, updatedAt: now };
    if (result.ok) {
      const aliases = result.aliases?.filter((a) => a !== result.externalId) ?? [];
      const done: NotificationRecord = { ...base, status: 'sent', notifier: result.notifier, externalId: result.externalId, ...(aliases.length === 0 ? {} : { externalAliases: aliases }), sentAt: now, attempts: [...fresh.attempts, { at: now, notifier: result.notifier, ok: true }] };
      out.puts.push({ kind: 'notification', record: done, expectedVersion: fresh.version });
      out.events.push(deskEvent('notification.sent', { notification: done, at: now, actor: RELAY_ACTOR }));
      const keys = sentMessageKeys(done, result.externalId, aliases);
      return keys.length === 0 ? out : { ...out, keys };
    }
    return afterFailure(out, fresh, base, result, now, policy);
  }

  /** Relay jobs for every pending message (after a restart). */
  async function pendingJobs(): Promise<Effect[]> {
    return (await listAll(storage, 'notification', { status: 'pending' })).map(scheduleAt);
  }

  /** The delivery timer of a pending message, to set again (setting one that exists replaces it). */
  const rearm = (record: NotificationRecord): Effect[] => [scheduleAt(record)];
  const revive = (record: NotificationRecord, now: Date, actor: Actor): Addition => reviveRecord(record, now, actor, policy.maxAttempts);
  return { queue, due, attempt, settle, revive, withdraw, pendingJobs, notifierFor, rearm };
}

/** The outbox part of a desk (see {@link createOutbox}). */
export type Outbox = ReturnType<typeof createOutbox>;
