import { expect } from 'vitest';
import { ConflictError } from '../errors.js';
import type { TicketId } from '../domain/common.js';
import type { StoragePort } from '../ports/storage.js';
import { uow } from './storage-suite-accounts.js';
import { makeAuditEntry, makeInteraction, makeTicket } from './fixtures.js';
import { createManualClock } from '../adapters/memory/clock.js';
import { createServiceDesk } from '../compose.js';
import { createSequentialIds } from '../desk/ids.js';

/** The names of the history-rewrite conformance tests (part of `STORAGE_CONFORMANCE_TESTS`). */
export const PRIVACY_CONFORMANCE_TESTS = ['rewrites history entries in place, and a rewrite of a missing entry writes nothing', 'desk: erasing a customer leaves none of their words in any record or history'] as const;

/** Register the history-rewrite tests of the storage conformance suite (erasure rides on them). */
export function privacyConformanceTests(storage: () => StoragePort, test: (name: (typeof PRIVACY_CONFORMANCE_TESTS)[number], fn: () => Promise<void>) => void): void {
  test('rewrites history entries in place, and a rewrite of a missing entry writes nothing', async () => {
    const s = storage();
    const t = makeTicket({ id: 'tkt_p' });
    const id = t.id as TicketId;
    const [a, b, c] = ['first', 'second', 'third'].map((body, i) => makeInteraction({ id: `int_${i}`, ticketId: t.id, body }));
    await s.commit(uow({ puts: [{ kind: 'ticket', record: t, expectedVersion: null }], interactions: [a, b, c].filter((x) => x !== undefined), audit: [makeAuditEntry({ ticketId: t.id, version: 1, action: 'open', changes: [{ field: 'subject', from: undefined, to: 'Secret' }] })] }));
    const erased = { ...(b as NonNullable<typeof b>), body: '[erased]' };
    const entry = makeAuditEntry({ ticketId: t.id, version: 1, action: 'open', changes: [{ field: 'subject', from: undefined, to: '[erased]' }] });
    const more = makeInteraction({ id: 'int_9', ticketId: t.id, body: 'after' });
    await s.commit(uow({ rewrites: [{ kind: 'interaction', ticketId: id, index: 1, record: erased }, { kind: 'audit', ticketId: id, index: 0, record: entry }], interactions: [more] }));
    expect((await s.history('interaction', id)).map((i) => i.body)).toEqual(['first', '[erased]', 'third', 'after']);
    expect((await s.history('audit', id))[0]?.changes[0]?.to).toBe('[erased]');
    const missing = s.commit(uow({ rewrites: [{ kind: 'interaction', ticketId: id, index: 0, record: { ...(a as NonNullable<typeof a>), body: 'x' } }, { kind: 'interaction', ticketId: id, index: 4, record: erased }] }));
    await expect(missing).rejects.toBeInstanceOf(ConflictError);
    expect((await s.history('interaction', id)).map((i) => i.body)).toEqual(['first', '[erased]', 'third', 'after']);
  });

  test('desk: erasing a customer leaves none of their words in any record or history', async () => {
    const s = storage();
    const desk = createServiceDesk({ storage: s, clock: createManualClock('2026-04-01T09:00:00Z'), ids: createSequentialIds() });
    const hanako = await desk.registerCustomer({ kind: 'external', displayName: 'Tanaka Hanako', contacts: [{ channel: 'email', address: 'hanako@example.jp' }], birthday: '1990-04-04', customFields: { memberNo: 'M-4471' } });
    const agent = await desk.registerAgent({ name: 'Aiko' });
    const { ticket } = await desk.openTicket({ requesterId: hanako.id, subject: 'Hanako: kettle broken', channel: 'email', description: 'My kettle from order 1042 arrived broken', sourceId: '<k1@example.jp>', customFields: { order: '1042' } });
    await desk.recordInteraction(ticket.id, { author: { kind: 'agent', id: agent.id }, channel: 'email', body: 'Dear Tanaka Hanako, a new kettle is on its way' });
    await desk.resolve(ticket.id, { summary: 'Sent Hanako a new kettle' }, { by: { kind: 'agent', id: agent.id } });
    const report = await desk.eraseCustomer(hanako.id, { reason: 'the customer asked', by: { kind: 'agent', id: agent.id } });
    expect(report).toMatchObject({ erased: true, tickets: 1, interactions: 2 });
    const everything = JSON.stringify([await s.get('customer', hanako.id), await s.get('ticket', ticket.id), await s.history('interaction', ticket.id), await s.history('audit', ticket.id)]);
    for (const word of ['Hanako', 'hanako@', 'kettle', '1042', 'M-4471', '1990-04-04']) expect(everything).not.toContain(word);
    expect(await desk.findCustomerByContact({ email: 'hanako@example.jp' })).toBeNull();
    expect(await desk.findTicketBySourceId('<k1@example.jp>')).toBeNull();
    expect((await desk.getAuditTrail(ticket.id)).at(-1)).toMatchObject({ action: 'erase', actor: { kind: 'agent', id: agent.id } });
    // Her address is free again, and erasing twice changes nothing.
    await desk.registerCustomer({ kind: 'external', displayName: 'New', contacts: [{ channel: 'email', address: 'hanako@example.jp' }] });
    expect((await desk.eraseCustomer(hanako.id, { reason: 'again' })).erased).toBe(false);
  });
}
