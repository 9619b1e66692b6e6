import { expect } from 'vitest';
import { ConflictError } from '../errors.js';
import { type JsonValue, type TicketId } from '../domain/common.js';
import type { Ticket } from '../domain/ticket.js';
import type { StoragePort } from '../ports/storage.js';
import { uow } from './storage-suite-more.js';
import { makeAgent, makeAuditEntry, makeCustomer, makeInteraction, makeNotification, makeTicket } from './fixtures.js';
import type { StorageConformanceTest } from './storage-suite.js';

type ConformanceRegister = (name: StorageConformanceTest, fn: () => Promise<void>) => void;

/** Reading and writing records: absent ids, copies, exact JSON, versions and checks. */
export function writeTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('returns null for unknown ids', async () => {
    const storage = get();
    expect(await storage.get('ticket', 'tkt_missing')).toBeNull();
    expect(await storage.get('customer', 'cus_missing')).toBeNull();
    expect(await storage.findTicketBySourceId('nope')).toBeNull();
    expect(await storage.history('interaction', 'tkt_missing' as TicketId)).toEqual([]);
    expect(await storage.history('audit', 'tkt_missing' as TicketId)).toEqual([]);
  });

  test('reads back what was written, as copies', async () => {
    const storage = get();
    const customer = makeCustomer({ id: 'cus_1', displayName: '田中 花子', tags: ['vip'] });
    const ticket = makeTicket({ id: 'tkt_1', tags: ['a'], customFields: { order: 'A-1', nested: { n: 1 } } });
    await storage.commit(uow({ puts: [{ kind: 'customer', record: customer, expectedVersion: null }, { kind: 'ticket', record: ticket, expectedVersion: null }] }));
    ticket.tags.push('mutated-after-commit');
    const read = (await storage.get('ticket', 'tkt_1')) as Ticket;
    expect(read.tags).toEqual(['a']);
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.createdAt.getTime()).toBe(ticket.createdAt.getTime());
    expect(read.customFields).toEqual({ order: 'A-1', nested: { n: 1 } });
    read.tags.push('mutated-after-read');
    expect(((await storage.get('ticket', 'tkt_1')) as Ticket).tags).toEqual(['a']);
    expect(await storage.get('customer', 'cus_1')).toEqual(customer);
  });

  test('reads back any JSON value exactly, even one that looks like an encoding', async () => {
    const storage = get();
    // What SQL codecs use to carry Dates and the like, written as customers' own data.
    const tricky = {
      date: { $date: 0 },
      deeper: { $$date: 'x', list: [{ $undefined: 1 }, { $nul: ['a'] }, null, -1.5e300, ''] },
      nul: 'before\u0000after',
      unicode: '田中 🍣 \u2028 "quoted" \\ back',
      empty: {},
      proto: JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue,
      dollars: { $: 1, $$: 2, $type: 'x' },
    };
    const ticket = makeTicket({ id: 'tkt_json', customFields: tricky });
    const customer = makeCustomer({ id: 'cus_json', customFields: tricky });
    const notification = makeNotification({ id: 'ntf:json', data: tricky });
    const interaction = makeInteraction({ id: 'int_json', ticketId: 'tkt_json' as TicketId, metadata: tricky });
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }, { kind: 'customer', record: customer, expectedVersion: null }, { kind: 'notification', record: notification, expectedVersion: null }], interactions: [interaction] }));
    expect(await storage.get('ticket', 'tkt_json')).toEqual(ticket);
    expect(await storage.get('customer', 'cus_json')).toEqual(customer);
    expect(await storage.get('notification', 'ntf:json')).toEqual(notification);
    expect(await storage.history('interaction', 'tkt_json' as TicketId)).toEqual([interaction]);
    expect((await storage.list('ticket', {})).items).toEqual([ticket]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('updates with the expected version', async () => {
    const storage = get();
    const t = makeTicket({ id: 'tkt_1' });
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }] }));
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...t, version: 2, status: 'open' }, expectedVersion: 1 }] }));
    const read = (await storage.get('ticket', 'tkt_1')) as Ticket;
    expect(read.version).toBe(2);
    expect(read.status).toBe('open');
  });

  test('fails a commit whose checked records changed, and writes nothing', async () => {
    const storage = get();
    const manager = makeAgent({ id: 'agt_m' });
    await storage.commit(uow({ puts: [{ kind: 'agent', record: manager, expectedVersion: null }] }));
    const ticket = makeTicket({ id: 'tkt_checked' });
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: ticket, expectedVersion: null }], checks: [{ kind: 'agent', id: 'agt_m', version: 1 }, { kind: 'team', id: 'team_none', version: 0 }] }));
    await storage.commit(uow({ puts: [{ kind: 'agent', record: { ...manager, version: 2 }, expectedVersion: 1 }] }));
    const stale = uow({ puts: [{ kind: 'ticket', record: { ...ticket, version: 2, status: 'open' }, expectedVersion: 1 }], checks: [{ kind: 'agent', id: 'agt_m', version: 1 }] });
    await expect(storage.commit(stale)).rejects.toMatchObject({ kind: 'version', entity: 'agent', id: 'agt_m', actualVersion: 2 });
    await expect(storage.commit(uow({ puts: [], interactions: [makeInteraction({ id: 'int_c', ticketId: 'tkt_checked' as TicketId })], checks: [{ kind: 'team', id: 'team_late', version: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
    expect(((await storage.get('ticket', 'tkt_checked')) as Ticket).version).toBe(1);
    expect(await storage.history('interaction', 'tkt_checked' as TicketId)).toEqual([]);
  });

  test('rejects a stale version and writes nothing', async () => {
    const storage = get();
    const t = makeTicket({ id: 'tkt_1' });
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }] }));
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...t, version: 2, subject: 'first' }, expectedVersion: 1 }] }));
    const stale = storage.commit(
      uow({
        puts: [{ kind: 'ticket', record: { ...t, version: 2, subject: 'stale' }, expectedVersion: 1 }],
        interactions: [makeInteraction({ id: 'int_x', ticketId: 'tkt_1' })],
      }),
    );
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT', kind: 'version', expectedVersion: 1, actualVersion: 2 });
    expect(((await storage.get('ticket', 'tkt_1')) as Ticket).subject).toBe('first');
    expect(await storage.history('interaction', 'tkt_1' as TicketId)).toEqual([]);
  });
}

/** Creation, atomic units of work, racing writers and unique source ids. */
export function atomicityTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('rejects creating a record that exists', async () => {
    const storage = get();
    await storage.commit(uow({ puts: [{ kind: 'agent', record: makeAgent({ id: 'agt_1' }), expectedVersion: null }] }));
    await expect(storage.commit(uow({ puts: [{ kind: 'agent', record: makeAgent({ id: 'agt_1', name: 'Other' }), expectedVersion: null }] }))).rejects.toMatchObject({
      code: 'CONFLICT',
      kind: 'exists',
    });
    await expect(storage.commit(uow({ puts: [{ kind: 'agent', record: makeAgent({ id: 'agt_2', version: 2 }), expectedVersion: 1 }] }))).rejects.toMatchObject({
      code: 'CONFLICT',
      kind: 'version',
      actualVersion: null,
    });
    expect((await storage.get('agent', 'agt_1'))?.name).toBe('Test Agent');
  });

  test('commits a unit of work atomically', async () => {
    const storage = get();
    const old = makeTicket({ id: 'tkt_old' });
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: old, expectedVersion: null }] }));
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...old, version: 2 }, expectedVersion: 1 }] }));
    const failing = uow({
      puts: [
        { kind: 'customer', record: makeCustomer({ id: 'cus_new' }), expectedVersion: null },
        { kind: 'ticket', record: makeTicket({ id: 'tkt_new', sourceId: 'src-new' }), expectedVersion: null },
        { kind: 'ticket', record: { ...old, version: 2, subject: 'lost' }, expectedVersion: 1 },
      ],
      interactions: [makeInteraction({ id: 'int_1', ticketId: 'tkt_new' })],
      audit: [makeAuditEntry({ ticketId: 'tkt_new' })],
    });
    await expect(storage.commit(failing)).rejects.toBeInstanceOf(ConflictError);
    expect(await storage.get('customer', 'cus_new')).toBeNull();
    expect(await storage.get('ticket', 'tkt_new')).toBeNull();
    expect(await storage.findTicketBySourceId('src-new')).toBeNull();
    expect(await storage.history('interaction', 'tkt_new' as TicketId)).toEqual([]);
    expect(await storage.history('audit', 'tkt_new' as TicketId)).toEqual([]);
    expect((await storage.list('ticket', {})).items.map((t) => t.id)).toEqual(['tkt_old']);
  });

  test('concurrent writers: exactly one wins', async () => {
    const storage = get();
    const t = makeTicket({ id: 'tkt_1' });
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }] }));
    const writers = ['a', 'b', 'c', 'd'].map((name) =>
      storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...t, version: 2, subject: name }, expectedVersion: 1 }] })),
    );
    const results = await Promise.allSettled(writers);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(3);
    for (const r of lost) expect(r.reason).toBeInstanceOf(ConflictError);
    const winner = ['a', 'b', 'c', 'd'][results.findIndex((r) => r.status === 'fulfilled')];
    expect(((await storage.get('ticket', 'tkt_1')) as Ticket).subject).toBe(winner);
  });

  test('keeps source ids unique among tickets', async () => {
    const storage = get();
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: makeTicket({ id: 'tkt_1', sourceId: '<m1@mail>' }), expectedVersion: null }] }));
    expect((await storage.findTicketBySourceId('<m1@mail>'))?.id).toBe('tkt_1');
    await expect(
      storage.commit(uow({ puts: [{ kind: 'ticket', record: makeTicket({ id: 'tkt_2', sourceId: '<m1@mail>' }), expectedVersion: null }] })),
    ).rejects.toMatchObject({ code: 'CONFLICT', kind: 'source_id' });
    await expect(
      storage.commit(
        uow({
          puts: [
            { kind: 'ticket', record: makeTicket({ id: 'tkt_3', sourceId: 'same' }), expectedVersion: null },
            { kind: 'ticket', record: makeTicket({ id: 'tkt_4', sourceId: 'same' }), expectedVersion: null },
          ],
        }),
      ),
    ).rejects.toMatchObject({ kind: 'source_id' });
    expect(await storage.get('ticket', 'tkt_2')).toBeNull();
    expect(await storage.get('ticket', 'tkt_3')).toBeNull();
  });
}

/** Lookup keys, the append-only histories, and paging tickets. */
export function keyAndHistoryTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('keeps lookup keys unique, claimed and released with the unit of work', async () => {
    const storage = get();
    const claim = (key: string, id: string) => ({ op: 'claim' as const, key, kind: 'customer' as const, id });
    await storage.commit(uow({ puts: [{ kind: 'customer', record: makeCustomer({ id: 'cus_k1' }), expectedVersion: null }], keys: [claim('email:a@x.example', 'cus_k1'), claim('phone:+81312345678', 'cus_k1')] }));
    expect([...(await storage.findKeys(['email:a@x.example', 'email:none@x.example', 'phone:+81312345678']))].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'email:a@x.example', kind: 'customer', id: 'cus_k1' },
      { key: 'phone:+81312345678', kind: 'customer', id: 'cus_k1' },
    ]);
    // Another record's claim fails whole: its record is not written either.
    await expect(
      storage.commit(uow({ puts: [{ kind: 'customer', record: makeCustomer({ id: 'cus_k2' }), expectedVersion: null }], keys: [claim('email:b@x.example', 'cus_k2'), claim('email:a@x.example', 'cus_k2')] })),
    ).rejects.toMatchObject({ code: 'CONFLICT', kind: 'key', entity: 'customer', id: 'cus_k1' });
    expect(await storage.get('customer', 'cus_k2')).toBeNull();
    expect(await storage.findKeys(['email:b@x.example'])).toEqual([]);
    // Claiming again is a no-op; releasing someone else's key changes nothing; release then claim moves it.
    await storage.commit(uow({ keys: [claim('email:a@x.example', 'cus_k1'), { op: 'release', key: 'phone:+81312345678', kind: 'customer', id: 'cus_other' }] }));
    expect(await storage.findKeys(['phone:+81312345678'])).toHaveLength(1);
    await storage.commit(uow({ keys: [{ op: 'release', key: 'email:a@x.example', kind: 'customer', id: 'cus_k1' }, claim('email:a@x.example', 'cus_k3')] }));
    expect(await storage.findKeys(['email:a@x.example'])).toEqual([{ key: 'email:a@x.example', kind: 'customer', id: 'cus_k3' }]);
    // Concurrent claims of one free key: exactly one wins.
    const racers = await Promise.allSettled(['cus_r1', 'cus_r2', 'cus_r3'].map((id) => storage.commit(uow({ keys: [claim('msg:race@x.example', id)] }))));
    expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of racers) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    expect(await storage.findKeys(['msg:race@x.example'])).toHaveLength(1);
  });

  test('appends interactions and audit entries in order', async () => {
    const storage = get();
    await storage.commit(uow({ puts: [{ kind: 'ticket', record: makeTicket({ id: 'tkt_1' }), expectedVersion: null }] }));
    for (let i = 0; i < 5; i++) {
      await storage.commit(
        uow({
          interactions: [makeInteraction({ id: `int_${i}`, ticketId: 'tkt_1', body: `message ${i}` }), makeInteraction({ id: `int_other_${i}`, ticketId: 'tkt_2' })],
          audit: [makeAuditEntry({ ticketId: 'tkt_1', action: `step ${i}`, changes: [{ field: 'status', from: 'new', to: 'open' }] })],
        }),
      );
    }
    expect((await storage.history('interaction', 'tkt_1' as TicketId)).map((i) => i.body)).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
    const audit = await storage.history('audit', 'tkt_1' as TicketId);
    expect(audit.map((a) => a.action)).toEqual([0, 1, 2, 3, 4].map((i) => `step ${i}`));
    expect(audit[0]?.changes).toEqual([{ field: 'status', from: 'new', to: 'open' }]);
  });

  test('pages through tickets exactly once in both orders', async () => {
    const storage = get();
    const tickets: Ticket[] = [];
    for (let i = 0; i < 23; i++) {
      // Several tickets share a creation instant, so ordering by id breaks ties.
      tickets.push(makeTicket({ id: `tkt_${String((i * 7) % 23).padStart(2, '0')}`, createdAt: new Date(Date.UTC(2026, 3, 1, 0, Math.floor(i / 3))) }));
    }
    await storage.commit(uow({ puts: tickets.map((record) => ({ kind: 'ticket' as const, record, expectedVersion: null })) }));
    const expected = [...tickets].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).map((t) => t.id);
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await storage.list('ticket', { order, limit: 5, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor !== undefined && pages < 50);
      expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
    }
    const all = await storage.list('ticket', { limit: 23 });
    expect(all.items).toHaveLength(23);
    expect(all.nextCursor).toBeNull();
  });
}
