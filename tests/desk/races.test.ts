import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defineRouting, ConflictError, ValidationError, createMemoryStorage, createServiceDesk, retryOnConflict, type ServiceDesk, type StoragePort } from 'omotenashi';
import { createManualClock, createRecordingNotifier } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';
import { createPostgresStorage } from 'omotenashi/postgres';
import { pgPools } from '../adapters/pg-pools.js';

const ROUNDS = Number(process.env['RACE_ROUNDS'] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'omotenashi-races-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { available, pool } = pgPools();
let n = 0;

/** Two desks sharing one store, as two processes would. */
const stores: Array<[string, () => Promise<[StoragePort, StoragePort]>]> = [
  ['memory', async () => {
    const s = createMemoryStorage();
    return [s, s];
  }],
  ['sqlite', async () => {
    const file = join(dir, `race-${++n}.db`);
    const open = () => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      return createSqliteStorage({ db });
    };
    const a = open();
    await a.migrate();
    return [a, open()];
  }],
];
if (available) {
  stores.push(['postgres', async () => {
    const schema = `races_${process.pid}_${++n}`;
    const a = createPostgresStorage({ pool: pool(), schema });
    await a.migrate();
    return [a, createPostgresStorage({ pool: pool(), schema })];
  }]);
}

const desks = async (make: () => Promise<[StoragePort, StoragePort]>): Promise<[ServiceDesk, ServiceDesk]> => {
  const [a, b] = await make();
  const clock = createManualClock('2026-04-01T10:00:00Z');
  const notifiers = [createRecordingNotifier({ channels: ['email'] })];
  return [createServiceDesk({ storage: a, clock, notifiers }), createServiceDesk({ storage: b, clock, notifiers })];
};

describe.each(stores)('races on %s', (_name, make) => {
  it('concurrent "X reports to Y" and "Y reports to X" never make a loop', async () => {
    const [a, b] = await desks(make);
    for (let round = 0; round < ROUNDS; round++) {
      const x = await a.registerAgent({ name: `X${round}` });
      const y = await a.registerAgent({ name: `Y${round}` });
      const results = await Promise.allSettled([a.updateAgent(x.id, { managerId: y.id }), b.updateAgent(y.id, { managerId: x.id })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ValidationError);
      const [fx, fy] = [await a.getAgent(x.id), await a.getAgent(y.id)];
      expect(fx.managerId === y.id && fy.managerId === x.id).toBe(false);
    }
  });

  it('concurrent notify with one idempotency key gives both callers the one message', async () => {
    const [a, b] = await desks(make);
    const customer = await a.registerCustomer({ kind: 'external', displayName: 'Sato', contacts: [{ channel: 'email', address: 'sato@example.com' }] });
    for (let round = 0; round < ROUNDS; round++) {
      const key = `order-shipped-${round}`;
      const [one, two] = await Promise.all([a.notify({ customerId: customer.id, template: 'shipped', key }), b.notify({ customerId: customer.id, template: 'shipped', key })]);
      expect(one.id).toBe(two.id);
    }
    expect((await a.listNotifications({ limit: 200 })).items).toHaveLength(ROUNDS);
  });

  it('retryOnConflict re-runs a caller\'s own read-modify-write until it lands', async () => {
    const [a, b] = await desks(make);
    const customer = await a.registerCustomer({ kind: 'external', displayName: 'Ito' });
    const { ticket } = await a.openTicket({ requesterId: customer.id, subject: 'Invoice', channel: 'email' });
    let runs = 0;
    const addTag = (desk: ServiceDesk, tag: string) =>
      retryOnConflict(async () => {
        runs++;
        const t = await desk.getTicket(ticket.id);
        return desk.tag(ticket.id, [tag], { expectedVersion: t.version });
      });
    await Promise.all([addTag(a, 'one'), addTag(b, 'two'), addTag(a, 'three')]);
    expect((await a.getTicket(ticket.id)).tags.sort()).toEqual(['one', 'three', 'two']);
    expect(runs).toBeGreaterThanOrEqual(3);
    await expect(retryOnConflict(() => Promise.reject(new ConflictError({ entity: 'ticket', id: 'x', kind: 'version', expectedVersion: 1, actualVersion: 2 })), { attempts: 2 })).rejects.toBeInstanceOf(ConflictError);
  });
  it('two desks routing at once never push one agent over capacity', async () => {
    const [sa, sb] = await make();
    const clock = createManualClock('2026-04-01T10:00:00Z');
    const routing = { capacity: { total: 1 } };
    const a = createServiceDesk({ storage: sa, clock, routing: defineRouting(routing) });
    const b = createServiceDesk({ storage: sb, clock, routing: defineRouting(routing) });
    const team = await a.registerTeam({ name: 'Front' });
    const agent = await a.registerAgent({ name: 'Solo', teamIds: [team.id] });
    const customer = await a.registerCustomer({ kind: 'external', displayName: 'c' });
    for (let round = 0; round < ROUNDS; round++) {
      const [x, y] = await Promise.all([a.openTicket({ requesterId: customer.id, subject: `x${round}`, channel: 'email', teamId: team.id }), b.openTicket({ requesterId: customer.id, subject: `y${round}`, channel: 'email', teamId: team.id })]);
      const held = [x.ticket, y.ticket].filter((t) => t.assigneeId === agent.id);
      expect(held).toHaveLength(1);
      expect((await a.listTickets({ assigneeId: agent.id, status: ['new', 'open'] })).items).toHaveLength(1);
      await a.resolve(held[0]!.id, { summary: 'done' });
      await a.close([x.ticket, y.ticket].find((t) => t.assigneeId !== agent.id)?.id as never, { reason: 'duplicate' });
    }
  });
});

describe.each(stores)('many writers on one ticket, %s', (name, make) => {
  it('a hundred races of four concurrent commands from two desks: none lost, no conflict reaches a caller', async () => {
    const [a, b] = await desks(make);
    const customer = await a.registerCustomer({ kind: 'external', displayName: 'Mori' });
    const { ticket } = await a.openTicket({ requesterId: customer.id, subject: 'Busy ticket', channel: 'chat' });
    const races = Number(process.env['RACE_WRITERS'] ?? 100);
    let conflicts = 0;
    let succeeded = 0;
    for (let r = 0; r < races; r++) {
      const results = await Promise.allSettled([0, 1, 2, 3].map((i) => (i % 2 === 0 ? a : b).tag(ticket.id, [`r${r}-${i}`])));
      for (const x of results) {
        if (x.status === 'fulfilled') succeeded++;
        else if (x.reason instanceof ConflictError) conflicts++;
        else throw x.reason;
      }
    }
    // Every command that succeeded left its tag; none overwrote another.
    expect((await a.getTicket(ticket.id)).tags.length).toBe(succeeded);
    console.log(`${name}: ${races * 4} commands in races of four, ${conflicts} ConflictErrors reached callers`);
    expect(conflicts).toBe(0);
  }, 120_000);
});
