import { bench, describe } from 'vitest';
import { createInProcessScheduler, createManualClock, defineFollowUps, nextDatedOccurrence, type Customer, type ResolvedPlan } from 'omotenashi';
import { lcg } from './support/rules-workload.js';

// Birthday greetings for 100,000 customers (1,000,000 with BENCH_FULL=1) in eight time zones (DST and half-hour zones
// included, some born on 29 February): the next greeting at 09:00 in each customer's own zone.
// Baseline: the usual approach, reading the zone's offset with a cached Intl.DateTimeFormat
// (formatToParts) for the candidate instant and correcting once across a DST change.
const N = process.env['BENCH_FULL'] === '1' ? 1_000_000 : 100_000;
const ZONES = ['Asia/Tokyo', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'];
const FROM = Date.UTC(2026, 10, 23);
const r = lcg(29);
const customers: Customer[] = Array.from({ length: N }, () => {
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * new Date(Date.UTC(2000, month, 0)).getUTCDate());
  return { birthday: `--${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, timeZone: ZONES[Math.floor(r() * ZONES.length)] } as Customer;
});
const plan = defineFollowUps({ plans: [{ id: 'birthday', name: 'Birthday', trigger: { on: 'birthday' }, timing: { at: '09:00' }, action: { type: 'message', template: 'birthday' } }] }).plans.get('birthday') as ResolvedPlan;

const formatters = new Map<string, Intl.DateTimeFormat>();
function intlOffset(zone: string, t: number): number {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p['year'] as number, (p['month'] as number) - 1, p['day'], p['hour'], p['minute'], p['second']) - Math.floor(t / 1000) * 1000;
}
function baselineNext(c: Customer, from: number): number {
  const [, mm, dd] = /^--(\d\d)-(\d\d)$/.exec(c.birthday as string) as RegExpExecArray;
  const year = new Date(from + intlOffset(c.timeZone, from)).getUTCFullYear();
  for (let y = year - 1; ; y++) {
    let d = Number(dd);
    if (Number(mm) === 2 && d === 29 && new Date(Date.UTC(y, 1, 29)).getUTCMonth() !== 1) d = 28;
    const wall = Date.UTC(y, Number(mm) - 1, d, 9);
    let at = wall - intlOffset(c.timeZone, wall);
    at = wall - intlOffset(c.timeZone, at);
    if (at >= from) return at;
  }
}

describe(`next birthday greeting for ${N.toLocaleString('en')} customers`, () => {
  bench(
    'baseline: Intl offsets per customer',
    () => {
      let sum = 0;
      for (const c of customers) sum += baselineNext(c, FROM);
      if (!(sum > 0)) throw new Error('no result');
    },
    { iterations: 2, time: 0, warmupIterations: 0 },
  );
  bench(
    'omotenashi: nextDatedOccurrence (cached offset segments)',
    () => {
      let sum = 0;
      for (const c of customers) sum += (nextDatedOccurrence(plan, c, FROM) as { at: number }).at;
      if (!(sum > 0)) throw new Error('no result');
    },
    { iterations: 2, time: 0, warmupIterations: 1 },
  );
});

describe(`greetings for ${N.toLocaleString('en')} customers computed and scheduled`, () => {
  bench(
    'baseline: Intl offsets, then sort every greeting by time',
    () => {
      const due = customers.map((c, i) => ({ key: `fu:${i}`, at: baselineNext(c, FROM) }));
      due.sort((a, b) => a.at - b.at);
      if (due.length !== N) throw new Error('lost some');
    },
    { iterations: 2, time: 0, warmupIterations: 0 },
  );
  bench(
    'omotenashi: nextDatedOccurrence, then the in-process scheduler',
    async () => {
      const clock = createManualClock(FROM);
      const scheduler = createInProcessScheduler({ clock });
      scheduler.start(async () => {});
      for (let i = 0; i < N; i++) {
        const occ = nextDatedOccurrence(plan, customers[i] as Customer, FROM) as { at: number };
        await scheduler.schedule({ key: `fu:${i}`, at: occ.at, type: 'followup.due', payload: { id: `fu:${i}` } });
      }
      await scheduler.stop();
    },
    { iterations: 2, time: 0, warmupIterations: 0 },
  );
});
