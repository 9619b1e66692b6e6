import { EventEmitter } from 'eventemitter3';
import { match } from 'ts-pattern';
import { ConflictError, NotFoundError } from '../errors.js';
import { conflictPause } from './retry.js';
import { sameValue } from '../internal/diff.js';
import { ActorSchema, SYSTEM_ACTOR, type Actor, type TicketId } from '../domain/common.js';
import type { Agent, Team } from '../domain/agent.js';
import type { Interaction } from '../domain/interaction.js';
import type { AuditEntry, Ticket } from '../domain/ticket.js';
import type { Organization } from '../domain/organization.js';
import type { DeskEvent, EventName, OmotenashiEvents } from '../events.js';
import { eventFiler } from './commands/publishing.js';
import type { DecisionContext } from '../lifecycle/engine.js';
import type { ResolvedLifecyclePolicy } from '../lifecycle/policy.js';
import type { ClockPort } from '../ports/clock.js';
import type { SchedulerPort } from '../ports/scheduler.js';
import { listAll, type EntityKind, type EntityMap, type KeyChange, type StoragePort, type UnitOfWork } from '../ports/storage.js';
import type { Addition, Effect } from './effects.js';
import type { IdGenerator } from './ids.js';
import type { CommandOptions, DeskErrorSource, ServiceDeskOptions } from './options.js';
import { parse } from './schemas.js';

/** What a command decided: the unit of work to commit, the events to emit after, the timers, and its result. */
export interface Outcome<R> {
  readonly work: UnitOfWork | null;
  readonly events: ReadonlyArray<DeskEvent>;
  readonly effects: ReadonlyArray<Effect>;
  readonly result: R;
}

/** Add what another part of the desk decided (records, events, timers) to a command's outcome. */
export function fold<T extends { work: UnitOfWork | null; events: ReadonlyArray<DeskEvent>; effects: ReadonlyArray<Effect> }>(into: T, add: Addition): T {
  const keys = add.keys ?? [];
  if (add.puts.length === 0 && add.events.length === 0 && add.effects.length === 0 && keys.length === 0) return into;
  const work: UnitOfWork = {
    ...into.work,
    puts: [...(into.work?.puts ?? []), ...add.puts],
    interactions: into.work?.interactions ?? [],
    audit: into.work?.audit ?? [],
    ...(keys.length === 0 ? {} : { keys: [...(into.work?.keys ?? []), ...keys] }),
  };
  return { ...into, work: work.puts.length === 0 && work.interactions.length === 0 && keys.length === 0 ? into.work : work, events: [...into.events, ...add.events], effects: [...into.effects, ...add.effects] };
}

/**
 * Whether a unit of work whose commit threw was written after all (the connection dropped after
 * COMMIT): its first record reads back as written. A failed read-back counts as not written.
 */
async function landed(storage: StoragePort, work: UnitOfWork): Promise<boolean> {
  const first = work.puts[0];
  if (first === undefined) return false;
  try {
    const back = await storage.get(first.kind, first.record.id);
    return back !== null && back.version === first.record.version && sameValue(back, first.record);
  } catch {
    return false;
  }
}

/** Add key claims and releases to an outcome's unit of work (none: the outcome as it is). */
export function withKeys<T extends { work: UnitOfWork | null }>(outcome: T, keys: ReadonlyArray<KeyChange>): T {
  if (keys.length === 0) return outcome;
  const work = outcome.work ?? { puts: [], interactions: [], audit: [] };
  return { ...outcome, work: { ...work, keys: [...(work.keys ?? []), ...keys] } };
}

/** Hand timer changes to the scheduler after a commit; one that fails is reported, never thrown (the work is committed). */
export async function applyEffects(scheduler: SchedulerPort, effects: ReadonlyArray<Effect>, onError: (error: unknown, context: DeskErrorSource) => void): Promise<void> {
  for (const effect of effects) {
    try {
      await match(effect)
        .with({ type: 'schedule' }, (e) => scheduler.schedule(e.job))
        .with({ type: 'cancel' }, (e) => scheduler.cancel(e.key))
        .exhaustive();
    } catch (error) {
      onError(error, { source: 'effect', effect: effect.type === 'schedule' ? effect.job.key : effect.key });
    }
  }
}

/** An outcome with a result and, optionally, what it adds (records, events, timers). */
export const outcomeOf = <R>(result: R, add?: Addition): Outcome<R> => {
  const empty: Outcome<R> = { work: null, events: [], effects: [], result };
  return add === undefined ? empty : fold(empty, add);
};

/**
 * The reads of one command attempt, memoised: each record, list or history is read from storage
 * at most once per attempt, however many parts of the command need it.
 */
export interface Reader {
  /** The record, or null. */
  get<K extends EntityKind>(kind: K, id: string): Promise<EntityMap[K] | null>;
  /** The record. @throws NotFoundError */
  load<K extends EntityKind>(kind: K, id: string): Promise<EntityMap[K]>;
  /** Every agent. */
  agents(): Promise<ReadonlyArray<Agent>>;
  /** Every team. */
  teams(): Promise<ReadonlyArray<Team>>;
  /** A ticket's interactions. */
  interactions(ticketId: string): Promise<ReadonlyArray<Interaction>>;
  /** A ticket's audit trail. */
  audit(ticketId: string): Promise<ReadonlyArray<AuditEntry>>;
}

/** A {@link Reader} over `storage` with a fresh memo. */
export function createReader(storage: StoragePort): Reader {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let hit = memo.get(key) as Promise<T> | undefined;
    if (hit === undefined) {
      hit = read();
      memo.set(key, hit);
      // A failed read is not remembered: the next caller tries again.
      hit.catch(() => memo.delete(key));
    }
    return hit;
  };
  const get = <K extends EntityKind>(kind: K, id: string): Promise<EntityMap[K] | null> => once(`${kind}\u0000${id}`, () => storage.get(kind, id));
  return {
    get,
    async load(kind, id) {
      const found = await get(kind, id);
      if (found === null) throw new NotFoundError(kind, id);
      return found;
    },
    agents: () => once('\u0001agents', () => everyById(storage, 'agent')),
    teams: () => once('\u0001teams', () => everyById(storage, 'team')),
    interactions: (ticketId) => once(`\u0001int\u0000${ticketId}`, () => storage.history('interaction', ticketId as TicketId)),
    audit: (ticketId) => once(`\u0001audit\u0000${ticketId}`, () => storage.history('audit', ticketId as TicketId)),
  };
}

/** The organisation a ticket is for, or undefined (none, or no longer there). */
export async function organizationOf(read: Pick<Reader, 'get'>, ticket: Pick<Ticket, 'organizationId'>): Promise<Organization | undefined> {
  return ticket.organizationId === undefined ? undefined : ((await read.get('organization', ticket.organizationId)) ?? undefined);
}

/** Every agent or team, ordered by id. */
export async function everyById<K extends 'agent' | 'team'>(storage: StoragePort, kind: K): Promise<Array<EntityMap[K]>> {
  return (await listAll(storage, kind)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The kernel every command module runs on. */
export interface Kernel {
  readonly storage: StoragePort;
  readonly clock: ClockPort;
  readonly scheduler: SchedulerPort;
  readonly policy: ResolvedLifecyclePolicy;
  readonly newId: IdGenerator;
  readonly onError: (error: unknown, context: DeskErrorSource) => void;
  /** The desk's time now, as a Date. */
  now(): Date;
  /** The actor of a command's options (validated), or the system. */
  actorOf(options?: CommandOptions): Actor;
  /** The context the pure engines decide in. */
  context(actor: Actor): DecisionContext;
  /**
   * Run a command: decide on fresh, memoised reads, commit its one unit of work (timers inside
   * it when the storage writes them), then hand timers to the scheduler and emit the events. A
   * command that lost a version race is decided again when `retryable`.
   */
  run<R>(decide: (read: Reader) => Promise<Outcome<R>>, retryable: boolean | ((conflict: ConflictError) => boolean)): Promise<R>;
  /** Emit one event to the desk's listeners (committed work only). */
  emit(event: DeskEvent): void;
  /** Listen to an event; returns the unsubscribe function. */
  on<K extends EventName>(event: K, listener: (payload: OmotenashiEvents[K]) => void | Promise<void>): () => void;
}

/** Build the kernel on validated ports. */
export function createKernel(deps: {
  storage: StoragePort;
  clock: ClockPort;
  scheduler: SchedulerPort;
  policy: ResolvedLifecyclePolicy;
  newId: IdGenerator;
  retries: number;
  onError: (error: unknown, context: DeskErrorSource) => void;
  publishEvents: ServiceDeskOptions['publishEvents'];
  /**
   * Hold back what follows a commit (events, timers the storage did not write), for a desk working
   * inside a transaction the application holds: they are released once the application says it
   * committed (see `ServiceDesk.within`).
   */
  defer?: { readonly events: DeskEvent[]; readonly effects: Effect[] };
}): Kernel {
  const { storage, clock, scheduler, policy, newId, onError } = deps;
  const emitter = new EventEmitter();
  const filer = deps.publishEvents === undefined ? undefined : eventFiler(deps.publishEvents, newId);
  // Timers ride in the commit when the storage writes them itself: a crash after the commit cannot lose one.
  const jobsInCommit = storage.scheduler !== undefined;

  const kernel: Kernel = {
    storage,
    clock,
    scheduler,
    policy,
    newId,
    onError,
    now: () => new Date(clock.now()),
    actorOf: (o) => (o?.by === undefined ? SYSTEM_ACTOR : parse(ActorSchema, o.by, 'command option "by"')),
    context: (actor) => ({ now: new Date(clock.now()), actor, policy, newId: (p) => newId(p) }),
    async run(decide, retryable) {
      for (let attempt = 0; ; attempt++) {
        const decided = await decide(createReader(storage));
        const outcome = filer === undefined ? decided : fold(decided, filer(decided.events, clock.now()));
        const effects = outcome.effects;
        const inCommit = jobsInCommit && outcome.work !== null && effects.length > 0;
        if (outcome.work !== null) {
          try {
            await storage.commit(inCommit ? { ...outcome.work, jobs: effects } : outcome.work);
          } catch (error) {
            // Decided again on fresh data: a version race, or a record another command just
            // created (a second notify with the same key finds the first one's message).
            if (attempt < deps.retries && error instanceof ConflictError && (typeof retryable === 'function' ? retryable(error) : retryable)) {
              await conflictPause(attempt + 1);
              continue;
            }
            if (error instanceof ConflictError || !(await landed(storage, outcome.work))) throw error;
            // The commit went through and only its answer was lost: carry on with its timers and events.
          }
        }
        if (deps.defer !== undefined) {
          if (!inCommit) deps.defer.effects.push(...effects);
          deps.defer.events.push(...outcome.events);
          return outcome.result;
        }
        if (!inCommit) await applyEffects(scheduler, effects, onError);
        for (const event of outcome.events) emitter.emit(event.name, event.payload);
        return outcome.result;
      }
    },
    emit: (event) => {
      if (deps.defer !== undefined) deps.defer.events.push(event);
      else emitter.emit(event.name, event.payload);
    },
    on(event, listener) {
      const wrapped = (payload: OmotenashiEvents[typeof event]): void => {
        try {
          const r = listener(payload);
          if (r instanceof Promise) r.catch((error: unknown) => onError(error, { source: 'listener', event }));
        } catch (error) {
          onError(error, { source: 'listener', event });
        }
      };
      emitter.on(event, wrapped);
      return () => {
        emitter.off(event, wrapped);
      };
    },
  };
  return kernel;
}
