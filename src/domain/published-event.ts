import * as z from 'zod';

/** Where an event filed for publishing stands: waiting (or retrying), or handed to the sink. */
export const PUBLISHED_EVENT_STATUSES = ['pending', 'published'] as const;
/** One of {@link PUBLISHED_EVENT_STATUSES}. */
export type PublishedEventStatus = (typeof PUBLISHED_EVENT_STATUSES)[number];

/**
 * Schema of a {@link PublishedEventRecord}: a desk event filed for another system in the unit of
 * work that caused it (the event outbox), kept until the sink has taken it.
 */
export const PublishedEventRecordSchema = z.object({
  /** The event's stable id (`evt_…`): the sink sees the same id on every attempt. */
  id: z.string().min(1),
  version: z.number().int().positive(),
  /** The desk event's name (`ticket.opened`). */
  name: z.string().min(1),
  /** When the event happened. */
  at: z.date(),
  /** The event's payload as JSON text, exactly as the sink receives it. */
  body: z.string(),
  status: z.enum(PUBLISHED_EVENT_STATUSES),
  /** Failed attempts so far. */
  attempts: z.number().int().nonnegative(),
  /** When the next attempt is due. */
  nextAttemptAt: z.date(),
  /** The last attempt's error, while it keeps failing. */
  lastError: z.string().optional(),
  /** When the sink took it. */
  publishedAt: z.date().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A desk event filed for publishing (see {@link PublishedEventRecordSchema}). */
export interface PublishedEventRecord extends z.infer<typeof PublishedEventRecordSchema> {}
