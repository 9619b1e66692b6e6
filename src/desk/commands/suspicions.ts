import { ValidationError } from '../../errors.js';
import type { Suspicion } from '../../domain/suspicion.js';
import type { Ticket } from '../../domain/ticket.js';
import { decideVerdict, type SuspicionVerdict } from '../../escalation/suspicions.js';
import { nothing } from '../effects.js';
import type { FollowUpRuntime } from '../followups.js';
import { finalOf, type Pipeline } from '../pipeline.js';
import type { Kernel } from '../runtime.js';
import type { ServiceDesk } from '../service-desk.js';
import type { TicketCommandOptions } from '../options.js';
import { flagCustomers } from './escalation.js';

/** Agents' verdicts on signals the rules only suspected: confirm (the flag is set) or dismiss. */
export function suspicionCommands(k: Kernel, pipeline: Pipeline, followUps: FollowUpRuntime | undefined): Pick<ServiceDesk, 'confirmSignal' | 'dismissSignal'> {
  function command(method: string, verdict: SuspicionVerdict) {
    return async (ticketId: Ticket['id'], suspicionId: string, options?: TicketCommandOptions & { note?: string }): Promise<{ ticket: Ticket; suspicion: Suspicion }> => {
      const actor = k.actorOf(options);
      if (actor.kind !== 'agent') throw new ValidationError(`${method} options`, [{ path: ['by'], code: 'custom', message: `an agent decides on a suspected signal: pass { by: { kind: 'agent', id } } (got ${actor.kind})` }]);
      let decided: { suspicion: Suspicion; changed: boolean } | undefined;
      return pipeline.ticketCommand(
        ticketId,
        options,
        (ticket, ctx) => {
          const { step, suspicion } = decideVerdict(ticket, suspicionId, verdict, ctx, options?.note);
          decided = { suspicion, changed: step !== null };
          return step === null ? [] : [step];
        },
        (finals, steps, t) => ({ ticket: steps.length === 0 ? t : finalOf(finals, t.id), suspicion: (decided as { suspicion: Suspicion }).suspicion }),
        {
          extra: async (settled, ctx, read) => {
            const out = nothing();
            const s = decided?.suspicion;
            // A flag only on the confirmation itself: confirming again must not undo a flag an agent cleared since.
            if (verdict !== 'confirmed' || decided?.changed !== true || s?.flag === undefined) return out;
            const ticket = finalOf(settled.finals, ticketId);
            await flagCustomers(followUps, [{ kind: s.flag, reason: s.reason, ruleId: s.ruleId, customerId: ticket.requesterId, ticketId }], read, ctx.now, out, ctx.actor);
            return out;
          },
        },
      );
    };
  }
  return { confirmSignal: command('confirmSignal', 'confirmed'), dismissSignal: command('dismissSignal', 'dismissed') };
}
