import * as z from 'zod';
import { NotFoundError } from '../../errors.js';
import { emailKey } from '../../domain/address.js';
import type { Customer } from '../../domain/customer.js';
import { messageKey } from '../../domain/interaction.js';
import { BounceInputSchema, type NotificationRecord } from '../../domain/notification.js';
import { deskEvent } from '../../events.js';
import type { Put } from '../../ports/storage.js';
import { outcomeOf, type Kernel } from '../runtime.js';
import { parse } from '../schemas.js';
import type { MessageMatch, ServiceDesk } from '../service-desk.js';

/** The e-mail lookups and records of a desk: which ticket a message id belongs to, and bounces. */
export function emailCommands(k: Kernel): Pick<ServiceDesk, 'findMessages' | 'recordBounce'> {
  const { storage } = k;
  async function findMessages(messageIds: ReadonlyArray<string>): Promise<MessageMatch[]> {
    const ids = parse(z.array(z.string().min(1).max(1000)).max(200), messageIds, 'findMessages messageIds');
    if (ids.length === 0) return [];
    const owners = new Map((await storage.findKeys(ids.map(messageKey))).map((o) => [o.key, o]));
    const out: MessageMatch[] = [];
    for (const id of ids) {
      const owner = owners.get(messageKey(id));
      if (owner === undefined) continue;
      if (owner.kind === 'ticket') out.push({ messageId: id, origin: 'received', ticketId: owner.id });
      else if (owner.kind === 'notification') {
        const n = await storage.get('notification', owner.id);
        if (n !== null) out.push({ messageId: id, origin: 'sent', notificationId: n.id, ...(n.ticketId === undefined ? {} : { ticketId: n.ticketId }) });
      }
    }
    return out;
  }

  return {
    findMessages,
    async recordBounce(input, options) {
      const actor = k.actorOf(options);
      const data = parse(BounceInputSchema, input, 'recordBounce input');
      return k.run(async (read) => {
        const owner = (await storage.findKeys([messageKey(data.messageId)])).find((o) => o.kind === 'notification');
        if (owner === undefined) throw new NotFoundError('message', data.messageId, 'the desk sent no e-mail with this Message-ID');
        const notification = await read.load('notification', owner.id);
        const now = k.now();
        const puts: Put[] = [];
        let marked: NotificationRecord = notification;
        if (data.permanent && notification.status !== 'failed' && notification.status !== 'cancelled') {
          const error = `bounced${data.status === undefined ? '' : ` (${data.status})`}: ${data.diagnostic ?? 'the receiving server refused the message'}`;
          marked = { ...notification, version: notification.version + 1, status: 'failed', failedAt: now, updatedAt: now, attempts: [...notification.attempts, { at: now, ok: false, error, code: 'DELIVERY_FAILED', retryable: false }] };
          puts.push({ kind: 'notification', record: marked, expectedVersion: notification.version });
        }
        const customer = data.permanent ? await bouncingCustomer(data.recipient, notification) : null;
        let saved: Customer | undefined;
        if (customer !== null) {
          const contacts = customer.contacts.map((c) =>
            c.channel === 'email' && c.address === data.recipient && c.bouncing === undefined
              ? { ...c, bouncing: { at: now, ...(data.status === undefined ? {} : { status: data.status }), ...(data.diagnostic === undefined ? {} : { diagnostic: data.diagnostic }) } }
              : c,
          );
          if (contacts.some((c, i) => c !== customer.contacts[i])) {
            saved = { ...customer, contacts, version: customer.version + 1, updatedAt: now };
            puts.push({ kind: 'customer', record: saved, expectedVersion: customer.version });
          }
        }
        const event = deskEvent('notification.bounced', { notification: marked, recipient: data.recipient, permanent: data.permanent, status: data.status, diagnostic: data.diagnostic, customer: saved, at: now, actor });
        return outcomeOf({ notification: marked, customer: saved ?? customer }, { puts, events: [event], effects: [] });

        async function bouncingCustomer(recipient: string, n: NotificationRecord): Promise<Customer | null> {
          const holder = (await storage.findKeys([emailKey(recipient)])).find((o) => o.kind === 'customer');
          const id = holder?.id ?? (n.to.kind === 'customer' ? n.to.id : undefined);
          return id === undefined ? null : read.get('customer', id);
        }
      }, true);
    },
  };
}
