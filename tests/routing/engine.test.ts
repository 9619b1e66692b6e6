import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, compareQueued, decideRoute, defineRouting, drainQueue, parseSkills, type RoutingAgent, type RoutingTicket } from 'omotenashi';

const T0 = Date.UTC(2026, 3, 1, 9);
const agent = (id: string, over: Partial<RoutingAgent> = {}): RoutingAgent => ({
  id, active: true, teamIds: ['tm_front'], skills: new Map(), languages: [], channels: [], presence: 'online', working: true, load: { total: 0, channels: {} }, received: 0, ...over,
});
const ticket = (id: string, over: Partial<RoutingTicket> = {}): RoutingTicket => ({ id, priority: 'normal', channel: 'email', createdAt: T0, teamId: 'tm_front', facts: { ticket: { tags: [] }, customer: {} }, ...over });

describe('routing engine', () => {
  const routing = defineRouting({ capacity: { total: 5, channels: { chat: 2 } }, skills: [{ when: { fact: 'ticket.tags', op: 'contains', value: 'invoice' }, skill: 'billing', level: 3, optionalAfter: 'PT30M' }] });

  it('gives every candidate its reason, and picks the best eligible one', () => {
    const agents = [
      agent('agt_off', { presence: 'offline' }),
      agent('agt_away', { presence: 'away' }),
      agent('agt_night', { working: false }),
      agent('agt_other', { teamIds: ['tm_other'] }),
      agent('agt_phone', { channels: ['phone'] }),
      agent('agt_en', { languages: ['en'] }),
      agent('agt_full', { load: { total: 5, channels: {} } }),
      agent('agt_chat', { load: { total: 2, channels: { chat: 2 } } }),
      agent('agt_busy', { load: { total: 3, channels: {} } }),
      agent('agt_free', { languages: ['ja'], load: { total: 1, channels: {} } }),
    ];
    const d = decideRoute(routing, ticket('t1', { language: 'ja' }), agents, T0);
    expect(d).toMatchObject({ outcome: 'assigned', agentId: 'agt_free', strategy: 'least_loaded' });
    const why = Object.fromEntries(d.candidates.map((c) => [c.agentId, c.reason]));
    expect(why).toEqual({ agt_off: 'offline', agt_away: 'away', agt_night: 'not_working', agt_other: 'not_in_team', agt_phone: 'channel', agt_en: 'language', agt_full: 'capacity_total', agt_chat: 'lower_score', agt_busy: 'lower_score', agt_free: 'chosen' });
    const chat = decideRoute(routing, ticket('t2', { channel: 'chat', language: 'ja' }), agents, T0);
    expect(chat.candidates.find((c) => c.agentId === 'agt_chat')).toMatchObject({ reason: 'capacity_channel', detail: 'chat 2 of 2' });
  });

  it('needs skills at their level, and drops an optional skill after its wait', () => {
    const invoice = ticket('t1', { facts: { ticket: { tags: ['invoice'] }, customer: {} } });
    const agents = [agent('agt_a', { skills: parseSkills(['billing:2']) }), agent('agt_b', { skills: parseSkills(['billing:4']), load: { total: 4, channels: {} } })];
    expect(decideRoute(routing, invoice, agents, T0)).toMatchObject({ agentId: 'agt_b', skills: [{ skill: 'billing', level: 3, dropped: false }] });
    expect(decideRoute(routing, invoice, agents, T0).candidates.find((c) => c.agentId === 'agt_a')?.detail).toBe('lacks billing at level 3 (has 2)');
    expect(decideRoute(routing, invoice, agents, T0 + 31 * 60_000)).toMatchObject({ agentId: 'agt_a', skills: [{ dropped: true }] });
  });

  it('queues the ticket when nobody fits', () => {
    expect(decideRoute(routing, ticket('t1'), [agent('a', { presence: 'offline' })], T0)).toMatchObject({ outcome: 'queued', teamId: 'tm_front' });
  });

  it('refuses configurations that cannot work, naming the field', () => {
    expect(() => defineRouting({ capacity: { total: 0 } })).toThrow(ConfigError);
    expect(() => defineRouting({ capacity: { channels: { chat: 0 } } })).toThrow(/capacity/);
    expect(() => defineRouting({ skills: [{ when: { all: [] }, skill: 'x', level: 9 }] })).toThrow(/routing.skills\[0\].level/);
    expect(() => defineRouting({ skills: [{ when: { fact: 'ticket.nope', op: 'eq', value: 1 }, skill: 'x' }] })).toThrow(ConfigError);
    expect(() => defineRouting({ strategy: 'random' as never })).toThrow(ConfigError);
  });

  const arbAgent = fc.record({
    id: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'a6'),
    presence: fc.constantFrom('online', 'online', 'away', 'offline'),
    working: fc.boolean(),
    total: fc.nat(6),
    chat: fc.nat(3),
    received: fc.nat(5),
    billing: fc.nat(5),
    lang: fc.constantFrom([], ['en'], ['ja'], ['en', 'ja']),
    team: fc.constantFrom(['tm_front'], ['tm_other'], ['tm_front', 'tm_other']),
  });
  const toAgents = (xs: Array<{ id: string; presence: string; working: boolean; total: number; chat: number; received: number; billing: number; lang: ReadonlyArray<string>; team: ReadonlyArray<string> }>): RoutingAgent[] => {
    const seen = new Set<string>();
    return xs.filter((x) => !seen.has(x.id) && seen.add(x.id)).map((x) => agent(x.id, { presence: x.presence as RoutingAgent['presence'], working: x.working, load: { total: Math.max(x.total, x.chat), channels: { chat: x.chat } }, received: x.received, skills: new Map(x.billing > 0 ? [['billing', x.billing]] : []), languages: x.lang, teamIds: x.team }));
  };
  const arbTicket = fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), priority: fc.constantFrom('low', 'normal', 'high', 'urgent'), channel: fc.constantFrom('chat', 'email'), createdAt: fc.integer({ min: T0, max: T0 + 1e7 }), breach: fc.option(fc.integer({ min: T0, max: T0 + 1e7 }), { nil: undefined }), invoice: fc.boolean(), lang: fc.constantFrom(undefined, 'en', 'ja') });
  const toTicket = (x: { id: string; priority: string; channel: string; createdAt: number; breach: number | undefined; invoice: boolean; lang: string | undefined }): RoutingTicket =>
    ticket(x.id, { priority: x.priority as RoutingTicket['priority'], channel: x.channel as RoutingTicket['channel'], createdAt: x.createdAt, nextBreachAt: x.breach, language: x.lang, facts: { ticket: { tags: x.invoice ? ['invoice'] : [] }, customer: {} } });

  it('property: never picks an agent who is unavailable, elsewhere, unskilled or full', () => {
    fc.assert(
      fc.property(fc.array(arbAgent, { minLength: 1, maxLength: 8 }), arbTicket, (xs, tx) => {
        const agents = toAgents(xs);
        const t = toTicket(tx);
        const d = decideRoute(routing, t, agents, T0);
        if (d.agentId === undefined) return;
        const a = agents.find((x) => x.id === d.agentId) as RoutingAgent;
        expect(a.presence).toBe('online');
        expect(a.working).toBe(true);
        expect(a.teamIds).toContain('tm_front');
        expect(a.load.total).toBeLessThan(5);
        if (t.channel === 'chat') expect(a.load.channels.chat ?? 0).toBeLessThan(2);
        if (t.language !== undefined && a.languages.length > 0) expect(a.languages).toContain(t.language);
        if ((t.facts as { ticket: { tags: string[] } }).ticket.tags.includes('invoice')) expect(a.skills.get('billing') ?? 0).toBeGreaterThanOrEqual(3);
        expect(d.candidates).toHaveLength(agents.length);
      }),
      { numRuns: 500 },
    );
  });

  it('property: round robin gives every eligible agent a share within one of each other, over any sequence', () => {
    const rr = defineRouting({ strategy: 'round_robin', capacity: { total: 10_000 }, intakeLimit: 10_000 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.array(fc.constantFrom('email', 'chat'), { minLength: 1, maxLength: 60 }), (n, channels) => {
        let agents = Array.from({ length: n }, (_, i) => agent(`a${i}`));
        for (const [i, channel] of channels.entries()) {
          const d = decideRoute(rr, ticket(`t${i}`, { channel: channel as 'email' }), agents, T0 + i);
          agents = agents.map((a) => (a.id === d.agentId ? { ...a, received: a.received + 1, lastReceivedAt: T0 + i, load: { total: a.load.total + 1, channels: {} } } : a));
        }
        const shares = agents.map((a) => a.received);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the queue order is a total order', () => {
    fc.assert(
      fc.property(arbTicket, arbTicket, arbTicket, (x, y, z) => {
        const [a, b, c] = [toTicket(x), toTicket(y), toTicket(z)];
        expect(Math.sign(compareQueued(a, b))).toBe(-Math.sign(compareQueued(b, a)));
        if (compareQueued(a, b) <= 0 && compareQueued(b, c) <= 0) expect(compareQueued(a, c)).toBeLessThanOrEqual(0);
        if (compareQueued(a, b) === 0) expect(a.id).toBe(b.id);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a drain decides as a one-by-one scan of everyone would, only faster', () => {
    fc.assert(
      fc.property(fc.array(arbAgent, { minLength: 1, maxLength: 8 }), fc.array(arbTicket, { minLength: 1, maxLength: 20 }), fc.constantFrom('least_loaded', 'round_robin', 'longest_idle'), (xs, txs, strategy) => {
        const config = defineRouting({ strategy: strategy as 'least_loaded', capacity: { total: 5, channels: { chat: 2 } }, intakeLimit: 3, skills: [{ when: { fact: 'ticket.tags', op: 'contains', value: 'invoice' }, skill: 'billing', level: 3 }] });
        const seen = new Set<string>();
        const tickets = txs.filter((t) => !seen.has(t.id) && seen.add(t.id)).map(toTicket);
        const fast = drainQueue(config, tickets, toAgents(xs), T0);
        // The reference: every ticket in queue order against every agent, updating as it goes.
        let agents = toAgents(xs);
        const taken = new Map<string, number>();
        const slow = [...tickets].sort(compareQueued).map((t) => {
          const d = decideRoute(config, t, agents, T0, taken);
          if (d.agentId !== undefined) {
            taken.set(d.agentId, (taken.get(d.agentId) ?? 0) + 1);
            agents = agents.map((a) => (a.id === d.agentId ? { ...a, received: a.received + 1, lastReceivedAt: T0, load: { total: a.load.total + 1, channels: { ...a.load.channels, [t.channel]: (a.load.channels[t.channel] ?? 0) + 1 } } } : a));
          }
          return [d.ticketId, d.agentId ?? null];
        });
        expect(fast.decisions.map((d) => [d.ticketId, d.agentId ?? null])).toEqual(slow);
      }),
      { numRuns: 400 },
    );
  });

  it('caps what one agent takes in one drain, so the first online does not get the whole backlog', () => {
    const config = defineRouting({ capacity: { total: 100 }, intakeLimit: 2 });
    const { decisions } = drainQueue(config, Array.from({ length: 5 }, (_, i) => ticket(`t${i}`, { createdAt: T0 + i })), [agent('first')], T0);
    expect(decisions.map((d) => d.outcome)).toEqual(['assigned', 'assigned', 'queued', 'queued', 'queued']);
    expect(decideRoute(config, ticket('t2'), [agent('first')], T0, new Map([['first', 2]])).candidates[0]).toMatchObject({ reason: 'intake_limit' });
  });
});

describe('routing configuration against what is known', () => {
  it('refuses unknown teams and skills when told which exist', () => {
    expect(() => defineRouting({ teams: { tm_x: { strategy: 'round_robin' } } }, { teams: ['tm_front'] })).toThrow(/routing.teams.tm_x/);
    expect(() => defineRouting({ skills: [{ when: { all: [] }, skill: 'billing' }] }, { skills: ['network'] })).toThrow(/routing.skills\[0\].skill/);
    expect(defineRouting({ teams: { tm_front: {} }, skills: [{ when: { all: [] }, skill: 'network' }] }, { teams: ['tm_front'], skills: ['network'] }).skills).toHaveLength(1);
    // A level no agent has: those tickets could never be routed, unless the skill is optional.
    expect(() => defineRouting({ skills: [{ when: { all: [] }, skill: 'billing', level: 4 }] }, { skills: ['billing:2', 'billing:3'] })).toThrow(/never be routed/);
    expect(defineRouting({ skills: [{ when: { all: [] }, skill: 'billing', level: 4, optionalAfter: 'PT1H' }] }, { skills: ['billing:3'] }).skills).toHaveLength(1);
  });
});
