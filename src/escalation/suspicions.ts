import { deskEvent } from '../events.js';
import { InvalidTransitionError, NotFoundError } from '../errors.js';
import type { Signal, SignalKind } from '../domain/signal.js';
import type { Suspicion } from '../domain/suspicion.js';
import type { Ticket } from '../domain/ticket.js';
import type { DecisionContext, Step } from '../lifecycle/engine.js';

/** What a `suspect_signal` action asks for, with the rule and the message that set it off. */
export interface SuspicionRequest {
  readonly kind: SignalKind;
  readonly flag?: string | undefined;
  readonly reason: string;
  readonly ruleId: string;
  readonly signals: ReadonlyArray<Signal>;
  readonly interactionId?: string | undefined;
}

/**
 * Mark a ticket with a suspected signal, once per rule and message: the strongest signal of the
 * kind gives the words and the confidence shown to the agent who decides.
 */
export function decideSuspicion(ticket: Ticket, request: SuspicionRequest, ctx: DecisionContext): Step | null {
  const existing = ticket.suspicions ?? [];
  if (existing.some((s) => s.ruleId === request.ruleId && s.interactionId === request.interactionId && s.kind === request.kind)) return null;
  const strongest = request.signals.filter((s) => s.kind === request.kind && !s.negated).sort((a, b) => b.confidence - a.confidence)[0];
  const suspicion: Suspicion = {
    id: `sus_${existing.length + 1}`,
    kind: request.kind,
    ...(request.flag === undefined ? {} : { flag: request.flag }),
    reason: request.reason,
    ruleId: request.ruleId,
    ...(request.interactionId === undefined ? {} : { interactionId: request.interactionId }),
    ...(strongest === undefined ? {} : { text: strongest.text, confidence: strongest.confidence }),
    raisedAt: ctx.now,
    status: 'pending',
  };
  const next: Ticket = { ...ticket, suspicions: [...existing, suspicion], updatedAt: ctx.now };
  return {
    before: ticket,
    ticket: next,
    action: 'suspect_signal',
    reason: `rule ${request.ruleId}: ${request.kind} suspected${strongest === undefined ? '' : ` ("${strongest.text}", ${strongest.confidence})`}`,
    events: [deskEvent('signal.suspected', { ticket: next, suspicion, at: ctx.now, actor: ctx.actor })],
    interactions: [],
  };
}

/** An agent's verdict on a suspected signal. */
export type SuspicionVerdict = 'confirmed' | 'dismissed';

/**
 * Record an agent's verdict on a pending suspicion. A suspicion is decided once: deciding it
 * again the same way is a no-op (a retried request), the other way is refused.
 *
 * @throws NotFoundError when the ticket has no suspicion with that id.
 * @throws InvalidTransitionError when it was already decided the other way.
 */
export function decideVerdict(ticket: Ticket, suspicionId: string, verdict: SuspicionVerdict, ctx: DecisionContext, note?: string): { step: Step | null; suspicion: Suspicion } {
  const list = ticket.suspicions ?? [];
  const at = list.findIndex((s) => s.id === suspicionId);
  const current = list[at];
  if (current === undefined) throw new NotFoundError('suspicion', suspicionId, `ticket "${ticket.id}" has ${list.length === 0 ? 'no suspicions' : `suspicions ${list.map((s) => s.id).join(', ')}`}`);
  if (current.status === verdict) return { step: null, suspicion: current };
  if (current.status !== 'pending') {
    throw new InvalidTransitionError({ ticketId: ticket.id, from: current.status, to: verdict, allowed: [], reason: `suspicion "${suspicionId}" was already ${current.status}` });
  }
  const suspicion: Suspicion = { ...current, status: verdict, decision: { by: ctx.actor, at: ctx.now, ...(note === undefined ? {} : { note }) } };
  const next: Ticket = { ...ticket, suspicions: list.map((s, i) => (i === at ? suspicion : s)), updatedAt: ctx.now };
  return {
    suspicion,
    step: {
      before: ticket,
      ticket: next,
      action: verdict === 'confirmed' ? 'confirm_signal' : 'dismiss_signal',
      reason: `${suspicion.kind} ${verdict}${note === undefined ? '' : `: ${note}`}`,
      events: [deskEvent(verdict === 'confirmed' ? 'signal.confirmed' : 'signal.dismissed', { ticket: next, suspicion, at: ctx.now, actor: ctx.actor })],
      interactions: [],
    },
  };
}
