import { describe, expect, it } from 'vitest';
import { attachMetrics, createMetrics, recomputeMetrics } from 'omotenashi';
import { setup } from '../helpers.js';

const jpy = (amountMinor: number) => ({ amountMinor, currency: 'JPY' });

describe('metrics: customer lifetime value and retention', () => {
  it('sums what customers bought per customer, organisation and segment, and measures who bought again, the same live and recomputed', async () => {
    const s = await setup();
    const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
    attachMetrics(s.desk, metrics);
    const acme = await s.desk.registerOrganization({ kind: 'external', name: 'ACME', domains: ['acme.example'] });
    const a = await s.desk.registerCustomer({ kind: 'external', displayName: 'A', segment: 'smb', contacts: [{ channel: 'email', address: 'a@acme.example' }] });
    const b = await s.desk.registerCustomer({ kind: 'external', displayName: 'B', segment: 'smb' });
    const c = await s.desk.registerCustomer({ kind: 'external', displayName: 'C', segment: 'enterprise', purchases: [{ sku: 'old', at: new Date('2026-03-10T00:00:00Z'), amount: jpy(5000) }] });
    // April: A and B buy; C bought in March and again in April. May: only A buys.
    await s.desk.orderPlaced({ customerId: a.id, orderId: 'o1', items: [{ sku: 'router', amount: jpy(12000) }] });
    await s.desk.orderPlaced({ customerId: b.id, orderId: 'o2', items: [{ sku: 'cable', amount: jpy(800) }] });
    await s.desk.orderPlaced({ customerId: c.id, orderId: 'o3', items: [{ sku: 'care', amount: jpy(5000) }] });
    await s.clock.set(new Date('2026-05-02T03:00:00Z'));
    await s.desk.orderPlaced({ customerId: a.id, orderId: 'o4', items: [{ sku: 'router', amount: jpy(12000) }, { sku: 'care', amount: jpy(5000) }] });
    await s.desk.orderPlaced({ customerId: a.id, orderId: 'o4', items: [{ sku: 'router', amount: jpy(12000) }] }); // a retry: the same order once
    expect(metrics.lifetimeValue()).toEqual([{ key: '', customers: 3, total: { JPY: 39800 }, mean: { JPY: 13267 } }]);
    expect(metrics.lifetimeValue('organization')).toEqual([
      { key: '-', customers: 2, total: { JPY: 10800 }, mean: { JPY: 5400 } },
      { key: acme.id, customers: 1, total: { JPY: 29000 }, mean: { JPY: 29000 } },
    ]);
    expect(metrics.lifetimeValue('segment').map((r) => [r.key, r.total['JPY']])).toEqual([['enterprise', 10000], ['smb', 29800]]);
    expect(metrics.lifetimeValue('customer').find((r) => r.key === a.id)?.total).toEqual({ JPY: 29000 });
    expect(metrics.retention()).toEqual([
      { period: '2026-03', base: 0, retained: 0, fresh: 1, rate: 0 },
      { period: '2026-04', base: 1, retained: 1, fresh: 2, rate: 1 },
      { period: '2026-05', base: 3, retained: 1, fresh: 0, rate: 0.3333 },
    ]);
    expect(metrics.retention({ period: 'quarter' }).map((r) => [r.period, r.base, r.retained])).toEqual([['2026-Q1', 0, 0], ['2026-Q2', 1, 1]]);
    const again = await recomputeMetrics(s.storage, { timeZone: 'Asia/Tokyo' });
    expect(again.lifetimeValue('organization')).toEqual(metrics.lifetimeValue('organization'));
    expect(again.retention()).toEqual(metrics.retention());
    const merged = createMetrics({ timeZone: 'Asia/Tokyo' });
    merged.merge(metrics.partial());
    merged.merge(again.partial());
    expect(merged.lifetimeValue()).toEqual(metrics.lifetimeValue());
  });
});
