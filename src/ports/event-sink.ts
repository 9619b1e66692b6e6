import type { EventName } from '../events.js';
import type { JsonValue } from '../domain/common.js';

/** One desk event as it leaves the process: a stable id, its name, and its payload as JSON. */
export interface PublishedEvent {
  /** The same on every delivery of this event: receivers drop repeats by it. */
  readonly id: string;
  /** The event's name, e.g. `ticket.created`. */
  readonly name: EventName;
  /** When the command that caused it committed, ISO 8601. */
  readonly at: string;
  /** The event's payload as JSON (dates as ISO strings). */
  readonly payload: JsonValue;
}

/**
 * Where committed desk events are published for other systems: a message bus, a webhook, an
 * analytics pipeline. The desk files each chosen event as a scheduler job in the same unit of
 * work as the change (in the same transaction with `omotenashi/postgres-scheduler`), and a worker
 * calls `publish`; a `publish` that throws is retried, so it may see an event more than once and
 * must drop repeats by `id`.
 *
 * @example
 * ```ts
 * const sink: EventSink = {
 *   name: 'bus',
 *   publish: async (event) => { await bus.send(event.name, event, { dedupeId: event.id }); },
 * };
 * createServiceDesk({ storage, publishEvents: { sink, events: ['ticket.created', 'sla.breached'] } });
 * ```
 */
export interface EventSink {
  /** A short name for error messages. */
  readonly name: string;
  /** Deliver one event; throw to have it retried later. */
  publish(event: PublishedEvent): Promise<void>;
}
