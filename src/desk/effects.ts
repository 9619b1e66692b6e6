import type { JobChange } from '../ports/scheduler.js';
import type { DeskEvent } from '../events.js';
import type { KeyChange, Put } from '../ports/storage.js';

/** A timer to set or drop once the unit of work is committed. */
export type Effect = JobChange;

/** What a part of the desk adds to a command's unit of work: records to write, events to emit after, timers. */
export interface Addition {
  readonly puts: Put[];
  readonly events: DeskEvent[];
  readonly effects: Effect[];
  /** Lookup keys to claim or release in the same unit of work. */
  readonly keys?: KeyChange[];
}

/** An empty {@link Addition}. */
export const nothing = (): Addition => ({ puts: [], events: [], effects: [] });
