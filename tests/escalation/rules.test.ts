import { describe, expect, it } from 'vitest';
import { defineEscalationRules, evaluateEscalation, resolveEscalationTarget, signalFacts, createSignalDetector, type EscalationRuleInput } from 'omotenashi';
import { makeAgent, makeTeam, makeTicket } from 'omotenashi/testing';
import { configErrorOf } from '../helpers.js';

const angry: EscalationRuleInput = {
  id: 'angry-to-supervisor',
  name: 'Angry customer goes to a supervisor',
  trigger: { on: 'signal.detected' },
  condition: { fact: 'signals.kinds', op: 'contains', value: 'emotion' },
  actions: [{ type: 'escalate', to: 'supervisor' }, { type: 'add_tag', tag: 'angry' }],
};
const legal: EscalationRuleInput = {
  id: 'legal-threat',
  name: 'Legal threats go to legal',
  trigger: { on: 'signal.detected' },
  condition: { fact: 'signals.kinds', op: 'contains', value: 'legal_threat' },
  actions: [{ type: 'route_to_team', function: 'legal' }, { type: 'flag_customer', kind: 'legal_threat', reason: 'threatened legal action' }],
};
const detector = createSignalDetector();
const factsFor = (text: string, extra: object = {}) => ({ ticket: { priority: 'normal', teamId: 'team_front' }, signals: signalFacts(detector.detect(text)), event: { type: 'signal.detected' }, ...extra });

describe('escalation rules: definition and static checks', () => {
  it('indexes rules by trigger', () => {
    const rules = defineEscalationRules([angry, legal, { id: 'breach', name: 'Breach', trigger: { on: 'sla.breached' }, condition: { fact: 'event.metric', op: 'eq', value: 'first_response' }, actions: [{ type: 'notify', recipients: [{ role: 'team_lead' }], template: 'sla-breach' }] }]);
    expect(rules.byEvent.get('signal.detected')?.map((r) => r.id)).toEqual(['angry-to-supervisor', 'legal-threat']);
    expect(rules.byEvent.get('sla.breached')?.map((r) => r.id)).toEqual(['breach']);
    expect(rules.byEvent.get('ticket.opened')).toBeUndefined();
    expect(rules.warnings).toEqual([]);
  });

  it.each<[string, EscalationRuleInput[], string, RegExp]>([
    ['eq and eq', [{ ...angry, condition: { all: [{ fact: 'ticket.priority', op: 'eq', value: 'high' }, { fact: 'ticket.priority', op: 'eq', value: 'low' }] } }], 'escalation.rules[0].condition', /can never match: on "ticket.priority"/],
    ['in and nin', [{ ...angry, condition: { all: [{ fact: 'ticket.priority', op: 'in', value: ['high'] }, { all: [{ fact: 'ticket.priority', op: 'nin', value: ['high', 'low'] }] }] } }], 'escalation.rules[0].condition', /no value satisfies/],
    ['numeric range', [{ ...angry, condition: { all: [{ fact: 'ticket.counters.reopens', op: 'gt', value: 3 }, { fact: 'ticket.counters.reopens', op: 'lte', value: 3 }] } }], 'escalation.rules[0].condition', /no number is > 3 and ≤ 3/],
    ['catch-all stop', [{ ...angry, condition: { all: [] }, stop: true, actions: [{ type: 'add_tag', tag: 'x' }] }, legal], 'escalation.rules[1]', /can never run: rule "angry-to-supervisor" before it matches every signal.detected and stops/],
    ['unknown fact', [{ ...angry, condition: { fact: 'signal.kinds', op: 'contains', value: 'emotion' } }], 'escalation.rules[0].condition.fact', /unknown fact "signal.kinds"/],
    ['duplicate id', [angry, angry], 'escalation.rules[1].id', /used twice/],
  ])('%s is a ConfigError', (_name, rules, path, message) => {
    const e = configErrorOf(() => defineEscalationRules(rules));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('refuses reassignment cycles, naming the teams and rules', () => {
    const move = (id: string, from: string, to: string): EscalationRuleInput => ({ id, name: id, trigger: { on: 'ticket.updated' }, condition: { fact: 'ticket.teamId', op: 'eq', value: from }, actions: [{ type: 'reassign', teamId: to }] });
    const e = configErrorOf(() => defineEscalationRules([move('a', 'billing', 'tech'), move('b', 'tech', 'legal'), move('c', 'legal', 'billing')]));
    expect(e.message).toMatch(/reassignment cycle billing → tech → legal → billing through rules a, b, c/);
    expect(() => defineEscalationRules([move('a', 'billing', 'tech'), move('b', 'tech', 'legal')])).not.toThrow();
  });

  it('warns about the merely suspicious', () => {
    const rules = defineEscalationRules([
      { ...angry, id: 'x', trigger: { on: 'ticket.opened' } },
      { id: 'y', name: 'y', trigger: { on: 'ticket.opened' }, actions: [{ type: 'escalate', to: 'next_level' }] },
    ]);
    expect(rules.warnings).toEqual(['rule "x" reads signals but runs on ticket.opened, where there are none', 'rule "y" escalates every ticket on ticket.opened: add a condition']);
  });
});

describe('escalation rules: evaluation', () => {
  const rules = defineEscalationRules([angry, legal, { ...angry, id: 'angry-again', name: 'Angry again', mode: 'rearm', actions: [{ type: 'notify', recipients: [{ role: 'team_lead' }], template: 'angry' }] }]);

  it('fires the rules whose conditions hold, explaining why', () => {
    const d = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_1', facts: factsFor('I am furious and calling my lawyer'), state: {} });
    expect(d.fired.map((f) => f.ruleId)).toEqual(['angry-to-supervisor', 'legal-threat', 'angry-again']);
    expect(d.fired[1]?.because.matchedLeaves[0]).toMatchObject({ fact: 'signals.kinds', value: 'legal_threat', actual: ['emotion', 'legal_threat'] });
  });

  it('once: never again on the ticket; rearm: again after the condition was false', () => {
    let state = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_1', facts: factsFor('I am furious'), state: {} }).state;
    let d = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_2', facts: factsFor('Still furious'), state });
    expect(d.fired.map((f) => f.ruleId)).toEqual([]);
    state = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_3', facts: factsFor('Thank you'), state: d.state }).state;
    d = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_4', facts: factsFor('Angry again!'), state });
    expect(d.fired.map((f) => f.ruleId)).toEqual(['angry-again']);
    expect(d.state['angry-again']?.fired).toBe(2);
    expect(d.state['angry-to-supervisor']?.fired).toBe(1);
  });

  it('never fires twice for the same occurrence, even when delivered again', () => {
    const first = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_1', facts: factsFor('I am furious'), state: {} });
    const again = evaluateEscalation({ rules, event: 'signal.detected', occurrence: 'int_1', facts: factsFor('I am furious'), state: first.state });
    expect(first.fired).toHaveLength(2);
    expect(again.fired).toEqual([]);
    expect(again.state).toEqual(first.state);
  });

  it('stops at a rule that says so, and touches only the event’s own rules', () => {
    const stopping = defineEscalationRules([{ ...legal, stop: true }, angry]);
    expect(evaluateEscalation({ rules: stopping, event: 'signal.detected', occurrence: 'i', facts: factsFor('furious, lawyer'), state: {} }).fired.map((f) => f.ruleId)).toEqual(['legal-threat']);
    expect(evaluateEscalation({ rules: stopping, event: 'ticket.opened', occurrence: 'i', facts: factsFor('furious, lawyer'), state: {} }).fired).toEqual([]);
  });
});

describe('escalation targets', () => {
  const team = makeTeam({ id: 'team_front', leadId: 'agt_lead' });
  const legalTeam = makeTeam({ id: 'team_legal', function: 'legal', leadId: 'agt_lawyer' });
  const agents = [
    makeAgent({ id: 'agt_a', name: 'Aiko', role: 'agent', managerId: 'agt_s' }),
    makeAgent({ id: 'agt_s', name: 'Sato', role: 'senior', managerId: 'agt_k' }),
    makeAgent({ id: 'agt_k', name: 'Kato', role: 'supervisor', managerId: 'agt_m' }),
    makeAgent({ id: 'agt_m', name: 'Mori', role: 'manager' }),
    makeAgent({ id: 'agt_lead', name: 'Lead', role: 'supervisor' }),
    makeAgent({ id: 'agt_lawyer', name: 'Yamada', role: 'senior' }),
  ];
  const ticket = makeTicket({ id: 'tkt_1', assigneeId: 'agt_a', teamId: 'team_front', escalationLevel: 0 });

  it('goes up the manager chain to the next level or to a role, raising the level', () => {
    expect(resolveEscalationTarget({ type: 'escalate', to: 'next_level' }, { ticket, agents, teams: [team] })).toMatchObject({ found: true, agentId: 'agt_s', level: 1 });
    const sup = resolveEscalationTarget({ type: 'escalate', to: 'supervisor' }, { ticket, agents, teams: [team] });
    expect(sup).toMatchObject({ found: true, agentId: 'agt_k', teamId: 'team_front', level: 1 });
    expect(sup.found && sup.via).toEqual(['assignee Aiko (agent)', 'manager Sato (senior)', 'manager Kato (supervisor)']);
  });

  it('skips inactive people, falls back to the team lead, and says when nobody is above', () => {
    const away = agents.map((a) => (a.id === 'agt_k' || a.id === 'agt_m' ? { ...a, active: false } : a));
    expect(resolveEscalationTarget({ type: 'escalate', to: 'supervisor' }, { ticket, agents: away, teams: [team] })).toMatchObject({ found: true, agentId: 'agt_lead' });
    const top = makeTicket({ id: 'tkt_2', assigneeId: 'agt_m', teamId: 'team_front' });
    const none = resolveEscalationTarget({ type: 'escalate', to: 'next_level' }, { ticket: top, agents, teams: [team] });
    expect(none).toMatchObject({ found: false, reason: expect.stringMatching(/nobody above Mori/) });
  });

  it('routes to the team serving a function, keeping the level', () => {
    expect(resolveEscalationTarget({ type: 'route_to_team', function: 'legal' }, { ticket, agents, teams: [team, legalTeam] })).toMatchObject({ found: true, teamId: 'team_legal', agentId: 'agt_lawyer', level: 0 });
    expect(resolveEscalationTarget({ type: 'route_to_team', function: 'security' }, { ticket, agents, teams: [team] })).toMatchObject({ found: false, reason: expect.stringMatching(/no team serves "security"/) });
  });
});
