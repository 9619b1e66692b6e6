import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { AgentId, Channel, JsonValue } from '../../domain/common.js';
import { activeFlags, salutationName } from '../../domain/customer.js';
import type { NotificationRecord } from '../../domain/notification.js';
import { chooseChannel, contactAddress } from '../../followup/contact.js';
import type { DeskConfig } from '../config.js';
import { notificationIdOf, type Outbox } from '../outbox.js';
import { outcomeOf, type Kernel } from '../runtime.js';
import { NotifyInputSchema, parse } from '../schemas.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import type { ServiceDesk } from '../service-desk.js';

type NotificationMethods = 'notify' | 'listNotifications' | 'getNotification' | 'retryNotification' | 'cancelNotification';

/** The outbox commands of a desk, and the relay job that delivers one message. */
export function notificationCommands(k: Kernel, config: DeskConfig, outbox: Outbox): { commands: Pick<ServiceDesk, NotificationMethods>; relay: (id: string) => Promise<void> } {
  const { storage } = k;
  const getNotification = async (id: string): Promise<NotificationRecord> => {
    const found = await storage.get('notification', id);
    if (found === null) throw new NotFoundError('notification', id, 'outbox ids are "ntf:" and the idempotency key');
    return found;
  };

  const commands: Pick<ServiceDesk, NotificationMethods> = {
    async notify(input, options) {
      const actor = k.actorOf(options);
      const data = parse(NotifyInputSchema, input, 'notify input');
      return k.run(async (read) => {
        const now = k.now();
        const key = data.key ?? k.newId('msg');
        const existing = await read.get('notification', notificationIdOf(key));
        // Asked again (the first answer was lost, say): the message stands, and its delivery is armed again.
        if (existing !== null) return outcomeOf(existing, existing.status === 'pending' ? { puts: [], events: [], effects: outbox.rearm(existing) } : undefined);
        const ticket = data.ticketId === undefined ? undefined : await read.load('ticket', data.ticketId);
        const assignee = ticket?.assigneeId === undefined ? null : await read.get('agent', ticket.assigneeId);
        const about: Record<string, JsonValue> = ticket === undefined ? {} : { ticketRef: ticket.id, ticketSubject: ticket.subject, ...(assignee === null ? {} : { agentName: assignee.name }) };
        const invalid = (path: string, message: string): never => {
          throw new ValidationError('notify input', [{ path: [path], message, code: 'custom' }]);
        };
        let message: Parameters<Outbox['queue']>[0];
        if (data.customerId !== undefined) {
          const customer = await read.load('customer', data.customerId);
          if (!data.urgent && activeFlags(customer, now).some((f) => f.kind === 'do_not_contact')) invalid('customerId', `customer "${customer.id}" is flagged do_not_contact: only urgent messages may go to them`);
          const deliverable = (c: Channel): boolean => outbox.notifierFor(c) !== undefined;
          const chosen = chooseChannel(customer, [data.channel ?? 'preferred'], deliverable);
          if (chosen === null) {
            invalid(
              'channel',
              data.channel === undefined
                ? `customer "${customer.id}" has no contact point on a channel a notifier delivers (${config.notifiers.flatMap((n) => n.capabilities.channels).join(', ') || 'no notifiers'}): add a contact point or a notifier`
                : `customer "${customer.id}" cannot be reached on "${data.channel}" (no contact point, opted out, or no notifier for it)`,
            );
          }
          const { channel, contact } = chosen as NonNullable<typeof chosen>;
          const name = salutationName(customer, customer.locale);
          message = { idempotencyKey: key, to: { kind: 'customer', id: customer.id, name, address: contactAddress(contact) }, channel, template: data.template, locale: customer.locale, data: { ...about, ...data.data }, urgent: data.urgent, customer, source: 'command' };
        } else {
          const agent = await read.load('agent', data.agentId as AgentId);
          const channel = data.channel ?? 'email';
          if (channel !== 'email') invalid('channel', `agents are reached by e-mail; "${channel}" needs a customer recipient`);
          if (outbox.notifierFor('email') === undefined) invalid('channel', 'no notifier delivers e-mail: pass one in createServiceDesk({ notifiers })');
          const address = agent.email ?? invalid('agentId', `agent "${agent.id}" has no e-mail address: set one with updateAgent`);
          message = { idempotencyKey: key, to: { kind: 'agent', id: agent.id, name: agent.name, address }, channel, template: data.template, locale: agent.languages[0] ?? config.templates?.defaultLocale ?? 'en', data: { ...about, ...data.data }, urgent: data.urgent, source: 'command' };
        }
        const queued = await outbox.queue({ ...message, ticketId: ticket?.id, notBefore: data.notBefore?.getTime() }, now, actor, undefined, read);
        return outcomeOf(queued.record, queued.addition);
      }, true);
    },

    async listNotifications(query = {}) {
      parse(QUERY_SCHEMAS.notification, query, 'listNotifications query');
      return storage.list('notification', query);
    },
    getNotification,
    async retryNotification(id, options) {
      const actor = k.actorOf(options);
      return k.run(async () => {
        const found = await getNotification(id);
        if (found.status !== 'failed') throw new ValidationError('retryNotification', [{ path: ['status'], message: `message "${id}" is ${found.status}; only failed (dead-lettered) messages can be retried`, code: 'custom' }]);
        const add = outbox.revive(found, k.now(), actor);
        return outcomeOf(add.puts[0]?.record as NotificationRecord, add);
      }, true);
    },
    async cancelNotification(id, options) {
      const actor = k.actorOf(options);
      return k.run(async () => {
        const found = await getNotification(id);
        if (found.status !== 'pending') throw new ValidationError('cancelNotification', [{ path: ['status'], message: `message "${id}" is ${found.status}; only pending messages can be cancelled`, code: 'custom' }]);
        const add = outbox.withdraw(found, k.now(), actor);
        return outcomeOf(add.puts[0]?.record as NotificationRecord, add);
      }, true);
    },
  };

  return { commands, relay: relayOf(k, outbox) };
}

/**
 * Deliver one outbox message: send it, then record the attempt. A crash after the send and
 * before the record leaves it pending, so the relay sends it again under the same idempotency
 * key and the notifier (or the receiver) drops the repeat.
 */
function relayOf(k: Kernel, outbox: Outbox): (id: string) => Promise<void> {
  const { storage } = k;
  return async function relay(id: string): Promise<void> {
    const due = await outbox.due(id, k.clock.now(), (cid) => storage.get('customer', cid));
    if (due.kind === 'none') {
      for (const e of due.effects) if (e.type === 'schedule') await k.scheduler.schedule(e.job);
      return;
    }
    if (due.kind === 'defer') {
      await k.run(async () => outcomeOf(undefined, due.addition), false);
      return;
    }
    const result = await outbox.attempt(due.record, k.now());
    try {
      await k.run(async () => outcomeOf(undefined, await outbox.settle(id, result, k.now())), (c) => c.kind !== 'key');
    } catch (error) {
      // A message id some other record holds must not keep a delivered message pending (it would
      // be sent again): it is recorded as sent without the lookup.
      if (!(error instanceof ConflictError && error.kind === 'key')) throw error;
      k.onError(error, { source: 'relay', notificationId: id });
      await k.run(async () => {
        const { keys: _dropped, ...rest } = await outbox.settle(id, result, k.now());
        return outcomeOf(undefined, rest);
      }, true);
    }
  };
}
