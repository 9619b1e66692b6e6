/**
 * What the API process and the workers share: one database, one desk configuration. Only the
 * role differs: the API process enqueues (its scheduler runs no jobs), the workers run the jobs.
 */
import pg from 'pg';
import { createServiceDesk, createSystemClock, defineTemplates, type ServiceDesk } from 'omotenashi';
import { createPostgresStorage } from 'omotenashi/postgres';
import { createPostgresScheduler, type PostgresScheduler } from 'omotenashi/postgres-scheduler';
import { createWebhookEventSink, createWebhookNotifier } from 'omotenashi/webhook';

/** The shared secret of the chat service's webhook (an example value). */
/** A Standard Webhooks secret for the example only (generateWebhookSecret() makes real ones). */
export const SECRET = 'whsec_ZXhhbXBsZSBvbmx5OiBub3QgYSByZWFsIHNlY3JldCE=';

/** The messages the desk sends. */
export const templates = defineTemplates({
  ticket_received: {
    variables: ['recipientName', 'ticketRef'],
    locales: {
      en: { subject: 'We have your request {{ticketRef}}', text: 'Dear {{recipientName}}, we have your request {{ticketRef}} and will be in touch.' },
      ja: { subject: '{{ticketRef}} を承りました', text: '{{recipientName}}、お問い合わせ {{ticketRef}} を承りました。' },
    },
  },
});

/** A desk on PostgreSQL, its scheduler, and the pool (to end on shutdown). */
export interface Node {
  readonly desk: ServiceDesk;
  readonly scheduler: PostgresScheduler;
  readonly pool: pg.Pool;
}

/** Settings of {@link openDesk}. */
export interface NodeOptions {
  readonly databaseUrl: string;
  /** The schema of the desk's tables and of graphile-worker's (`<schema>_jobs`). */
  readonly schema: string;
  /** `api` only enqueues; `worker` runs jobs too. */
  readonly role: 'api' | 'worker';
  /** Where chat messages are POSTed. */
  readonly chatUrl: string;
  /** Where `ticket.opened` events are POSTed (a CRM, say). */
  readonly eventsUrl: string;
  /** Errors the desk and the scheduler report. */
  readonly onError?: (error: unknown) => void;
}

/** Open the desk of one process. Call `scheduler.migrate()` and `storage.migrate()` once at start-up (any process may). */
export function openDesk(options: NodeOptions): Node & { migrate(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 8 });
  // A connection that breaks while idle must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.onError?.(error));
  pool.on('connect', (client) => client.on('error', (error) => options.onError?.(error)));
  const clock = createSystemClock({ keepAlive: true });
  const scheduler = createPostgresScheduler({
    pool,
    schema: `${options.schema}_jobs`,
    worker: options.role === 'worker',
    concurrency: 2,
    pollIntervalMs: 100,
    heartbeatMs: 250,
    staleAfterMs: 1500,
    clock,
    onError: (error) => options.onError?.(error),
  });
  const storage = createPostgresStorage({ pool, schema: options.schema, scheduler });
  const desk = createServiceDesk({
    storage,
    clock,
    templates,
    notifiers: [createWebhookNotifier({ url: options.chatUrl, secret: SECRET, channels: ['chat'], clock, timeoutMs: 5000 })],
    // Each ticket.opened is filed as a job in the ticket's own commit and published by a worker.
    publishEvents: { sink: createWebhookEventSink({ url: options.eventsUrl, secret: SECRET, clock, timeoutMs: 5000 }), events: ['ticket.opened'] },
    onError: (error) => options.onError?.(error),
  });
  return {
    desk,
    scheduler,
    pool,
    async migrate() {
      await scheduler.migrate();
      await storage.migrate();
    },
  };
}
