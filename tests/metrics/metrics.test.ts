import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineRouting, addToSketch, attachMetrics, createBusinessCalendar, createMetrics, emptySketch, mergeSketches, recomputeMetrics, sketchQuantile, type MetricsAggregator, type Survey, type TicketState } from 'omotenashi';
import { runDay } from '../../examples/day-at-the-desk/main.js';

const H = 3_600_000;
const T0 = Date.parse('2026-04-01T09:00:00+09:00');
const base = (id: string, over: Partial<TicketState> = {}): TicketState => ({
  id,
  version: 1,
  at: T0,
  status: 'new',
  priority: 'normal',
  type: 'support',
  channel: 'email',
  requesterKind: 'external',
  requesterId: 'cus_1',
  teamId: 'team_front',
  createdAt: T0,
  escalationLevel: 0,
  counters: { holds: 0, transfers: 0, reopens: 0, contacts: 1 },
  sla: {},
  ...over,
});
/** The next version of a state. */
const then = (s: TicketState, hours: number, over: Partial<TicketState>): TicketState => ({ ...s, version: s.version + 1, at: T0 + hours * H, ...over, counters: { ...s.counters, ...over.counters } });

describe('metrics on a hand-computed fixture', () => {
  // Tokyo office hours 09:00-18:00 on weekdays: 2026-04-01 is a Wednesday.
  const calendar = createBusinessCalendar({ timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] } });
  const m = createMetrics({ calendar });
  // A: first reply after 1 h, customer writes at 3 h, reply at 5 h (next response 2 h), resolved at 6 h, closed at 30 h: first-contact? no (2 contacts).
  let a = base('A', { assigneeId: 'agt_aiko', sla: { 'primary.first_response': 'std:active#1' } });
  m.observe(a);
  m.observe((a = then(a, 1, { status: 'open', firstAgentReplyAt: T0 + H, lastAgentReplyAt: T0 + H, sla: { 'primary.first_response': 'std:fulfilled#1' } })));
  m.observe((a = then(a, 3, { status: 'open', lastCustomerMessageAt: T0 + 3 * H, counters: { ...a.counters, contacts: 2 } })));
  m.observe((a = then(a, 5, { lastAgentReplyAt: T0 + 5 * H })));
  m.observe((a = then(a, 6, { status: 'resolved' })));
  m.observe((a = then(a, 30, { status: 'closed' })));
  // B: one contact, replied after 3 h (SLA breached at 2 h, met late at 3 h), resolved at 4 h, closed: first-contact resolution.
  let b = base('B', { assigneeId: 'agt_aiko', priority: 'high', sla: { 'primary.first_response': 'std:active#1' } });
  m.observe(b);
  m.observe((b = then(b, 2, { sla: { 'primary.first_response': 'std:breached#1' } })));
  m.observe((b = then(b, 3, { status: 'open', firstAgentReplyAt: T0 + 3 * H, lastAgentReplyAt: T0 + 3 * H, sla: { 'primary.first_response': 'std:fulfilled#1' } })));
  m.observe((b = then(b, 4, { status: 'resolved' })));
  m.observe((b = then(b, 5, { status: 'closed' })));
  // C: held and transferred, escalated, reopened once, resolved at 9 h (business: 09:00-18:00 = 9 h), still resolved.
  let c = base('C', { channel: 'phone', assigneeId: 'agt_ben', teamId: 'team_billing' });
  m.observe(c);
  m.observe((c = then(c, 0.5, { status: 'on_hold', counters: { ...c.counters, holds: 1 }, firstAgentReplyAt: T0 + 0.5 * H, lastAgentReplyAt: T0 + 0.5 * H })));
  m.observe((c = then(c, 1, { status: 'open', counters: { ...c.counters, transfers: 1 }, escalationLevel: 1, teamId: 'team_billing' })));
  m.observe((c = then(c, 2, { status: 'resolved' })));
  m.observe((c = then(c, 3, { status: 'open', counters: { ...c.counters, reopens: 1 } })));
  m.observe((c = then(c, 9, { status: 'resolved' })));
  // D: opened, never answered (backlog).
  m.observe(base('D', { at: T0 + 8 * H, createdAt: T0 + 8 * H, assigneeId: 'agt_aiko' }));
  // Surveys.
  const survey = (id: string, ticketId: string, csat: number, nps: number, assigneeId: string): Survey =>
    ({ id, version: 2, ticketId, customerId: 'cus_1', questions: ['csat', 'nps'], status: 'answered', answer: { csat, nps }, answeredAt: new Date(T0 + 7 * H), assigneeId, teamId: 'team_front', sentAt: new Date(T0), createdAt: new Date(T0), updatedAt: new Date(T0) }) as unknown as Survey;
  m.observeSurvey(survey('s1', 'A', 5, 10, 'agt_aiko'), a);
  m.observeSurvey(survey('s2', 'B', 2, 3, 'agt_aiko'), b);
  m.observeSurvey(survey('s3', 'C', 4, 8, 'agt_ben'), c);

  it('computes the KPIs as worked out by hand', () => {
    const [all] = m.report();
    expect(all).toMatchObject({ opened: 4, resolved: 4, closed: 2, reopened: 1, escalated: 1, reopenRate: 0.25, escalationRate: 0.25, holdsPerTicket: 0.25, transfersPerTicket: 0.25, contactsPerTicket: 1.25, firstContactResolutionRate: 0.5 });
    expect(all?.firstResponse).toMatchObject({ count: 3, mean: Math.round(((1 + 3 + 0.5) / 3) * H) });
    expect(Math.abs((all?.firstResponse.median ?? 0) - H)).toBeLessThanOrEqual(0.01 * H); // the sketch keeps quantiles within 1%
    expect(all?.firstResponse.p90).toBeGreaterThanOrEqual(2.97 * H);
    expect(all?.nextResponse).toMatchObject({ count: 1, mean: 2 * H, median: 2 * H }); // one value: clamped to the exact min and max
    expect(all?.resolution).toMatchObject({ count: 4, mean: ((6 + 4 + 2 + 9) / 4) * H });
    expect(all?.resolution.business.mean).toBe(((6 + 4 + 2 + 9) / 4) * H);
    expect(all?.sla).toEqual([{ policyId: 'std', metric: 'first_response', met: 1, late: 1, breaches: 1, attainment: 0.5 }]);
    expect(all?.csat).toEqual({ count: 3, average: 3.6667, satisfiedRate: 0.6667 });
    expect(all?.nps).toEqual({ count: 3, score: 0, promoters: 1, passives: 1, detractors: 1 });
  });

  it('groups by agent, team, channel and priority', () => {
    const byAgent = m.report({ groupBy: ['agent'] });
    expect(byAgent.map((r) => [r.key.agent, r.opened, r.csat.count])).toEqual([
      ['agt_aiko', 3, 2],
      ['agt_ben', 1, 1],
    ]);
    expect(m.report({ groupBy: ['channel'] }).map((r) => [r.key.channel, r.opened])).toEqual([
      ['email', 3],
      ['phone', 1],
    ]);
    expect(m.report({ groupBy: ['priority'] }).find((r) => r.key.priority === 'high')?.sla).toEqual([{ policyId: 'std', metric: 'first_response', met: 0, late: 1, breaches: 1, attainment: 0 }]);
    expect(m.report({ period: 'day' }).map((r) => r.key.period)).toEqual(['2026-04-01', '2026-04-02']);
  });

  it('counts the backlog and its age, and the customer signals', () => {
    expect(m.backlog(T0 + 10 * H)).toEqual([{ key: {}, open: 1, age: { count: 1, mean: 2 * H, median: 2 * H, p90: 2 * H } }]);
    expect(m.customer('cus_1')).toMatchObject({ tickets: 4, complaints: 0, contacts: 5, csat: [2, 4, 5], csatTrend: 2.5 });
  });
});

describe('sketches', () => {
  it('quantiles stay within 1% and merging equals adding everything to one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 300 }), fc.nat(300), (values, cut) => {
        const whole = emptySketch();
        for (const v of values) addToSketch(whole, v);
        const left = emptySketch();
        const right = emptySketch();
        values.forEach((v, i) => addToSketch(i < cut ? left : right, v));
        expect(mergeSketches(left, right)).toEqual(whole);
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.ceil(0.5 * sorted.length) - 1] as number;
        expect(Math.abs(sketchQuantile(whole, 0.5) - exact)).toBeLessThanOrEqual(exact * 0.0101 + 1);
      }),
    );
  });
});

describe('incremental equals recomputed', () => {
  it('a whole demo day: live from events, rebuilt from storage, and merged from two workers give the same numbers', async () => {
    const live = createMetrics({ timeZone: 'Asia/Tokyo' });
    const workers: MetricsAggregator[] = [createMetrics({ timeZone: 'Asia/Tokyo' }), createMetrics({ timeZone: 'Asia/Tokyo' })];
    const { storage } = await runDay(() => undefined, {
      onDesk: (desk) => {
        attachMetrics(desk, live);
        // Two workers, each taking the events of half the tickets.
        for (const [i, w] of workers.entries()) {
          attachMetrics({ on: (name, listener) => desk.on(name, (p) => { const t = (p as { ticket?: { id: string } }).ticket; if (t === undefined || Number(t.id.slice(-1)) % 2 === i) listener(p); }) }, w);
        }
      },
    });
    const rebuilt = await recomputeMetrics(storage, { timeZone: 'Asia/Tokyo' });
    const merged = createMetrics({ timeZone: 'Asia/Tokyo' });
    for (const w of workers) merged.merge(w.partial());
    const [day] = live.report();
    expect(day?.opened).toBeGreaterThan(5);
    expect(day?.resolved).toBeGreaterThan(3);
    expect(day?.sla.length).toBeGreaterThan(0);
    expect(day?.csat.count).toBeGreaterThan(0);
    for (const query of [{}, { groupBy: ['team', 'channel'] as const, period: 'day' as const }, { groupBy: ['agent', 'customerKind', 'type', 'priority'] as const }]) {
      expect(rebuilt.report(query)).toEqual(live.report(query));
      expect(merged.report(query)).toEqual(live.report(query));
    }
    const now = Date.parse('2026-04-10T00:00:00Z');
    expect(rebuilt.backlog(now, ['team'])).toEqual(live.backlog(now, ['team']));
    expect(rebuilt.partial().customers).toEqual(live.partial().customers);
  });
});

describe('routing metrics', () => {
  it('time to assignment and reassignments, live and recomputed alike', async () => {
    const { createManualClock, createMemoryStorage, createServiceDesk } = await import('omotenashi');
    const clock = createManualClock('2026-04-01T01:00:00Z');
    const storage = createMemoryStorage();
    const desk = createServiceDesk({ storage, clock, routing: defineRouting({}) });
    const live = createMetrics({ timeZone: 'UTC' });
    attachMetrics(desk, live);
    const team = await desk.registerTeam({ name: 'Front' });
    const a = await desk.registerAgent({ name: 'A', teamIds: [team.id] });
    const b = await desk.registerAgent({ name: 'B', teamIds: [team.id] });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'c' });
    await desk.setAgentStatus(a.id, 'offline');
    await desk.setAgentStatus(b.id, 'offline');
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email', teamId: team.id });
    await clock.advance('PT10M');
    await desk.setAgentStatus(a.id, 'online');
    await clock.advance('PT1S');
    expect((await desk.getTicket(ticket.id)).assigneeId).toBe(a.id);
    await desk.assign(ticket.id, { agentId: b.id });
    const [row] = live.report();
    expect(row?.timeToAssignment.count).toBe(1);
    expect(row?.timeToAssignment.median).toBeGreaterThanOrEqual(600_000);
    expect(row?.reassignments).toBe(1);
    const rebuilt = await recomputeMetrics(storage, { timeZone: 'UTC' });
    expect(rebuilt.report()).toEqual(live.report());
  });
});
