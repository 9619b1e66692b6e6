import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { defineKnowledgeBase, createServiceDesk, defineCatalog, recomputeMetrics, type ServiceDesk, type StoragePort } from 'omotenashi';
import { createManualClock } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';
import { createPostgresStorage } from 'omotenashi/postgres';

const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const catalog = defineCatalog([
  { sku: 'basic', name: 'Basic', category: 'plans', price: USD(1000), family: 'plan', rank: 1, features: ['email support'], limits: { seats: 10 } },
  { sku: 'pro', name: 'Pro', category: 'plans', price: USD(3000), family: 'plan', rank: 2, features: ['email support', 'sso'], limits: { seats: 50 } },
]);

/** Two desks (two processes' worth of state) on one database: what one writes, the other must see. */
async function bothSee(a: ServiceDesk, b: ServiceDesk, storages: readonly [StoragePort, StoragePort]): Promise<void> {
  // Metrics: rebuilt from storage in either process, the same numbers.
  const requester = await a.registerCustomer({ kind: 'external', displayName: 'Ito' });
  const { ticket } = await a.openTicket({ requesterId: requester.id, subject: 'Invoice', channel: 'email' });
  await b.resolve(ticket.id, { summary: 'Sent again' });
  const [ma, mb] = await Promise.all(storages.map((st) => recomputeMetrics(st)));
  expect(ma?.report({ groupBy: ['channel'] })).toEqual(mb?.report({ groupBy: ['channel'] }));
  expect(ma?.report({ groupBy: ['channel'] })[0]).toMatchObject({ opened: 1, resolved: 1 });

  // Knowledge: an article published through one desk is found through the other, and archived through it.
  await b.suggestArticles({ text: 'router wifi drops', locale: 'en' }); // b builds its index before the article exists
  const article = await a.createArticle({ title: 'Wi-Fi drops every hour', body: 'Update the router firmware to 2.1; the hourly drop stops.', locale: 'en', tags: ['wifi'] });
  await a.publishArticle(article.id);
  const ids = async (d: ServiceDesk) => (await d.suggestArticles({ text: 'my wifi connection drops', locale: 'en' })).map((m) => m.article.id);
  expect(await ids(b)).toEqual([article.id]);
  expect(await ids(a)).toEqual([article.id]);
  await b.archiveArticle(article.id);
  expect(await ids(a)).toEqual([]);

  // Offers: acceptance counted through one desk shows in the other's statistics.
  const customer = await a.registerCustomer({ kind: 'external', displayName: 'ACME', consent: { marketing: true }, purchases: [{ sku: 'basic', at: new Date('2026-02-01T00:00:00Z') }], customFields: { usage: { seats: 10 } } });
  const made = await a.suggestOffers({ customerId: customer.id });
  expect(made.offers.length).toBeGreaterThan(0);
  await b.answerOffer(made.offers[0]?.id as string, 'accepted');
  expect(await a.offerStats()).toEqual(await b.offerStats());
  expect((await a.offerStats()).find((s) => s.sku === made.offers[0]?.sku)).toMatchObject({ answered: 1, accepted: 1, rate: 1 });
  expect((await b.suggestOffers({ customerId: customer.id }, { record: false })).suggestions.map((s) => [s.product.sku, s.score])).toEqual((await a.suggestOffers({ customerId: customer.id }, { record: false })).suggestions.map((s) => [s.product.sku, s.score]));
}

const desks = (storage: () => StoragePort) => {
  const clock = createManualClock('2026-04-01T10:00:00Z');
  const stores = [storage(), storage()] as const;
  return { desks: [createServiceDesk({ knowledge: defineKnowledgeBase(), storage: stores[0], clock, catalog }), createServiceDesk({ knowledge: defineKnowledgeBase(), storage: stores[1], clock, catalog })] as const, stores };
};

describe('desk: no state that only one process knows', () => {
  it('two desks on one SQLite file search the same articles, count the same offers and rebuild the same metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omotenashi-shared-'));
    const file = join(dir, 'desk.db');
    const dbs: Database.Database[] = [];
    const open = (): StoragePort => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      dbs.push(db);
      return createSqliteStorage({ db });
    };
    await (open() as ReturnType<typeof createSqliteStorage>).migrate();
    const { desks: [a, b], stores } = desks(open);
    await bothSee(a, b, stores);
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = inject('postgresUrl');
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });
  it.skipIf(url === '')('two desks on one PostgreSQL database do too', async () => {
    const schema = `shared_${process.pid}`;
    const open = (): StoragePort => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      pools.push(pool);
      return createPostgresStorage({ pool, schema });
    };
    await (open() as ReturnType<typeof createPostgresStorage>).migrate();
    const { desks: [a, b], stores } = desks(open);
    await bothSee(a, b, stores);
  });
});
