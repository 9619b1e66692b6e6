import type { Actor, AgentId, JsonValue } from '../../domain/common.js';
import { activeFlags, salutationName, type Customer } from '../../domain/customer.js';
import type { EscalationAction } from '../../domain/escalation.js';
import type { Ticket } from '../../domain/ticket.js';
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { deskEvent } from '../../events.js';
import { chooseChannel, contactAddress, contactHours } from '../../followup/contact.js';
import type { Addition } from '../effects.js';
import type { DeskConfig } from '../config.js';
import type { Outbox } from '../outbox.js';
import type { Kernel, Reader } from '../runtime.js';

/** Who the audit trail and events credit for what escalation rules do. */
export const ESCALATION_ACTOR: Actor = Object.freeze({ kind: 'system' as const, name: 'escalation rules' });

/** One notice an escalation rule asked for, on one ticket, for one trigger occurrence. */
export interface Notice {
  readonly ticketId: string;
  readonly ruleId: string;
  readonly occurrence: string;
  readonly action: Extract<EscalationAction, { type: 'notify' }>;
}

/** How escalation notices reach people: through the outbox, at their working hours or after their quiet hours. */
export function escalationNotices(kernel: Kernel, config: DeskConfig, outbox: Outbox) {
  const calendars = config.sla?.calendars ?? new Map<string, BusinessCalendar>();
  const parts = { outbox };
  /** The people a notice goes to, resolved on the ticket as the command leaves it. */
  async function recipientsOf(notice: Notice, ticket: Ticket, read: Reader): Promise<{ agents: string[]; customer: boolean }> {
    const people = new Set<string>();
    let toCustomer = false;
    for (const r of notice.action.recipients) {
      if ('agentId' in r) people.add(r.agentId);
      else if (r.role === 'customer') toCustomer = true;
      else if (r.role === 'assignee' && ticket.assigneeId !== undefined) people.add(ticket.assigneeId);
      else if (r.role === 'team_lead') {
        const lead = (await read.teams()).find((x) => x.id === ticket.teamId)?.leadId;
        if (lead !== undefined) people.add(lead);
      } else if (r.role === 'manager' && ticket.assigneeId !== undefined) {
        const manager = (await read.agents()).find((a) => a.id === ticket.assigneeId)?.managerId;
        if (manager !== undefined) people.add(manager);
      }
    }
    return { agents: [...people], customer: toCustomer };
  }

  /**
   * Queue a rule's notices in the outbox: each recipient's message waits for their working hours
   * (an agent's calendar) or quiet hours (a customer's) unless urgent. A recipient who cannot be
   * reached (no e-mail address, no usable channel, do-not-contact) is reported, not fatal.
   */
  async function queueNotices(notices: ReadonlyArray<Notice>, finals: ReadonlyMap<string, Ticket>, read: Reader, now: Date, out: Addition): Promise<void> {
    for (const notice of notices) {
      const ticket = finals.get(notice.ticketId) ?? (await read.load('ticket', notice.ticketId));
      const { agents: ids, customer: toCustomer } = await recipientsOf(notice, ticket, read);
      const assignee = ticket.assigneeId === undefined ? undefined : (await read.agents()).find((a) => a.id === ticket.assigneeId);
      const data: Record<string, JsonValue> = { ticketRef: ticket.id, ticketSubject: ticket.subject, ruleId: notice.ruleId, ...(assignee === undefined ? {} : { agentName: assignee.name }) };
      const unreachable = (recipient: string, why: string): void => {
        kernel.onError(new Error(`escalation rule "${notice.ruleId}" could not notify ${recipient}: ${why}`), { source: 'escalation', ticketId: ticket.id, trigger: notice.occurrence });
      };
      const queue = async (to: { kind: 'agent' | 'customer'; id: string; name: string; address: string }, channel: Parameters<Outbox['queue']>[0]['channel'], locale: string, notBefore: number, customer: Customer | undefined): Promise<void> => {
        const key = `esc:${ticket.id}:${notice.ruleId}:${notice.occurrence}:${to.id}`;
        const q = await parts.outbox.queue(
          { idempotencyKey: key, to, channel, template: notice.action.template, locale, data, urgent: notice.action.urgent, notBefore, customer, ticketId: ticket.id, source: 'escalation' },
          now,
          ESCALATION_ACTOR,
          out,
          read,
        );
        if (!q.created) return;
        const recipient = to.kind === 'agent' ? { kind: 'agent' as const, agentId: to.id as AgentId } : { kind: 'customer' as const, customerId: to.id };
        out.events.push(deskEvent('escalation.notify', { ticket, ruleId: notice.ruleId, template: notice.action.template, urgent: notice.action.urgent, recipient, requestedAt: now, sendAt: q.record.nextAttemptAt, notificationId: q.record.id, at: now, actor: ESCALATION_ACTOR }));
      };
      for (const id of ids) {
        const agent = (await read.agents()).find((a) => a.id === id);
        if (agent === undefined) continue;
        if (agent.email === undefined) {
          unreachable(`agent "${agent.id}"`, 'the agent has no e-mail address (set one with updateAgent)');
          continue;
        }
        if (parts.outbox.notifierFor('email') === undefined) {
          unreachable(`agent "${agent.id}"`, 'no notifier delivers e-mail');
          continue;
        }
        const calendar = agent.calendar === undefined ? undefined : calendars.get(agent.calendar);
        const at = notice.action.urgent || calendar === undefined ? now.getTime() : calendar.nextOpen(now).getTime();
        await queue({ kind: 'agent', id: agent.id, name: agent.name, address: agent.email }, 'email', agent.languages[0] ?? config.templates?.defaultLocale ?? 'en', at, undefined);
      }
      if (toCustomer) {
        const customer = await read.load('customer', ticket.requesterId);
        if (!notice.action.urgent && activeFlags(customer, now).some((f) => f.kind === 'do_not_contact')) {
          unreachable(`customer "${customer.id}"`, 'the customer is flagged do_not_contact (only urgent notices go to them)');
          continue;
        }
        const chosen = chooseChannel(customer, ['preferred'], (c) => parts.outbox.notifierFor(c) !== undefined);
        if (chosen === null) {
          unreachable(`customer "${customer.id}"`, 'no contact point on a channel a notifier delivers');
          continue;
        }
        const quiet = notice.action.urgent ? undefined : contactHours(customer);
        const at = quiet === undefined ? now.getTime() : quiet.nextOpen(now).getTime();
        await queue({ kind: 'customer', id: customer.id, name: salutationName(customer, customer.locale), address: contactAddress(chosen.contact) }, chosen.channel, customer.locale, at, customer);
      }
    }
  }


  return { queueNotices };
}
