import { match } from 'ts-pattern';
import { InvalidTransitionError, ValidationError } from '../errors.js';
import { deskEvent, type DeskEvent, type Route } from '../events.js';
import type { Actor, AgentId, Channel, InteractionId, TeamId, TicketId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import type { Signal } from '../signals/detect.js';
import type { Interaction, InteractionInputSchema, InteractionKind } from '../domain/interaction.js';
import type { CloseReason, ConsentAnswer, OpenTicketInputSchema, Priority, Ticket, TicketStatus } from '../domain/ticket.js';
import { omit } from '../internal/diff.js';
import type { ResolvedLifecyclePolicy } from './policy.js';
import { allowedTransitions, assertNotClosed, assertTransition } from './transitions.js';
import type * as z from 'zod';

/** What every lifecycle decision needs: the time, who acts, the policy, and fresh ids. */
export interface DecisionContext {
  /** The desk clock's time for this command. */
  readonly now: Date;
  /** Who issued the command. */
  readonly actor: Actor;
  /** The desk's lifecycle policy. */
  readonly policy: ResolvedLifecyclePolicy;
  /** A fresh unique id with the given prefix. */
  readonly newId: (prefix: 'tkt' | 'int') => string;
}

/**
 * One decided change to one ticket: the ticket after it, what to record, what to announce.
 * The desk turns steps into a unit of work (and an audit entry per step).
 */
export interface Step {
  /** The ticket before (null when the step creates it). */
  readonly before: Ticket | null;
  /** The ticket after. */
  readonly ticket: Ticket;
  /** The audit action name (`open`, `assign`, `hold_declined`, ...). */
  readonly action: string;
  /** Why, when the command said. */
  readonly reason?: string | undefined;
  /** Events to emit once committed, in order. */
  readonly events: ReadonlyArray<DeskEvent>;
  /** Interactions to append. */
  readonly interactions: ReadonlyArray<Interaction>;
  /** Who the audit trail credits, when not the command's actor (escalation rules acting within a command). */
  readonly actor?: Actor | undefined;
}

/** Build a {@link Step}, announcing a status change when the step makes one. */
export function step(
  before: Ticket | null,
  ticket: Ticket,
  ctx: DecisionContext,
  action: string,
  events: DeskEvent[],
  interactions: Interaction[] = [],
  reason?: string,
): Step {
  if (before !== null && before.status !== ticket.status) {
    events.push(deskEvent('ticket.status_changed', { ticket, from: before.status, to: ticket.status, reason, at: ctx.now, actor: ctx.actor }));
  }
  return { before, ticket, action, reason, events, interactions };
}

/** The ticket with a new status (and `statusChangedAt`), unchanged when already there. */
export const withStatus = (ticket: Ticket, to: TicketStatus, now: Date): Ticket =>
  ticket.status === to ? ticket : { ...ticket, status: to, statusChangedAt: now };

/** The interaction kind a channel implies: phone → call, in_person → meeting, postal → letter, else message. */
export function interactionKindFor(channel: Channel): Exclude<InteractionKind, 'note' | 'hold' | 'transfer'> {
  return match(channel)
    .with('phone', () => 'call' as const)
    .with('in_person', () => 'meeting' as const)
    .with('postal', () => 'letter' as const)
    .with('email', 'chat', 'sms', 'social', 'web_form', () => 'message' as const)
    .exhaustive();
}

/** The channel the conversation last used. */
export const lastChannel = (t: Ticket): Channel => t.channels[t.channels.length - 1] ?? t.channel;

const routeOf = (t: Ticket): Route => ({ agentId: t.assigneeId, teamId: t.teamId });

function applyRoute(t: Ticket, to: { agentId?: AgentId | null | undefined; teamId?: TeamId | null | undefined }): Ticket {
  let next: Ticket = t;
  if (to.agentId === null) next = omit(next, 'assigneeId');
  else if (to.agentId !== undefined) next = { ...next, assigneeId: to.agentId };
  if (to.teamId === null) next = omit(next, 'teamId');
  else if (to.teamId !== undefined) next = { ...next, teamId: to.teamId };
  return next;
}

function systemRecord(
  ticket: Ticket,
  ctx: DecisionContext,
  kind: 'hold' | 'transfer',
  extra: Pick<Interaction, 'consent' | 'summary'> & Partial<Pick<Interaction, 'hold' | 'transfer'>>,
): Interaction {
  return {
    id: ctx.newId('int') as InteractionId,
    ticketId: ticket.id,
    at: ctx.now,
    channel: lastChannel(ticket),
    direction: 'internal',
    kind,
    author: ctx.actor,
    visibility: 'internal',
    agreed: [],
    attachments: [],
    metadata: {},
    signals: [],
    ...extra,
  };
}

/** Parsed input of `openTicket`. */
export type OpenTicketCommand = z.output<typeof OpenTicketInputSchema>;

/** Open a ticket for `requester`; records the description as the customer's first message. */
export function decideOpen(input: OpenTicketCommand, requester: Customer, ctx: DecisionContext, signals: ReadonlyArray<Signal> = []): Step {
  const id = (input.id ?? ctx.newId('tkt')) as TicketId;
  const status: TicketStatus = input.assigneeId ? 'open' : 'new';
  let ticket: Ticket = {
    id,
    version: 1,
    subject: input.subject,
    type: input.type,
    priority: input.priority,
    status,
    requesterId: requester.id,
    requesterKind: requester.kind,
    channel: input.channel,
    channels: [input.channel],
    escalationLevel: 0,
    tags: [...new Set(input.tags)],
    customFields: input.customFields,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    statusChangedAt: ctx.now,
    complaintSteps: {},
    counters: { holds: 0, declinedHolds: 0, transfers: 0, declinedTransfers: 0, reopens: 0, contacts: 0, agentReplies: 0 },
    followUps: [],
  };
  if (input.description !== undefined) ticket = { ...ticket, description: input.description };
  if (input.sourceId !== undefined) ticket = { ...ticket, sourceId: input.sourceId };
  if (input.assigneeId !== undefined) ticket = { ...ticket, assigneeId: input.assigneeId };
  if (input.teamId !== undefined) ticket = { ...ticket, teamId: input.teamId };
  const organizationId = input.organizationId ?? requester.organizationIds?.[0];
  if (organizationId !== undefined) ticket = { ...ticket, organizationId };
  const interactions: Interaction[] = [];
  if (input.description !== undefined) {
    ticket = { ...ticket, counters: { ...ticket.counters, contacts: 1 }, lastCustomerMessageAt: ctx.now };
    interactions.push({
      id: ctx.newId('int') as InteractionId,
      ticketId: id,
      at: ctx.now,
      channel: input.channel,
      direction: 'inbound',
      kind: interactionKindFor(input.channel),
      author: { kind: 'customer', id: requester.id, name: requester.displayName },
      visibility: 'public',
      subject: input.subject,
      body: input.description,
      agreed: [],
      attachments: input.message?.attachments ?? [],
      metadata: input.message?.metadata ?? {},
      signals: [...signals],
      ...(input.sourceId === undefined ? {} : { externalId: input.sourceId }),
      ...(input.message?.externalAliases === undefined || input.message.externalAliases.length === 0 ? {} : { externalAliases: input.message.externalAliases }),
    });
  }
  const events: DeskEvent[] = [deskEvent('ticket.opened', { ticket, at: ctx.now, actor: ctx.actor })];
  for (const interaction of interactions) {
    events.push(deskEvent('interaction.recorded', { ticket, interaction, at: ctx.now, actor: ctx.actor }));
    const live = interaction.signals.filter((x) => !x.negated);
    if (live.length > 0) events.push(deskEvent('signal.detected', { ticket, interaction, signals: live, at: ctx.now, actor: ctx.actor }));
  }
  return step(null, ticket, ctx, 'open', events, interactions);
}

/** Parsed input of `recordInteraction`. */
export type InteractionCommand = z.output<typeof InteractionInputSchema>;

function reopenInPlace(ticket: Ticket, ctx: DecisionContext): Ticket {
  const cleared = omit(ticket, 'resolution', 'resolvedAt', 'closure', 'closedAt');
  return { ...withStatus(cleared, 'open', ctx.now), counters: { ...ticket.counters, reopens: ticket.counters.reopens + 1 } };
}

/**
 * Record an interaction. A customer's public message reopens a resolved ticket (per policy,
 * unless it `confirmsResolution`) and brings a `pending_customer` ticket back to `open`; an
 * agent's public reply opens a new ticket and counts as a reply. A closed ticket takes only
 * internal notes and confirming messages (the desk reopens or follows up for anything else).
 */
export function decideInteraction(ticket: Ticket, input: InteractionCommand, ctx: DecisionContext, signals: ReadonlyArray<Signal> = []): Step {
  const author = input.author;
  const isNote = input.kind === 'note' || (input.visibility === 'internal' && author.kind !== 'customer');
  if (ticket.status === 'closed' && !isNote && !input.confirmsResolution) {
    throw new InvalidTransitionError({
      ticketId: ticket.id,
      from: 'closed',
      to: 'closed',
      allowed: allowedTransitions('closed'),
      reason: 'a closed ticket takes only internal notes; reopen it before replying',
    });
  }
  const visibility = isNote ? 'internal' : input.visibility;
  const direction = isNote ? 'internal' : (input.direction ?? (author.kind === 'customer' ? 'inbound' : 'outbound'));
  const kind = isNote ? 'note' : (input.kind ?? interactionKindFor(input.channel));
  if (input.setStatus !== undefined && author.kind === 'customer') {
    throw new ValidationError('recordInteraction input', [{ path: ['setStatus'], message: 'only an agent or bot reply can set the status', code: 'custom' }]);
  }
  const interaction: Interaction = {
    id: ctx.newId('int') as InteractionId,
    ticketId: ticket.id,
    at: ctx.now,
    channel: input.channel,
    direction,
    kind,
    author,
    visibility,
    agreed: input.agreed,
    attachments: input.attachments,
    metadata: input.metadata,
    signals: [...signals],
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    ...(input.body === undefined ? {} : { body: input.body }),
    ...(input.summary === undefined ? {} : { summary: input.summary }),
    ...(input.durationMs === undefined ? {} : { durationMs: input.durationMs }),
    ...(input.complaintStep === undefined ? {} : { complaintStep: input.complaintStep }),
    ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
    ...(input.externalAliases === undefined || input.externalAliases.length === 0 ? {} : { externalAliases: input.externalAliases }),
  };
  const events: DeskEvent[] = [];
  let next: Ticket = ticket;
  let action = 'record_interaction';
  if (input.durationMs !== undefined && input.durationMs > 0) next = { ...next, counters: { ...next.counters, handleMs: (next.counters.handleMs ?? 0) + input.durationMs } };
  if (visibility === 'public' && !next.channels.includes(input.channel)) next = { ...next, channels: [...next.channels, input.channel] };
  if (visibility === 'public' && author.kind === 'customer') {
    next = { ...next, lastCustomerMessageAt: ctx.now, counters: { ...next.counters, contacts: next.counters.contacts + 1 } };
    if (next.status === 'pending_customer') next = withStatus(next, 'open', ctx.now);
    if (next.status === 'resolved' && ctx.policy.reopenOnCustomerReply && !input.confirmsResolution) {
      next = reopenInPlace(next, ctx);
      action = 'reopen_by_customer_reply';
      events.push(deskEvent('ticket.reopened', { ticket: next, reason: 'the customer replied', from: 'resolved', at: ctx.now, actor: ctx.actor }));
    }
  }
  if (visibility === 'public' && author.kind === 'agent') {
    next = {
      ...next,
      firstAgentReplyAt: next.firstAgentReplyAt ?? ctx.now,
      lastAgentReplyAt: ctx.now,
      counters: { ...next.counters, agentReplies: next.counters.agentReplies + 1 },
    };
    if (next.status === 'new') next = withStatus(next, 'open', ctx.now);
  }
  if (input.setStatus !== undefined && next.status !== input.setStatus) {
    if (!['new', 'open', 'pending_customer'].includes(next.status)) {
      throw new InvalidTransitionError({
        ticketId: ticket.id,
        from: next.status,
        to: input.setStatus,
        allowed: allowedTransitions(next.status),
        reason: next.status === 'on_hold' ? 'resume the hold first' : 'setStatus applies to new, open and pending tickets',
      });
    }
    assertTransition(next, input.setStatus);
    next = withStatus(next, input.setStatus, ctx.now);
  }
  const stepName = input.complaintStep;
  if (stepName !== undefined && next.complaintSteps[stepName] === undefined) {
    next = { ...next, complaintSteps: { ...next.complaintSteps, [stepName]: ctx.now } };
    events.push(deskEvent('ticket.complaint_step_recorded', { ticket: next, step: stepName, at: ctx.now, actor: ctx.actor }));
  }
  next = { ...next, updatedAt: ctx.now };
  events.push(deskEvent('interaction.recorded', { ticket: next, interaction, at: ctx.now, actor: ctx.actor }));
  const live = signals.filter((x) => !x.negated);
  if (live.length > 0) events.push(deskEvent('signal.detected', { ticket: next, interaction, signals: live, at: ctx.now, actor: ctx.actor }));
  return step(ticket, next, ctx, action, events, [interaction]);
}

/** Route a ticket to an agent and/or team (`null` clears). A new ticket with an agent becomes open. */
export function decideAssign(
  ticket: Ticket,
  to: { agentId?: AgentId | null | undefined; teamId?: TeamId | null | undefined },
  ctx: DecisionContext,
  reason?: string,
): Step {
  assertNotClosed(ticket, 'assign');
  let next = applyRoute(ticket, to);
  if (next.status === 'new' && next.assigneeId !== undefined) next = withStatus(next, 'open', ctx.now);
  next = { ...next, updatedAt: ctx.now };
  const from = routeOf(ticket);
  const events: DeskEvent[] = [];
  if (from.agentId !== next.assigneeId || from.teamId !== next.teamId) {
    events.push(deskEvent('ticket.assigned', { ticket: next, from, to: routeOf(next), at: ctx.now, actor: ctx.actor }));
  }
  return step(ticket, next, ctx, 'assign', events, [], reason);
}

/** Hand a live conversation to another agent or team, only with the customer's consent. */
export function decideTransfer(
  ticket: Ticket,
  input: { to: { agentId?: AgentId | undefined; teamId?: TeamId | undefined }; consent: ConsentAnswer; reason: string },
  ctx: DecisionContext,
): Step {
  assertNotClosed(ticket, 'transfer');
  const from = routeOf(ticket);
  const to: Route = { agentId: input.to.agentId ?? (input.to.teamId === undefined ? from.agentId : undefined), teamId: input.to.teamId ?? from.teamId };
  if (to.agentId === from.agentId && to.teamId === from.teamId) {
    throw new ValidationError('transfer input', [{ path: ['to'], message: 'the ticket is already routed there; name another agent or team', code: 'custom' }]);
  }
  const record = systemRecord(ticket, ctx, 'transfer', {
    consent: input.consent,
    transfer: { from: strip(from), to: strip(to) },
    summary: input.reason,
  });
  if (!input.consent.granted) {
    const next: Ticket = { ...ticket, updatedAt: ctx.now, counters: { ...ticket.counters, declinedTransfers: ticket.counters.declinedTransfers + 1 } };
    return step(ticket, next, ctx, 'transfer_declined', [
      deskEvent('ticket.transfer_declined', { ticket: next, to, consent: input.consent, reason: input.reason, at: ctx.now, actor: ctx.actor }),
    ], [record], input.reason);
  }
  let next: Ticket = applyRoute(ticket, { agentId: to.agentId ?? null, teamId: to.teamId ?? null });
  if (next.status === 'new' && next.assigneeId !== undefined) next = withStatus(next, 'open', ctx.now);
  next = { ...next, updatedAt: ctx.now, counters: { ...next.counters, transfers: next.counters.transfers + 1 } };
  return step(ticket, next, ctx, 'transfer', [
    deskEvent('ticket.transferred', { ticket: next, from, to, consent: input.consent, reason: input.reason, at: ctx.now, actor: ctx.actor }),
  ], [record], input.reason);
}

function strip(r: Route): { agentId?: AgentId; teamId?: TeamId } {
  return { ...(r.agentId === undefined ? {} : { agentId: r.agentId }), ...(r.teamId === undefined ? {} : { teamId: r.teamId }) };
}

/** Put a ticket on hold, only with the customer's consent; a refusal is recorded and nothing else happens. */
export function decideHold(
  ticket: Ticket,
  input: { reason: string; waitingOn?: string | undefined; consent: ConsentAnswer },
  ctx: DecisionContext,
): Step {
  assertTransition(ticket, 'on_hold', ticket.status === 'on_hold' ? 'the ticket is already on hold' : undefined);
  const record = systemRecord(ticket, ctx, 'hold', {
    consent: input.consent,
    hold: { reason: input.reason, ...(input.waitingOn === undefined ? {} : { waitingOn: input.waitingOn }) },
    summary: input.reason,
  });
  if (!input.consent.granted) {
    const next: Ticket = { ...ticket, updatedAt: ctx.now, counters: { ...ticket.counters, declinedHolds: ticket.counters.declinedHolds + 1 } };
    return step(ticket, next, ctx, 'hold_declined', [
      deskEvent('ticket.hold_declined', { ticket: next, reason: input.reason, consent: input.consent, at: ctx.now, actor: ctx.actor }),
    ], [record], input.reason);
  }
  const next: Ticket = {
    ...withStatus(ticket, 'on_hold', ctx.now),
    updatedAt: ctx.now,
    hold: {
      since: ctx.now,
      reason: input.reason,
      resumeTo: ticket.status === 'pending_customer' ? 'pending_customer' : 'open',
      ...(input.waitingOn === undefined ? {} : { waitingOn: input.waitingOn }),
    },
    counters: { ...ticket.counters, holds: ticket.counters.holds + 1 },
  };
  return step(ticket, next, ctx, 'hold', [
    deskEvent('ticket.held', { ticket: next, reason: input.reason, waitingOn: input.waitingOn, consent: input.consent, at: ctx.now, actor: ctx.actor }),
  ], [record], input.reason);
}

/** End a hold: the ticket returns to the status it had (open or pending the customer). */
export function decideResume(ticket: Ticket, ctx: DecisionContext, reason?: string): Step {
  if (ticket.status !== 'on_hold' || ticket.hold === undefined) {
    throw new InvalidTransitionError({ ticketId: ticket.id, from: ticket.status, to: 'open', allowed: allowedTransitions(ticket.status), reason: 'the ticket is not on hold' });
  }
  const heldForMs = ctx.now.getTime() - ticket.hold.since.getTime();
  const next: Ticket = { ...withStatus(omit(ticket, 'hold', 'waitingOnChildren'), ticket.hold.resumeTo, ctx.now), updatedAt: ctx.now };
  return step(ticket, next, ctx, 'resume', [deskEvent('ticket.resumed', { ticket: next, heldForMs, at: ctx.now, actor: ctx.actor })], [], reason);
}

/** Move between `open` and `pending_customer` (waiting on the customer); no change when already there. */
export function decideSetStatus(ticket: Ticket, to: 'open' | 'pending_customer', ctx: DecisionContext, reason?: string): Step {
  if (ticket.status === to) return step(ticket, ticket, ctx, 'set_status', []);
  assertTransition(ticket, to);
  return step(ticket, { ...withStatus(ticket, to, ctx.now), updatedAt: ctx.now }, ctx, 'set_status', [], [], reason);
}

/** Change the priority. */
export function decidePriority(ticket: Ticket, priority: Priority, ctx: DecisionContext, reason?: string): Step {
  assertNotClosed(ticket, 'setPriority');
  if (ticket.priority === priority) return step(ticket, ticket, ctx, 'set_priority', []);
  const next: Ticket = { ...ticket, priority, updatedAt: ctx.now };
  return step(ticket, next, ctx, 'set_priority', [
    deskEvent('ticket.priority_changed', { ticket: next, from: ticket.priority, to: priority, reason, at: ctx.now, actor: ctx.actor }),
  ], [], reason);
}

/** Add tags (those already present are ignored). Tags may be changed on closed tickets too, for reporting. */
export function decideTag(ticket: Ticket, tags: ReadonlyArray<string>, ctx: DecisionContext): Step {
  const added = [...new Set(tags)].filter((t) => !ticket.tags.includes(t));
  if (added.length === 0) return step(ticket, ticket, ctx, 'tag', []);
  const next: Ticket = { ...ticket, tags: [...ticket.tags, ...added], updatedAt: ctx.now };
  return step(ticket, next, ctx, 'tag', [deskEvent('ticket.tagged', { ticket: next, tags: added, at: ctx.now, actor: ctx.actor })]);
}

/** Remove tags (those not present are ignored). */
export function decideUntag(ticket: Ticket, tags: ReadonlyArray<string>, ctx: DecisionContext): Step {
  const removed = ticket.tags.filter((t) => tags.includes(t));
  if (removed.length === 0) return step(ticket, ticket, ctx, 'untag', []);
  const next: Ticket = { ...ticket, tags: ticket.tags.filter((t) => !tags.includes(t)), updatedAt: ctx.now };
  return step(ticket, next, ctx, 'untag', [deskEvent('ticket.untagged', { ticket: next, tags: removed, at: ctx.now, actor: ctx.actor })]);
}

/** Resolve: record the resolution and wait for the customer's confirmation (or the auto-close). */
export function decideResolve(ticket: Ticket, summary: string, ctx: DecisionContext): Step {
  assertTransition(ticket, 'resolved');
  if (ctx.policy.enforceComplaintSteps && ticket.type === 'complaint') {
    const missing = (['understand', 'repeat_back'] as const).filter((s) => ticket.complaintSteps[s] === undefined);
    if (missing.length > 0) {
      throw new InvalidTransitionError({
        ticketId: ticket.id,
        from: ticket.status,
        to: 'resolved',
        allowed: allowedTransitions(ticket.status),
        reason: `a complaint is resolved only after the steps ${missing.join(' and ')}: record them with recordInteraction({ complaintStep })`,
      });
    }
  }
  let next: Ticket = {
    ...withStatus(omit(ticket, 'hold', 'waitingOnChildren'), 'resolved', ctx.now),
    updatedAt: ctx.now,
    resolvedAt: ctx.now,
    resolution: { summary, by: ctx.actor, at: ctx.now },
  };
  const events: DeskEvent[] = [];
  if (ticket.type === 'complaint' && next.complaintSteps.resolve === undefined) {
    next = { ...next, complaintSteps: { ...next.complaintSteps, resolve: ctx.now } };
    events.push(deskEvent('ticket.complaint_step_recorded', { ticket: next, step: 'resolve', at: ctx.now, actor: ctx.actor }));
  }
  events.unshift(deskEvent('ticket.resolved', { ticket: next, summary, at: ctx.now, actor: ctx.actor }));
  return step(ticket, next, ctx, 'resolve', events, [], summary);
}

function closeWith(ticket: Ticket, reason: CloseReason, ctx: DecisionContext, note?: string): Step {
  const next: Ticket = {
    ...withStatus(omit(ticket, 'hold', 'waitingOnChildren'), 'closed', ctx.now),
    updatedAt: ctx.now,
    closedAt: ctx.now,
    closure: { reason, by: ctx.actor, at: ctx.now, ...(note === undefined ? {} : { note }) },
  };
  return step(ticket, next, ctx, reason === 'confirmed_by_customer' ? 'confirm_resolution' : reason === 'auto_closed' ? 'auto_close' : 'close', [
    deskEvent('ticket.closed', { ticket: next, reason, note, at: ctx.now, actor: ctx.actor }),
  ], [], note ?? reason);
}

/** The customer confirms the resolution: the ticket closes, from the customer's side. */
export function decideConfirm(ticket: Ticket, ctx: DecisionContext, note?: string): Step {
  if (ticket.status !== 'resolved') {
    throw new InvalidTransitionError({
      ticketId: ticket.id,
      from: ticket.status,
      to: 'closed',
      allowed: allowedTransitions(ticket.status),
      reason: 'only a resolved ticket can be confirmed; resolve it first',
    });
  }
  return closeWith(ticket, 'confirmed_by_customer', ctx, note);
}

/** Close for an administrative reason (duplicate, spam, withdrawn, no response, other). */
export function decideClose(ticket: Ticket, reason: Exclude<CloseReason, 'confirmed_by_customer' | 'auto_closed'>, ctx: DecisionContext, note?: string): Step {
  assertTransition(ticket, 'closed', ticket.status === 'closed' ? 'the ticket is already closed' : undefined);
  return closeWith(ticket, reason, ctx, note);
}

/** Close a resolved ticket whose quiet period has passed; null when the timer is stale (answered, reopened, not yet due). */
export function decideAutoClose(ticket: Ticket, ctx: DecisionContext): Step | null {
  const due = autoCloseDueAt(ticket, ctx.policy);
  if (due === null || due > ctx.now.getTime()) return null;
  return closeWith(ticket, 'auto_closed', ctx, `no answer from the customer within the quiet period`);
}

/** When a resolved ticket would auto-close under the policy (epoch ms), or null. */
export function autoCloseDueAt(ticket: Ticket, policy: ResolvedLifecyclePolicy): number | null {
  if (policy.autoCloseAfterMs === null || ticket.status !== 'resolved' || ticket.resolvedAt === undefined) return null;
  const calendar = policy.autoCloseCalendar;
  return calendar === undefined ? ticket.resolvedAt.getTime() + policy.autoCloseAfterMs : calendar.addBusinessTime(ticket.resolvedAt, policy.autoCloseAfterMs).getTime();
}

/**
 * Reopen. A resolved ticket, or a closed one within the reopen window, reopens in place; a
 * closed one past the window gets a follow-up ticket linked to it (two steps: the new ticket,
 * then the old one's link).
 */
export function decideReopen(ticket: Ticket, reason: string, ctx: DecisionContext): Step[] {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw new InvalidTransitionError({
      ticketId: ticket.id,
      from: ticket.status,
      to: 'open',
      allowed: allowedTransitions(ticket.status),
      reason: 'only resolved or closed tickets can be reopened',
    });
  }
  const window = ctx.policy.reopenWindowMs;
  const inWindow =
    ticket.status === 'resolved' ||
    (window !== null && ticket.closedAt !== undefined && ctx.now.getTime() - ticket.closedAt.getTime() <= window);
  if (inWindow) {
    const next = { ...reopenInPlace(ticket, ctx), updatedAt: ctx.now };
    return [step(ticket, next, ctx, 'reopen', [deskEvent('ticket.reopened', { ticket: next, reason, from: ticket.status, at: ctx.now, actor: ctx.actor })], [], reason)];
  }
  return decideFollowUp(ticket, reason, ctx);
}

/**
 * A new ticket that carries on from `source` (a follow-up, a split): its requester, type,
 * priority, tags, custom fields, route and organisation, fresh counters, opened now on `channel`.
 */
export function successorOf(source: Ticket, id: TicketId, channel: Channel, now: Date): Ticket {
  return {
    id,
    version: 1,
    subject: source.subject,
    type: source.type,
    priority: source.priority,
    status: source.assigneeId === undefined ? 'new' : 'open',
    requesterId: source.requesterId,
    requesterKind: source.requesterKind,
    channel,
    channels: [channel],
    escalationLevel: 0,
    tags: [...source.tags],
    customFields: { ...source.customFields },
    createdAt: now,
    updatedAt: now,
    statusChangedAt: now,
    complaintSteps: {},
    counters: { holds: 0, declinedHolds: 0, transfers: 0, declinedTransfers: 0, reopens: 0, contacts: 0, agentReplies: 0 },
    followUps: [],
    ...(source.assigneeId === undefined ? {} : { assigneeId: source.assigneeId }),
    ...(source.teamId === undefined ? {} : { teamId: source.teamId }),
    ...(source.organizationId === undefined ? {} : { organizationId: source.organizationId }),
  };
}

/** Open a follow-up ticket linked to a closed one (used when the reopen window has passed). */
export function decideFollowUp(closed: Ticket, reason: string, ctx: DecisionContext): Step[] {
  const id = ctx.newId('tkt') as TicketId;
  const fresh: Ticket = { ...successorOf(closed, id, lastChannel(closed), ctx.now), followUpOf: closed.id };
  const linked: Ticket = { ...closed, followUps: [...closed.followUps, id], updatedAt: ctx.now };
  return [
    step(null, fresh, ctx, 'open_follow_up', [deskEvent('ticket.opened', { ticket: fresh, followUpOf: closed.id, at: ctx.now, actor: ctx.actor })], [], reason),
    step(closed, linked, ctx, 'link_follow_up', [], [], reason),
  ];
}
