import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustomerSchema, InteractionSchema, TicketSchema, createMemoryStorage, type JsonValue, type StoragePort, type TicketId } from 'omotenashi';
import { makeCustomer, makeInteraction, makeTicket } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';
import { createPostgresStorage } from 'omotenashi/postgres';
import { pgPools } from './pg-pools.js';

// Any record the schemas accept, written through any adapter, reads back equal and still
// passes its schema: no value a customer can type may make a record unreadable later.
const RUNS = Number(process.env['ROUNDTRIP_RUNS'] ?? 60);
const { available, pool } = pgPools();

const adapters: Array<[string, () => Promise<StoragePort>]> = [
  ['memory', async () => createMemoryStorage()],
  [
    'sqlite',
    async () => {
      const s = createSqliteStorage({ db: new Database(':memory:') });
      await s.migrate();
      return s;
    },
  ],
];
if (available) {
  adapters.push([
    'postgres',
    async () => {
      const s = createPostgresStorage({ pool: pool(), schema: `roundtrip_${process.pid}` });
      await s.migrate();
      return s;
    },
  ]);
}

const fields = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }) as fc.Arbitrary<Record<string, JsonValue>>;
const text = fc.string({ unit: 'binary', maxLength: 40 });

describe.each(adapters)('%s: random valid records read back equal', (_name, make) => {
  it('tickets, customers and interactions with arbitrary JSON and text', async () => {
    const storage = await make();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fields, fields, text, async (customFields, metadata, body) => {
        const id = `rt_${process.pid}_${++n}`;
        const ticket = makeTicket({ id, subject: body.length > 0 ? body : 'subject', customFields });
        const customer = makeCustomer({ id: `cus_${id}`, displayName: 'Round trip', customFields });
        const interaction = makeInteraction({ id: `int_${id}`, ticketId: id as TicketId, body, metadata });
        expect(TicketSchema.safeParse(ticket).success).toBe(true);
        await storage.commit({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }, { kind: 'customer', record: customer, expectedVersion: null }], interactions: [interaction], audit: [] });
        const back = await storage.get('ticket', id);
        expect(back).toEqual(ticket);
        expect(TicketSchema.safeParse(back).success).toBe(true);
        const who = await storage.get('customer', `cus_${id}`);
        expect(who).toEqual(customer);
        expect(CustomerSchema.safeParse(who).success).toBe(true);
        const [said] = await storage.history('interaction', id as TicketId);
        expect(said).toEqual(interaction);
        expect(InteractionSchema.safeParse(said).success).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
