import * as z from 'zod';
import { toMillis, type CustomerId, type TicketId } from '../../domain/common.js';
import { interactionKeys } from '../../domain/interaction.js';
import type { Organization } from '../../domain/organization.js';
import type { AuditEntry, Ticket } from '../../domain/ticket.js';
import { deskEvent } from '../../events.js';
import { sameValue } from '../../internal/diff.js';
import { listAll, type HistoryRewrite, type KeyChange, type Put } from '../../ports/storage.js';
import { redactAudit, redactCustomer, redactInteraction, redactNotification, redactSurvey, redactTicket } from '../../privacy/redact.js';
import { contactKeyChanges } from '../contacts.js';
import { createReader, type Kernel, type Reader } from '../runtime.js';
import { RetentionRuleSchema, parse } from '../schemas.js';
import type { ErasureReport, PrivacyMethods } from '../service-desk-privacy.js';

const ReasonSchema = z.string({ error: 'say why the data is erased (a string), e.g. "the customer asked (GDPR art. 17)"' }).trim().min(1, 'say why the data is erased').max(1000);

/** Each history entry that changes when redacted, as a rewrite at its place. */
function rewritesOf<T extends object>(kind: HistoryRewrite['kind'], ticketId: TicketId, entries: ReadonlyArray<T>, redact: (e: T) => T): HistoryRewrite[] {
  const out: HistoryRewrite[] = [];
  entries.forEach((e, index) => {
    const record = redact(e);
    if (!sameValue(record, e)) out.push({ kind, ticketId, index, record } as HistoryRewrite);
  });
  return out;
}

async function histories(read: Pick<Reader, 'interactions' | 'audit'>, tickets: ReadonlyArray<Ticket>) {
  return Promise.all(tickets.map(async (ticket) => ({ ticket, interactions: await read.interactions(ticket.id), audit: await read.audit(ticket.id) })));
}

/** Exporting and erasing a person's data, and retention. */
export function privacyCommands(k: Kernel): PrivacyMethods {
  const { storage } = k;
  return {
    async exportCustomerData(customerId) {
      const read = createReader(storage);
      const customer = await read.load('customer', customerId);
      const [tickets, notifications, followUps, surveys, offers] = await Promise.all([
        listAll(storage, 'ticket', { requesterId: customerId }),
        listAll(storage, 'notification', { recipientId: customerId }),
        listAll(storage, 'followup', { customerId }),
        listAll(storage, 'survey', { customerId }),
        listAll(storage, 'offer', { customerId }),
      ]);
      const organizations = (await Promise.all((customer.organizationIds ?? []).map((id) => storage.get('organization', id)))).filter((o): o is Organization => o !== null);
      return { format: 'omotenashi.customer-export/1', exportedAt: k.now(), customer, organizations, tickets: await histories(read, tickets), notifications, followUps, surveys, offers };
    },

    async eraseCustomer(customerId, options) {
      const reason = parse(ReasonSchema, options?.reason, 'eraseCustomer reason');
      const actor = k.actorOf(options);
      return k.run(async (read) => {
        const customer = await read.load('customer', customerId);
        const now = k.now();
        const none: ErasureReport = { customerId: customerId as CustomerId, erased: false, at: now, by: actor, reason, tickets: 0, interactions: 0, auditEntries: 0, notifications: 0, surveys: 0, followUps: 0 };
        if (customer.erasure !== undefined) return { work: null, events: [], effects: [], result: { ...none, at: customer.erasure.at, by: customer.erasure.by, reason: customer.erasure.reason } };
        const [tickets, notifications, followUps, surveys] = await Promise.all([
          listAll(storage, 'ticket', { requesterId: customerId }),
          listAll(storage, 'notification', { recipientId: customerId }),
          listAll(storage, 'followup', { customerId, status: 'scheduled' }),
          listAll(storage, 'survey', { customerId }),
        ]);
        const bump = <T extends { version: number; updatedAt?: Date }>(r: T): T => ({ ...r, version: r.version + 1, ...('updatedAt' in r ? { updatedAt: now } : {}) });
        const erased = redactCustomer(customer, now, actor, reason);
        const puts: Put[] = [{ kind: 'customer', record: bump(erased), expectedVersion: customer.version }];
        const rewrites: HistoryRewrite[] = [];
        const audit: AuditEntry[] = [];
        const keys: KeyChange[] = [...(await contactKeyChanges(storage, erased, customer))];
        for (const { ticket, interactions, audit: trail } of await histories(read, tickets)) {
          const next = bump(redactTicket(ticket));
          puts.push({ kind: 'ticket', record: next, expectedVersion: ticket.version });
          rewrites.push(...rewritesOf('interaction', ticket.id, interactions, redactInteraction), ...rewritesOf('audit', ticket.id, trail, redactAudit));
          for (const i of interactions) for (const key of interactionKeys(i)) keys.push({ op: 'release', key, kind: 'ticket', id: ticket.id });
          audit.push({ ticketId: ticket.id, version: next.version, at: now, actor, action: 'erase', changes: [], reason: `the requester's personal data was erased: ${reason}` });
        }
        for (const n of notifications) puts.push({ kind: 'notification', record: bump(redactNotification(n)), expectedVersion: n.version });
        const answered = surveys.filter((s) => !sameValue(redactSurvey(s), s));
        for (const s of answered) puts.push({ kind: 'survey', record: bump(redactSurvey(s)), expectedVersion: s.version });
        for (const f of followUps) puts.push({ kind: 'followup', record: bump({ ...f, status: 'cancelled' as const }), expectedVersion: f.version });
        const report: ErasureReport = {
          ...none,
          erased: true,
          tickets: tickets.length,
          interactions: rewrites.filter((r) => r.kind === 'interaction').length,
          auditEntries: rewrites.filter((r) => r.kind === 'audit').length,
          notifications: notifications.length,
          surveys: answered.length,
          followUps: followUps.length,
        };
        const saved = puts[0]?.record as typeof erased;
        return { work: { puts, interactions: [], audit, rewrites, keys }, events: [deskEvent('customer.erased', { customer: saved, report, at: now, actor })], effects: [], result: report };
      }, true);
    },

    async applyRetention(rule, options) {
      const r = parse(RetentionRuleSchema, rule, 'applyRetention rule');
      const actor = k.actorOf(options);
      const limit = r.limit;
      const cutoff = k.now().getTime() - toMillis(r.closedFor, 'applyRetention rule.closedFor');
      // A ticket closed before the cutoff was created before it too: the listing skips the newer ones.
      const due = (await listAll(storage, 'ticket', { status: 'closed', createdBefore: new Date(cutoff + 1) })).filter((t) => t.bodiesRemovedAt === undefined && t.closedAt !== undefined && t.closedAt.getTime() <= cutoff);
      let interactions = 0;
      for (const ticket of due.slice(0, limit)) {
        interactions += await k.run(async (read) => {
          const current = await read.load('ticket', ticket.id);
          if (current.bodiesRemovedAt !== undefined) return { work: null, events: [], effects: [], result: 0 };
          const now = k.now();
          const rewrites = rewritesOf('interaction', current.id, await read.interactions(current.id), redactInteraction);
          const next: Ticket = { ...current, version: current.version + 1, updatedAt: now, bodiesRemovedAt: now };
          const entry: AuditEntry = { ticketId: current.id, version: next.version, at: now, actor, action: 'retention', changes: [{ field: 'bodiesRemovedAt', from: undefined, to: now }], reason: `closed longer than ${String(r.closedFor)}` };
          return { work: { puts: [{ kind: 'ticket', record: next, expectedVersion: current.version }], interactions: [], audit: [entry], rewrites }, events: [], effects: [], result: rewrites.length };
        }, true);
      }
      return { tickets: Math.min(due.length, limit), interactions, more: due.length > limit };
    },
  };
}
