import { createSystemClock } from './adapters/memory/clock.js';
import { createConsoleLogger } from './adapters/memory/logger.js';
import { createInProcessScheduler } from './adapters/memory/scheduler.js';
import { createDesk } from './desk/desk.js';
import type { ServiceDeskOptions } from './desk/options.js';
import type { ServiceDesk } from './desk/service-desk.js';

/**
 * Create a service desk on the given ports. Without a `clock` it uses the system clock; without a
 * `scheduler` (and a storage that brings none) an in-process scheduler whose given-up jobs are
 * reported as `job.failed` events and kept in its `deadLetters()`.
 *
 * @example
 * ```ts
 * const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock('2026-04-01T09:00:00+09:00') });
 * const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Tanaka Hanako', timeZone: 'Asia/Tokyo' });
 * const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router drops Wi-Fi', channel: 'phone' });
 * ```
 * @throws ConfigError when an option is invalid.
 */
export function createServiceDesk(options: ServiceDeskOptions): ServiceDesk {
  return createDesk(options, {
    clock: createSystemClock,
    logger: () => createConsoleLogger(),
    scheduler: (clock, onFailure) => createInProcessScheduler({ clock, onError: onFailure }),
  });
}
