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
 * The two rules of a threat or abuse: from the confidence to act, route (if a team serves it),
 * flag and raise the priority; below it, a suspicion with the same flag for an agent to confirm
 * (each message raises its own).
 */
function acting(kind: SignalKind, consequence: { flag: string; reason: string; route?: string; priority?: readonly ['urgent' | 'high', 'urgent' | 'high'] }, names: readonly [string, string]): EscalationRuleInput[] {
  const id = `recommended.${kind.replace('_', '-')}`;
  const [sureName, unsureName] = names;
  const priority = consequence.priority;
  return [
    {
      id,
      name: sureName,
      trigger: { on: 'signal.detected' },
      condition: sure(kind),
      actions: [
        ...(consequence.route === undefined ? [] : [{ type: 'route_to_team' as const, function: consequence.route }]),
        { type: 'flag_customer', kind: consequence.flag, reason: consequence.reason },
        ...(priority === undefined ? [] : [{ type: 'set_priority' as const, priority: priority[0] }]),
      ],
    },
    {
      id: `${id}-suspected`,
      name: unsureName,
      trigger: { on: 'signal.detected' },
      condition: unsure(kind),
      mode: 'every',
      actions: [{ type: 'suspect_signal', kind, flag: consequence.flag, reason: consequence.reason }, ...(priority === undefined ? [] : [{ type: 'set_priority' as const, priority: priority[1] }])],
    },
  ];
}

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
  ...acting('legal_threat', { flag: 'legal_threat', reason: 'threatened legal action', route: 'legal' }, ['A legal threat goes to the legal team, and the customer is flagged', 'A possible legal threat waits for an agent to confirm it']),
  ...acting('physical_threat', { flag: 'physical_threat', reason: 'made a physical threat', route: 'security', priority: ['urgent', 'high'] }, [
    'A physical threat goes to security, and the customer is flagged',
    'A possible physical threat waits for an agent to confirm it, at high priority',
  ]),
  ...acting('abuse', { flag: 'abusive', reason: 'abusive or vulgar language' }, ['An abusive customer is flagged so the next agent is prepared', 'Possibly abusive words wait for an agent to confirm them']),
]);
