import type { SignalKind } from '../domain/signal.js';
import type { EscalationRuleInput } from './rules.js';

/**
 * The confidence from which the recommended rules act on a threat or abuse by themselves. Below
 * it they only mark the ticket (`suspect_signal`) for an agent to confirm or dismiss, so one false
 * alarm never routes a ticket to security or labels an innocent customer. The built-in detector's
 * confidences are measured (docs/signals.md): explicit words ("I will sue", 「ぶっ殺す」) are at
 * 0.9 and above, readings of context ("I know where your office is", 「覚悟しておけ」) below.
 */
export const SIGNAL_CONFIDENCE_TO_ACT = 0.9;

const sure = (kind: SignalKind) => ({ all: [{ fact: 'signals.kinds', op: 'contains', value: kind }, { fact: `signals.confidence.${kind}`, op: 'gte', value: SIGNAL_CONFIDENCE_TO_ACT }] }) as const;
const unsure = (kind: SignalKind) => ({ all: [{ fact: 'signals.kinds', op: 'contains', value: kind }, { fact: `signals.confidence.${kind}`, op: 'lt', value: SIGNAL_CONFIDENCE_TO_ACT }] }) as const;

/**
 * Escalation rules that follow the source texts: a customer who insists on someone senior goes to
 * a supervisor; a legal threat goes to the legal team and a physical threat to security, and the
 * customer is flagged; an abusive customer is flagged so the next agent is prepared. Threats and
 * abuse are acted on only from {@link SIGNAL_CONFIDENCE_TO_ACT}; below it the ticket carries a
 * suspected signal until an agent confirms it (`desk.confirmSignal`, which sets the flag) or
 * dismisses it (`desk.dismissSignal`); each message raises its own suspicion. Needs teams with the functions `legal` and `security`.
 * Copy and adapt them, or use them as they are.
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
    condition: sure('legal_threat'),
    actions: [
      { type: 'route_to_team', function: 'legal' },
      { type: 'flag_customer', kind: 'legal_threat', reason: 'threatened legal action' },
    ],
  },
  {
    id: 'recommended.legal-threat-suspected',
    name: 'A possible legal threat waits for an agent to confirm it',
    trigger: { on: 'signal.detected' },
    condition: unsure('legal_threat'),
    mode: 'every',
    actions: [{ type: 'suspect_signal', kind: 'legal_threat', flag: 'legal_threat', reason: 'threatened legal action' }],
  },
  {
    id: 'recommended.physical-threat',
    name: 'A physical threat goes to security, and the customer is flagged',
    trigger: { on: 'signal.detected' },
    condition: sure('physical_threat'),
    actions: [
      { type: 'route_to_team', function: 'security' },
      { type: 'flag_customer', kind: 'physical_threat', reason: 'made a physical threat' },
      { type: 'set_priority', priority: 'urgent' },
    ],
  },
  {
    id: 'recommended.physical-threat-suspected',
    name: 'A possible physical threat waits for an agent to confirm it, at high priority',
    trigger: { on: 'signal.detected' },
    condition: unsure('physical_threat'),
    mode: 'every',
    actions: [
      { type: 'suspect_signal', kind: 'physical_threat', flag: 'physical_threat', reason: 'made a physical threat' },
      { type: 'set_priority', priority: 'high' },
    ],
  },
  {
    id: 'recommended.abuse',
    name: 'An abusive customer is flagged so the next agent is prepared',
    trigger: { on: 'signal.detected' },
    condition: sure('abuse'),
    actions: [{ type: 'flag_customer', kind: 'abusive', reason: 'abusive or vulgar language' }],
  },
  {
    id: 'recommended.abuse-suspected',
    name: 'Possibly abusive words wait for an agent to confirm them',
    trigger: { on: 'signal.detected' },
    condition: unsure('abuse'),
    mode: 'every',
    actions: [{ type: 'suspect_signal', kind: 'abuse', flag: 'abusive', reason: 'abusive or vulgar language' }],
  },
]);
