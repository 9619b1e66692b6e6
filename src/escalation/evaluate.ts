import type { ConditionExplanation } from '../rules/condition.js';
import type { CompiledRule, EscalationAction, EscalationEvent, EscalationRules } from './rules.js';

/** What a rule remembers about one ticket, so it never fires twice for one occurrence. */
export interface RuleMemory {
  /** How often it fired on this ticket. */
  readonly fired: number;
  /** For `rearm` rules: whether the condition must turn false before it may fire again. */
  readonly disarmed: boolean;
  /** The occurrences it has already handled (event keys), most recent last, bounded. */
  readonly seen: ReadonlyArray<string>;
}

/** Every rule's memory for one ticket, by rule id. Store it with the ticket. */
export type EscalationState = Readonly<Record<string, RuleMemory>>;

/** One rule that fired: its actions, and why (the leaves that matched, with the fact values). */
export interface FiredRule {
  /** The rule. */
  readonly ruleId: string;
  /** Its name. */
  readonly name: string;
  /** Its actions, in order. */
  readonly actions: ReadonlyArray<EscalationAction>;
  /** Why it matched. */
  readonly because: ConditionExplanation;
}

/** The result of {@link evaluateEscalation}. */
export interface EscalationDecision {
  /** The rules that fired, in order. */
  readonly fired: ReadonlyArray<FiredRule>;
  /** The memory to store for the next evaluation. */
  readonly state: EscalationState;
}

const SEEN_LIMIT = 50;

/**
 * Run the rules that listen to one event on one ticket: a pure function. Only the event's own
 * rules are touched (they are indexed by trigger). A rule fires when its condition holds and
 * (`once`) it never fired on this ticket, or (`rearm`) its condition was false since it last
 * fired; and never twice for the same occurrence (`occurrence`, e.g. `sla.breached:resolution#1`),
 * so a re-delivered event changes nothing.
 *
 * @example
 * ```ts
 * const rules = defineEscalationRules([{ id: 'angry', name: 'Angry customer', trigger: { on: 'signal.detected' },
 *   condition: { fact: 'signals.kinds', op: 'contains', value: 'emotion' }, actions: [{ type: 'escalate', to: 'supervisor' }] }]);
 * const { fired, state } = evaluateEscalation({ rules, event: 'signal.detected', occurrence: interaction.id, facts, state: {} });
 * ```
 */
export function evaluateEscalation(input: {
  rules: EscalationRules;
  event: EscalationEvent | 'time';
  /** A key naming this occurrence of the event (an interaction id, an SLA clock and cycle, a timer key). */
  occurrence: string;
  /** Facts as described by `ESCALATION_FACT_SCHEMA`. */
  facts: object;
  state: EscalationState;
  /** For time triggers: only these rules (the ones whose timer fell due). */
  only?: ReadonlyArray<string>;
}): EscalationDecision {
  const candidates: ReadonlyArray<CompiledRule> = input.rules.byEvent.get(input.event) ?? [];
  const state: Record<string, RuleMemory> = { ...input.state };
  const fired: FiredRule[] = [];
  for (const rule of candidates) {
    if (input.only !== undefined && !input.only.includes(rule.id)) continue;
    const memory = state[rule.id] ?? { fired: 0, disarmed: false, seen: [] };
    if (memory.seen.includes(input.occurrence)) continue;
    const holds = rule.condition(input.facts);
    const seen = [...memory.seen, input.occurrence].slice(-SEEN_LIMIT);
    if (!holds) {
      state[rule.id] = { ...memory, disarmed: false, seen };
      continue;
    }
    const may = rule.mode === 'once' ? memory.fired === 0 : !memory.disarmed;
    if (!may) {
      state[rule.id] = { ...memory, seen };
      continue;
    }
    state[rule.id] = { fired: memory.fired + 1, disarmed: true, seen };
    fired.push({ ruleId: rule.id, name: rule.name, actions: rule.actions, because: rule.condition.explain(input.facts) });
    if (rule.stop) break;
  }
  return { fired, state };
}
