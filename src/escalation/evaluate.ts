import type { ConditionExplanation } from '../rules/condition.js';
import type { CompiledRule, EscalationAction, EscalationEvent, EscalationRules } from './rules.js';

/** What a rule remembers about one ticket, so it never fires twice for one occurrence. */
export interface RuleMemory {
  /** How often it fired on this ticket. */
  readonly fired: number;
  /** For `rearm` rules: whether the condition must turn false before it may fire again. */
  readonly disarmed: boolean;
  /** The occurrences it fired on (event keys), most recent last, bounded. */
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
  /** Why it matched: the leaves with the fact values they saw (computed when first read). */
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

/** A fired rule whose explanation is worked out when first read (most callers read it once, some never). */
function firedRule(rule: CompiledRule, facts: object): FiredRule {
  let because: ConditionExplanation | undefined;
  return {
    ruleId: rule.id,
    name: rule.name,
    actions: rule.actions,
    get because() {
      because ??= rule.condition.explain(facts);
      return because;
    },
  };
}

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
  // Copy-on-write: most events change no rule's memory, so most evaluations allocate nothing.
  let state: Record<string, RuleMemory> | undefined;
  const write = (id: string, memory: RuleMemory): void => {
    state ??= { ...input.state };
    state[id] = memory;
  };
  const fired: FiredRule[] = [];
  for (const rule of candidates) {
    if (input.only !== undefined && !input.only.includes(rule.id)) continue;
    const memory = input.state[rule.id];
    // Only firings are remembered by occurrence: a rule that did not fire cannot fire twice.
    if (memory !== undefined && memory.seen.includes(input.occurrence)) continue;
    if (!rule.condition(input.facts)) {
      if (memory?.disarmed === true) write(rule.id, { ...memory, disarmed: false });
      continue;
    }
    if (memory !== undefined && (rule.mode === 'once' ? memory.fired > 0 : rule.mode === 'rearm' ? memory.disarmed : false)) continue;
    write(rule.id, { fired: (memory?.fired ?? 0) + 1, disarmed: true, seen: [...(memory?.seen ?? []), input.occurrence].slice(-SEEN_LIMIT) });
    fired.push(firedRule(rule, input.facts));
    if (rule.stop) break;
  }
  return { fired, state: state ?? input.state };
}
