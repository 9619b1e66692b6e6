import type { Actor, Channel, CustomerId, JsonValue, TicketId } from '../domain/common.js';
import { activeFlags, salutationName, type Customer } from '../domain/customer.js';
import type { FollowUp, FollowUpReason } from '../domain/followup.js';
import type { Ticket } from '../domain/ticket.js';
import type { Organization } from '../domain/organization.js';
import { deskEvent, type DeskEvent } from '../events.js';
import { afterQuietHours, contactAddress, contactRefusal } from '../followup/contact.js';
import { ticketTriggerAccepts, type FollowUpConfig, type ResolvedPlan } from '../followup/plan.js';
import { decideDue, dueAfter, followUpFacts, isDated, nextDatedOccurrence, type DueDecision } from '../followup/schedule.js';
import type { Notification, NotifierPort } from '../ports/notifier.js';
import { listAll, pageAll, type Put, type StoragePort } from '../ports/storage.js';
import { nothing, type Addition, type Effect } from './effects.js';

/** The scheduler job type of a follow-up falling due. */
export const FOLLOWUP_DUE = 'followup.due';
const jobKey = (id: string): string => `${FOLLOWUP_DUE}:${id}`;
const OPEN_STATUSES = ['new', 'open', 'pending_customer', 'on_hold'] as const;
const FOLLOWUP_ACTOR: Actor = Object.freeze({ kind: 'system' as const, name: 'follow-ups' });

/** What sets off a one-off follow-up besides tickets: an order, or a host event. */
export type OneOffTrigger =
  | { readonly on: 'order_placed'; readonly orderId: string; readonly skus: ReadonlyArray<string>; readonly amountMinor?: number | undefined; readonly at: number }
  | { readonly on: 'event'; readonly name: string; readonly id: string; readonly data: Readonly<Record<string, JsonValue>>; readonly at: number };

/**
 * The template variables a plan's messages always carry, so a desk can refuse at creation a
 * template that needs one they never have. (`agentName` comes only when the ticket has an assignee.)
 */
export function followUpVariables(plan: ResolvedPlan): ReadonlySet<string> {
  const vars = ['recipientName', 'customerName', 'planId', 'followUpId'];
  const on = plan.trigger.on;
  if (on === 'ticket_resolved' || on === 'ticket_closed') vars.push('ticketId', 'ticketRef', 'ticketSubject');
  if (on === 'order_placed') vars.push('orderId', 'order');
  if (on === 'birthday' || on === 'anniversary' || on === 'periodic') vars.push('date');
  if (on === 'event') vars.push('event');
  if (plan.action.type === 'survey') vars.push('surveyId', 'questions');
  return new Set(vars);
}

/** A follow-up that passed its checks and is to be carried out now. */
export interface DueSend {
  readonly followUp: FollowUp;
  readonly plan: ResolvedPlan;
  readonly customer: Customer;
  readonly ticket: Ticket | undefined;
  readonly channel: Channel;
  readonly notification: Omit<Notification, 'template' | 'data'> & { readonly data: Record<string, JsonValue> };
}

/** What to do with a follow-up job: nothing, a record change to commit, or a touch to carry out. */
export type DuePreparation = { readonly kind: 'none' } | { readonly kind: 'commit'; readonly addition: Addition } | { readonly kind: 'send'; readonly send: DueSend };

/** The id of the survey a follow-up sends: one per follow-up, so a retried send finds it. */
export const surveyIdOf = (f: Pick<FollowUp, 'id'>): string => `srv:${f.id}`;
const put = (record: FollowUp, expectedVersion: number | null): Put => ({ kind: 'followup', record, expectedVersion });
const scheduleEffect = (f: FollowUp): Effect => ({ type: 'schedule', job: { key: jobKey(f.id), at: f.dueAt.getTime(), type: FOLLOWUP_DUE, payload: { id: f.id } } });

/** What the follow-up functions share: the storage, the plans and the reads they make. */
function followUpContext(deps: { storage: StoragePort; config: FollowUpConfig; notifiers: ReadonlyArray<NotifierPort> }) {
  const { storage, config } = deps;
  const plans = [...config.plans.values()];
  const dated = plans.filter(isDated);
  const deliverable = (c: Channel): boolean => deps.notifiers.some((n) => n.capabilities.channels.includes(c));

  const openTicketsOf = (customerId: string): Promise<Ticket[]> => listAll(storage, 'ticket', { requesterId: customerId as CustomerId, status: [...OPEN_STATUSES] });
  /** The organisation a plan's condition sees: the ticket's, or else the customer's first. */
  const organizationFor = async (customer: Customer, ticket: Ticket | undefined): Promise<Organization | undefined> => {
    const id = ticket?.organizationId ?? customer.organizationIds?.[0];
    return id === undefined ? undefined : ((await storage.get('organization', id)) ?? undefined);
  };
  const pendingOf = (query: { customerId?: CustomerId; ticketId?: TicketId; planId?: string }): Promise<FollowUp[]> => listAll(storage, 'followup', { ...query, status: 'scheduled' });
  return { deps, storage, config, plans, dated, deliverable, openTicketsOf, organizationFor, pendingOf };
}
type FollowUpContext = ReturnType<typeof followUpContext>;

/** A new follow-up of a plan for a customer, due at `at`. */
function record(plan: ResolvedPlan, customer: Customer, at: number, fields: { trigger: string; occurrence: string; ticketId?: TicketId; orderId?: string; data?: Record<string, JsonValue> }, now: Date): FollowUp {
  return {
    id: `fu:${plan.id}:${customer.id}:${fields.occurrence}`,
    version: 1,
    planId: plan.id,
    customerId: customer.id,
    ...(fields.ticketId === undefined ? {} : { ticketId: fields.ticketId }),
    ...(fields.orderId === undefined ? {} : { orderId: fields.orderId }),
    trigger: fields.trigger,
    occurrence: fields.occurrence,
    status: 'scheduled',
    dueAt: new Date(at),
    deferrals: 0,
    data: fields.data ?? {},
    createdAt: now,
    updatedAt: now,
  };
}

/** End a follow-up as skipped or cancelled, with its reason, cancelling its timer. */
function ended(f: FollowUp, status: 'skipped' | 'cancelled', reason: FollowUpReason, detail: string, now: Date, actor: Actor, out: Addition): void {
  const next: FollowUp = { ...f, version: f.version + 1, status, reason, detail, updatedAt: now };
  out.puts.push(put(next, f.version));
  if (f.status === 'scheduled') out.effects.push({ type: 'cancel', key: jobKey(f.id) });
  out.events.push(
    status === 'skipped'
      ? deskEvent('followup.skipped', { followUp: next, reason, detail, at: now, actor })
      : deskEvent('followup.cancelled', { followUp: next, reason, detail, at: now, actor }),
  );
}

/**
 * Plan one-off touches: each is checked now against audience, consent and its condition; a
 * refused one is recorded as skipped, with the reason. A touch already planned is left alone.
 */
async function planOneOff(ctx: FollowUpContext, 
  candidates: ReadonlyArray<{ plan: ResolvedPlan; base: number; fields: Parameters<typeof record>[3] }>,
  customer: Customer,
  ticket: Ticket | undefined,
  now: Date,
  actor: Actor,
  out: Addition,
): Promise<void> {
  const { storage, openTicketsOf, organizationFor } = ctx;
  if (candidates.length === 0) return;
  let open: Ticket[] | undefined;
  for (const { plan, base, fields } of candidates) {
    const f = record(plan, customer, dueAfter(plan, customer, base), fields, now);
    if ((await storage.get('followup', f.id)) !== null || out.puts.some((p) => p.record.id === f.id && p.kind === 'followup')) continue;
    let refusal: { reason: FollowUpReason; detail: string } | null = null;
    if (plan.audience !== 'all' && plan.audience !== customer.kind) refusal = { reason: 'audience', detail: `plan "${plan.id}" addresses ${plan.audience} customers only` };
    else if (contactRefusal(customer, plan.purpose, now) !== null) refusal = { reason: 'opted_out', detail: 'the customer opted out of this kind of contact' };
    else if (plan.when !== undefined) {
      open ??= (await openTicketsOf(customer.id)).filter((t) => t.id !== ticket?.id);
      const facts = followUpFacts({ customer, ticket, openTickets: open, followUp: f, organization: await organizationFor(customer, ticket) }, now);
      if (!plan.when(facts)) refusal = { reason: 'condition', detail: 'the plan\'s condition does not hold' };
    }
    if (refusal !== null) {
      const skipped: FollowUp = { ...f, status: 'skipped', reason: refusal.reason, detail: refusal.detail };
      out.puts.push(put(skipped, null));
      out.events.push(deskEvent('followup.skipped', { followUp: skipped, reason: refusal.reason, detail: refusal.detail, at: now, actor }));
      continue;
    }
    out.puts.push(put(f, null));
    out.effects.push(scheduleEffect(f));
    out.events.push(deskEvent('followup.scheduled', { followUp: f, at: now, actor }));
  }
}

/** The touches a command's ticket changes set off (resolution, closure) or cancel (reopen, a follow-up ticket). */
async function forTickets(ctx: FollowUpContext, changes: ReadonlyArray<{ before: Ticket | null; after: Ticket }>, customers: (id: string) => Promise<Customer>, now: Date, actor: Actor): Promise<Addition> {
  const { plans } = ctx;
  const out = nothing();
  for (const { before, after } of changes) {
    const wasDone = before !== null && (before.status === 'resolved' || before.status === 'closed');
    const isDone = after.status === 'resolved' || after.status === 'closed';
    if (wasDone && !isDone) await cancelForTicket(ctx, after.id, `ticket "${after.id}" was reopened`, now, actor, out);
    if (before === null && after.followUpOf !== undefined) await cancelForTicket(ctx, after.followUpOf, `the customer came back on follow-up ticket "${after.id}"`, now, actor, out);
    const candidates: Array<{ plan: ResolvedPlan; base: number; fields: Parameters<typeof record>[3] }> = [];
    if (after.status === 'resolved' && before?.status !== 'resolved' && after.resolvedAt !== undefined) {
      const at = after.resolvedAt.getTime();
      for (const plan of plans) {
        if (plan.enabled && plan.trigger.on === 'ticket_resolved' && ticketTriggerAccepts(plan.trigger, after.type)) {
          candidates.push({ plan, base: at, fields: { trigger: 'ticket_resolved', occurrence: `${after.id}@${at}`, ticketId: after.id } });
        }
      }
    }
    if (after.status === 'closed' && before?.status !== 'closed' && after.closedAt !== undefined) {
      const at = after.closedAt.getTime();
      for (const plan of plans) {
        if (plan.enabled && plan.trigger.on === 'ticket_closed' && ticketTriggerAccepts(plan.trigger, after.type, after.closure?.reason)) {
          candidates.push({ plan, base: at, fields: { trigger: 'ticket_closed', occurrence: `${after.id}@closed${at}`, ticketId: after.id } });
        }
      }
    }
    if (candidates.length > 0) await planOneOff(ctx, candidates, await customers(after.requesterId), after, now, actor, out);
  }
  return out;
}

async function cancelForTicket(ctx: FollowUpContext, ticketId: TicketId, detail: string, now: Date, actor: Actor, out: Addition): Promise<void> {
  const { config, pendingOf } = ctx;
  for (const f of await pendingOf({ ticketId })) {
    const plan = config.plans.get(f.planId);
    if (plan !== undefined && !plan.cancelOnReopen) continue;
    if (out.puts.some((p) => p.record.id === f.id)) continue;
    ended(f, 'cancelled', 'reopened', detail, now, actor, out);
  }
}

/** Touches set off by an order or a host event. */
async function forTrigger(ctx: FollowUpContext, customer: Customer, trigger: OneOffTrigger, now: Date, actor: Actor): Promise<Addition> {
  const { plans } = ctx;
  const out = nothing();
  const candidates: Array<{ plan: ResolvedPlan; base: number; fields: Parameters<typeof record>[3] }> = [];
  for (const plan of plans) {
    if (!plan.enabled) continue;
    const t = plan.trigger;
    if (trigger.on === 'order_placed' && t.on === 'order_placed' && (t.skus === undefined || trigger.skus.some((s) => t.skus?.includes(s)))) {
      const order: Record<string, JsonValue> = { id: trigger.orderId, skus: [...trigger.skus], ...(trigger.amountMinor === undefined ? {} : { amountMinor: trigger.amountMinor }) };
      candidates.push({ plan, base: trigger.at, fields: { trigger: 'order_placed', occurrence: `order:${trigger.orderId}`, orderId: trigger.orderId, data: { order } } });
    }
    if (trigger.on === 'event' && t.on === 'event' && t.name === trigger.name) {
      candidates.push({ plan, base: trigger.at, fields: { trigger: `event:${trigger.name}`, occurrence: `event:${trigger.id}`, data: { event: { name: trigger.name, id: trigger.id, ...trigger.data } } } });
    }
  }
  await planOneOff(ctx, candidates, customer, undefined, now, actor, out);
  return out;
}

const datedFields = (c: Customer): string => JSON.stringify([c.kind, c.birthday, c.customerSince, c.anniversaries, c.timeZone, c.consent, activeFlags(c, new Date(0)).map((f) => f.kind), c.createdAt]);

/**
 * Keep a customer's dated touches (birthday, anniversaries, periodic) in step with their
 * profile, and cancel everything pending when they opt out.
 */
async function forCustomer(ctx: FollowUpContext, before: Customer | null, after: Customer, now: Date, actor: Actor): Promise<Addition> {
  const { storage, config, dated, pendingOf } = ctx;
  const out = nothing();
  if (before !== null && datedFields(before) === datedFields(after)) return out;
  const pending = before === null ? [] : await pendingOf({ customerId: after.id });
  for (const f of pending) {
    const plan = config.plans.get(f.planId);
    const refusal = contactRefusal(after, plan?.purpose ?? 'service', now);
    if (refusal !== null) ended(f, 'cancelled', refusal, 'the customer opted out of follow-ups or is flagged do-not-contact', now, actor, out);
  }
  for (const plan of dated) {
    if (!plan.enabled) continue;
    const allowed = (plan.audience === 'all' || plan.audience === after.kind) && contactRefusal(after, plan.purpose, now) === null;
    const occurrence = allowed ? nextDatedOccurrence(plan, after, now.getTime()) : null;
    const mine = pending.filter((f) => f.planId === plan.id && !out.puts.some((p) => p.record.id === f.id));
    const wanted = occurrence === null ? null : record(plan, after, plan.respectQuietHours ? afterQuietHours(after, occurrence.at) : occurrence.at, { trigger: plan.trigger.on, occurrence: occurrence.occurrence, data: { date: occurrence.date } }, now);
    for (const f of mine) {
      if (wanted !== null && f.id === wanted.id) {
        if (f.dueAt.getTime() !== wanted.dueAt.getTime()) {
          const moved: FollowUp = { ...f, version: f.version + 1, dueAt: wanted.dueAt, data: wanted.data, updatedAt: now };
          out.puts.push(put(moved, f.version));
          out.effects.push(scheduleEffect(moved));
          out.events.push(deskEvent('followup.scheduled', { followUp: moved, at: now, actor }));
        }
      } else if (allowed) {
        ended(f, 'cancelled', 'profile_changed', 'the date it celebrates changed or was removed', now, actor, out);
      }
    }
    if (wanted !== null && !mine.some((f) => f.id === wanted.id) && (await storage.get('followup', wanted.id)) === null) {
      out.puts.push(put(wanted, null));
      out.effects.push(scheduleEffect(wanted));
      out.events.push(deskEvent('followup.scheduled', { followUp: wanted, at: now, actor }));
    }
  }
  return out;
}

/** After a dated touch went out or was skipped: plan its next occurrence. */
async function nextOccurrence(ctx: FollowUpContext, f: FollowUp, plan: ResolvedPlan, customer: Customer, now: Date, actor: Actor, out: Addition): Promise<void> {
  const { storage } = ctx;
  if (!isDated(plan) || !plan.enabled) return;
  const occ = nextDatedOccurrence(plan, customer, Math.max(now.getTime(), f.dueAt.getTime()) + 1);
  if (occ === null) return;
  const next = record(plan, customer, plan.respectQuietHours ? afterQuietHours(customer, occ.at) : occ.at, { trigger: plan.trigger.on, occurrence: occ.occurrence, data: { date: occ.date } }, now);
  if (next.id === f.id || (await storage.get('followup', next.id)) !== null) return;
  out.puts.push(put(next, null));
  out.effects.push(scheduleEffect(next));
  out.events.push(deskEvent('followup.scheduled', { followUp: next, at: now, actor }));
}

/** Decide what a due follow-up job does now. */
async function prepare(ctx: FollowUpContext, id: string, now: Date): Promise<DuePreparation> {
  const { storage, config, deliverable, openTicketsOf, organizationFor } = ctx;
  const f = await storage.get('followup', id);
  if (f === null || f.status !== 'scheduled' || f.dueAt.getTime() > now.getTime()) return { kind: 'none' };
  const out = nothing();
  const customer = await storage.get('customer', f.customerId);
  if (customer === null) {
    ended(f, 'cancelled', 'manual', `customer "${f.customerId}" no longer exists`, now, FOLLOWUP_ACTOR, out);
    return { kind: 'commit', addition: out };
  }
  const ticket = f.ticketId === undefined ? undefined : ((await storage.get('ticket', f.ticketId)) ?? undefined);
  const plan = config.plans.get(f.planId);
  const recentTouches: number[] = [];
  if (config.fatigue !== undefined && plan?.countsTowardsFatigue === true) {
    for await (const page of pageAll(storage, 'followup', { customerId: customer.id, status: 'sent' })) {
      for (const s of page) if (s.sentAt !== undefined && config.plans.get(s.planId)?.countsTowardsFatigue !== false) recentTouches.push(s.sentAt.getTime());
    }
  }
  const facts =
    plan?.when === undefined ? {} : followUpFacts({ customer, ticket, openTickets: (await openTicketsOf(customer.id)).filter((t) => t.id !== ticket?.id), followUp: f, organization: await organizationFor(customer, ticket) }, now);
  let decision: DueDecision = decideDue({ followUp: f, plan, config, customer, ticket, recentTouches, facts, now: now.getTime(), deliverable });
  if (decision.type === 'send' && plan?.action.type === 'survey' && ticket !== undefined) {
    const earlier = (await storage.list('survey', { ticketId: ticket.id, limit: 500 })).items.filter((v) => v.id !== surveyIdOf(f));
    if (earlier.length >= config.surveys.perTicket) decision = { type: 'skip', reason: 'survey_exists', detail: `ticket "${ticket.id}" already had ${earlier.length === 1 ? 'its survey' : `${earlier.length} surveys`}` };
  }
  if (decision.type === 'defer') {
    const moved: FollowUp = { ...f, version: f.version + 1, dueAt: new Date(decision.at), deferrals: f.deferrals + 1, detail: decision.detail, updatedAt: now };
    out.puts.push(put(moved, f.version));
    out.effects.push(scheduleEffect(moved));
    return { kind: 'commit', addition: out };
  }
  if (decision.type === 'skip' || decision.type === 'cancel') {
    ended(f, decision.type === 'skip' ? 'skipped' : 'cancelled', decision.reason, decision.detail, now, FOLLOWUP_ACTOR, out);
    if (plan !== undefined && decision.type === 'skip') await nextOccurrence(ctx, f, plan, customer, now, FOLLOWUP_ACTOR, out);
    return { kind: 'commit', addition: out };
  }
  const p = plan as ResolvedPlan;
  const name = salutationName(customer, customer.locale);
  const assignee = ticket?.assigneeId === undefined ? null : await storage.get('agent', ticket.assigneeId);
  const data: Record<string, JsonValue> = {
    ...f.data,
    recipientName: name,
    customerName: name,
    planId: p.id,
    followUpId: f.id,
    ...(f.orderId === undefined ? {} : { orderId: f.orderId }),
    ...(ticket === undefined ? {} : { ticketId: ticket.id, ticketRef: ticket.id, ticketSubject: ticket.subject }),
    ...(assignee === null ? {} : { agentName: assignee.name }),
  };
  return {
    kind: 'send',
    send: {
      followUp: f,
      plan: p,
      customer,
      ticket,
      channel: decision.channel,
      notification: {
        to: { kind: 'customer', id: customer.id, name, address: contactAddress(decision.contact) },
        channel: decision.channel,
        locale: customer.locale,
        idempotencyKey: f.id,
        data,
      },
    },
  };
}

/** The records to commit once a due touch was carried out. */
async function sent(ctx: FollowUpContext, send: DueSend, fields: { notificationId?: string | undefined; surveyId?: string | undefined; taskTicketId?: TicketId | undefined }, now: Date): Promise<Addition> {
  const { storage } = ctx;
  const out = nothing();
  const fresh = await storage.get('followup', send.followUp.id);
  if (fresh === null || fresh.status === 'sent') return out;
  const done: FollowUp = { ...fresh, version: fresh.version + 1, status: 'sent', channel: send.channel, sentAt: now, updatedAt: now };
  if (fields.notificationId !== undefined) done.notificationId = fields.notificationId;
  if (fields.surveyId !== undefined) done.surveyId = fields.surveyId;
  if (fields.taskTicketId !== undefined) done.taskTicketId = fields.taskTicketId;
  out.puts.push(put(done, fresh.version));
  out.events.push(deskEvent('followup.sent', { followUp: done, at: now, actor: FOLLOWUP_ACTOR }));
  await nextOccurrence(ctx, done, send.plan, send.customer, now, FOLLOWUP_ACTOR, out);
  return out;
}

/** Cancel pending follow-ups matching a filter (by command). */
async function cancel(ctx: FollowUpContext, query: { customerId?: CustomerId; ticketId?: TicketId; planId?: string }, detail: string, now: Date, actor: Actor): Promise<Addition> {
  const { pendingOf } = ctx;
  const out = nothing();
  for (const f of await pendingOf(query)) ended(f, 'cancelled', 'manual', detail, now, actor, out);
  return out;
}

/** Jobs for every pending follow-up (after a restart). */
async function pendingJobs(ctx: FollowUpContext): Promise<Effect[]> {
  const { pendingOf } = ctx;
  return (await pendingOf({})).map(scheduleEffect);
}

/**
 * The follow-up part of the desk: plans touches when tickets resolve or close, when orders and
 * host events come in, and from customers' dates; decides at due time; cancels on reopen and
 * opt-out. Everything it decides is returned as additions to the caller's unit of work.
 */
export function createFollowUpRuntime(deps: { storage: StoragePort; config: FollowUpConfig; notifiers: ReadonlyArray<NotifierPort> }) {
  const ctx = followUpContext(deps);
  return {
    forTickets: forTickets.bind(null, ctx),
    forCustomer: forCustomer.bind(null, ctx),
    forTrigger: forTrigger.bind(null, ctx),
    prepare: prepare.bind(null, ctx),
    sent: sent.bind(null, ctx),
    cancel: cancel.bind(null, ctx),
    pendingJobs: pendingJobs.bind(null, ctx),
    notifierFor: (c: Channel) => deps.notifiers.find((n) => n.capabilities.channels.includes(c)),
    actor: FOLLOWUP_ACTOR,
  };
}

/** The follow-up part of a desk (see {@link createFollowUpRuntime}). */
export type FollowUpRuntime = ReturnType<typeof createFollowUpRuntime>;

/** Events emitted for a touch carried out, in order. */
export const dueEvent = (send: DueSend, now: Date): DeskEvent => deskEvent('followup.due', { followUp: send.followUp, channel: send.channel, at: now, actor: FOLLOWUP_ACTOR });
