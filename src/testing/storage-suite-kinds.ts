import { expect } from 'vitest';
import { ConflictError } from '../errors.js';
import { toCustomerId, type TicketId } from '../domain/common.js';
import type { Ticket } from '../domain/ticket.js';
import type { StoragePort } from '../ports/storage.js';
import { createManualClock } from '../adapters/memory/clock.js';
import { createServiceDesk } from '../compose.js';
import { createSequentialIds } from '../desk/ids.js';
import { uow } from './storage-suite-more.js';
import { makeArticle, makeNotification, makeOffer, makeSurvey, overrideStorage } from './fixtures.js';
import type { StorageConformanceTest } from './storage-suite.js';

type ConformanceRegister = (name: StorageConformanceTest, fn: () => Promise<void>) => void;

/** Surveys, the outbox, offers and articles. */
export function recordKindTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('keeps surveys versioned and filtered', async () => {
    const storage = get();
    await storage.commit(
      uow({
        puts: [
          { kind: 'survey', record: makeSurvey({ id: 's1', customerId: 'cus_a', ticketId: 'tkt_1' }), expectedVersion: null },
          { kind: 'survey', record: makeSurvey({ id: 's2', customerId: 'cus_b', ticketId: 'tkt_2', createdAt: new Date(Date.UTC(2026, 5, 1)) }), expectedVersion: null },
        ],
      }),
    );
    await expect(storage.commit(uow({ puts: [{ kind: 'survey', record: makeSurvey({ id: 's1', customerId: 'cus_a', ticketId: 'tkt_1' }), expectedVersion: null }] }))).rejects.toMatchObject({ kind: 'exists' });
    const answered = { ...makeSurvey({ id: 's1', customerId: 'cus_a', ticketId: 'tkt_1' }), version: 2, status: 'answered' as const, answer: { csat: 5 }, answeredAt: new Date(Date.UTC(2026, 3, 2)) };
    await storage.commit(uow({ puts: [{ kind: 'survey', record: answered, expectedVersion: 1 }] }));
    expect((await storage.list('survey', { ticketId: 'tkt_1' as TicketId })).items).toEqual([answered]);
    expect((await storage.list('survey', { status: 'sent' })).items.map((v) => v.id)).toEqual(['s2']);
    expect((await storage.list('survey', { customerId: toCustomerId('cus_b') })).items.map((v) => v.id)).toEqual(['s2']);
  });

  test('keeps the outbox versioned, filtered and paged', async () => {
    const storage = get();
    const at = (d: number): Date => new Date(Date.UTC(2026, 3, d));
    const to = (id: string) => ({ kind: 'customer' as const, id, name: 'Ms A', address: `${id}@example.com` });
    await storage.commit(
      uow({
        puts: [
          { kind: 'notification', record: makeNotification({ id: 'ntf:3', to: to('cus_a'), ticketId: 'tkt_1' as TicketId, createdAt: at(3) }), expectedVersion: null },
          { kind: 'notification', record: makeNotification({ id: 'ntf:1', to: to('cus_a'), createdAt: at(1) }), expectedVersion: null },
          { kind: 'notification', record: makeNotification({ id: 'ntf:2', to: to('cus_b'), ticketId: 'tkt_1' as TicketId, status: 'sent', createdAt: at(2) }), expectedVersion: null },
        ],
      }),
    );
    await expect(storage.commit(uow({ puts: [{ kind: 'notification', record: makeNotification({ id: 'ntf:1' }), expectedVersion: null }] }))).rejects.toMatchObject({ kind: 'exists' });
    expect((await storage.list('notification', {})).items.map((n) => n.id)).toEqual(['ntf:1', 'ntf:2', 'ntf:3']);
    expect((await storage.list('notification', { status: 'pending' })).items.map((n) => n.id)).toEqual(['ntf:1', 'ntf:3']);
    expect((await storage.list('notification', { recipientId: 'cus_a' })).items.map((n) => n.id)).toEqual(['ntf:1', 'ntf:3']);
    expect((await storage.list('notification', { ticketId: 'tkt_1' as TicketId, status: ['sent', 'failed'] })).items.map((n) => n.id)).toEqual(['ntf:2']);
    const first = await storage.list('notification', { limit: 2 });
    const rest = await storage.list('notification', { limit: 2, cursor: first.nextCursor as string });
    expect([...first.items, ...rest.items].map((n) => n.id)).toEqual(['ntf:1', 'ntf:2', 'ntf:3']);
    const sent = { ...makeNotification({ id: 'ntf:1', to: to('cus_a'), createdAt: at(1) }), version: 2, status: 'sent' as const, externalId: 'x-1', sentAt: at(5), attempts: [{ at: at(5), ok: true, notifier: 'smtp' }] };
    await storage.commit(uow({ puts: [{ kind: 'notification', record: sent, expectedVersion: 1 }] }));
    await expect(storage.commit(uow({ puts: [{ kind: 'notification', record: { ...sent, status: 'failed' }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
    expect(await storage.get('notification', 'ntf:1')).toEqual(sent);
    expect((await storage.list('notification', { status: 'pending' })).items.map((n) => n.id)).toEqual(['ntf:3']);
  });

  test('keeps offers versioned and filtered', async () => {
    const storage = get();
    const at = (d: number): Date => new Date(Date.UTC(2026, 3, d));
    await storage.commit(
      uow({
        puts: [
          { kind: 'offer', record: makeOffer({ id: 'o2', customerId: 'cus_a', sku: 'pro', createdAt: at(2) }), expectedVersion: null },
          { kind: 'offer', record: makeOffer({ id: 'o1', customerId: 'cus_a', sku: 'storage', kind: 'add_on', createdAt: at(1) }), expectedVersion: null },
          { kind: 'offer', record: makeOffer({ id: 'o3', customerId: 'cus_b', sku: 'pro', status: 'accepted', createdAt: at(3) }), expectedVersion: null },
        ],
      }),
    );
    expect((await storage.list('offer', {})).items.map((o) => o.id)).toEqual(['o1', 'o2', 'o3']);
    expect((await storage.list('offer', { customerId: toCustomerId('cus_a') })).items.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect((await storage.list('offer', { sku: 'pro', status: ['accepted', 'rejected'] })).items.map((o) => o.id)).toEqual(['o3']);
    const answered = { ...makeOffer({ id: 'o2', customerId: 'cus_a', sku: 'pro', createdAt: at(2) }), version: 2, status: 'rejected' as const, answeredAt: at(4) };
    await storage.commit(uow({ puts: [{ kind: 'offer', record: answered, expectedVersion: 1 }] }));
    await expect(storage.commit(uow({ puts: [{ kind: 'offer', record: { ...answered, status: 'accepted' }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
    expect(await storage.get('offer', 'o2')).toEqual(answered);
    expect((await storage.list('offer', { customerId: toCustomerId('cus_a'), status: 'offered' })).items.map((o) => o.id)).toEqual(['o1']);
  });

  test('keeps articles versioned and filtered', async () => {
    const storage = get();
    const at = (d: number): Date => new Date(Date.UTC(2026, 3, d));
    await storage.commit(
      uow({
        puts: [
          { kind: 'article', record: makeArticle({ id: 'kb2', locale: 'ja', tags: ['router'], createdAt: at(2) }), expectedVersion: null },
          { kind: 'article', record: makeArticle({ id: 'kb1', status: 'draft', product: 'ROUTER-X2', tags: ['router', 'firmware'], createdAt: at(1) }), expectedVersion: null },
          { kind: 'article', record: makeArticle({ id: 'kb3', createdAt: at(3) }), expectedVersion: null },
        ],
      }),
    );
    expect((await storage.list('article', {})).items.map((a) => a.id)).toEqual(['kb1', 'kb2', 'kb3']);
    expect((await storage.list('article', { status: 'published' })).items.map((a) => a.id)).toEqual(['kb2', 'kb3']);
    expect((await storage.list('article', { locale: 'ja' })).items.map((a) => a.id)).toEqual(['kb2']);
    expect((await storage.list('article', { tag: 'router', product: 'ROUTER-X2' })).items.map((a) => a.id)).toEqual(['kb1']);
    const published = { ...makeArticle({ id: 'kb1', status: 'draft', product: 'ROUTER-X2', tags: ['router', 'firmware'], createdAt: at(1) }), version: 2, status: 'published' as const, publishedAt: at(4) };
    await storage.commit(uow({ puts: [{ kind: 'article', record: published, expectedVersion: 1 }] }));
    await expect(storage.commit(uow({ puts: [{ kind: 'article', record: { ...published, status: 'archived' }, expectedVersion: 1 }] }))).rejects.toBeInstanceOf(ConflictError);
    expect(await storage.get('article', 'kb1')).toEqual(published);
  });
}

/** The desk on the adapter: idempotent opening, and a failed command leaving nothing. */
export function deskTests(get: () => StoragePort, test: ConformanceRegister): void {
  test('desk: opening is idempotent on source id', async () => {
    const storage = get();
    const desk = createServiceDesk({ storage, clock: createManualClock('2026-04-01T09:00:00Z'), ids: createSequentialIds() });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });
    const input = { requesterId: c.id, subject: 'Invoice', channel: 'email' as const, description: 'Where is my invoice?', sourceId: '<abc@mail>' };
    const first = await desk.openTicket(input);
    const again = await desk.openTicket(input);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.ticket.id).toBe(first.ticket.id);
    const racing = await Promise.all([desk.openTicket({ ...input, sourceId: '<race@mail>' }), desk.openTicket({ ...input, sourceId: '<race@mail>' })]);
    expect(racing[0].ticket.id).toBe(racing[1].ticket.id);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect((await desk.listTickets()).items).toHaveLength(2);
    expect(await desk.listInteractions(first.ticket.id)).toHaveLength(1);
    await desk.stop();
  });

  test('desk: a command that fails midway leaves nothing behind', async () => {
    const storage = get();
    const clock = createManualClock('2026-04-01T09:00:00Z');
    // A competing writer changes the old ticket between the desk's read and its commit.
    let interfere: (() => Promise<void>) | undefined;
    const racing = overrideStorage(storage, {
      async commit(work) {
        const run = interfere;
        interfere = undefined;
        if (run) await run();
        return storage.commit(work);
      },
    });
    const desk = createServiceDesk({ storage: racing, clock, ids: createSequentialIds(), lifecycle: { reopenWindow: 'P1D' } });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'Broken lid', channel: 'phone', description: 'The lid broke' });
    await desk.resolve(ticket.id, { summary: 'Sent a new lid' });
    const closed = await desk.confirmResolution(ticket.id);
    await clock.advance('P3D');
    const trailBefore = await desk.getAuditTrail(ticket.id);
    interfere = async () => {
      const current = (await storage.get('ticket', ticket.id)) as Ticket;
      await storage.commit(uow({ puts: [{ kind: 'ticket', record: { ...current, version: current.version + 1, tags: ['touched'] }, expectedVersion: current.version }] }));
    };
    // Past the window, reopening writes two tickets (the follow-up and the old one's link).
    await expect(desk.reopen(ticket.id, { reason: 'Lid broke again' }, { expectedVersion: closed.version })).rejects.toBeInstanceOf(ConflictError);
    expect((await desk.listTickets()).items.map((t) => t.id)).toEqual([ticket.id]);
    expect((await desk.getTicket(ticket.id)).followUps).toEqual([]);
    expect(await desk.getAuditTrail(ticket.id)).toHaveLength(trailBefore.length);
    // Validation failures never reach storage at all.
    await expect(desk.openTicket({ requesterId: c.id, subject: '', channel: 'email' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(desk.openTicket({ requesterId: 'cus_missing' as typeof c.id, subject: 'x', channel: 'email' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await desk.listTickets()).items).toHaveLength(1);
    await desk.stop();
  });
}
