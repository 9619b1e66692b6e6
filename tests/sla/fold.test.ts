import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineSlaConfig, evaluateSla, type SlaHistory, type SlaHistoryEvent, type SlaMetricStatus } from 'omotenashi';
import { makeCustomer, makeTicket } from 'omotenashi/testing';
import { FoldMismatch, foldSla, foldedEvaluation, type FoldContext } from '../../src/sla/fold.js';
import { withTeamCalendars } from '../../src/sla/calendars.js';
import type { SlaFoldState } from '../../src/domain/sla-fold.js';

const weekday: Array<[string, string]> = [['09:00', '17:30']];
/** Policies that switch with priority, a concurrent policy, every metric and change mode, business hours across a DST change. */
const config = defineSlaConfig({
  calendars: {
    office: { timeZone: 'America/New_York', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: [['09:00', '13:00']] }, holidays: [{ date: '2026-03-10', name: 'Founders day' }] },
    manila: { timeZone: 'Asia/Manila', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [['09:00', '12:00']] } },
  },
  policies: [
    {
      // Chosen by a tag: tags come from the timeline like status and priority, so adding one mid-flight follows `onChange`.
      id: 'vip',
      name: 'Tagged VIP',
      position: 0,
      match: { all: [{ fact: 'ticket.tags', op: 'contains', value: 'vip' }, { fact: 'ticket.priority', op: 'in', value: ['normal', 'low'] }] },
      metrics: {
        first_response: { targets: { low: 'PT2H', normal: 'PT1H' }, onChange: 'restart' },
        resolution: { targets: { low: 'P1D', normal: 'PT12H' }, calendar: 'office', onChange: 'keep', pauseWhile: ['pending_customer'] },
      },
    },
    {
      // Chosen by the customer's tier, which changes outside the ticket: an `account` event, following `onChange` too.
      id: 'gold',
      name: 'Gold customers',
      position: 1,
      match: { all: [{ fact: 'customer.tier', op: 'eq', value: 'gold' }, { fact: 'ticket.priority', op: 'in', value: ['normal', 'low'] }] },
      metrics: {
        first_response: { targets: { low: 'PT1H', normal: 'PT30M' }, onChange: 'keep' },
        resolution: { targets: { low: 'PT12H', normal: 'PT6H' }, calendar: 'office', onChange: 'restart' },
      },
    },
    {
      id: 'hot',
      name: 'Urgent work, around the clock',
      match: { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] },
      metrics: {
        first_response: { targets: { high: 'PT1H', urgent: 'PT30M' }, warnings: [{ percent: 50 }], onChange: 'keep' },
        next_response: { targets: { high: 'PT2H', urgent: 'PT1H' }, onChange: 'restart', fulfilledBy: { authors: ['agent', 'bot'], visibility: 'public' } },
        resolution: { targets: { high: 'PT8H', urgent: 'PT4H' }, pauseWhile: ['pending_customer', 'on_hold'], warnings: [{ before: 'PT1H' }] },
        periodic_update: { targets: { high: 'PT3H', urgent: 'PT2H' } },
      },
    },
    {
      id: 'std',
      name: 'Standard, office hours',
      metrics: {
        first_response: { targets: { low: 'P1D', normal: 'PT4H' }, calendar: 'office', warnings: [{ percent: 75 }] },
        next_response: { targets: { low: 'PT8H', normal: 'PT6H' }, calendar: 'office' },
        resolution: { targets: { low: 'P5D', normal: 'P2D', high: 'P1D' }, calendar: 'office', pauseWhile: ['pending_customer'], onChange: 'retroactive' },
      },
    },
    {
      id: 'complaints',
      name: 'Complaints are answered within a day',
      concurrent: true,
      match: { fact: 'ticket.type', op: 'eq', value: 'complaint' },
      metrics: { first_response: { targets: { low: 'P1D', normal: 'P1D', high: 'P1D', urgent: 'P1D' }, onChange: 'restart' } },
    },
    {
      // A team's OLA: from when the second line takes the ticket, while it has it.
      id: 'second-line-ola',
      name: 'The second line resolves within a day',
      concurrent: true,
      match: { fact: 'ticket.teamId', op: 'eq', value: 'team_2nd' },
      metrics: { resolution: { targets: { low: 'P1D', normal: 'P1D', high: 'PT8H', urgent: 'PT4H' }, calendar: 'office', warnings: [{ percent: 50 }] }, first_response: { targets: { normal: 'PT2H', urgent: 'PT30M' } } },
    },
    {
      // An OLA that applies from a moment on (here: while the ticket is urgent), counting only then.
      id: 'urgent-ola',
      name: 'Urgent work handed to the second line',
      concurrent: true,
      match: { fact: 'ticket.priority', op: 'eq', value: 'urgent' },
      metrics: {
        resolution: { targets: { urgent: 'PT2H', high: 'PT3H' }, calendar: 'office', pauseWhile: ['on_hold'] },
        next_response: { targets: { urgent: 'PT1H' }, onChange: 'restart' },
        periodic_update: { targets: { urgent: 'PT90M' }, onChange: 'retroactive' },
      },
    },
  ],
});

// The second line works Manila hours: while it has the ticket, clocks that take the team's calendar count on them.
const teamed = withTeamCalendars(config, new Map([['team_2nd', 'manila']]));

const T0 = Date.parse('2026-03-06T15:00:00Z'); // a Friday, two days before New York's clocks go forward
const STATUSES = ['open', 'pending_customer', 'on_hold', 'resolved', 'closed', 'open'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

const eventArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...STATUSES).map((to) => ({ kind: 'status' as const, to })) },
  { weight: 1, arbitrary: fc.constantFrom(...PRIORITIES).map((to) => ({ kind: 'priority' as const, to })) },
  { weight: 1, arbitrary: fc.constantFrom('team_1st', 'team_2nd', null).map((to) => ({ kind: 'team' as const, to })) },
  { weight: 1, arbitrary: fc.constantFrom([], ['vip'], ['vip', 'billing'], ['billing']).map((to) => ({ kind: 'tags' as const, to })) },
  { weight: 1, arbitrary: fc.constantFrom('gold', 'silver', null).map((tier) => ({ kind: 'tier' as const, tier })) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      { kind: 'message' as const, author: 'customer' as const, visibility: 'public' as const, direction: 'inbound' as const },
      { kind: 'message' as const, author: 'agent' as const, visibility: 'public' as const, direction: 'outbound' as const },
      { kind: 'message' as const, author: 'agent' as const, visibility: 'internal' as const, direction: 'internal' as const },
      { kind: 'message' as const, author: 'bot' as const, visibility: 'public' as const, direction: 'outbound' as const },
    ),
  },
);
// Gaps of nothing (same instant), minutes, hours and days: same-instant batches, business hours, nights, the DST weekend.
const gapArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90 * 60_000 }), fc.integer({ min: 1, max: 3 * 86_400_000 }));

const historyArb = fc.record({
  type: fc.constantFrom('support' as const, 'complaint' as const),
  priority: fc.constantFrom(...PRIORITIES),
  tier: fc.constantFrom('gold', 'silver', null),
  teams: fc.boolean(),
  steps: fc.array(fc.tuple(gapArb, eventArb), { maxLength: 40 }),
  tail: gapArb,
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
});

type Drawn = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

function build(h: Drawn): { history: SlaHistory; ctx: FoldContext; ticketNow: ReturnType<typeof makeTicket>; now: Date } {
  let at = T0;
  const events: SlaHistoryEvent[] = [];
  let status: string = 'new';
  let priority: string = h.priority;
  let team: string | null = null;
  let tags: ReadonlyArray<string> = [];
  let tier = h.tier;
  const account = (t: string | null) => ({ 'ticket.type': h.type, 'customer.tier': t });
  for (const [gap, e] of h.steps) {
    at += gap;
    if (e.kind === 'tier') {
      if (e.tier === tier) continue;
      tier = e.tier;
      events.push({ at, kind: 'account', values: account(tier) });
      continue;
    }
    if (e.kind === 'status') {
      if (e.to === status) continue;
      status = e.to;
    }
    if (e.kind === 'priority') {
      if (e.to === priority) continue;
      priority = e.to;
    }
    if (e.kind === 'team') {
      if (e.to === team) continue;
      team = e.to;
    }
    if (e.kind === 'tags') {
      if (JSON.stringify(e.to) === JSON.stringify(tags)) continue;
      tags = e.to;
    }
    events.push({ at, ...e } as SlaHistoryEvent);
  }
  // Status and priority changes come before messages at the same instant, as slaHistory sorts them.
  events.sort((a, b) => a.at - b.at || (a.kind === 'message' ? 1 : 0) - (b.kind === 'message' ? 1 : 0));
  const ticketNow = makeTicket({ id: 'tkt_p', type: h.type, priority: priority as never, status: status as never, createdAt: new Date(T0), tags: [...tags], ...(team === null ? {} : { teamId: team as never }) });
  const customer = makeCustomer({ id: 'cus_p', ...(tier === null ? {} : { tier }) });
  const history: SlaHistory = { createdAt: T0, status: 'new', priority: h.priority, teamId: null, tags: [], account: account(h.tier), events };
  const now = new Date(at + h.tail);
  return { history, ctx: { config: h.teams ? teamed : config, facts: { ticket: { ...ticketNow }, customer } }, ticketNow, now };
}

const strip = (metrics: ReadonlyArray<SlaMetricStatus>) => metrics.map(({ ledger: _ledger, ...m }) => m);

describe('SLA fold: folding event by event equals replaying the whole history', () => {
  it('on random histories with pauses, priority, team, tag and tier changes, reopen, same-instant events and DST', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const { history, ctx, ticketNow, now } = build(h);
        const replay = evaluateSla({ ticket: ticketNow, customer: ctx.facts.customer as never, history, config: ctx.config, now, explain: false });
        const once = foldSla(null, history, history.events, ctx);
        expect(strip(foldedEvaluation(once, ctx, now).metrics)).toEqual(strip(replay.metrics));
        expect(foldedEvaluation(once, ctx, now).nextCheckAt).toEqual(replay.nextCheckAt);
        // Command by command, the state stored (as JSON) between them.
        const cuts = [...new Set(h.cuts.map((c) => c % (history.events.length + 1)))].sort((a, b) => a - b);
        let state: SlaFoldState | null = null;
        let from = 0;
        for (const cut of [...cuts, history.events.length]) {
          try {
            state = foldSla(state, history, history.events.slice(from, cut), ctx);
          } catch (error) {
            // What the desk does: replay everything so far and fold afresh.
            if (!(error instanceof FoldMismatch)) throw error;
            state = foldSla(null, history, history.events.slice(0, cut), ctx);
          }
          state = JSON.parse(JSON.stringify(state)) as SlaFoldState;
          from = cut;
        }
        expect(strip(foldedEvaluation(state as SlaFoldState, ctx, now).metrics)).toEqual(strip(replay.metrics));
      }),
      { numRuns: Number(process.env['FOLD_RUNS'] ?? 400) },
    );
  }, 120_000);

  it('refuses a state folded under other facts, another configuration, or an event older than it', () => {
    const { history, ctx } = build({ type: 'support', priority: 'normal', tier: null, teams: false, steps: [[60_000, { kind: 'status', to: 'open' }]], tail: 0, cuts: [] });
    const state = foldSla(null, history, history.events, ctx);
    const complaint = { ...ctx, facts: { ...ctx.facts, ticket: { ...ctx.facts.ticket, type: 'complaint' } } };
    expect(() => foldSla(state, history, [], complaint)).toThrow(FoldMismatch);
    expect(() => foldSla(state, history, [], { ...ctx, config: defineSlaConfig({ policies: [] }) })).toThrow(FoldMismatch);
    expect(() => foldSla(state, history, [{ at: T0, kind: 'priority', to: 'high' }], ctx)).toThrow(/not later than the folded state/);
  });
});
