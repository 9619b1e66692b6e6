import type { Agent, Team } from './domain/agent.js';
import type { Actor, AgentId, InteractionId, TeamId, TicketId } from './domain/common.js';
import type { Customer, CustomerFlag } from './domain/customer.js';
import type { Organization } from './domain/organization.js';
import type { ErasureReport } from './domain/privacy.js';
import type { FollowUp, FollowUpReason, Survey } from './domain/followup.js';
import type { Interaction } from './domain/interaction.js';
import type { DeliveryAttempt, NotificationRecord } from './domain/notification.js';
import type { Offer } from './domain/offer.js';
import type { Article } from './domain/article.js';
import type { Channel, JsonValue } from './domain/common.js';
import type { Signal } from './domain/signal.js';
import type { Suspicion } from './domain/suspicion.js';
import type { Presence, StoredRoutingDecision } from './domain/routing.js';
import type { ConditionExplanation } from './domain/condition.js';
import type { EscalationAction } from './domain/escalation.js';
import type { CloseReason, ComplaintStep, ConsentAnswer, FieldChange, Priority, SlaClockSnapshot, Ticket, TicketLinkType, TicketStatus } from './domain/ticket.js';

/** Where a ticket is routed: an agent, a team, or both. */
export interface Route {
  /** The assigned agent, if any. */
  readonly agentId?: AgentId | undefined;
  /** The team whose queue holds the ticket, if any. */
  readonly teamId?: TeamId | undefined;
}

/** Fields every event payload carries. */
export interface EventBase {
  /** When it happened (the desk clock's time). */
  readonly at: Date;
  /** Who made it happen. */
  readonly actor: Actor;
}

/** Payload of every ticket event: the ticket as it is after the change. */
export interface TicketEventBase extends EventBase {
  /** The ticket after the change. */
  readonly ticket: Ticket;
}

/**
 * Every event the desk emits, by name, with its payload. Events are emitted only after the
 * change was committed, in the order the changes happened.
 *
 * @example
 * ```ts
 * const off = desk.on('ticket.status_changed', ({ ticket, from, to }) => console.log(ticket.id, from, '→', to));
 * off(); // unsubscribe
 * ```
 */
export interface OmotenashiEvents {
  /** A customer was registered. */
  'customer.registered': EventBase & { readonly customer: Customer };
  /** A customer's profile changed. */
  'customer.updated': EventBase & { readonly customer: Customer; readonly previous: Customer; readonly changes: ReadonlyArray<FieldChange> };
  /** A flag was set on a customer (vip, abusive, legal_threat, ...). */
  'customer.flagged': EventBase & { readonly customer: Customer; readonly flag: CustomerFlag };
  /** A flag on a customer was cleared. */
  'customer.flag_cleared': EventBase & { readonly customer: Customer; readonly flag: CustomerFlag };
  /** A customer's personal data was erased (`desk.eraseCustomer`); `report` says what was erased. */
  'customer.erased': EventBase & { readonly customer: Customer; readonly report: ErasureReport };
  /** An agent was registered. */
  'agent.registered': EventBase & { readonly agent: Agent };
  /** An agent changed. */
  'agent.updated': EventBase & { readonly agent: Agent; readonly previous: Agent; readonly changes: ReadonlyArray<FieldChange> };
  /** An agent's presence changed (`setAgentStatus`): going online drains their teams' queues; going away or offline hands their unstarted tickets back to routing. */
  'agent.status_changed': EventBase & { readonly agent: Agent; readonly from: Presence['status']; readonly to: Presence['status']; readonly requeued: ReadonlyArray<TicketId> };
  /** A team was registered. */
  'team.registered': EventBase & { readonly team: Team };
  /** A team changed. */
  'team.updated': EventBase & { readonly team: Team; readonly previous: Team; readonly changes: ReadonlyArray<FieldChange> };
  /** An organisation (a customer company, or a unit of your own) was registered. */
  'organization.registered': EventBase & { readonly organization: Organization };
  /** An organisation changed. */
  'organization.updated': EventBase & { readonly organization: Organization; readonly previous: Organization; readonly changes: ReadonlyArray<FieldChange> };
  /** A ticket was opened (also a follow-up ticket opened by a late reopen: see `followUpOf`). */
  'ticket.opened': TicketEventBase & { readonly followUpOf?: TicketId | undefined };
  /** A ticket's status changed. */
  'ticket.status_changed': TicketEventBase & { readonly from: TicketStatus; readonly to: TicketStatus; readonly reason?: string | undefined };
  /** A ticket was assigned to an agent and/or team (back-office routing). */
  'ticket.assigned': TicketEventBase & { readonly from: Route; readonly to: Route };
  /** Routing decided where a ticket goes: to an agent, or to wait in its team's queue (`decision` says why for every candidate). */
  'ticket.routed': TicketEventBase & { readonly decision: StoredRoutingDecision };
  /** A live conversation was handed over with the customer's consent. */
  'ticket.transferred': TicketEventBase & { readonly from: Route; readonly to: Route; readonly consent: ConsentAnswer; readonly reason: string };
  /** The customer declined a transfer; it did not happen. */
  'ticket.transfer_declined': TicketEventBase & { readonly to: Route; readonly consent: ConsentAnswer; readonly reason: string };
  /** The ticket was put on hold with the customer's consent. */
  'ticket.held': TicketEventBase & { readonly reason: string; readonly waitingOn?: string | undefined; readonly consent: ConsentAnswer };
  /** The customer declined a hold; it did not happen. */
  'ticket.hold_declined': TicketEventBase & { readonly reason: string; readonly consent: ConsentAnswer };
  /** A hold ended. */
  'ticket.resumed': TicketEventBase & { readonly heldForMs: number };
  /** The priority changed. */
  'ticket.priority_changed': TicketEventBase & { readonly from: Priority; readonly to: Priority; readonly reason?: string | undefined };
  /** Fields were edited with `updateTicket` (subject, type, priority, custom fields, due date), each one in `changes`. */
  'ticket.updated': TicketEventBase & { readonly changes: ReadonlyArray<FieldChange>; readonly reason?: string | undefined };
  /** A duplicate was merged into this ticket (`ticket`, the target); `source` was closed as merged, and its `interactions` (with the merge's note) now read on the target. */
  'ticket.merged': TicketEventBase & { readonly source: Ticket; readonly interactions: number };
  /** Part of a conversation went on in a new ticket (`ticket`, the new one) split from `from`. */
  'ticket.split': TicketEventBase & { readonly from: TicketId; readonly interactions: ReadonlyArray<InteractionId> };
  /** Two tickets were linked (`ticket` holds a link of `type` to `to`; the other holds the reverse). */
  'ticket.linked': TicketEventBase & { readonly type: TicketLinkType; readonly to: TicketId };
  /** A link between two tickets was removed. */
  'ticket.unlinked': TicketEventBase & { readonly type: TicketLinkType; readonly to: TicketId };
  /** Tags were added (only those not already present). */
  'ticket.tagged': TicketEventBase & { readonly tags: ReadonlyArray<string> };
  /** Tags were removed (only those that were present). */
  'ticket.untagged': TicketEventBase & { readonly tags: ReadonlyArray<string> };
  /** The ticket was resolved and now waits for the customer's confirmation. */
  'ticket.resolved': TicketEventBase & { readonly summary: string };
  /** The ticket was closed. */
  'ticket.closed': TicketEventBase & { readonly reason: CloseReason; readonly note?: string | undefined };
  /** A resolved or closed ticket was reopened in place. */
  'ticket.reopened': TicketEventBase & { readonly reason: string; readonly from: TicketStatus };
  /** A complaint-handling step (understand, repeat back, resolve, thank) was first recorded. */
  'ticket.complaint_step_recorded': TicketEventBase & { readonly step: ComplaintStep };
  /** An interaction was recorded on a ticket. */
  'interaction.recorded': TicketEventBase & { readonly interaction: Interaction };
  /** A ticket moved up the hierarchy or to a functional team because a rule fired. */
  'ticket.escalated': TicketEventBase & {
    readonly kind: 'hierarchical' | 'functional';
    readonly ruleId: string;
    readonly from: Route;
    readonly to: Route;
    readonly level: number;
    /** How the target was found (manager chain, team lead, functional team). */
    readonly via: ReadonlyArray<string>;
    /** Why the rule matched: its leaves with the fact values they saw. */
    readonly because: ConditionExplanation;
  };
  /** An escalation rule fired, with its actions and why (notify and callback actions are the host's to carry out). */
  'escalation.rule_fired': TicketEventBase & {
    readonly ruleId: string;
    readonly name: string;
    readonly trigger: string;
    readonly actions: ReadonlyArray<EscalationAction>;
    readonly because: ConditionExplanation;
    /** Actions that could not be carried out, with the reason (e.g. nobody above the assignee). */
    readonly skipped: ReadonlyArray<{ readonly action: EscalationAction; readonly reason: string }>;
  };
  /**
   * An escalation rule's notice was queued in the outbox, in the unit of work of the change that
   * fired the rule. The relay delivers it at `sendAt`: at once when urgent, otherwise when the
   * recipient is next at work (an agent's calendar) or outside a customer's quiet hours, with
   * the outbox's attempts, backoff and dead letters (`notification.sent`, `notification.failed`).
   */
  'escalation.notify': TicketEventBase & {
    readonly ruleId: string;
    readonly template: string;
    readonly urgent: boolean;
    readonly recipient: { readonly kind: 'agent'; readonly agentId: AgentId } | { readonly kind: 'customer'; readonly customerId: string };
    /** When the rule fired. */
    readonly requestedAt: Date;
    /** When the relay will first try to deliver it. */
    readonly sendAt: Date;
    /** The outbox record (`getNotification(id)`). */
    readonly notificationId: string;
  };
  /** A customer's words signalled something (emotion, a supervisor request, a threat, abuse, gratitude). */
  'signal.detected': TicketEventBase & { readonly interaction: Interaction; readonly signals: ReadonlyArray<Signal> };
  /** A rule was not sure enough of a signal to act on it: the ticket waits for an agent to confirm or dismiss it. */
  'signal.suspected': TicketEventBase & { readonly suspicion: Suspicion };
  /** An agent confirmed a suspected signal (its flag, if any, is set on the customer in the same commit). */
  'signal.confirmed': TicketEventBase & { readonly suspicion: Suspicion };
  /** An agent dismissed a suspected signal: nothing more happens, and the decision is recorded. */
  'signal.dismissed': TicketEventBase & { readonly suspicion: Suspicion };
  /** An SLA policy started to apply to a ticket (or replaced another in its slot). */
  'sla.applied': SlaEventBase;
  /** An SLA clock paused (e.g. the ticket waits on the customer). */
  'sla.paused': SlaEventBase;
  /** A paused SLA clock runs again. */
  'sla.resumed': SlaEventBase;
  /** An SLA clock passed a warning threshold (`thresholdMs` of business time elapsed). */
  'sla.warning': SlaEventBase & { readonly thresholdMs: number };
  /** An SLA clock breached its target. */
  'sla.breached': SlaEventBase;
  /** An SLA clock's cycle was fulfilled (a reply, a resolution). */
  'sla.fulfilled': SlaEventBase & { readonly late: boolean };
  /** The host app reported an order (`desk.orderPlaced`); it is in the customer's purchase history. */
  'order.placed': EventBase & { readonly customer: Customer; readonly orderId: string; readonly items: ReadonlyArray<{ readonly sku: string; readonly quantity: number }> };
  /** The host app reported a custom event about a customer (`desk.reportEvent`). */
  'customer.event_reported': EventBase & { readonly customer: Customer; readonly name: string; readonly id: string; readonly data: Readonly<Record<string, JsonValue>> };
  /** A follow-up was planned (or moved to a new time because the profile changed). */
  'followup.scheduled': EventBase & { readonly followUp: FollowUp };
  /** A follow-up's time came and it passed every check: it is being sent (or its task opened) now. */
  'followup.due': EventBase & { readonly followUp: FollowUp; readonly channel: Channel };
  /** A follow-up went out (or opened its task ticket). */
  'followup.sent': EventBase & { readonly followUp: FollowUp };
  /** A follow-up was not sent at its time, and why (fatigue, no channel, condition, ...). */
  'followup.skipped': EventBase & { readonly followUp: FollowUp; readonly reason: FollowUpReason; readonly detail: string };
  /** A follow-up was cancelled before its time (reopened ticket, opt-out, plan removed, by command). */
  'followup.cancelled': EventBase & { readonly followUp: FollowUp; readonly reason: FollowUpReason; readonly detail: string };
  /** A survey about a ticket was sent. */
  'survey.sent': EventBase & { readonly survey: Survey };
  /** A customer answered a survey; `low` when a score is at or past the desk's low thresholds. */
  'survey.answered': TicketEventBase & { readonly survey: Survey; readonly low: boolean };
  /** A message was recorded in the outbox, with the change that caused it; the relay delivers it from `notBefore`. */
  'notification.queued': EventBase & { readonly notification: NotificationRecord };
  /** A notifier accepted a message from the outbox. */
  'notification.sent': EventBase & { readonly notification: NotificationRecord };
  /** A delivery attempt failed and another is planned at `retryAt`. */
  'notification.retry_scheduled': EventBase & { readonly notification: NotificationRecord; readonly attempt: DeliveryAttempt; readonly retryAt: Date };
  /** A message was dead-lettered: its last attempt failed, or the far end refused it for good. Retry it with `desk.retryNotification`. */
  'notification.failed': EventBase & { readonly notification: NotificationRecord; readonly attempt: DeliveryAttempt };
  /**
   * Mail the desk sent bounced (a delivery status notification came back): a permanent failure
   * marks the message failed and the address bouncing; a delay only reports.
   */
  'notification.bounced': EventBase & {
    readonly notification: NotificationRecord;
    readonly recipient: string;
    readonly permanent: boolean;
    readonly status?: string | undefined;
    readonly diagnostic?: string | undefined;
    /** The customer whose address was marked bouncing, when it was one of theirs. */
    readonly customer?: Customer | undefined;
  };
  /** A pending message was withdrawn before it went out. */
  'notification.cancelled': EventBase & { readonly notification: NotificationRecord };
  /** Suggestions were offered to a customer (by an agent after a resolution, or in a follow-up). */
  'suggestion.offered': EventBase & { readonly customer: Customer; readonly offers: ReadonlyArray<Offer>; readonly ticketId?: TicketId | undefined };
  /** A customer accepted, rejected or ignored an offer. */
  'suggestion.answered': EventBase & { readonly offer: Offer };
  /** A knowledge-base article was written (a draft). */
  'article.created': EventBase & { readonly article: Article };
  /** An article's text, tags or links changed. */
  'article.updated': EventBase & { readonly article: Article };
  /** An article was published: agents and searches see it. */
  'article.published': EventBase & { readonly article: Article };
  /** An article was archived: searches no longer offer it. */
  'article.archived': EventBase & { readonly article: Article };
  /** A reader said whether an article helped. */
  'article.feedback_recorded': EventBase & { readonly article: Article };
  /**
   * A scheduled job failed: retried later unless `givenUp`, when it is dead-lettered (the
   * in-process scheduler keeps it in `deadLetters()`; a durable scheduler in its own table).
   */
  'job.failed': EventBase & {
    readonly job: { readonly key: string; readonly type: string; readonly at: Date };
    /** Which attempt failed (1 for the first). */
    readonly attempt: number;
    /** True when no attempt is left. */
    readonly givenUp: boolean;
    /** The error's message. */
    readonly error: string;
  };
}

/** Payload of every SLA event: the clock before and after, and the ticket. */
export interface SlaEventBase extends TicketEventBase {
  /** `primary`, or the id of a concurrent policy. */
  readonly slot: string;
  /** The policy of the clock. */
  readonly policyId: string;
  /** The metric of the clock. */
  readonly metric: string;
  /** The clock before the change (absent when it just started). */
  readonly previous?: SlaClockSnapshot | undefined;
  /** The clock after the change. */
  readonly clock: SlaClockSnapshot;
}

/** The name of an event in {@link OmotenashiEvents}. */
export type EventName = keyof OmotenashiEvents;

/** One event with its name, as the engines produce them for the desk to emit. */
export type DeskEvent = { [K in EventName]: { readonly name: K; readonly payload: OmotenashiEvents[K] } }[EventName];

/** Build a {@link DeskEvent} with its payload type checked against its name. */
export function deskEvent<K extends EventName>(name: K, payload: OmotenashiEvents[K]): DeskEvent {
  return { name, payload } as DeskEvent;
}

const EVENT_SET: { readonly [K in EventName]: true } = {
  'customer.registered': true,
  'customer.updated': true,
  'customer.flagged': true,
  'customer.flag_cleared': true,
  'customer.erased': true,
  'agent.registered': true,
  'agent.updated': true,
  'agent.status_changed': true,
  'team.registered': true,
  'team.updated': true,
  'organization.registered': true,
  'organization.updated': true,
  'ticket.opened': true,
  'ticket.status_changed': true,
  'ticket.assigned': true,
  'ticket.routed': true,
  'ticket.transferred': true,
  'ticket.transfer_declined': true,
  'ticket.held': true,
  'ticket.hold_declined': true,
  'ticket.resumed': true,
  'ticket.priority_changed': true,
  'ticket.updated': true,
  'ticket.merged': true,
  'ticket.split': true,
  'ticket.linked': true,
  'ticket.unlinked': true,
  'ticket.tagged': true,
  'ticket.untagged': true,
  'ticket.resolved': true,
  'ticket.closed': true,
  'ticket.reopened': true,
  'ticket.complaint_step_recorded': true,
  'interaction.recorded': true,
  'ticket.escalated': true,
  'escalation.rule_fired': true,
  'escalation.notify': true,
  'signal.detected': true,
  'signal.suspected': true,
  'signal.confirmed': true,
  'signal.dismissed': true,
  'sla.applied': true,
  'sla.paused': true,
  'sla.resumed': true,
  'sla.warning': true,
  'sla.breached': true,
  'sla.fulfilled': true,
  'order.placed': true,
  'customer.event_reported': true,
  'followup.scheduled': true,
  'followup.due': true,
  'followup.sent': true,
  'followup.skipped': true,
  'followup.cancelled': true,
  'survey.sent': true,
  'survey.answered': true,
  'notification.queued': true,
  'notification.sent': true,
  'notification.retry_scheduled': true,
  'notification.failed': true,
  'notification.bounced': true,
  'notification.cancelled': true,
  'suggestion.offered': true,
  'suggestion.answered': true,
  'article.created': true,
  'article.updated': true,
  'article.published': true,
  'article.archived': true,
  'article.feedback_recorded': true,
  'job.failed': true,
};

/** The name of every event the desk emits (the keys of {@link OmotenashiEvents}). */
export const EVENT_NAMES: ReadonlyArray<EventName> = Object.freeze(Object.keys(EVENT_SET) as EventName[]);
