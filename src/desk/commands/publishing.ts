import type { JsonValue } from '../../domain/common.js';
import { BackoffSchema, backoffDelay, jitterUnit } from '../../domain/backoff.js';
import { jobKey, type ScheduledJob } from '../../domain/job.js';
import type { PublishedEventRecord } from '../../domain/published-event.js';
import type { DeskEvent, EventName } from '../../events.js';
import type { EventSink } from '../../ports/event-sink.js';
import { pageAll, type Put } from '../../ports/storage.js';
import type { Addition, Effect } from '../effects.js';
import type { IdGenerator } from '../ids.js';
import { outcomeOf, type Kernel } from '../runtime.js';

/** Published events retry until the sink takes them: 30 s doubling up to 1 h, with jitter. */
const PUBLISH_BACKOFF = BackoffSchema.parse({});

const jobOf = (record: PublishedEventRecord): ScheduledJob => ({ key: jobKey('event.publish', record.id), at: record.nextAttemptAt.getTime(), type: 'event.publish', payload: { id: record.id } });

/**
 * Which events a desk publishes, and how each is filed: a record in the command's unit of work
 * (the event outbox) and a job to hand it to the sink.
 */
export function eventFiler(options: { readonly events: ReadonlyArray<EventName> | 'all' }, newId: IdGenerator) {
  const chosen = options.events === 'all' ? undefined : new Set<EventName>(options.events);
  return (events: ReadonlyArray<DeskEvent>, now: number): Addition => {
    const puts: Put[] = [];
    const effects: Effect[] = [];
    for (const e of events) {
      if (chosen !== undefined && !chosen.has(e.name)) continue;
      const at = new Date(now);
      const record: PublishedEventRecord = { id: newId('evt'), version: 1, name: e.name, at, body: JSON.stringify(e.payload), status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at };
      puts.push({ kind: 'event', record, expectedVersion: null });
      effects.push({ type: 'schedule', job: jobOf(record) });
    }
    return { puts, events: [], effects };
  };
}

/**
 * The job that hands one filed event to the sink, and the rebuild of the ones still pending. A
 * refused event is reported through `failed` (never given up), outside any unit of work, so that
 * publishing `job.failed` itself cannot file a new event for every failure.
 */
export function eventPublisher(k: Kernel, sink: EventSink | undefined, failed: (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => void) {
  async function publish(id: string): Promise<void> {
    const record = await k.storage.get('event', id);
    if (record === null || record.status !== 'pending' || sink === undefined) return;
    try {
      await sink.publish({ id: record.id, name: record.name as EventName, at: record.at.toISOString(), payload: JSON.parse(record.body) as JsonValue });
    } catch (error) {
      // Never given up: retried with backoff, under the same id, until the sink takes it.
      const attempts = record.attempts + 1;
      const now = k.now();
      const again: PublishedEventRecord = { ...record, version: record.version + 1, attempts, nextAttemptAt: new Date(now.getTime() + backoffDelay(attempts, PUBLISH_BACKOFF, jitterUnit(record.id, attempts))), lastError: error instanceof Error ? error.message : String(error), updatedAt: now };
      await k.run(async () => outcomeOf(undefined, { puts: [{ kind: 'event', record: again, expectedVersion: record.version }], events: [], effects: [{ type: 'schedule', job: jobOf(again) }] }), false);
      failed(error, jobOf(record), attempts, false);
      return;
    }
    const now = k.now();
    const { lastError: _cleared, ...rest } = record;
    const done: PublishedEventRecord = { ...rest, version: record.version + 1, status: 'published', publishedAt: now, updatedAt: now };
    await k.run(async () => outcomeOf(undefined, { puts: [{ kind: 'event', record: done, expectedVersion: record.version }], events: [], effects: [] }), false);
  }

  /** Jobs for every event still waiting for the sink (after a restart). */
  async function pendingJobs(): Promise<ScheduledJob[]> {
    const out: ScheduledJob[] = [];
    for await (const page of pageAll(k.storage, 'event', { status: 'pending' })) out.push(...page.map(jobOf));
    return out;
  }

  return { publish, pendingJobs };
}
