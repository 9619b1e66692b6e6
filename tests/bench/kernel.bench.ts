import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, bench, describe } from 'vitest';
import { defineSlaConfig, createInProcessScheduler, createManualClock, createMemoryStorage, createServiceDesk, type StoragePort, type Ticket } from 'omotenashi';
import { makeTicket } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';
import { createPostgresStorage } from 'omotenashi/postgres';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/throwaway-postgres.js';
import { CONTACT_CENTRE_SLA, bareLife, contactCentre, ticketLife } from './support/contact-centre.js';
import { lcg } from './support/rules-workload.js';

// 1. A contact-centre workload (open, agent reply, customer reply, agent reply, resolve, confirm;
// a business-hours SLA; one escalation rule) through the desk, against the bare StoragePort.commit
// of the same six units of work (ticket versions, interactions, audit entries), on each storage.
const dir = mkdtempSync(join(tmpdir(), 'omotenashi-kernel-bench-'));
const sqlite = (name: string): StoragePort => {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  const s = createSqliteStorage({ db });
  void s.migrate();
  return s;
};

async function pair(make: (name: string) => Promise<StoragePort> | StoragePort, label: string): Promise<void> {
  const deskSide = await contactCentre(await make(`${label}-desk`));
  const bare = await make(`${label}-bare`);
  let n = 0;
  describe(`contact-centre ticket (6 commands): desk vs bare commits, ${label}`, () => {
    bench('baseline: the same 6 units of work through StoragePort.commit', async () => {
      for (const work of bareLife(++n)) await bare.commit(work);
    });
    bench('desk: open, reply, reply, reply, resolve, confirm (SLA + escalation rule)', async () => {
      await ticketLife(deskSide);
    });
  });
}

await pair(() => createMemoryStorage(), 'memory');
await pair((name) => sqlite(`${name}.db`), 'SQLite file (WAL)');

// PostgreSQL on a durable cluster (fsync and synchronous commits on), as production runs it.
let durable: ThrowawayPostgres | undefined;
if (postgresInstalled()) {
  try {
    durable = await startThrowawayPostgres({ durable: true });
  } catch {
    durable = undefined;
  }
}
const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  durable?.stop();
});
if (durable !== undefined) {
  const url = durable.url;
  await pair(async (name) => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pools.push(pool);
    const s = createPostgresStorage({ pool, schema: name.replace(/[^a-z]/g, '_') });
    await s.migrate();
    return s;
  }, 'PostgreSQL 15 (fsync on)');
}

// 2. One ticket growing to 3,000 messages: a command's cost should not grow with the history.
async function longTicket(messages: number) {
  const s = await contactCentre(createMemoryStorage());
  const { ticket } = await s.desk.openTicket({ requesterId: s.customerId as Ticket['requesterId'], subject: 'A long conversation', channel: 'chat', assigneeId: s.agentId as never });
  for (let i = 0; i < messages; i++) {
    const author = i % 2 === 0 ? { kind: 'customer' as const, id: s.customerId } : { kind: 'agent' as const, id: s.agentId };
    await s.clock.advance(1000);
    await s.desk.recordInteraction(ticket.id, { channel: 'chat', author, body: `message ${i}`, ...(author.kind === 'agent' ? { setStatus: 'pending_customer' as const } : {}) });
  }
  let i = 0;
  return async () => {
    await s.clock.advance(1000);
    await s.desk.recordInteraction(ticket.id, { channel: 'chat', author: i++ % 2 === 0 ? { kind: 'customer', id: s.customerId } : { kind: 'agent', id: s.agentId }, body: 'one more' });
  };
}
const at10 = await longTicket(10);
const at3000 = await longTicket(3000);
describe('recordInteraction on one ticket (memory storage, SLA + escalation rule)', () => {
  bench('baseline: the ticket has 10 messages', async () => {
    await at10();
  });
  bench('the ticket has 3,000 messages', async () => {
    await at3000();
  });
});

// 3. The in-process scheduler against a bare typed-array binary heap pushing and popping the same
// 1,000,000 timers; and restoreSchedules for 100,000 open tickets.
const N = 1_000_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 1);
const r = lcg(7);
const offsets = Float64Array.from({ length: N }, () => T0 + Math.floor(r() * HOUR));

const DONE = Promise.resolve();
const dueOrder = Int32Array.from({ length: N }, (_, i) => i).sort((a, b) => (offsets[a] as number) - (offsets[b] as number));

function bareHeap(): number {
  const at = new Float64Array(N);
  const id = new Int32Array(N);
  let size = 0;
  for (let i = 0; i < N; i++) {
    let k = size++;
    const t = offsets[i] as number;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if ((at[p] as number) <= t) break;
      at[k] = at[p] as number;
      id[k] = id[p] as number;
      k = p;
    }
    at[k] = t;
    id[k] = i;
  }
  let popped = 0;
  while (size > 0) {
    popped++;
    const lastAt = at[--size] as number;
    const lastId = id[size] as number;
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= size) break;
      if (c + 1 < size && (at[c + 1] as number) < (at[c] as number)) c++;
      if ((at[c] as number) >= lastAt) break;
      at[k] = at[c] as number;
      id[k] = id[c] as number;
      k = c;
    }
    at[k] = lastAt;
    id[k] = lastId;
  }
  return popped;
}

describe(`${N.toLocaleString('en')} timers pushed and popped`, () => {
  bench(
    'baseline: bare typed-array binary heap',
    () => {
      if (bareHeap() !== N) throw new Error('lost timers');
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );
  bench(
    'floor: the same 1M jobs made, kept in a Map by key and handed to an async handler in due order (no heap)',
    async () => {
      type Job = { key: string; at: number; type: string; payload: object };
      const jobs = new Map<string, Job>();
      const made: Job[] = [];
      for (let i = 0; i < N; i++) {
        const job = { key: `k${i}`, at: offsets[i] as number, type: 'bench', payload: {} };
        made.push(job);
        jobs.set(job.key, job);
        await DONE;
      }
      let fired = 0;
      const handler = async () => {
        fired++;
      };
      for (let i = 0; i < N; i++) {
        const { key } = made[dueOrder[i] as number] as Job;
        if (jobs.get(key) === undefined) continue;
        jobs.delete(key);
        await handler();
      }
      if (fired !== N) throw new Error(`fired ${fired}`);
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );
  bench(
    'in-process scheduler: schedule, then fire at the exact times',
    async () => {
      const clock = createManualClock(T0);
      const scheduler = createInProcessScheduler({ clock });
      let fired = 0;
      scheduler.start(async () => {
        fired++;
      });
      for (let i = 0; i < N; i++) await scheduler.schedule({ key: `k${i}`, at: offsets[i] as number, type: 'bench', payload: {} });
      await clock.advance(HOUR);
      if (fired !== N) throw new Error(`fired ${fired}`);
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );
});

const OPEN = 100_000;
const restoreStorage = createMemoryStorage();
{
  const records: Ticket[] = [];
  for (let i = 0; i < OPEN; i++) records.push(makeTicket({ id: `tkt_${i}`, createdAt: new Date(T0 + i), status: i % 4 === 0 ? 'resolved' : 'open', ...(i % 4 === 0 ? { resolvedAt: new Date(T0 + i) } : {}), sla: { evaluatedAt: new Date(T0), clocks: [], nextCheckAt: new Date(T0 + HOUR + i) } }));
  await restoreStorage.commit({ puts: records.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })), interactions: [], audit: [] });
}
describe(`restoreSchedules over ${OPEN.toLocaleString('en')} open tickets (memory storage)`, () => {
  bench(
    'baseline: page through the open tickets only',
    async () => {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const page = await restoreStorage.list('ticket', { status: ['new', 'open', 'pending_customer', 'on_hold', 'resolved'], limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        seen += page.items.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      if (seen !== OPEN) throw new Error(`saw ${seen}`);
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );
  bench(
    'restoreSchedules (auto-close and SLA checks rebuilt, each scheduled)',
    async () => {
      const clock = createManualClock(T0);
      const desk = createServiceDesk({ storage: restoreStorage, clock, sla: defineSlaConfig(CONTACT_CENTRE_SLA) });
      const n = await desk.restoreSchedules();
      if (n < OPEN) throw new Error(`restored ${n}`);
      await desk.stop();
    },
    { iterations: 3, time: 0, warmupIterations: 1 },
  );
});
