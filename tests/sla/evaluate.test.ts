import { describe, expect, it } from 'vitest';
import { ConfigError, defineSlaConfig, evaluateSla, slaHistory, type SlaConfigInput, type SlaMetricStatus, type Ticket } from 'omotenashi';
import { setup, type Setup } from '../helpers.js';

const H = 3600_000;
const M = 60_000;

async function evaluate(s: Setup, ticket: Ticket, config: SlaConfigInput) {
  const t = await s.desk.getTicket(ticket.id);
  const history = slaHistory(t, await s.desk.getAuditTrail(t.id), await s.desk.listInteractions(t.id));
  const customer = await s.desk.getCustomer(t.requesterId);
  return evaluateSla({ ticket: t, customer, history, config: defineSlaConfig(config), now: s.clock.date() });
}
const metric = (r: { metrics: ReadonlyArray<SlaMetricStatus> }, name: string, slot = 'primary') => {
  const m = r.metrics.find((x) => x.metric === name && x.slot === slot);
  if (!m) throw new Error(`no ${name} clock in ${slot}`);
  return m;
};
const counted = (m: SlaMetricStatus) => m.ledger.filter((e) => e.kind === 'counting').reduce((sum, e) => sum + e.countedMs, 0);

const premium: SlaConfigInput = {
  policies: [
    {
      id: 'premium',
      name: 'Premium 24/7',
      match: { fact: 'customer.tier', op: 'eq', value: 'gold' },
      metrics: {
        first_response: { targets: { normal: 'PT1H', urgent: 'PT15M' }, warnings: [{ percent: 75 }, { before: 'PT5M' }] },
        resolution: { targets: { normal: 'PT8H', urgent: 'PT4H' } },
      },
    },
    { id: 'standard', name: 'Standard', metrics: { first_response: { targets: { low: 'P1D', normal: 'PT4H', high: 'PT2H', urgent: 'PT1H' } } } },
  ],
};

describe('SLA: first response on a 24/7 premium policy', () => {
  it('is active, then warns at 75 % and 5 minutes before, then breaches; a reply fulfils it late', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Printer on fire', channel: 'phone' });
    let r = await evaluate(s, ticket, premium);
    expect(r.policies.map((p) => p.policyId)).toEqual(['premium']);
    expect(metric(r, 'first_response')).toMatchObject({ state: 'active', targetMs: H, elapsedMs: 0, dueAt: new Date('2026-04-01T01:00:00Z'), nextCheckAt: new Date('2026-04-01T00:45:00Z') });
    await s.clock.advance('PT45M');
    r = await evaluate(s, ticket, premium);
    expect(metric(r, 'first_response')).toMatchObject({ state: 'warning', warningsPassed: [45 * M], nextCheckAt: new Date('2026-04-01T00:55:00Z') });
    await s.clock.advance('PT20M');
    r = await evaluate(s, ticket, premium);
    expect(metric(r, 'first_response')).toMatchObject({ state: 'breached', breachedAt: new Date('2026-04-01T01:00:00Z'), remainingMs: -5 * M, breaches: 1 });
    expect(metric(r, 'first_response').nextCheckAt).toBeUndefined();
    await s.desk.recordInteraction(ticket.id, { channel: 'phone', author: { kind: 'agent', id: s.agent.id }, body: 'On my way' });
    r = await evaluate(s, ticket, premium);
    expect(metric(r, 'first_response')).toMatchObject({ state: 'fulfilled', elapsedMs: 65 * M, breaches: 1, stoppedAt: new Date('2026-04-01T01:05:00Z') });
  });

  it('bot replies and internal notes do not count unless the policy says so', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email' });
    await s.clock.advance('PT10M');
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'bot' }, body: 'We got your message' });
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, kind: 'note', body: 'Looking' });
    expect(metric(await evaluate(s, ticket, premium), 'first_response').state).toBe('active');
    const botsCount: SlaConfigInput = { policies: [{ id: 'p', name: 'p', metrics: { first_response: { targets: { normal: 'PT1H' }, fulfilledBy: { authors: ['agent', 'bot'], visibility: 'public' } } } }] };
    expect(metric(await evaluate(s, ticket, botsCount), 'first_response')).toMatchObject({ state: 'fulfilled', elapsedMs: 10 * M });
  });
});

describe('SLA: selection', () => {
  it('takes the first matching policy in order, and attaches concurrent ones beside it', async () => {
    const s = await setup();
    const config: SlaConfigInput = {
      policies: [
        ...premium.policies,
        { id: 'ola-frontline', name: 'Front-line OLA', concurrent: true, match: { fact: 'ticket.requesterKind', op: 'eq', value: 'external' }, metrics: { resolution: { targets: { normal: 'P2D' } } } },
      ],
    };
    const { ticket: gold } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email' });
    const { ticket: internal } = await s.desk.openTicket({ requesterId: s.internal.id, subject: 'y', channel: 'email' });
    const g = await evaluate(s, gold, config);
    expect(g.policies.map((p) => [p.slot, p.policyId])).toEqual([
      ['primary', 'premium'],
      ['ola-frontline', 'ola-frontline'],
    ]);
    expect(metric(g, 'resolution', 'ola-frontline').targetMs).toBe(2 * 24 * H);
    const i = await evaluate(s, internal, config);
    expect(i.policies.map((p) => p.policyId)).toEqual(['standard']);
    expect(metric(i, 'first_response').targetMs).toBe(4 * H);
  });

  it('applies nothing when no policy matches, and skips metrics without a target for the priority', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.internal.id, subject: 'x', channel: 'email', priority: 'low' });
    const r = await evaluate(s, ticket, { policies: [premium.policies[0] as never] });
    expect(r.metrics).toEqual([]);
    const r2 = await evaluate(s, ticket, { policies: [{ id: 'u', name: 'urgent only', metrics: { first_response: { targets: { urgent: 'PT1H' } } } }] });
    expect(r2.metrics).toEqual([]);
  });
});

describe('SLA: pauses, business hours and the ledger', () => {
  const tokyo: SlaConfigInput = {
    calendars: {
      tokyo: { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '12:00'], ['13:00', '18:00']], wed: [['09:00', '12:00'], ['13:00', '18:00']], thu: [['09:00', '12:00'], ['13:00', '18:00']], fri: [['09:00', '12:00'], ['13:00', '18:00']] }, holidays: [{ date: '2026-04-29', name: '昭和の日' }] },
    },
    policies: [{ id: 'tokyo', name: 'Tokyo business hours', metrics: { resolution: { targets: { normal: 'PT16H' }, calendar: 'tokyo' }, first_response: { targets: { normal: 'PT4H' }, calendar: 'tokyo' } } }],
  };

  it('counts business time only, pauses while waiting on the customer, and explains every interval', async () => {
    const s = await setup();
    // Tue 28 April 17:00 JST, the day before a holiday.
    await s.clock.set(new Date('2026-04-28T17:00:00+09:00'));
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Invoice wrong', channel: 'email' });
    let r = await evaluate(s, ticket, tokyo);
    // Four business hours: one today (17–18), none on the holiday, three on Thursday morning (09–12).
    expect(metric(r, 'first_response').dueAt).toEqual(new Date('2026-04-30T12:00:00+09:00'));
    await s.clock.set(new Date('2026-04-30T10:00:00+09:00'));
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'Which invoice?', setStatus: 'pending_customer' });
    await s.clock.set(new Date('2026-05-01T15:00:00+09:00'));
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'No. 1042' });
    await s.clock.set(new Date('2026-05-01T16:00:00+09:00'));
    r = await evaluate(s, ticket, tokyo);
    const res = metric(r, 'resolution');
    // Counted: Tue 17–18 (1 h), Thu 09–10 (1 h), Fri 15–16 (1 h); paused Thu 10:00 → Fri 15:00.
    expect(res.elapsedMs).toBe(3 * H);
    expect(res.state).toBe('active');
    expect(counted(res)).toBe(res.elapsedMs);
    expect(res.ledger.map((e) => [e.kind, e.reason])).toEqual([
      ['counting', undefined],
      ['outside_hours', undefined],
      ['holiday', '昭和の日'],
      ['outside_hours', undefined],
      ['counting', undefined],
      ['paused', 'status pending_customer'],
      ['counting', undefined],
    ]);
    expect(metric(r, 'first_response')).toMatchObject({ state: 'fulfilled', elapsedMs: 2 * H });
  });

  it('a reopen resumes the resolution clock with its elapsed time', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.internal.id, subject: 'x', channel: 'email' });
    const config: SlaConfigInput = { policies: [{ id: 'r', name: 'r', metrics: { resolution: { targets: { normal: 'PT10H' } } } }] };
    await s.clock.advance('PT3H');
    await s.desk.resolve(ticket.id, { summary: 'done' });
    await s.clock.advance('PT5H');
    expect(metric(await evaluate(s, ticket, config), 'resolution')).toMatchObject({ state: 'fulfilled', elapsedMs: 3 * H });
    await s.desk.reopen(ticket.id, { reason: 'not done' });
    await s.clock.advance('PT1H');
    const res = metric(await evaluate(s, ticket, config), 'resolution');
    expect(res).toMatchObject({ state: 'active', elapsedMs: 4 * H, cycle: 1, dueAt: new Date(s.clock.now() + 6 * H) });
    expect(res.ledger.map((e) => [e.kind, e.reason])).toEqual([['counting', undefined], ['paused', 'ticket resolved'], ['counting', undefined]]);
  });
});

describe('SLA: next response and periodic updates run in cycles', () => {
  const config: SlaConfigInput = {
    policies: [{ id: 'p', name: 'p', metrics: { next_response: { targets: { normal: 'PT2H' } }, periodic_update: { targets: { normal: 'PT4H' } } } }],
  };

  it('next response starts at the oldest unanswered customer message after the first reply', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', description: 'Help' });
    const agent = { kind: 'agent' as const, id: s.agent.id };
    const customer = { kind: 'customer' as const, id: s.external.id };
    expect((await evaluate(s, ticket, config)).metrics.map((m) => m.metric)).toEqual(['periodic_update']);
    await s.clock.advance('PT1H');
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: agent, body: 'Hello' });
    await s.clock.advance('PT1H');
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: customer, body: 'Still broken' });
    await s.clock.advance('PT30M');
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: customer, body: 'Hello?' });
    await s.clock.advance('PT2H');
    let next = metric(await evaluate(s, ticket, config), 'next_response');
    expect(next).toMatchObject({ state: 'breached', cycle: 1, elapsedMs: 150 * M, startedAt: new Date('2026-04-01T02:00:00Z') });
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: agent, body: 'Sorry, fixing' });
    await s.clock.advance('PT10M');
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: customer, body: 'Thanks' });
    next = metric(await evaluate(s, ticket, config), 'next_response');
    expect(next).toMatchObject({ state: 'active', cycle: 2, elapsedMs: 0, breaches: 1 });
    const periodic = metric(await evaluate(s, ticket, config), 'periodic_update');
    expect(periodic).toMatchObject({ cycle: 3, state: 'active', elapsedMs: 10 * M });
  });
});

describe('SLA: mid-flight changes', () => {
  const withMode = (onChange: 'keep' | 'restart' | 'retroactive'): SlaConfigInput => ({
    policies: [{ id: 'p', name: 'p', metrics: { resolution: { targets: { normal: 'PT8H', urgent: 'PT4H' }, onChange } } }],
  });

  it('keep: elapsed time stays and the new target applies', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.internal.id, subject: 'x', channel: 'email' });
    await s.clock.advance('PT3H');
    await s.desk.setPriority(ticket.id, 'urgent');
    await s.clock.advance('PT30M');
    expect(metric(await evaluate(s, ticket, withMode('keep')), 'resolution')).toMatchObject({ targetMs: 4 * H, elapsedMs: 3.5 * H, remainingMs: 0.5 * H });
    expect(metric(await evaluate(s, ticket, withMode('restart')), 'resolution')).toMatchObject({ targetMs: 4 * H, elapsedMs: 0.5 * H, startedAt: new Date('2026-04-01T03:00:00Z') });
    expect(metric(await evaluate(s, ticket, withMode('retroactive')), 'resolution')).toMatchObject({ targetMs: 4 * H, elapsedMs: 3.5 * H });
  });

  it('retroactive: a policy switch recounts the whole history under the new policy', async () => {
    const s = await setup();
    const config = (onChange: 'keep' | 'retroactive'): SlaConfigInput => ({
      policies: [
        { id: 'urgent', name: 'urgent', match: { fact: 'ticket.priority', op: 'eq', value: 'urgent' }, metrics: { resolution: { targets: { urgent: 'PT4H' }, pauseWhile: [], onChange } } },
        { id: 'normal', name: 'normal', metrics: { resolution: { targets: { normal: 'PT8H' }, onChange } } },
      ],
    });
    const { ticket } = await s.desk.openTicket({ requesterId: s.internal.id, subject: 'x', channel: 'email' });
    await s.desk.setStatus(ticket.id, 'pending_customer');
    await s.clock.advance('PT2H');
    await s.desk.setStatus(ticket.id, 'open');
    await s.desk.setPriority(ticket.id, 'urgent');
    await s.clock.advance('PT1H');
    // Under "normal" the pending time was paused; the urgent policy pauses nothing.
    expect(metric(await evaluate(s, ticket, config('keep')), 'resolution')).toMatchObject({ policyId: 'urgent', elapsedMs: 1 * H });
    expect(metric(await evaluate(s, ticket, config('retroactive')), 'resolution')).toMatchObject({ policyId: 'urgent', elapsedMs: 3 * H });
  });
});

describe('SLA: configuration errors name the field', () => {
  it.each<[SlaConfigInput, RegExp]>([
    [{ policies: [{ id: 'a', name: 'a', metrics: {} }] }, /sla\.policies\[0\]\.metrics: policy "a" has no metric/],
    [{ policies: [{ id: 'a', name: 'a', metrics: { resolution: { targets: { normal: 'PT1H' }, calendar: 'tokyo' } } }] }, /sla\.policies\[0\]\.metrics\.resolution\.calendar: no calendar "tokyo"/],
    [{ policies: [{ id: 'a', name: 'a', metrics: { resolution: { targets: { normal: '8 hours' } } } }] }, /sla\.policies\.0\.metrics\.resolution\.targets\.normal|not an ISO 8601 duration/],
    [{ policies: [{ id: 'a', name: 'a', metrics: { resolution: { targets: {} } } }] }, /give a target for at least one priority/],
    [{ policies: [{ id: 'a', name: 'a', match: { fact: 'ticket.priority', op: 'eq', value: 'hgh' }, metrics: { resolution: { targets: { normal: 'PT1H' } } } }] }, /sla\.policies\[0\]\.match\.value: "hgh" is never a value/],
    [{ policies: [{ id: 'a', name: 'a', metrics: { resolution: { targets: { normal: 'PT1H' } } } }, { id: 'a', name: 'b', metrics: { resolution: { targets: { normal: 'PT1H' } } } }] }, /used twice/],
    [{ calendars: { bad: { timeZone: 'UTC', weekly: { mon: [['10:00', '09:00']] } } }, policies: [] }, /sla\.calendars\.bad\.weekly\.mon\[0\]/],
  ])('%#', (config, message) => {
    expect(() => defineSlaConfig(config)).toThrow(ConfigError);
    expect(() => defineSlaConfig(config)).toThrow(message);
  });
});

describe('SLA: custom metrics from start, stop, pause and resume conditions', () => {
  const customerMessage = { all: [{ fact: 'event.kind', op: 'eq', value: 'message' }, { fact: 'event.author', op: 'eq', value: 'customer' }] } as const;
  const agentReply = { all: [{ fact: 'event.kind', op: 'eq', value: 'message' }, { fact: 'event.author', op: 'eq', value: 'agent' }, { fact: 'event.visibility', op: 'eq', value: 'public' }] } as const;

  it('counts from a customer message to the agent reply, paused while on hold (level-triggered)', async () => {
    const s = await setup();
    const config: SlaConfigInput = {
      policies: [{ id: 'c', name: 'custom', custom: { agent_touch: { start: customerMessage, stop: agentReply, pause: { fact: 'ticket.status', op: 'eq', value: 'on_hold' }, targets: { normal: 'PT2H' } } } }],
    };
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', description: 'Hello?' });
    await s.clock.advance('PT30M');
    await s.desk.hold(ticket.id, { reason: 'vendor', consent: { granted: true } });
    await s.clock.advance('PT3H');
    let m = metric(await evaluate(s, ticket, config), 'custom:agent_touch');
    expect(m).toMatchObject({ state: 'paused', paused: true, elapsedMs: 30 * M });
    expect(m.ledger.map((e) => [e.kind, e.reason])).toEqual([['counting', undefined], ['paused', 'paused by the policy']]);
    await s.desk.resume(ticket.id);
    await s.clock.advance('PT2H');
    m = metric(await evaluate(s, ticket, config), 'custom:agent_touch');
    expect(m).toMatchObject({ state: 'breached', elapsedMs: 150 * M, breachedAt: new Date(s.clock.now() - 30 * M) });
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'Back' });
    m = metric(await evaluate(s, ticket, config), 'custom:agent_touch');
    expect(m).toMatchObject({ state: 'fulfilled', breaches: 1 });
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'Thanks, one more thing' });
    m = metric(await evaluate(s, ticket, config), 'custom:agent_touch');
    expect(m).toMatchObject({ state: 'active', cycle: 2, elapsedMs: 0, breaches: 1 });
  });

  it('pause and resume can be events: paused when the ticket waits on the customer, resumed by their message', async () => {
    const s = await setup();
    const config: SlaConfigInput = {
      policies: [
        {
          id: 'c',
          name: 'custom',
          custom: {
            handling: {
              start: { fact: 'event.kind', op: 'eq', value: 'created' },
              stop: { all: [{ fact: 'event.kind', op: 'eq', value: 'status' }, { fact: 'event.to', op: 'eq', value: 'resolved' }] },
              pause: { all: [{ fact: 'event.kind', op: 'eq', value: 'status' }, { fact: 'event.to', op: 'eq', value: 'pending_customer' }] },
              resume: customerMessage,
              targets: { normal: 'PT4H' },
            },
          },
        },
      ],
    };
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email' });
    await s.clock.advance('PT1H');
    await s.desk.setStatus(ticket.id, 'pending_customer');
    await s.clock.advance('PT5H');
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'Here' });
    await s.clock.advance('PT1H');
    await s.desk.resolve(ticket.id, { summary: 'done' });
    expect(metric(await evaluate(s, ticket, config), 'custom:handling')).toMatchObject({ state: 'fulfilled', elapsedMs: 2 * H, breaches: 0 });
  });

  it('checks custom conditions against the ticket and event facts', () => {
    expect(() => defineSlaConfig({ policies: [{ id: 'c', name: 'c', custom: { x: { start: { fact: 'event.kinds', op: 'eq', value: 'message' }, stop: { all: [] }, targets: { normal: 'PT1H' } } } }] })).toThrow(
      /sla\.policies\[0\]\.custom\.x\.start\.fact: unknown fact "event\.kinds"; did you mean "event\.kind"\?/,
    );
  });
});

describe('SLA: order and reasons', () => {
  it('orders policies by position, and says why the chosen one matched', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email', priority: 'high' });
    const r = await evaluate(s, ticket, {
      policies: [
        { id: 'catch-all', name: 'Catch-all', position: 100, metrics: { first_response: { targets: { high: 'PT8H' } } } },
        { id: 'high', name: 'High priority', position: 1, match: { fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'] }, metrics: { first_response: { targets: { high: 'PT2H' } } } },
      ],
    });
    expect(r.policies[0]?.policyId).toBe('high');
    expect(r.policies[0]?.matched).toEqual(['high', 'catch-all']);
    expect(r.policies[0]?.because.matchedLeaves).toEqual([{ at: '(root)', fact: 'ticket.priority', op: 'in', value: ['high', 'urgent'], actual: 'high', matched: true }]);
  });
});
