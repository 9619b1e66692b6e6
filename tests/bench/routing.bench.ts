import { bench, describe } from 'vitest';
import { compareQueued, decideRoute, defineRouting, drainQueue, type RoutingAgent, type RoutingTicket } from 'omotenashi';

// Draining a queue of 10,000 tickets over 500 agents in 10 teams (languages, channels, skills,
// capacity 30 each, so most tickets find an agent). Baseline: the naive way, every ticket scored
// against every agent, one after the other, updating loads as it goes.
const T0 = Date.UTC(2026, 3, 1, 9);
const routing = defineRouting({ capacity: { total: 30, channels: { chat: 4, phone: 1 } }, intakeLimit: 30, skills: [{ when: { fact: 'ticket.tags', op: 'contains', value: 'invoice' }, skill: 'billing', level: 2 }] });
const agents: RoutingAgent[] = Array.from({ length: 500 }, (_, i) => ({
  id: `agt_${String(i).padStart(3, '0')}`,
  active: true,
  teamIds: [`tm_${i % 10}`],
  skills: new Map(i % 3 === 0 ? [['billing', 1 + (i % 4)]] : []),
  languages: i % 2 === 0 ? ['ja', 'en'] : ['en'],
  channels: [],
  presence: i % 17 === 0 ? 'away' : 'online',
  working: i % 23 !== 0,
  load: { total: i % 7, channels: {} },
  received: i % 11,
}));
const tickets: RoutingTicket[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: `tkt_${i}`,
  priority: (['low', 'normal', 'normal', 'high', 'urgent'] as const)[i % 5] as RoutingTicket['priority'],
  channel: (['email', 'email', 'chat', 'phone', 'web_form'] as const)[i % 5] as RoutingTicket['channel'],
  createdAt: T0 - i * 1000,
  teamId: `tm_${i % 10}`,
  language: i % 3 === 0 ? 'ja' : 'en',
  facts: { ticket: { tags: i % 9 === 0 ? ['invoice'] : [] }, customer: {} },
}));

function naive(): number {
  let live = agents.map((a) => ({ ...a, load: { total: a.load.total, channels: { ...a.load.channels } } }));
  const taken = new Map<string, number>();
  let assigned = 0;
  for (const t of [...tickets].sort(compareQueued)) {
    const d = decideRoute(routing, t, live, T0, taken);
    if (d.agentId === undefined) continue;
    assigned++;
    taken.set(d.agentId, (taken.get(d.agentId) ?? 0) + 1);
    live = live.map((a) => (a.id === d.agentId ? { ...a, received: a.received + 1, lastReceivedAt: T0, load: { total: a.load.total + 1, channels: { ...a.load.channels, [t.channel]: (a.load.channels[t.channel] ?? 0) + 1 } } } : a));
  }
  return assigned;
}

describe('route 10,000 queued tickets over 500 agents', () => {
  bench('baseline: score every agent for every ticket', () => {
    if (naive() === 0) throw new Error('nothing assigned');
  }, { iterations: 3, warmupIterations: 1, time: 0 });
  bench('omotenashi: drainQueue (sorted agents per team, first who fits)', () => {
    if (drainQueue(routing, tickets, agents, T0).decisions.length !== tickets.length) throw new Error('lost a ticket');
  }, { iterations: 10 });
});
