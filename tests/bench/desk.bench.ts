import { bench, describe } from 'vitest';
import { createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, type Ticket } from 'omotenashi';
import { makeTicket } from 'omotenashi/testing';

// What the desk adds to a write (validation, the pure decision, the adapter guard, the audit
// entry, events) over the bare storage write of the same record, in the same run.
describe('open a ticket: desk vs bare storage commit', async () => {
  const clock = createManualClock('2026-04-01T00:00:00Z');
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock, ids: createSequentialIds(8) });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Bench' });
  const raw = createMemoryStorage();
  let n = 0;

  bench('baseline: StoragePort.commit of a prepared ticket', async () => {
    n++;
    await raw.commit({ puts: [{ kind: 'ticket', record: makeTicket({ id: `tkt_${n}` }), expectedVersion: null }], interactions: [], audit: [] });
  });

  bench('desk.openTicket (validate, decide, guard, audit, emit)', async () => {
    await desk.openTicket({ requesterId: customer.id, subject: 'Router drops Wi-Fi', channel: 'email', description: 'It drops every hour' });
  });
});

// Keyset pagination: a page deep in 100k tickets found by binary search on the cursor, against
// filtering and sorting everything then slicing (what an offset-based store does per page).
describe('list a page deep in 100k tickets', async () => {
  const storage = createMemoryStorage();
  const tickets: Ticket[] = [];
  for (let i = 0; i < 100_000; i++) tickets.push(makeTicket({ id: `tkt_${String(i).padStart(6, '0')}`, createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000), status: i % 3 ? 'open' : 'new' }));
  await storage.commit({ puts: tickets.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })), interactions: [], audit: [] });
  let cursor: string | null = null;
  let page = await storage.list('ticket', { limit: 500 });
  for (let i = 0; i < 150; i++) page = await storage.list('ticket', { limit: 500, cursor: page.nextCursor as string });
  cursor = page.nextCursor;

  bench('baseline: filter + sort all, then slice at offset 75,500', () => {
    const all = tickets.filter((t) => t.status === 'open' || t.status === 'new').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    all.slice(75_500, 76_000).map((t) => structuredClone(t));
  });

  bench('memory storage: keyset cursor page at the same depth', async () => {
    await storage.list('ticket', { limit: 500, cursor: cursor as string });
  });
});
