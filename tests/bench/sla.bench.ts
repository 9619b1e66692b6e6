import { bench, describe } from 'vitest';
import { defineSlaConfig, evaluateSla, type Priority, type SlaConfigInput, type SlaHistory, type SlaHistoryEvent, type Ticket } from 'omotenashi';
import { makeCustomer, makeTicket } from 'omotenashi/testing';
import { lcg } from './support/rules-workload.js';

// 100,000 open tickets under 20 policies (business calendars in Tokyo and New York, pauses,
// warnings, concurrent OLAs): every clock of every ticket evaluated from its history. The
// yardstick measured in the same run is a JSON round trip of each ticket.
const N = 100_000;
const r = lcg(5);
const H = 3_600_000;
const T0 = Date.UTC(2026, 3, 6);
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const weekday: Array<[string, string]> = [['09:00', '12:00'], ['13:00', '18:00']];
const week = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday };

const policies: SlaConfigInput['policies'] = [];
for (let i = 0; i < 18; i++) {
  const calendar = i % 3 === 0 ? undefined : i % 3 === 1 ? 'tokyo' : 'newyork';
  policies.push({
    id: `p${i}`,
    name: `Policy ${i}`,
    match: { all: [{ fact: 'customer.tier', op: 'eq', value: TIERS[i % 4] }, { fact: 'ticket.type', op: 'eq', value: ['inquiry', 'complaint', 'support', 'order'][Math.floor(i / 4) % 4] }] },
    metrics: {
      first_response: { targets: { low: 'P1D', normal: 'PT8H', high: 'PT4H', urgent: 'PT1H' }, warnings: [{ percent: 75 }], ...(calendar ? { calendar } : {}) },
      next_response: { targets: { low: 'P1D', normal: 'PT8H', high: 'PT4H', urgent: 'PT2H' }, ...(calendar ? { calendar } : {}) },
      resolution: { targets: { low: 'P10D', normal: 'P5D', high: 'P2D', urgent: 'P1D' }, warnings: [{ percent: 50 }, { before: 'PT1H' }], ...(calendar ? { calendar } : {}) },
    },
  });
}
policies.push({ id: 'default', name: 'Default', metrics: { first_response: { targets: { low: 'P2D', normal: 'P1D', high: 'PT8H', urgent: 'PT4H' } }, resolution: { targets: { normal: 'P7D', low: 'P14D', high: 'P3D', urgent: 'P2D' } } } });
policies.push({ id: 'ola-internal', name: 'Internal OLA', concurrent: true, match: { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] }, metrics: { periodic_update: { targets: { high: 'PT4H', urgent: 'PT2H' }, calendar: 'tokyo' } } });
const config = defineSlaConfig({ calendars: { tokyo: { timeZone: 'Asia/Tokyo', weekly: week }, newyork: { timeZone: 'America/New_York', weekly: week } }, policies });

const customers = TIERS.map((tier, i) => makeCustomer({ id: `cus_${i}`, tier }));
const cases: Array<{ ticket: Ticket; customer: (typeof customers)[number]; history: SlaHistory }> = [];
for (let i = 0; i < N; i++) {
  const created = T0 + Math.floor(r() * 5 * 24 * H);
  const priority = PRIORITIES[Math.floor(r() * 4)] as Priority;
  const events: SlaHistoryEvent[] = [];
  let t = created;
  for (let k = 0; k < 1 + Math.floor(r() * 6); k++) {
    t += Math.floor(r() * 6 * H);
    const x = r();
    if (x < 0.45) events.push({ at: t, kind: 'message', author: 'agent', visibility: 'public', direction: 'outbound' });
    else if (x < 0.8) events.push({ at: t, kind: 'message', author: 'customer', visibility: 'public', direction: 'inbound' });
    else events.push({ at: t, kind: 'status', to: r() < 0.5 ? 'pending_customer' : 'open' });
  }
  const ticket = makeTicket({ id: `tkt_${i}`, priority, status: 'open', type: (['inquiry', 'complaint', 'support', 'order'] as const)[i % 4] ?? 'inquiry', createdAt: new Date(created) });
  cases.push({ ticket, customer: customers[i % 4] as (typeof customers)[number], history: { createdAt: created, status: 'open', priority, events } });
}
const now = new Date(T0 + 8 * 24 * H);
let clocks = 0;
for (const c of cases) clocks += evaluateSla({ ...c, config, now }).metrics.length;
console.log(`  ${N.toLocaleString('en')} tickets, 20 policies, ${clocks.toLocaleString('en')} clocks per pass`);

describe(`${N.toLocaleString('en')} open tickets under 20 policies`, () => {
  bench('yardstick: JSON round trip of each ticket', () => {
    for (const c of cases) JSON.parse(JSON.stringify(c.ticket));
  }, { iterations: 5, time: 0, warmupIterations: 1 });
  bench('omotenashi: evaluateSla for every ticket (what the desk does after each command)', () => {
    for (const c of cases) evaluateSla({ ...c, config, now, explain: false });
  }, { iterations: 5, time: 0, warmupIterations: 1 });
  bench('omotenashi: evaluateSla with explanation ledgers', () => {
    for (const c of cases) evaluateSla({ ...c, config, now });
  }, { iterations: 3, time: 0, warmupIterations: 1 });
});
