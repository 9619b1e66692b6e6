import { EVENT_NAMES, type OmotenashiEvents } from '../events.js';
import type { Ticket } from '../domain/ticket.js';
import type { Customer } from '../domain/customer.js';
import { pageAll, type StoragePort } from '../ports/storage.js';
import type { ServiceDesk } from './service-desk.js';
import { createMetrics, stateOf, ticketHistory, type MetricsAggregator, type MetricsOptions } from '../metrics/aggregate.js';

/**
 * Feed a desk's events into a metrics aggregator as they happen: every event carrying a ticket
 * gives its version, every `survey.answered` its survey. Returns a function that detaches.
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ calendar });
 * const detach = attachMetrics(desk, metrics);
 * ```
 */
export function attachMetrics(desk: Pick<ServiceDesk, 'on'>, metrics: MetricsAggregator): () => void {
  const offs = EVENT_NAMES.map((name) =>
    desk.on(name, (payload: OmotenashiEvents[typeof name]) => {
      const p = payload as { ticket?: Ticket; at: Date };
      if (p.ticket !== undefined) metrics.observe(stateOf(p.ticket, p.ticket.updatedAt.getTime()));
      const customer = (payload as { customer?: Customer }).customer;
      if (customer !== undefined && (name.startsWith('customer.') || name === 'order.placed')) metrics.observeCustomer(customer);
      if (name === 'survey.answered') {
        const { survey, ticket } = payload as OmotenashiEvents['survey.answered'];
        metrics.observeSurvey(survey, ticket);
      }
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}

/**
 * Rebuild the metrics from storage: every ticket's versions from its audit trail, and every
 * answered survey. Gives the same numbers as an aggregator that saw the desk's events live.
 * `options.signal` stops it at the next ticket (the promise rejects with the signal's reason).
 *
 * @example
 * ```ts
 * const metrics = await recomputeMetrics(storage, { calendar });
 * metrics.report({ groupBy: ['channel'], period: 'week' });
 * ```
 */
export async function recomputeMetrics(storage: StoragePort, options: MetricsOptions & { readonly signal?: AbortSignal } = {}): Promise<MetricsAggregator> {
  const metrics = createMetrics(options);
  const tickets = new Map<string, Ticket>();
  for await (const page of pageAll(storage, 'ticket', {}, options.signal)) {
    for (const t of page) {
      options.signal?.throwIfAborted();
      tickets.set(t.id, t);
      for (const state of ticketHistory(t, await storage.history('audit', t.id))) metrics.observe(state);
    }
  }
  for await (const page of pageAll(storage, 'customer', {}, options.signal)) for (const c of page) metrics.observeCustomer(c);
  for await (const page of pageAll(storage, 'survey', { status: 'answered' }, options.signal)) {
    for (const s of page) {
      const t = tickets.get(s.ticketId);
      if (t !== undefined) metrics.observeSurvey(s, t);
    }
  }
  return metrics;
}
