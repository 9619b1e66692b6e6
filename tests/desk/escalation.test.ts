import { describe, expect, it, vi } from 'vitest';
import { defineEscalationLadders, defineAgentLimits, defineEscalationRules, defineSlaConfig, createSignalDetector, RECOMMENDED_ESCALATION_RULES, createInProcessScheduler, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, type EscalationRuleInput, type SlaConfigInput } from 'omotenashi';
import { createRecordingNotifier, recordEvents } from 'omotenashi/testing';

const weekday: Array<[string, string]> = [['09:00', '17:00']];
/** An SLA configuration with no policies, just an office calendar (09:00–17:00 UTC on weekdays). */
const OFFICE_HOURS: SlaConfigInput = { calendars: { office: { timeZone: 'UTC', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } }, policies: [] };

const rules: EscalationRuleInput[] = [
  {
    id: 'angry-to-supervisor',
    name: 'Angry customers go to a supervisor',
    trigger: { on: 'signal.detected' },
    condition: { any: [{ fact: 'signals.labels', op: 'contains', value: 'angry' }, { fact: 'signals.kinds', op: 'contains', value: 'supervisor_request' }] },
    actions: [{ type: 'escalate', to: 'supervisor' }, { type: 'set_priority', priority: 'high' }, { type: 'notify', recipients: [{ role: 'assignee' }], template: 'escalated-to-you', urgent: true }],
  },
  {
    id: 'legal-threat',
    name: 'Legal threats go to legal',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'legal_threat' },
    actions: [{ type: 'route_to_team', function: 'legal' }, { type: 'flag_customer', kind: 'legal_threat', reason: 'threatened legal action' }, { type: 'add_tag', tag: 'legal' }],
  },
  {
    id: 'abuse',
    name: 'Abuse flags the customer',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'abuse' },
    actions: [{ type: 'flag_customer', kind: 'abusive', reason: 'abusive language' }],
    mode: 'rearm',
  },
];

async function deskWithRules(extra: { onError?: (e: unknown) => void } = {}) {
  const clock = createManualClock('2026-04-01T00:00:00Z');
  const notifier = createRecordingNotifier();
  const desk = createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), clock, ids: createSequentialIds(), escalation: defineEscalationRules(rules), notifiers: [notifier], ...(extra.onError ? { onError: extra.onError } : {}) });
  const front = await desk.registerTeam({ name: 'Front desk' });
  const legal = await desk.registerTeam({ name: 'Legal', function: 'legal' });
  const manager = await desk.registerAgent({ name: 'Mori', role: 'manager' });
  const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor', managerId: manager.id, teamIds: [front.id], email: 'kato@desk.example' });
  const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id, teamIds: [front.id], email: 'aiko@desk.example' });
  const lawyer = await desk.registerAgent({ name: 'Yamada', role: 'senior', teamIds: [legal.id] });
  await desk.updateTeam(legal.id, { leadId: lawyer.id });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Angry Customer' });
  const events = recordEvents(desk);
  const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Broken', channel: 'email', assigneeId: agent.id, teamId: front.id });
  events.clear();
  return { desk, clock, front, legal, supervisor, agent, lawyer, customer, ticket, events, notifier };
}
const say = (s: Awaited<ReturnType<typeof deskWithRules>>, body: string) => s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'customer', id: s.customer.id }, body });

describe('desk: escalation rules', () => {
  it('escalates an angry customer to a supervisor, with the reason, after the message is committed', async () => {
    const s = await deskWithRules();
    await say(s, 'I am furious about this.');
    const t = await s.desk.getTicket(s.ticket.id);
    expect(t).toMatchObject({ assigneeId: s.supervisor.id, escalationLevel: 1, priority: 'high' });
    expect(s.events.names().slice(0, 2)).toEqual(['interaction.recorded', 'signal.detected']);
    const [esc] = s.events.of('ticket.escalated');
    expect(esc).toMatchObject({ kind: 'hierarchical', ruleId: 'angry-to-supervisor', from: { agentId: s.agent.id }, to: { agentId: s.supervisor.id }, level: 1 });
    expect(esc?.because.matchedLeaves.map((l) => [l.fact, l.actual])).toEqual([['signals.labels', ['angry']]]);
    const [fired] = s.events.of('escalation.rule_fired');
    expect(fired?.actions.map((a) => a.type)).toEqual(['escalate', 'set_priority', 'notify']);
    const trail = await s.desk.getAuditTrail(s.ticket.id);
    expect(trail.map((e) => e.action)).toContain('escalate');
    expect(trail.find((e) => e.action === 'escalate')).toMatchObject({ actor: { kind: 'system', name: 'escalation rules' }, reason: expect.stringMatching(/rule angry-to-supervisor: assignee Aiko \(agent\) → manager Kato \(supervisor\)/) });
    expect(trail.find((e) => e.action === 'escalation_rule')?.reason).toBe('rule angry-to-supervisor on signal.detected: signals.labels contains "angry" (saw ["angry"])');
  });

  it('routes a legal threat to the legal team and flags the customer so the next agent is prepared', async () => {
    const s = await deskWithRules();
    await say(s, 'My lawyer will contact you.');
    const t = await s.desk.getTicket(s.ticket.id);
    expect(t).toMatchObject({ teamId: s.legal.id, assigneeId: s.lawyer.id, tags: ['legal'], escalationLevel: 0 });
    const details = await s.desk.getTicketDetails(s.ticket.id);
    expect(details.flags.map((f) => [f.kind, f.reason, f.ticketId])).toEqual([['legal_threat', 'threatened legal action', s.ticket.id]]);
    expect(s.events.of('customer.flagged')).toHaveLength(1);
  });

  it('runs a rule once per ticket, never twice for the same message, and re-arms where asked', async () => {
    const s = await deskWithRules();
    await say(s, 'I am furious.');
    await say(s, 'Still furious!');
    expect(s.events.of('ticket.escalated')).toHaveLength(1);
    await say(s, 'You idiot.');
    await say(s, 'Thanks for the help.');
    await say(s, 'Useless idiots.');
    expect(s.events.of('escalation.rule_fired').filter((e) => e.ruleId === 'abuse')).toHaveLength(2);
    const t = await s.desk.getTicket(s.ticket.id);
    expect(t.escalation?.rules['angry-to-supervisor']?.fired).toBe(1);
  });

  it('reports what it could not do, and never breaks the command', async () => {
    const onError = vi.fn();
    const s = await deskWithRules({ onError });
    await s.desk.updateAgent(s.supervisor.id, { active: false });
    await s.desk.updateAgent(s.agent.id, { managerId: null });
    await say(s, 'I want to speak to your manager');
    const [fired] = s.events.of('escalation.rule_fired');
    expect(fired?.skipped[0]?.reason).toMatch(/nobody above Aiko/);
    expect((await s.desk.getTicket(s.ticket.id)).assigneeId).toBe(s.agent.id);
    expect(onError).not.toHaveBeenCalled();
  });

  it('events caused by escalation do not set off rules again', async () => {
    const clock = createManualClock(0);
    const loop: EscalationRuleInput[] = [{ id: 'tag-on-update', name: 'Tag on every update', trigger: { on: 'ticket.updated' }, mode: 'rearm', actions: [{ type: 'add_tag', tag: 'touched' }] }];
    const desk = createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), clock, escalation: defineEscalationRules(loop) });
    const events = recordEvents(desk);
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    await desk.setPriority(ticket.id, 'high');
    expect(events.of('escalation.rule_fired')).toHaveLength(1);
    expect((await desk.getTicket(ticket.id)).tags).toEqual(['touched']);
  });
});

describe('desk: time-triggered escalation', () => {
  const quiet: EscalationRuleInput = {
    id: 'no-update-4h',
    name: 'No public update for four business hours',
    trigger: { on: 'time', after: 'PT4H', since: 'last_public_update', calendar: 'office' },
    actions: [{ type: 'escalate', to: 'next_level' }],
  };

  async function deskWithTimer() {
    const clock = createManualClock('2026-04-06T09:00:00Z'); // a Monday
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      ids: createSequentialIds(),
      sla: defineSlaConfig(OFFICE_HOURS),
      escalation: defineEscalationRules([quiet]),
    });
    const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor' });
    const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id });
    const customer = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const events = recordEvents(desk);
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'email', assigneeId: agent.id });
    return { desk, clock, supervisor, agent, ticket, events };
  }

  it('fires after four business hours without a public update, not before', async () => {
    const s = await deskWithTimer();
    await s.clock.advance('PT3H59M');
    expect(s.events.of('ticket.escalated')).toHaveLength(0);
    await s.clock.advance('PT1M');
    const [esc] = s.events.of('ticket.escalated');
    expect(esc).toMatchObject({ ruleId: 'no-update-4h', to: { agentId: s.supervisor.id }, at: new Date('2026-04-06T13:00:00Z') });
  });

  it('an update moves the deadline; business hours stretch it over the night', async () => {
    const s = await deskWithTimer();
    await s.clock.advance('PT3H');
    await s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'Working on it' });
    // 12:00 + 4 business hours: 5 today (to 17:00) → due 16:00 today.
    await s.clock.advance('PT3H59M');
    expect(s.events.of('ticket.escalated')).toHaveLength(0);
    await s.clock.advance('PT1M');
    expect(s.events.of('ticket.escalated').map((e) => e.at.toISOString())).toEqual(['2026-04-06T16:00:00.000Z']);
    // Once per ticket: nothing more the next day.
    await s.clock.advance('P1D');
    expect(s.events.of('ticket.escalated')).toHaveLength(1);
  });

  it('does not fire for resolved tickets', async () => {
    const s = await deskWithTimer();
    await s.desk.resolve(s.ticket.id, { summary: 'done' });
    await s.clock.advance('P2D');
    expect(s.events.of('ticket.escalated')).toHaveLength(0);
  });

  it('survives a restart through restoreSchedules', async () => {
    const clock = createManualClock('2026-04-06T09:00:00Z');
    const storage = createMemoryStorage();
    const options = { storage, clock, escalation: defineEscalationRules([{ ...quiet, trigger: { on: 'time' as const, after: 'PT4H', since: 'created' as const } }]) };
    const first = createServiceDesk(options);
    const supervisor = await first.registerAgent({ name: 'Kato', role: 'supervisor' });
    const agent = await first.registerAgent({ name: 'Aiko', managerId: supervisor.id });
    const customer = await first.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await first.openTicket({ requesterId: customer.id, subject: 'x', channel: 'email', assigneeId: agent.id });
    await first.stop();
    const second = createServiceDesk({ signals: createSignalDetector(), ...options, scheduler: createInProcessScheduler({ clock }) });
    const events = recordEvents(second);
    expect(await second.restoreSchedules()).toBe(1);
    await clock.advance('PT4H');
    expect(events.of('ticket.escalated').map((e) => e.ticket.id)).toEqual([ticket.id]);
  });
});

describe('desk: agent limits', () => {
  async function deskWithLimits() {
    const clock = createManualClock('2026-04-06T09:00:00Z');
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      ids: createSequentialIds(),
      agentLimits: defineAgentLimits([
        { id: 'front-line', appliesTo: { role: 'agent' }, hostility: 2, timeWithCustomer: 'PT30M' },
        { id: 'supervisors', appliesTo: { role: 'supervisor' }, hostility: 5 },
      ]),
    });
    const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor' });
    const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id });
    const customer = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const events = recordEvents(desk);
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'phone', assigneeId: agent.id });
    const say = (body: string) => desk.recordInteraction(ticket.id, { channel: 'phone', author: { kind: 'customer', id: customer.id }, body });
    return { desk, supervisor, agent, ticket, events, say };
  }

  it('hands the ticket up when the holder passes their hostility limit, saying which limit', async () => {
    const s = await deskWithLimits();
    await s.say('This is ridiculous, I am angry');
    await s.say('You idiot');
    expect(s.events.of('ticket.escalated')).toHaveLength(0);
    await s.say('I am furious now');
    const [esc] = s.events.of('ticket.escalated');
    expect(esc).toMatchObject({ ruleId: 'limit.front-line.hostility', to: { agentId: s.supervisor.id } });
    expect(esc?.because.matchedLeaves.map((l) => [l.fact, l.actual])).toEqual([
      ['assignee.role', 'agent'],
      ['ticket.hostility', 3],
    ]);
    // The supervisor's own limit is higher: the next hostile messages stay with them.
    await s.say('Still angry');
    await s.say('Useless');
    expect(s.events.of('ticket.escalated')).toHaveLength(1);
  });

  it('counts the time agents spent with the customer', async () => {
    const s = await deskWithLimits();
    await s.desk.recordInteraction(s.ticket.id, { channel: 'phone', author: { kind: 'agent', id: s.agent.id }, summary: 'Long call', durationMs: 25 * 60_000 });
    await s.say('Can you call me back?');
    expect(s.events.of('ticket.escalated')).toHaveLength(0);
    await s.desk.recordInteraction(s.ticket.id, { channel: 'phone', author: { kind: 'agent', id: s.agent.id }, summary: 'Another call', durationMs: 10 * 60_000 });
    await s.say('Thanks, one more question');
    expect(s.events.of('ticket.escalated').map((e) => e.ruleId)).toEqual(['limit.front-line.time']);
  });

  it('validates limits', () => {
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), agentLimits: defineAgentLimits([{ id: 'x' }]) })).toThrow(/set at least one of hostility, complexity, timeWithCustomer/);
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), agentLimits: defineAgentLimits([{ id: 'x', hostility: 0 }]) })).toThrow(/agentLimits/);
  });
});

describe('desk: escalation ladders on SLA clocks', () => {
  async function deskWithLadder() {
    const clock = createManualClock('2026-04-06T00:00:00Z');
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      ids: createSequentialIds(),
      sla: defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { resolution: { targets: { normal: 'PT8H' } } } }] }),
      escalationLadders: defineEscalationLadders([
        {
          id: 'resolution',
          metric: 'resolution',
          levels: [
            { at: { percent: 50 }, actions: [{ type: 'notify', recipients: [{ role: 'assignee' }], template: 'half-time' }] },
            { at: { beforeBreach: 'PT1H' }, actions: [{ type: 'escalate', to: 'next_level' }] },
            { at: { afterBreach: 'PT1H' }, actions: [{ type: 'escalate', to: 'manager' }], urgent: true },
          ],
        },
      ]),
      notifiers: [createRecordingNotifier()],
    });
    const manager = await desk.registerAgent({ name: 'Mori', role: 'manager' });
    const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor', managerId: manager.id });
    const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id, email: 'aiko@desk.example' });
    const customer = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const events = recordEvents(desk);
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'email', assigneeId: agent.id });
    return { desk, clock, manager, supervisor, agent, ticket, events };
  }
  const fired = (s: Awaited<ReturnType<typeof deskWithLadder>>) => s.events.of('escalation.rule_fired').map((e) => [e.ruleId, e.at.toISOString()]);

  it('climbs level by level as the clock runs, each target resolved when it fires', async () => {
    const s = await deskWithLadder();
    await s.clock.advance('PT10H');
    expect(fired(s)).toEqual([
      ['ladder.resolution.0', '2026-04-06T04:00:00.000Z'],
      ['ladder.resolution.1', '2026-04-06T07:00:00.000Z'],
      ['ladder.resolution.2', '2026-04-06T09:00:00.000Z'],
    ]);
    expect(s.events.of('ticket.escalated').map((e) => e.to.agentId)).toEqual([s.supervisor.id, s.manager.id]);
    const [first] = s.events.of('ticket.escalated');
    expect(first?.because.matchedLeaves[0]).toMatchObject({ fact: 'sla.remainingMs', op: 'lte', value: 3_600_000, actual: 3_600_000 });
    await s.clock.advance('P1D');
    expect(fired(s)).toHaveLength(3);
  });

  it('a paused clock holds the ladder; it moves on when the clock runs again', async () => {
    const s = await deskWithLadder();
    await s.clock.advance('PT2H');
    await s.desk.setStatus(s.ticket.id, 'pending_customer');
    await s.clock.advance('PT5H');
    expect(fired(s)).toEqual([]);
    await s.desk.setStatus(s.ticket.id, 'open');
    await s.clock.advance('PT2H');
    expect(fired(s)).toEqual([['ladder.resolution.0', '2026-04-06T09:00:00.000Z']]);
  });

  it('absolute delays count from the clock start; ladders need an SLA and valid levels', async () => {
    const clock = createManualClock('2026-04-06T00:00:00Z');
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      sla: defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT8H' } } } }] }),
      escalationLadders: defineEscalationLadders([{ id: 'fr', metric: 'first_response', levels: [{ at: { after: 'PT2H' }, actions: [{ type: 'add_tag', tag: 'waiting-2h' }] }] }]),
    });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    await clock.advance('PT2H');
    expect((await desk.getTicket(ticket.id)).tags).toEqual(['waiting-2h']);
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), escalationLadders: defineEscalationLadders([{ id: 'x', metric: 'resolution', levels: [{ at: { percent: 50 }, actions: [{ type: 'add_tag', tag: 'x' }] }] }]) })).toThrow(/ladders climb SLA clocks/);
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), sla: defineSlaConfig({ policies: [] }), escalationLadders: defineEscalationLadders([{ id: 'x', metric: 'resolution', levels: [] }]) })).toThrow(/a ladder needs at least one level/);
  });
});

describe('desk: notifications asked for by escalation respect working and quiet hours', () => {
  async function deskWithNotify() {
    const clock = createManualClock('2026-04-06T20:00:00Z'); // Monday evening
    const notifier = createRecordingNotifier({ channels: ['email'] });
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      ids: createSequentialIds(),
      sla: defineSlaConfig(OFFICE_HOURS),
      notifiers: [notifier],
      escalation: defineEscalationRules([
        {
          id: 'angry',
          name: 'Angry',
          trigger: { on: 'signal.detected' },
          condition: { fact: 'signals.labels', op: 'contains', value: 'angry' },
          actions: [
            { type: 'notify', recipients: [{ role: 'assignee' }], template: 'angry-customer' },
            { type: 'notify', recipients: [{ role: 'team_lead' }], template: 'angry-customer-lead', urgent: true },
            { type: 'notify', recipients: [{ role: 'customer' }], template: 'we-hear-you' },
          ],
        },
      ]),
    });
    const lead = await desk.registerAgent({ name: 'Kato', role: 'supervisor', calendar: 'office', email: 'kato@desk.example' });
    const team = await desk.registerTeam({ name: 'Front', leadId: lead.id });
    const agent = await desk.registerAgent({ name: 'Aiko', calendar: 'office', teamIds: [team.id], email: 'aiko@desk.example' });
    const customer = await desk.registerCustomer({
      kind: 'external',
      displayName: 'x',
      timeZone: 'Asia/Tokyo',
      contacts: [{ channel: 'email', address: 'x@example.com' }],
      consent: { marketing: false, optedOutChannels: [], quietHours: { start: '21:00', end: '09:00' } },
    });
    const events = recordEvents(desk);
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'email', assigneeId: agent.id, teamId: team.id });
    return { desk, clock, lead, agent, customer, ticket, events, notifier };
  }

  it('urgent now; the assignee when back at work; the customer after their quiet hours; all through the outbox', async () => {
    const s = await deskWithNotify();
    await s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'customer', id: s.customer.id }, body: 'I am angry' });
    // Queued in the message's own unit of work, each with the time it may go out.
    const queued = s.events.of('escalation.notify').map((e) => [e.template, e.recipient.kind === 'agent' ? e.recipient.agentId : e.recipient.customerId, e.sendAt.toISOString()]);
    expect(queued).toEqual([
      ['angry-customer', s.agent.id, '2026-04-07T09:00:00.000Z'],
      ['angry-customer-lead', s.lead.id, '2026-04-06T20:00:00.000Z'],
      ['we-hear-you', s.customer.id, '2026-04-07T00:00:00.000Z'],
    ]);
    const pending = await s.desk.listNotifications({ ticketId: s.ticket.id });
    expect(pending.items.map((n) => [n.template, n.status, n.source]).sort((a, b) => (a[0] as string).localeCompare(b[0] as string))).toEqual([
      ['angry-customer', 'pending', 'escalation'],
      ['angry-customer-lead', 'pending', 'escalation'],
      ['we-hear-you', 'pending', 'escalation'],
    ]);
    // 20:00 UTC is 05:00 in Tokyo: inside the customer's quiet hours; the office is closed.
    await s.clock.advance('PT1M');
    const sent = () => s.notifier.sent.map((m) => [m.template, m.to.id]);
    expect(sent()).toEqual([['angry-customer-lead', s.lead.id]]);
    await s.clock.advance('PT14H');
    expect(sent()).toEqual([
      ['angry-customer-lead', s.lead.id],
      ['we-hear-you', s.customer.id],
      ['angry-customer', s.agent.id],
    ]);
  });

  it('a notice nobody can receive is reported, and the message is still recorded', async () => {
    const onError = vi.fn();
    const clock = createManualClock('2026-04-06T09:00:00Z');
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      onError,
      notifiers: [createRecordingNotifier({ channels: ['email'] })],
      escalation: defineEscalationRules([{ id: 'angry', name: 'Angry', trigger: { on: 'signal.detected' }, condition: { fact: 'signals.labels', op: 'contains', value: 'angry' }, actions: [{ type: 'notify', recipients: [{ role: 'assignee' }], template: 'x' }] }]),
    });
    const agent = await desk.registerAgent({ name: 'No Mail' });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email', assigneeId: agent.id });
    const r = await desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: c.id }, body: 'I am angry' });
    expect(r.recorded).toBe(true);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(String(onError.mock.calls[0]?.[0])).toMatch(/has no e-mail address/);
  });

  it('a desk whose rules send notices needs a notifier, and the templates they name', () => {
    const notify: EscalationRuleInput = { id: 'n', name: 'n', trigger: { on: 'ticket.opened' }, actions: [{ type: 'notify', recipients: [{ role: 'assignee' }], template: 'missing' }] };
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), escalation: defineEscalationRules([notify]) })).toThrow(/sends notices/);
  });

  it('refuses an agent calendar the desk does not have', async () => {
    const s = await deskWithNotify();
    await expect(s.desk.registerAgent({ name: 'X', calendar: 'mars' })).rejects.toThrow(/no calendar "mars"/);
  });
});

describe('desk: the remaining trigger kinds', () => {
  it('runs rules on ticket.opened, sla.warning and sla.breached', async () => {
    const clock = createManualClock('2026-04-06T00:00:00Z');
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      sla: defineSlaConfig({ policies: [{ id: 'p', name: 'p', metrics: { first_response: { targets: { normal: 'PT1H', urgent: 'PT15M' }, warnings: [{ percent: 50 }] } } }] }),
      escalation: defineEscalationRules([
        { id: 'vip-open', name: 'VIP opened', trigger: { on: 'ticket.opened' }, condition: { fact: 'customer.flags', op: 'contains', value: 'vip' }, actions: [{ type: 'set_priority', priority: 'urgent' }] },
        { id: 'warn', name: 'Warned', trigger: { on: 'sla.warning' }, condition: { fact: 'event.metric', op: 'eq', value: 'first_response' }, actions: [{ type: 'add_tag', tag: 'sla-warning' }] },
        { id: 'breach', name: 'Breached', trigger: { on: 'sla.breached' }, condition: { fact: 'event.metric', op: 'eq', value: 'first_response' }, actions: [{ type: 'add_tag', tag: 'sla-breached' }] },
      ]),
    });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    await desk.flagCustomer(c.id, { kind: 'vip', reason: 'board member' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email' });
    expect((await desk.getTicket(ticket.id)).priority).toBe('urgent');
    await clock.advance('PT8M');
    expect((await desk.getTicket(ticket.id)).tags).toEqual(['sla-warning']);
    await clock.advance('PT10M');
    expect((await desk.getTicket(ticket.id)).tags).toEqual(['sla-warning', 'sla-breached']);
  });
});

describe('desk: the recommended rules from the source texts', () => {
  it('supervisor requests, legal and physical threats, and abuse', async () => {
    const clock = createManualClock(0);
    const desk = createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), clock, escalation: defineEscalationRules(RECOMMENDED_ESCALATION_RULES) });
    const legal = await desk.registerTeam({ name: 'Legal', function: 'legal' });
    const security = await desk.registerTeam({ name: 'Security', function: 'security' });
    const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor' });
    const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const open = async (text: string) => (await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'chat', assigneeId: agent.id, description: text })).ticket.id;
    const a = await open('責任者を出してください');
    const b = await open('I will sue you');
    const d = await open('I will come down there and hurt you');
    await open('You useless idiot');
    expect((await desk.getTicket(a)).assigneeId).toBe(supervisor.id);
    expect((await desk.getTicket(b)).teamId).toBe(legal.id);
    expect(await desk.getTicket(d)).toMatchObject({ teamId: security.id, priority: 'urgent' });
    expect((await desk.getCustomer(c.id)).flags.map((f) => f.kind).sort()).toEqual(['abusive', 'legal_threat', 'physical_threat']);
  });
});

describe('desk: supervisor callbacks', () => {
  it('asks the supervisor above the holder to call back', async () => {
    const clock = createManualClock(0);
    const desk = createServiceDesk({ signals: createSignalDetector(),
      storage: createMemoryStorage(),
      clock,
      escalation: defineEscalationRules([{ id: 'callback', name: 'Callback', trigger: { on: 'signal.detected' }, condition: { fact: 'signals.kinds', op: 'contains', value: 'supervisor_request' }, actions: [{ type: 'request_callback', from: 'supervisor', within: 'PT2H' }] }]),
      notifiers: [createRecordingNotifier()],
    });
    const events = recordEvents(desk);
    const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor', email: 'kato@desk.example' });
    const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'phone', assigneeId: agent.id, description: 'Let me speak to your manager' });
    expect(events.of('escalation.notify').map((e) => [e.template, e.recipient.kind === 'agent' && e.recipient.agentId])).toEqual([['callback_request', supervisor.id]]);
    expect((await desk.getTicket(ticket.id)).assigneeId).toBe(agent.id);
  });
});

describe('desk: generated rule ids are reserved', () => {
  it('refuses user rules named like ladder or limit rules', () => {
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), escalation: defineEscalationRules([{ id: 'ladder.mine', name: 'x', trigger: { on: 'ticket.opened' }, actions: [{ type: 'add_tag', tag: 'x' }] }]) })).toThrow(/kept for ladders and agent limits/);
  });
});
