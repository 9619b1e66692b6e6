import { bench, describe } from 'vitest';
import { defineCatalog, defineSuggestions, suggest, type Customer, type Product, type ProductInput } from 'omotenashi';
import { lcg } from './support/rules-workload.js';

// A bookshop-like catalog of 10,000 products: 2,000 titles in three editions (paperback,
// hardcover, collector's) and 4,000 other titles, 40 genres and 600 authors, with complements.
// Customers own one to three titles. Suggestions: upsell within the family, complements, and
// same genre by another author; top 5 with reasons and discounts.
// Baseline: the same relations found by scanning the whole catalog for every customer.
const r = lcg(7);
const JPY = (amountMinor: number) => ({ amountMinor, currency: 'JPY' });
const products: ProductInput[] = [];
const genreOf = (): string => `g${Math.floor(r() * 40)}`;
const authorOf = (): string => `a${Math.floor(r() * 600)}`;
for (let t = 0; t < 2000; t++) {
  const attributes = { genre: genreOf(), author: authorOf() };
  for (let e = 1; e <= 3; e++) products.push({ sku: `t${t}-e${e}`, name: `Title ${t} (${['paperback', 'hardcover', 'collector'][e - 1]})`, category: 'books', price: JPY(800 * e), family: `title:${t}`, rank: e, attributes });
}
for (let t = 2000; t < 6000; t++) products.push({ sku: `t${t}`, name: `Title ${t}`, category: 'books', price: JPY(900), attributes: { genre: genreOf(), author: authorOf() } });
for (let i = 0; i < 500; i++) products.push({ sku: `acc${i}`, name: `Accessory ${i}`, category: 'accessories', price: JPY(1500), complements: Array.from({ length: 5 }, () => products[Math.floor(r() * 10_000 * 0.95)]?.sku as string).filter((s, k, a) => s !== undefined && a.indexOf(s) === k) });
const catalog = defineCatalog(products);
const config = defineSuggestions({ attributePairs: [{ same: 'genre', different: 'author' }], attributeScanLimit: 200, limit: 5, guardrails: { frequency: { max: 1000, per: 'P30D' } }, discounts: { tiers: [{ id: 'gold', minLifetimeValueMinor: 50_000, percent: 10 }] } });
const NOW = Date.parse('2026-11-23T00:00:00Z');
const skus = catalog.products.map((p) => p.sku);
const makeCustomers = (n: number): Customer[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `cus_${i}`,
    kind: 'external',
    displayName: `C${i}`,
    consent: { marketing: true, followUps: true, optedOutChannels: [] },
    flags: [],
    customFields: {},
    lifetimeValue: JPY(Math.floor(r() * 100_000)),
    purchases: Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => ({ sku: skus[Math.floor(r() * skus.length)] as string, at: new Date(NOW - (k + 1) * 86_400_000 * 20), quantity: 1 })),
  }) as unknown as Customer);
const sample = makeCustomers(2_000);
const many = makeCustomers(100_000);

/** The same relations by scanning every product for every customer. */
function scanBaseline(c: Customer): Product[] {
  const owned = c.purchases.map((p) => catalog.get(p.sku)).filter((p): p is Product => p !== undefined);
  const ownedSkus = new Set(owned.map((p) => p.sku));
  const out: Array<{ p: Product; s: number }> = [];
  for (const p of catalog.products) {
    if (!p.available || ownedSkus.has(p.sku)) continue;
    let s = 0;
    for (const o of owned) {
      if (p.family !== undefined && p.family === o.family && (p.rank as number) > (o.rank as number)) s = Math.max(s, 0.9);
      else if (p.complements.includes(o.sku) || o.complements.includes(p.sku)) s = Math.max(s, 0.6);
      else if (p.family !== o.family && p.attributes['genre'] === o.attributes['genre'] && p.attributes['author'] !== o.attributes['author']) s = Math.max(s, 0.5);
    }
    if (s > 0) out.push({ p, s });
  }
  out.sort((a, b) => b.s - a.s || (a.p.sku < b.p.sku ? -1 : 1));
  return out.slice(0, 5).map((x) => x.p);
}

describe('suggestions for 2,000 customers against a 10,000-product catalog', () => {
  bench('baseline: scan the whole catalog per customer', () => {
    let n = 0;
    for (const c of sample) n += scanBaseline(c).length;
    if (n === 0) throw new Error('nothing suggested');
  });
  bench('omotenashi: suggest() through the catalog indexes', () => {
    let n = 0;
    for (const c of sample) n += suggest({ customer: c, catalog, now: NOW, config }).suggestions.length;
    if (n === 0) throw new Error('nothing suggested');
  });
});

describe('suggestions for 100,000 customers against a 10,000-product catalog', () => {
  bench('omotenashi: suggest() for every customer', () => {
    let n = 0;
    for (const c of many) n += suggest({ customer: c, catalog, now: NOW, config }).suggestions.length;
    if (n === 0) throw new Error('nothing suggested');
  }, { iterations: 2, warmupIterations: 0 });
});
