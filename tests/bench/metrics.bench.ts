import { bench, describe } from 'vitest';
import { createMetrics, type TicketState } from 'omotenashi';
import { lcg } from './support/rules-workload.js';

// 1,000,000 ticket versions (200,000 tickets, five versions each: opened, first reply, customer
// message, reply, resolved) across 20 agents, 5 teams, 4 channels and 30 days.
// Baseline: the usual batch approach to the same duration KPIs (first response, next response and
// resolution: count, mean, median and p90 per day and group), collecting every duration and
// sorting at the end: exact, but neither incremental nor mergeable between workers.
const r = lcg(11);
const H = 3_600_000;
const T0 = Date.parse('2026-04-01T00:00:00Z');
const CHANNELS = ['email', 'phone', 'chat', 'web_form'];
const events: TicketState[] = [];
/** A version with every field present, as `stateOf` builds them from the desk's tickets. */
const version = (base: TicketState, v: number, at: number, status: string, first: number | undefined, reply: number | undefined, msg: number | undefined, contacts: number): TicketState => ({
  ...base,
  version: v,
  at,
  status,
  firstAgentReplyAt: first,
  lastAgentReplyAt: reply,
  lastCustomerMessageAt: msg,
  counters: { holds: 0, transfers: 0, reopens: 0, contacts },
});
for (let i = 0; i < 200_000; i++) {
  const created = T0 + Math.floor(r() * 30 * 24 * H);
  const s: TicketState = {
    id: `t${i}`, version: 1, at: created, status: 'new', priority: r() < 0.2 ? 'high' : 'normal', type: 'support', channel: CHANNELS[i % 4] as string,
    requesterKind: r() < 0.1 ? 'internal' : 'external', requesterId: `c${i % 50_000}`, assigneeId: `a${i % 20}`, teamId: `team${i % 5}`, createdAt: created,
    firstAgentReplyAt: undefined, lastCustomerMessageAt: undefined, lastAgentReplyAt: undefined, escalationLevel: 0,
    counters: { holds: 0, transfers: 0, reopens: 0, contacts: 1 }, sla: {},
  };
  const first = created + Math.floor(r() * 4 * H);
  const msg = first + Math.floor(r() * 8 * H);
  const reply = msg + Math.floor(r() * 6 * H);
  const done = reply + Math.floor(r() * 24 * H);
  events.push(s, version(s, 2, first, 'open', first, first, undefined, 1), version(s, 3, msg, 'open', first, first, msg, 2), version(s, 4, reply, 'open', first, reply, msg, 2), version(s, 5, done, 'resolved', first, reply, msg, 2));
}

type Durations = { first: number[]; next: number[]; resolution: number[] };
const summary = (xs: number[]): [number, number, number, number] => {
  xs.sort((a, b) => a - b);
  return [xs.length, xs.reduce((p, q) => p + q, 0) / Math.max(1, xs.length), xs[Math.ceil(xs.length * 0.5) - 1] ?? 0, xs[Math.ceil(xs.length * 0.9) - 1] ?? 0];
};
function baseline(): number {
  const groups = new Map<string, Durations>();
  const seen = new Map<string, { state: TicketState; awaiting: number | undefined }>();
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  const days = new Map<number, string>();
  for (const e of events) {
    const q = Math.floor(e.at / 900_000);
    let d = days.get(q);
    if (d === undefined) days.set(q, (d = day.format(e.at)));
    const key = `${d}|${e.assigneeId}|${e.teamId}|${e.channel}|${e.requesterKind}|${e.type}|${e.priority}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { first: [], next: [], resolution: [] }));
    const t = seen.get(e.id) ?? { state: e, awaiting: undefined };
    const prev = seen.has(e.id) ? t.state : undefined;
    if (prev?.firstAgentReplyAt === undefined && e.firstAgentReplyAt !== undefined) g.first.push(e.firstAgentReplyAt - e.createdAt);
    if (e.lastAgentReplyAt !== undefined && e.lastAgentReplyAt !== prev?.lastAgentReplyAt && t.awaiting !== undefined) {
      g.next.push(e.lastAgentReplyAt - t.awaiting);
      t.awaiting = undefined;
    }
    if (e.lastCustomerMessageAt !== undefined && e.lastCustomerMessageAt !== prev?.lastCustomerMessageAt && e.firstAgentReplyAt !== undefined) t.awaiting = e.lastCustomerMessageAt;
    if (e.status === 'resolved' && prev?.status !== 'resolved') g.resolution.push(e.at - e.createdAt);
    t.state = e;
    seen.set(e.id, t);
  }
  let total = 0;
  for (const g of groups.values()) total += summary(g.first)[0] + summary(g.next)[0] + summary(g.resolution)[0];
  return total;
}

describe('metrics over 1,000,000 ticket versions', () => {
  bench('baseline: collect every duration, sort at the end', () => {
    if (baseline() === 0) throw new Error('nothing measured');
  }, { iterations: 3, warmupIterations: 1 });
  bench('omotenashi: incremental aggregates (constant work per event), then the report', () => {
    const m = createMetrics();
    for (const e of events) m.observe(e);
    const [row] = m.report();
    if ((row?.resolution.count ?? 0) === 0) throw new Error('nothing measured');
  }, { iterations: 3, warmupIterations: 1 });
});
