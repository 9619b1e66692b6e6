import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, defineCatalog, defineSuggestions, suggest, acceptanceStats, type Customer, type ProductInput } from 'omotenashi';
import { makeCustomer } from 'omotenashi/testing';

const JPY = (amountMinor: number) => ({ amountMinor, currency: 'JPY' });
const NOW = Date.parse('2026-04-10T10:00:00+09:00');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000);

const BOOKS: ProductInput[] = [
  { sku: 'nw-pb', name: 'Norwegian Wood (paperback)', category: 'books', price: JPY(990), family: 'book:nw', rank: 1, attributes: { genre: 'literary', author: 'Murakami' } },
  { sku: 'nw-hc', name: 'Norwegian Wood (hardcover)', category: 'books', price: JPY(2400), family: 'book:nw', rank: 2, attributes: { genre: 'literary', author: 'Murakami' } },
  { sku: 'nw-ce', name: "Norwegian Wood (collector's edition)", category: 'books', price: JPY(9800), family: 'book:nw', rank: 3, attributes: { genre: 'literary', author: 'Murakami' } },
  { sku: 'kafka', name: 'Kafka on the Shore', category: 'books', price: JPY(1200), attributes: { genre: 'literary', author: 'Murakami' } },
  { sku: 'snow', name: 'Snow Country', category: 'books', price: JPY(800), attributes: { genre: 'literary', author: 'Kawabata' } },
  { sku: 'kitchen', name: 'Kitchen', category: 'books', price: JPY(700), attributes: { genre: 'literary', author: 'Yoshimoto' } },
  { sku: 'sold-out', name: 'The Sound of Waves', category: 'books', price: JPY(900), attributes: { genre: 'literary', author: 'Mishima' }, available: false },
  { sku: 'poirot', name: 'Murder on the Orient Express', category: 'books', price: JPY(900), attributes: { genre: 'mystery', author: 'Christie' } },
  { sku: 'cover', name: 'Book cover (leather)', category: 'accessories', price: JPY(1500), complements: ['nw-pb', 'nw-hc'] },
];
const bookshop = defineCatalog(BOOKS);
const settings = defineSuggestions({ attributePairs: [{ same: 'genre', different: 'author' }], limit: 10 });

const reader = (over: Partial<Customer> = {}): Customer =>
  ({ ...makeCustomer({ id: 'cus_reader', kind: 'external', consent: { marketing: true, followUps: true, optedOutChannels: [] } }), ...over }) as Customer;

describe('suggestions: the bookshop of the source texts', () => {
  it('after a paperback: the hardcover first (upsell), then same genre by another author (cross-sell), never what was bought', () => {
    const { suggestions, withheld } = suggest({ customer: reader(), catalog: bookshop, now: NOW, config: settings, context: { justOrdered: ['nw-pb'] } });
    expect(withheld).toBeNull();
    const skus = suggestions.map((s) => s.product.sku);
    expect(skus[0]).toBe('nw-hc');
    expect(suggestions[0]).toMatchObject({ kind: 'upsell', reasons: ['a step up from Norwegian Wood (paperback)'], evidence: [{ type: 'ordered', sku: 'nw-pb' }] });
    expect(skus).toContain('nw-ce');
    expect(skus.indexOf('nw-ce')).toBeGreaterThan(skus.indexOf('nw-hc'));
    expect(skus).toEqual(expect.arrayContaining(['snow', 'kitchen', 'cover']));
    const snow = suggestions.find((s) => s.product.sku === 'snow');
    expect(snow).toMatchObject({ kind: 'cross_sell', reasons: ['same genre (literary) as Norwegian Wood (paperback), another author (Kawabata)'] });
    expect(skus).not.toContain('nw-pb');
    expect(skus).not.toContain('kafka'); // same author
    expect(skus).not.toContain('sold-out');
    expect(skus).not.toContain('poirot'); // another genre
  });

  it('never offers a lower or equal edition of a book the customer has', () => {
    const { suggestions } = suggest({ customer: reader({ purchases: [{ sku: 'nw-hc', at: daysAgo(3), quantity: 1 }] }), catalog: bookshop, now: NOW, config: settings });
    const skus = suggestions.map((s) => s.product.sku);
    expect(skus).toContain('nw-ce');
    expect(skus).not.toContain('nw-pb');
  });

  it('ranks deterministically: equal scores are ordered by kind, then sku', () => {
    const { suggestions } = suggest({ customer: reader(), catalog: bookshop, now: NOW, config: settings, context: { justOrdered: ['nw-pb'] } });
    const crossSells = suggestions.filter((s) => s.reasons[0]?.startsWith('same genre'));
    expect(crossSells.map((s) => s.product.sku)).toEqual(['kitchen', 'snow']);
    const again = suggest({ customer: reader(), catalog: bookshop, now: NOW, config: settings, context: { justOrdered: ['nw-pb'] } });
    expect(again.suggestions.map((s) => [s.product.sku, s.score])).toEqual(suggestions.map((s) => [s.product.sku, s.score]));
  });

  it('says why there is nothing when the customer has nothing to build on', () => {
    expect(suggest({ customer: reader(), catalog: bookshop, now: NOW, config: settings }).withheld?.reason).toBe('nothing_relevant');
  });
});

const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const PLANS = defineCatalog([
  { sku: 'basic', name: 'Basic', category: 'plans', price: USD(1000), family: 'plan', rank: 1, features: ['email support'], limits: { seats: 10 }, addOns: ['storage'] },
  { sku: 'pro', name: 'Pro', category: 'plans', price: USD(3000), family: 'plan', rank: 2, features: ['email support', 'sso'], limits: { seats: 50 } },
  { sku: 'enterprise', name: 'Enterprise', category: 'plans', price: USD(9000), family: 'plan', rank: 3, features: ['email support', 'sso', 'audit log'], limits: { seats: 500 } },
  { sku: 'storage', name: 'Extra storage', category: 'add-ons', price: USD(500) },
]);

describe('suggestions: plan upgrades from customer-success signals', () => {
  const team = (usage?: Record<string, number>) => reader({ purchases: [{ sku: 'basic', at: daysAgo(200), quantity: 1 }], customFields: usage === undefined ? {} : { usage } });

  it('a question about a premium feature lifts the plan that has it', () => {
    const plain = suggest({ customer: team(), catalog: PLANS, now: NOW });
    const asked = suggest({ customer: team(), catalog: PLANS, now: NOW, context: { ticket: { id: 'tkt_9', subject: 'Do you support audit log exports?', tags: [] } } });
    expect(plain.suggestions[0]?.product.sku).toBe('pro');
    expect(asked.suggestions[0]?.product.sku).toBe('enterprise');
    expect(asked.suggestions[0]?.reasons).toContain('asked about audit log, which Enterprise has');
    expect(asked.suggestions[0]?.evidence).toContainEqual({ type: 'ticket', sku: 'enterprise', detail: 'ticket tkt_9 mentions "audit log"' });
  });

  it('seat growth near the limit lifts an upgrade; an add-on for the plan is offered too', () => {
    const busy = suggest({ customer: team({ seats: 9 }), catalog: PLANS, now: NOW });
    const pro = busy.suggestions.find((s) => s.product.sku === 'pro');
    expect(pro?.reasons).toContain('uses 9 of 10 seats; Pro allows 50');
    expect(busy.suggestions.find((s) => s.product.sku === 'storage')?.kind).toBe('add_on');
    const idle = suggest({ customer: team({ seats: 2 }), catalog: PLANS, now: NOW });
    expect(idle.suggestions.find((s) => s.product.sku === 'pro')!.score).toBeLessThan(pro!.score);
  });

  it('acceptance rates count once there are enough answers', () => {
    const offers = Array.from({ length: 20 }, (_, i) => ({ kind: 'add_on' as const, sku: 'storage', status: i < 18 ? ('accepted' as const) : ('rejected' as const), offeredAt: daysAgo(40) }));
    const acceptance = acceptanceStats(offers, NOW, 14 * 86_400_000);
    expect(acceptance.get('add_on:storage')).toEqual({ answered: 20, accepted: 18 });
    const { suggestions } = suggest({ customer: team(), catalog: PLANS, now: NOW, context: { acceptance } });
    expect(suggestions[0]?.product.sku).toBe('storage');
    expect(suggestions[0]?.reasons).toContain('90% of customers accepted this add-on');
    expect(acceptanceStats([{ kind: 'upsell', sku: 'pro', status: 'offered', offeredAt: daysAgo(15) }, { kind: 'upsell', sku: 'pro', status: 'offered', offeredAt: daysAgo(1) }], NOW, 14 * 86_400_000).get('upsell:pro')).toEqual({ answered: 1, accepted: 0 });
  });
});

describe('suggestions: guardrails say why nothing is offered', () => {
  const base = { catalog: bookshop, now: NOW, config: settings, context: { justOrdered: ['nw-pb'] } };
  const withheld = (customer: Customer, context: object = {}, config = settings) => suggest({ ...base, customer, config, context: { ...base.context, ...context } }).withheld?.reason;

  it('each guardrail, in turn', () => {
    expect(withheld(reader(), { openComplaints: 1 })).toBe('complaint_open');
    expect(withheld(reader(), { lastLowScoreAt: daysAgo(3) })).toBe('low_score');
    expect(withheld(reader(), { lastLowScoreAt: daysAgo(20) })).toBeUndefined();
    const angry = { kind: 'emotion' as const, label: 'angry', span: [0, 5] as [number, number], text: 'angry', confidence: 0.9, language: 'en', negated: false };
    expect(withheld(reader(), { latestSignals: [angry] })).toBe('negative_signals');
    expect(withheld(reader(), { latestSignals: [{ ...angry, negated: true }] })).toBeUndefined();
    expect(withheld(reader({ consent: { marketing: false, followUps: true, optedOutChannels: [] } }))).toBe('marketing_opt_out');
    expect(withheld(reader({ kind: 'internal', department: 'Packaging' } as Partial<Customer>))).toBe('internal_customer');
    expect(withheld(reader({ kind: 'internal', department: 'Packaging' } as Partial<Customer>), {}, defineSuggestions({ ...{ attributePairs: [{ same: 'genre', different: 'author' }] }, guardrails: { internalCustomers: true } }))).toBeUndefined();
    expect(withheld(reader({ flags: [{ kind: 'do_not_contact', reason: 'asked', author: { kind: 'system', name: 't' }, at: daysAgo(1) }] }))).toBe('do_not_contact');
    const recentOffers = [{ sku: 'snow', offeredAt: daysAgo(2), status: 'rejected' as const }, { sku: 'kitchen', offeredAt: daysAgo(10), status: 'ignored' as const }];
    expect(withheld(reader(), { recentOffers })).toBe('frequency_cap');
    const one = suggest({ ...base, customer: reader(), context: { ...base.context, recentOffers: recentOffers.slice(0, 1) } });
    expect(one.withheld).toBeNull();
    expect(one.suggestions.map((s) => s.product.sku)).not.toContain('snow'); // cooldown
  });
});

describe('suggestions: discounts by commitment level, never beyond the cap', () => {
  const tiers = defineSuggestions({
    discounts: {
      tiers: [
        { id: 'regular', minTenureDays: 365, points: 200 },
        { id: 'gold', minLifetimeValueMinor: 100_000, percent: 10, points: 500 },
        { id: 'platinum', minLifetimeValueMinor: 500_000, percent: 30, points: 5000 },
      ],
      cap: { percent: 15, points: 1000, amountMinor: 1000 },
    },
  });
  const buyer = (ltv: number, since?: string) => reader({ lifetimeValue: JPY(ltv), ...(since === undefined ? {} : { customerSince: since }) } as Partial<Customer>);
  const first = (customer: Customer) => suggest({ customer, catalog: bookshop, now: NOW, config: tiers, context: { justOrdered: ['nw-pb'] } }).suggestions[0];

  it('the tier the customer reaches decides, the cap limits it', () => {
    expect(first(buyer(1_000))?.discount).toBeUndefined();
    expect(first(buyer(1_000, '2024-01-01'))?.discount).toEqual({ tierId: 'regular', points: 200, capped: false });
    expect(first(buyer(150_000))?.discount).toEqual({ tierId: 'gold', percent: 10, amountOffMinor: 240, points: 500, capped: false });
    expect(first(buyer(900_000))?.discount).toEqual({ tierId: 'platinum', percent: 15, amountOffMinor: 360, points: 1000, capped: true });
  });

  it('property: a discount never exceeds the cap in percent, amount or points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100 }), (ltv, percent, points, capPercent) => {
        const config = defineSuggestions({ discounts: { tiers: [{ id: 't', minLifetimeValueMinor: 0, percent, points }], cap: { percent: capPercent, points: 700, amountMinor: 2000 } } });
        const s = suggest({ customer: buyer(ltv), catalog: bookshop, now: NOW, config, context: { justOrdered: ['nw-pb'] } }).suggestions;
        for (const x of s) {
          expect(x.discount?.percent ?? 0).toBeLessThanOrEqual(capPercent);
          expect(x.discount?.amountOffMinor ?? 0).toBeLessThanOrEqual(Math.min(2000, x.product.price.amountMinor));
          expect(x.discount?.points ?? 0).toBeLessThanOrEqual(700);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('suggestions: properties over random catalogs', () => {
  it('never suggests what the customer owns or just ordered, nor an unavailable product; scores are sorted', () => {
    const product = fc.record({ family: fc.constantFrom(undefined, 'f1', 'f2'), genre: fc.constantFrom('a', 'b'), author: fc.constantFrom('x', 'y', 'z'), available: fc.boolean(), complement: fc.nat(19) });
    fc.assert(
      fc.property(fc.array(product, { minLength: 2, maxLength: 20 }), fc.array(fc.nat(19), { maxLength: 5 }), (specs, ownedIdx) => {
        const ranks = new Map<string, number>();
        const catalog = defineCatalog(
          specs.map((s, i) => {
            const rank = s.family === undefined ? undefined : (ranks.set(s.family, (ranks.get(s.family) ?? 0) + 1), ranks.get(s.family));
            const c = s.complement % specs.length;
            return { sku: `p${i}`, name: `P${i}`, category: 'c', price: JPY(100 * (i + 1)), ...(s.family === undefined ? {} : { family: s.family, rank }), attributes: { genre: s.genre, author: s.author }, available: s.available, complements: c === i ? [] : [`p${c}`] };
          }),
        );
        const owned = [...new Set(ownedIdx.map((i) => `p${i % specs.length}`))];
        const customer = reader({ purchases: owned.slice(1).map((sku) => ({ sku, at: daysAgo(5), quantity: 1 })) });
        const { suggestions } = suggest({ customer, catalog, now: NOW, config: settings, context: { justOrdered: owned.slice(0, 1) } });
        for (const s of suggestions) {
          expect(owned).not.toContain(s.product.sku);
          expect(s.product.available).toBe(true);
        }
        for (let i = 1; i < suggestions.length; i++) expect(suggestions[i - 1]!.score).toBeGreaterThanOrEqual(suggestions[i]!.score);
      }),
      { numRuns: 300 },
    );
  });
});

describe('catalog definition', () => {
  it('refuses duplicate skus, unranked family members, shared ranks and unknown relations, naming the product', () => {
    const p = { name: 'X', category: 'c', price: JPY(1) };
    expect(() => defineCatalog([{ sku: 'a', ...p }, { sku: 'a', ...p }])).toThrow(/"a" appears twice/);
    expect(() => defineCatalog([{ sku: 'a', ...p, family: 'f' }])).toThrow(/catalog\[0\]\.rank/);
    expect(() => defineCatalog([{ sku: 'a', ...p, family: 'f', rank: 1 }, { sku: 'b', ...p, family: 'f', rank: 1 }])).toThrow(/share rank 1/);
    expect(() => defineCatalog([{ sku: 'a', ...p, complements: ['zz'] }])).toThrow(/"zz", which is not in the catalog/);
    expect(() => defineCatalog([{ sku: 'a', ...p, price: { amountMinor: -1, currency: 'JPY' } }])).toThrow(ConfigError);
    expect(() => defineSuggestions({ discounts: { tiers: [{ id: 'x' }] } })).toThrow(/percent off, bonus points/);
  });
});
