/**
 * examples/postgres-workers: one API process and two worker processes on one PostgreSQL database.
 *
 * The API process (this one) opens tickets and queues an acknowledgement for each; the message and
 * its relay job are written in the same transaction as the ticket. Two worker processes share the
 * jobs and POST the messages to a chat service (a small HTTP server here, which handles each
 * idempotency key once). Midway, worker A is killed with SIGKILL while a message is in flight:
 * its heartbeat stops, worker B unlocks A's jobs and sends them again under the same keys, and
 * the chat service drops the repeats. Each ticket's `ticket.opened` event is published the same
 * way to a CRM endpoint. At the end every message is sent, every event published, no job is left,
 * and the chat service handled each message exactly once.
 *
 * Run: `npm run example:workers` (uses DATABASE_URL, or starts a throwaway PostgreSQL 15).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { verifyWebhookSignature } from 'omotenashi/webhook';
import { createSystemClock } from 'omotenashi';
import { SECRET, openDesk } from './desk.js';
import { PG_BIN, postgresInstalled, startThrowawayPostgres } from '../../scripts/throwaway-postgres.js';

/** What happened, for the test and the printout. */
export interface WorkersReport {
  readonly messages: number;
  readonly requests: number;
  /** Requests that reached the chat service, by idempotency key (more than 1: a repeat it dropped). */
  readonly wire: ReadonlyMap<string, number>;
  /** The idempotency keys the API process queued: the chat service must have seen exactly these. */
  readonly expectedKeys: ReadonlyArray<string>;
  /** `ticket.opened` events that reached the CRM endpoint, by event id (more than 1: a repeat it dropped). */
  readonly events: ReadonlyMap<string, number>;
  readonly repeatsDropped: number;
  readonly byWorker: Readonly<Record<string, number>>;
  readonly killed: string | undefined;
  readonly sent: number;
  readonly pendingJobs: number;
  readonly seconds: number;
}

/** Settings of {@link runPostgresWorkers}. */
export interface WorkersOptions {
  /** The database (default: DATABASE_URL, else a throwaway cluster). */
  readonly databaseUrl?: string;
  /** Schema of this run's tables (default `workers_demo`). */
  readonly schema?: string;
  /** How many tickets (and messages) the API process creates (default 40). */
  readonly messages?: number;
  readonly out?: (line: string) => void;
}

interface Chat {
  readonly url: string;
  readonly requests: Array<{ key: string; worker: string }>;
  /** Requests per idempotency key; the service acts on the first of each and drops the rest. */
  readonly wire: Map<string, number>;
  /** Event requests per event id. */
  readonly events: Map<string, number>;
  /** Called with the worker's name on each request; may answer late. */
  onRequest: (worker: string) => Promise<void>;
  close(): Promise<void>;
}

/** The chat service: verifies each request, handles each idempotency key once. */
async function startChat(): Promise<Chat> {
  const clock = createSystemClock();
  const chat: Chat = {
    url: '',
    requests: [],
    wire: new Map(),
    events: new Map(),
    onRequest: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const worker = /\/from\/(\w+)/.exec(req.url ?? '')?.[1] ?? '?';
        let key: string;
        try {
          key = (await verifyWebhookSignature({ body, headers: req.headers, secret: SECRET, clock })).id;
        } catch {
          res.writeHead(401).end();
          return;
        }
        if (req.url?.startsWith('/events/') === true) {
          chat.events.set(key, (chat.events.get(key) ?? 0) + 1);
          res.writeHead(200).end('{}');
          return;
        }
        chat.requests.push({ key, worker });
        chat.wire.set(key, (chat.wire.get(key) ?? 0) + 1);
        await chat.onRequest(worker);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `chat-${key}` }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  return Object.assign(chat, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

function startWorker(name: string, env: Record<string, string>, out: (line: string) => void): Promise<ChildProcess> {
  const file = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env, WORKER_NAME: name }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => out(`  ${String(d).trim()}`));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code} before it was ready`)));
    child.stdout?.on('data', (d: Buffer) => {
      if (String(d).startsWith('ready')) {
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Run the whole scene and report what the chat service and the database saw. */
export async function runPostgresWorkers(options: WorkersOptions = {}): Promise<WorkersReport> {
  const out = options.out ?? ((line: string) => console.log(line));
  const messages = options.messages ?? 40;
  const schema = options.schema ?? 'workers_demo';
  const cluster = options.databaseUrl ?? process.env['DATABASE_URL'] ? undefined : await startThrowawayPostgres();
  const databaseUrl = options.databaseUrl ?? process.env['DATABASE_URL'] ?? (cluster?.url as string);
  const chat = await startChat();
  const workers = new Map<string, ChildProcess>();
  const started = Date.now();
  const api = openDesk({ databaseUrl, schema, role: 'api', chatUrl: chat.url, eventsUrl: `${chat.url}/events/from/api`, onError: (e) => out(`  api: ${String(e)}`) });
  try {
    await api.migrate();
    const env = { DATABASE_URL: databaseUrl, SCHEMA: schema, CHAT_URL: chat.url };
    const [a, b] = await Promise.all([startWorker('A', env, out), startWorker('B', env, out)]);
    workers.set('A', a).set('B', b);
    out('API process: migrated; workers A and B are up (2 jobs at a time each)');

    let killed: string | undefined;
    chat.onRequest = async (worker) => {
      // Worker A is killed while one of its messages is in flight, after a few have gone out.
      if (worker === 'A' && killed === undefined && chat.requests.length >= 3) {
        killed = 'A';
        workers.get('A')?.kill('SIGKILL');
        out(`SIGKILL worker A, mid-send (after ${chat.requests.length} requests)`);
      }
      await sleep(30);
    };

    const expectedKeys: string[] = [];
    for (let i = 1; i <= messages; i++) {
      const customer = await api.desk.registerCustomer({ kind: 'external', displayName: `Customer ${i}`, locale: i % 2 === 0 ? 'ja' : 'en', contacts: [{ channel: 'chat', handle: `customer-${i}` }] });
      const { ticket } = await api.desk.openTicket({ requesterId: customer.id, subject: `Question ${i}`, channel: 'chat' });
      await api.desk.notify({ customerId: customer.id, ticketId: ticket.id, template: 'ticket_received', key: `received:${ticket.id}` });
      expectedKeys.push(`received:${ticket.id}`);
    }
    out(`API process: ${messages} tickets opened, each with its message and relay job in the same transaction`);

    const deadline = Date.now() + 60_000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = (await api.desk.listNotifications({ status: 'sent', limit: 500 })).items.length;
      if (sent === messages && chat.events.size === messages && (await api.scheduler.pending()) === 0) break;
      await sleep(100);
    }
    const pendingJobs = await api.scheduler.pending();
    const byWorker: Record<string, number> = {};
    for (const r of chat.requests) byWorker[r.worker] = (byWorker[r.worker] ?? 0) + 1;
    const report: WorkersReport = {
      messages,
      requests: chat.requests.length,
      wire: chat.wire,
      expectedKeys,
      events: chat.events,
      repeatsDropped: chat.requests.length - chat.wire.size,
      byWorker,
      killed,
      sent,
      pendingJobs,
      seconds: (Date.now() - started) / 1000,
    };
    out(`chat service: ${report.requests} requests (A: ${byWorker['A'] ?? 0}, B: ${byWorker['B'] ?? 0}), ${chat.wire.size} distinct messages (each handled once), ${report.repeatsDropped} repeat(s) dropped by idempotency key`);
    out(`CRM endpoint: ${chat.events.size} ticket.opened events, ${[...chat.events.values()].reduce((a, b) => a + b, 0) - chat.events.size} repeat(s) dropped by event id`);
    out(`database: ${sent}/${messages} messages sent, ${pendingJobs} job(s) left, in ${report.seconds.toFixed(1)} s`);
    return report;
  } finally {
    for (const child of workers.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all([...workers.values()].map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    await api.desk.stop();
    await api.pool.end();
    await chat.close();
    cluster?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env['DATABASE_URL'] === undefined && !postgresInstalled()) {
    console.error(`This example needs PostgreSQL: set DATABASE_URL, or install the PostgreSQL 15 server binaries (${PG_BIN}; on Debian: apt-get install postgresql-15).`);
    process.exit(1);
  }
  const report = await runPostgresWorkers();
  const lost = report.expectedKeys.filter((k) => !report.wire.has(k)).length;
  const stray = [...report.wire.keys()].filter((k) => !report.expectedKeys.includes(k)).length;
  if (report.sent !== report.messages || report.events.size !== report.messages || report.pendingJobs !== 0 || lost !== 0 || stray !== 0) {
    console.error('something was lost or doubled');
    process.exit(1);
  }
}
