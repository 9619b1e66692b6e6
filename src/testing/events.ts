import type { ServiceDesk } from '../desk/service-desk.js';
import { EVENT_NAMES, type DeskEvent, type EventName, type OmotenashiEvents } from '../events.js';


/** Every event a desk emitted since {@link recordEvents} was called, in order. */
export interface EventRecording {
  /** The events, oldest first. */
  readonly events: ReadonlyArray<DeskEvent>;
  /** Just the names, oldest first: handy in assertions. */
  names(): EventName[];
  /** The payloads of one event, oldest first. */
  of<K extends EventName>(name: K): Array<OmotenashiEvents[K]>;
  /** Forget what was recorded so far. */
  clear(): void;
  /** Stop recording. */
  stop(): void;
}

/**
 * Record every event a desk emits, for assertions in tests.
 *
 * @example
 * ```ts
 * const rec = recordEvents(desk);
 * await desk.resolve(id, { summary: 'Fixed' });
 * expect(rec.names()).toEqual(['ticket.resolved', 'ticket.status_changed']);
 * ```
 */
export function recordEvents(desk: ServiceDesk): EventRecording {
  const events: DeskEvent[] = [];
  const offs = EVENT_NAMES.map((name) => desk.on(name, (payload) => void events.push({ name, payload } as DeskEvent)));
  return {
    events,
    names: () => events.map((e) => e.name),
    of: <K extends EventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as OmotenashiEvents[K]),
    clear: () => void events.splice(0, events.length),
    stop: () => offs.forEach((off) => off()),
  };
}
