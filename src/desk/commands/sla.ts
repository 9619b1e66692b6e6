import { ConfigError, NotFoundError } from '../../errors.js';
import type { Customer } from '../../domain/customer.js';
import { slaHistory } from '../../sla/history.js';
import { compareSlaPolicies, type SlaReplayCase } from '../../sla/whatif.js';
import { toSlaConfig } from '../config.js';
import { pageAll } from '../records.js';
import { createReader, type Kernel } from '../runtime.js';
import type { ServiceDesk } from '../service-desk.js';
import type { SlaStage } from '../sla-stage.js';

/** Explaining and comparing SLA clocks: full replays of stored histories. */
export function slaCommands(k: Kernel, sla: SlaStage | undefined): Pick<ServiceDesk, 'explainSla' | 'whatIfSla'> {
  return {
    async explainSla(ticketId) {
      if (sla === undefined) throw new ConfigError('sla', 'this desk has no SLA configuration; pass createServiceDesk({ sla })');
      const read = createReader(k.storage);
      const ticket = await read.get('ticket', ticketId);
      if (ticket === null) throw new NotFoundError('ticket', ticketId);
      return sla.explain(ticket, read, k.now());
    },
    async whatIfSla(candidateInput, query = {}) {
      if (sla === undefined) throw new ConfigError('sla', 'this desk has no SLA configuration to compare with; pass createServiceDesk({ sla })');
      const candidate = toSlaConfig(candidateInput);
      const cases: SlaReplayCase[] = [];
      const customers = new Map<string, Customer>();
      await pageAll(
        (cursor) => k.storage.list('ticket', { ...query, limit: 500, ...(cursor === undefined ? {} : { cursor }) }),
        async (items) => {
          for (const ticket of items) {
            const [audit, interactions] = await Promise.all([k.storage.history('audit', ticket.id), k.storage.history('interaction', ticket.id)]);
            let customer = customers.get(ticket.requesterId);
            if (customer === undefined) {
              const found = await k.storage.get('customer', ticket.requesterId);
              if (found === null) throw new NotFoundError('customer', ticket.requesterId);
              customer = found;
              customers.set(ticket.requesterId, customer);
            }
            cases.push({ ticket, customer, history: slaHistory(ticket, audit, interactions) });
          }
        },
      );
      return compareSlaPolicies({ cases, current: sla.config, candidate, now: k.now() });
    },
  };
}
