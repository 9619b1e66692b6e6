import type { EscalationRuleInput } from './rules.js';

/**
 * Escalation rules that follow the source texts: a customer who insists on someone senior goes to
 * a supervisor; a legal threat goes to the legal team and a physical threat to security, and the
 * customer is flagged; an abusive customer is flagged so the next agent is prepared. Needs teams
 * with the functions `legal` and `security`. Copy and adapt them, or use them as they are.
 *
 * @example
 * ```ts
 * createServiceDesk({ storage, escalation: [...RECOMMENDED_ESCALATION_RULES, ...myRules] });
 * ```
 */
export const RECOMMENDED_ESCALATION_RULES: ReadonlyArray<EscalationRuleInput> = Object.freeze([
  {
    id: 'recommended.supervisor-request',
    name: 'A customer who insists on someone more senior goes to a supervisor',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'supervisor_request' },
    actions: [{ type: 'escalate', to: 'supervisor' }],
  },
  {
    id: 'recommended.legal-threat',
    name: 'A legal threat goes to the legal team, and the customer is flagged',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'legal_threat' },
    actions: [
      { type: 'route_to_team', function: 'legal' },
      { type: 'flag_customer', kind: 'legal_threat', reason: 'threatened legal action' },
    ],
  },
  {
    id: 'recommended.physical-threat',
    name: 'A physical threat goes to security, and the customer is flagged',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'physical_threat' },
    actions: [
      { type: 'route_to_team', function: 'security' },
      { type: 'flag_customer', kind: 'physical_threat', reason: 'made a physical threat' },
      { type: 'set_priority', priority: 'urgent' },
    ],
  },
  {
    id: 'recommended.abuse',
    name: 'An abusive customer is flagged so the next agent is prepared',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'abuse' },
    actions: [{ type: 'flag_customer', kind: 'abusive', reason: 'abusive or vulgar language' }],
  },
]);
