import { InvalidTransitionError, ValidationError } from '../errors.js';
import { deskEvent, type DeskEvent } from '../events.js';
import type { InteractionId, TicketId } from '../domain/common.js';
import type { Interaction } from '../domain/interaction.js';
import type { Ticket, TicketLink, TicketLinkType, TicketStatus } from '../domain/ticket.js';
import { omit } from '../internal/diff.js';
import { decideClose, decideResume, lastChannel, step, successorOf, withStatus, type DecisionContext, type Step } from './engine.js';
import { allowedTransitions, assertNotClosed } from './transitions.js';

/** Each link type as the other ticket sees it. */
export const LINK_INVERSE: Readonly<Record<TicketLinkType, TicketLinkType>> = Object.freeze({
  merged_into: 'merged_from',
  merged_from: 'merged_into',
  split_into: 'split_from',
  split_from: 'split_into',
  parent: 'child',
  child: 'parent',
  related: 'related',
});

/** A ticket's links (none on tickets stored before links existed). */
export const linksOf = (t: Ticket): ReadonlyArray<TicketLink> => t.links ?? [];

/** The ids a ticket links to with `type`. */
export const linked = (t: Ticket, type: TicketLinkType): TicketId[] => linksOf(t).filter((l) => l.type === type).map((l) => l.ticketId);

const DONE: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed']);
/** Whether a ticket's work is done (resolved or closed), as a parent waiting on it sees it. */
export const isDone = (t: Ticket): boolean => DONE.has(t.status);

function withLink(t: Ticket, type: TicketLinkType, other: TicketId, at: Date): Ticket {
  if (linksOf(t).some((l) => l.type === type && l.ticketId === other)) return t;
  return { ...t, links: [...linksOf(t), { type, ticketId: other, at }], updatedAt: at };
}

function withoutLink(t: Ticket, type: TicketLinkType, other: TicketId, at: Date): Ticket {
  const kept = linksOf(t).filter((l) => !(l.type === type && l.ticketId === other));
  if (kept.length === linksOf(t).length) return t;
  return kept.length === 0 ? { ...omit(t, 'links'), updatedAt: at } : { ...t, links: kept, updatedAt: at };
}

function note(ticket: Ticket, ctx: DecisionContext, summary: string): Interaction {
  return {
    id: ctx.newId('int') as InteractionId,
    ticketId: ticket.id,
    at: ctx.now,
    channel: lastChannel(ticket),
    direction: 'internal',
    kind: 'note',
    author: ctx.actor,
    visibility: 'internal',
    summary,
    agreed: [],
    attachments: [],
    metadata: {},
    signals: [],
  };
}

/** The link types a caller makes with `linkTickets` (merges and splits come from their own commands). */
export type ManualLinkType = Extract<TicketLinkType, 'related' | 'parent' | 'child'>;

/**
 * Link `a` to `b` (`type` as `a` sees it: `child` makes `b` a child of `a`); both tickets keep
 * the link. No change when they are already linked so.
 */
export function decideLink(a: Ticket, b: Ticket, type: ManualLinkType, ctx: DecisionContext): Step[] {
  if (a.id === b.id) throw new ValidationError('linkTickets', [{ path: ['ticketId'], message: 'a ticket cannot be linked to itself', code: 'custom' }]);
  const [parent, child] = type === 'child' ? [a, b] : type === 'parent' ? [b, a] : [null, null];
  if (child !== null && parent !== null) {
    const has = linked(child, 'parent');
    if (has.length > 0 && !has.includes(parent.id)) throw new ValidationError('linkTickets', [{ path: ['type'], message: `ticket "${child.id}" already has a parent (${has[0]}): unlink it first`, code: 'custom' }]);
  }
  const nextA = withLink(a, type, b.id, ctx.now);
  const nextB = withLink(b, LINK_INVERSE[type], a.id, ctx.now);
  const events: DeskEvent[] = nextA === a ? [] : [deskEvent('ticket.linked', { ticket: nextA, type, to: b.id, at: ctx.now, actor: ctx.actor })];
  return [step(a, nextA, ctx, 'link', events), step(b, nextB, ctx, 'link', [])];
}

/** Remove the link of `type` from `a` to `b` (and its reverse); merges cannot be undone this way. */
export function decideUnlink(a: Ticket, b: Ticket, type: ManualLinkType, ctx: DecisionContext): Step[] {
  const nextA = withoutLink(a, type, b.id, ctx.now);
  const nextB = withoutLink(b, LINK_INVERSE[type], a.id, ctx.now);
  const events: DeskEvent[] = nextA === a ? [] : [deskEvent('ticket.unlinked', { ticket: nextA, type, to: b.id, at: ctx.now, actor: ctx.actor })];
  return [step(a, nextA, ctx, 'unlink', events), step(b, nextB, ctx, 'unlink', [])];
}

/**
 * Merge a duplicate (`source`) into `target`: the source closes as `merged` (its SLA clocks are
 * cancelled, not fulfilled) with a `merged_into` link, the target gains a `merged_from` link, and
 * both get an internal note. Merging again into the same target changes nothing.
 */
export function decideMerge(source: Ticket, target: Ticket, ctx: DecisionContext, why: string | undefined, interactions: number): Step[] {
  const refuse = (path: string, message: string): never => {
    throw new ValidationError('mergeTickets', [{ path: [path], message, code: 'custom' }]);
  };
  if (source.id === target.id) refuse('targetId', 'a ticket cannot be merged into itself');
  const into = linked(source, 'merged_into');
  if (into.includes(target.id)) return [];
  if (into.length > 0) refuse('sourceId', `ticket "${source.id}" was already merged into ${into[0]}`);
  if (linked(target, 'merged_into').length > 0) refuse('targetId', `ticket "${target.id}" was itself merged into ${linked(target, 'merged_into')[0]}: merge into that one`);
  assertNotClosed(target, 'mergeTickets (into the target)');
  if (source.status === 'closed') {
    throw new InvalidTransitionError({ ticketId: source.id, from: 'closed', to: 'closed', allowed: allowedTransitions('closed'), reason: 'a closed ticket is not merged: link it as related instead' });
  }
  const marked = withLink(source, 'merged_into', target.id, ctx.now);
  const closing = decideClose(marked, 'merged', ctx, why ?? `merged into ${target.id}`);
  const sourceNote = note(source, ctx, `Merged into ${target.id}${why === undefined ? '' : `: ${why}`}`);
  const nextTarget = withLink(target, 'merged_from', source.id, ctx.now);
  const targetNote = note(target, ctx, `${source.id} ("${source.subject}") was merged into this ticket${why === undefined ? '' : `: ${why}`}`);
  return [
    { ...closing, before: source, action: 'merge', interactions: [sourceNote] },
    step(target, nextTarget, ctx, 'merge', [deskEvent('ticket.merged', { ticket: nextTarget, source: closing.ticket, interactions, at: ctx.now, actor: ctx.actor })], [targetNote], why),
  ];
}

/** What a split's new ticket takes besides the picked interactions. */
export interface SplitOptions {
  readonly subject?: string | undefined;
  readonly reason?: string | undefined;
}

/**
 * Split part of a conversation into a new ticket: copies of the picked interactions go on in it
 * (new ids, `metadata.splitFrom` naming the original, the original's time in
 * `metadata.originallyAt`), with `split_from`/`split_into` links. The source keeps its history.
 */
export function decideSplit(source: Ticket, picked: ReadonlyArray<Interaction>, ctx: DecisionContext, options: SplitOptions = {}): Step[] {
  assertNotClosed(source, 'splitTicket');
  const id = ctx.newId('tkt') as TicketId;
  const copies: Interaction[] = picked.map((i) => {
    const { externalId: _e, externalAliases: _a, ...rest } = i;
    return { ...rest, id: ctx.newId('int') as InteractionId, ticketId: id, at: ctx.now, metadata: { ...i.metadata, splitFrom: i.id, originallyAt: i.at.toISOString(), ...(i.externalId === undefined ? {} : { originalExternalId: i.externalId }) } };
  });
  const fromCustomer = copies.filter((i) => i.author.kind === 'customer' && i.visibility === 'public');
  const channel = picked.find((i) => i.visibility === 'public')?.channel ?? lastChannel(source);
  const base = successorOf(source, id, channel, ctx.now);
  const fresh: Ticket = {
    ...base,
    subject: options.subject ?? source.subject,
    counters: { ...base.counters, contacts: fromCustomer.length },
    links: [{ type: 'split_from', ticketId: source.id, at: ctx.now }],
    ...(fromCustomer.length > 0 ? { lastCustomerMessageAt: ctx.now } : {}),
  };
  const linkedSource = withLink(source, 'split_into', id, ctx.now);
  const sourceNote = note(source, ctx, `${copies.length} interaction${copies.length === 1 ? '' : 's'} split into ${id}${options.reason === undefined ? '' : `: ${options.reason}`}`);
  const events: DeskEvent[] = [
    deskEvent('ticket.opened', { ticket: fresh, at: ctx.now, actor: ctx.actor }),
    deskEvent('ticket.split', { ticket: fresh, from: source.id, interactions: picked.map((i) => i.id), at: ctx.now, actor: ctx.actor }),
  ];
  return [step(null, fresh, ctx, 'open_split', events, copies, options.reason), step(source, linkedSource, ctx, 'split', [], [sourceNote], options.reason)];
}

/**
 * Link a child just opened (`opened`, the step of `decideOpen`) to its parent; when `wait`, the
 * parent goes on hold until its children are done (an internal wait: no customer consent asked).
 */
export function decideChild(parent: Ticket, opened: Step, ctx: DecisionContext, wait: boolean): Step[] {
  assertNotClosed(parent, 'openChildTicket');
  const child = withLink(opened.ticket, 'parent', parent.id, ctx.now);
  let next = withLink(parent, 'child', child.id, ctx.now);
  const events: DeskEvent[] = [deskEvent('ticket.linked', { ticket: next, type: 'child', to: child.id, at: ctx.now, actor: ctx.actor })];
  if (wait && next.status !== 'on_hold' && next.status !== 'resolved') {
    const reason = 'waiting on child tickets';
    next = {
      ...withStatus(next, 'on_hold', ctx.now),
      hold: { since: ctx.now, reason, waitingOn: linked(next, 'child').join(', '), resumeTo: next.status === 'pending_customer' ? 'pending_customer' : 'open' },
      waitingOnChildren: true,
      counters: { ...next.counters, holds: next.counters.holds + 1 },
    };
    events.push(deskEvent('ticket.held', { ticket: next, reason, waitingOn: child.id, consent: { granted: true, note: 'an internal wait for child tickets' }, at: ctx.now, actor: ctx.actor }));
  } else if (wait && next.status === 'on_hold' && next.waitingOnChildren === true && next.hold !== undefined) {
    next = { ...next, hold: { ...next.hold, waitingOn: linked(next, 'child').join(', ') } };
  }
  return [{ ...opened, ticket: child }, step(parent, next, ctx, 'open_child', events, [], opened.ticket.subject)];
}

/** A parent waiting on its children resumes once every child is done (`children` as they will be committed). */
export function decideParentResume(parent: Ticket, children: ReadonlyArray<Ticket>, ctx: DecisionContext): Step | null {
  if (parent.waitingOnChildren !== true || parent.status !== 'on_hold' || !children.every(isDone)) return null;
  return { ...decideResume(parent, ctx, 'every child ticket is done'), action: 'resume_after_children' };
}
