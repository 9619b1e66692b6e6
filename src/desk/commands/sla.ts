import { NotFoundError } from '../../errors.js';
import { slaHistory } from '../../sla/history.js';
import { compareSlaPolicies, type SlaReplayCase } from '../../sla/whatif.js';
import { defineSlaConfig, type SlaConfig, type SlaConfigInput } from '../../sla/policy.js';
import { hasKind } from '../../internal/kind.js';
import { pageAll } from '../../ports/storage.js';
import { createReader, organizationOf, type Kernel } from '../runtime.js';
import type { ServiceDesk } from '../service-desk.js';
import type { SlaStage } from '../sla-stage.js';

/** Explaining and comparing SLA clocks: full replays of stored histories. */
export function slaCommands(k: Kernel, sla: SlaStage): Pick<ServiceDesk, 'explainSla' | 'whatIfSla'> {
  return {
    async explainSla(ticketId) {
      const read = createReader(k.storage);
      const ticket = await read.get('ticket', ticketId);
      if (ticket === null) throw new NotFoundError('ticket', ticketId);
      return sla.explain(ticket, read, k.now());
    },
    async whatIfSla(candidateInput, query = {}, options = {}) {
      const candidate = hasKind(candidateInput, 'sla-config') ? (candidateInput as SlaConfig) : defineSlaConfig(candidateInput as SlaConfigInput);
      const cases: SlaReplayCase[] = [];
      // One reader for the whole replay: each customer is read once however many tickets they raised.
      const read = createReader(k.storage);
      const teamCalendars = new Map((await read.teams()).flatMap((t) => (t.calendar === undefined ? [] : [[t.id, t.calendar] as const])));
      for await (const page of pageAll(k.storage, 'ticket', query, options.signal)) {
        for (const ticket of page) {
          options.signal?.throwIfAborted();
          const [audit, interactions, customer, organization] = await Promise.all([k.storage.history('audit', ticket.id), k.storage.history('interaction', ticket.id), read.load('customer', ticket.requesterId), organizationOf(read, ticket)]);
          cases.push({ ticket, customer, organization, teamCalendars, history: slaHistory(ticket, audit, interactions, ticket.sla?.account) });
        }
      }
      return compareSlaPolicies({ cases, current: sla.config, candidate, now: k.now() });
    },
  };
}
