import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { toMillis } from '../domain/common.js';
import { ConditionSchema, compileCondition, type CompiledCondition, type Condition, type FactCondition } from '../rules/condition.js';
import { ESCALATION_EVENTS, EscalationActionSchema, EscalationTriggerSchema, type EscalationAction, type EscalationEvent } from '../domain/escalation.js';
import { TICKET_FACT_SCHEMA, validateCondition, type FactSchema } from '../rules/facts.js';
import { SIGNAL_KINDS } from '../signals/lexicon.js';

export { ESCALATION_EVENTS, EscalationActionSchema, EscalationTriggerSchema } from '../domain/escalation.js';
export type { EscalationAction, EscalationEvent, EscalationTrigger } from '../domain/escalation.js';

/** Schema of an {@link EscalationRuleInput}. */
export const EscalationRuleSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'use letters, digits, "_", "-" or "."'),
    name: z.string().trim().min(1),
    trigger: EscalationTriggerSchema,
    condition: ConditionSchema.default({ all: [] }),
    actions: z.array(EscalationActionSchema).min(1, 'a rule needs at least one action'),
    /**
     * `once` (default): at most once per ticket. `rearm`: again after the condition was false in
     * between. `every`: on every new occurrence where the condition holds (each breach, each cycle).
     */
    mode: z.enum(['once', 'rearm', 'every']).default('once'),
    /** Stop evaluating later rules for the same event when this one fires. */
    stop: z.boolean().default(false),
  })
  .strict();
/** An escalation rule as data: a trigger, a condition, ordered actions. */
export type EscalationRuleInput = z.input<typeof EscalationRuleSchema>;

/** The facts escalation conditions can use: ticket facts, the event, and the interaction's signals. */
export const ESCALATION_FACT_SCHEMA: FactSchema = Object.freeze({
  ...TICKET_FACT_SCHEMA,
  'event.type': { type: 'string', values: [...ESCALATION_EVENTS, 'time'] },
  'event.metric': { type: 'string' },
  'event.score': { type: 'number' },
  'event.csat': { type: 'number' },
  'event.nps': { type: 'number' },
  'event.ces': { type: 'number' },
  'event.solved': { type: 'boolean' },
  'event.low': { type: 'boolean' },
  'assignee.id': { type: 'string' },
  'assignee.role': { type: 'string', values: ['agent', 'senior', 'supervisor', 'manager'] },
  'ticket.hostility': { type: 'number' },
  'ticket.complexity': { type: 'number' },
  'ticket.handlingMs': { type: 'number' },
  'sla.elapsedMs': { type: 'number' },
  'sla.targetMs': { type: 'number' },
  'sla.percentUsed': { type: 'number' },
  'sla.remainingMs': { type: 'number' },
  'sla.overdueMs': { type: 'number' },
  'sla.sinceStartMs': { type: 'number' },
  'signals.kinds': { type: 'array', items: 'string', values: SIGNAL_KINDS },
  'signals.labels': { type: 'array', items: 'string' },
  'signals.confidence.emotion': { type: 'number' },
  'signals.confidence.supervisor_request': { type: 'number' },
  'signals.confidence.legal_threat': { type: 'number' },
  'signals.confidence.physical_threat': { type: 'number' },
  'signals.confidence.abuse': { type: 'number' },
  'signals.confidence.gratitude': { type: 'number' },
});

/** A validated rule. */
export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly trigger: z.output<typeof EscalationTriggerSchema>;
  /** For time triggers: the delay in ms. */
  readonly afterMs?: number;
  readonly condition: CompiledCondition;
  readonly actions: ReadonlyArray<EscalationAction>;
  readonly mode: 'once' | 'rearm' | 'every';
  readonly stop: boolean;
}

/** Validated rules, indexed by trigger so an event touches only its own rules. */
export interface EscalationRules {
  /** Marks a validated rule set. */
  readonly kind: 'escalation-rules';
  /** Every rule, in order. */
  readonly rules: ReadonlyArray<CompiledRule>;
  /** The rules of each event, in order. */
  readonly byEvent: ReadonlyMap<EscalationEvent | 'time', ReadonlyArray<CompiledRule>>;
  /** Things that are allowed but look wrong. */
  readonly warnings: ReadonlyArray<string>;
  /** The rules as they were given, so a desk can check them again with its calendars and ladders. */
  readonly source: ReadonlyArray<EscalationRuleInput>;
}

/** The leaves an `all` requires directly (nested `all`s flattened; `any` and `not` left alone). */
function requiredLeaves(c: Condition): FactCondition[] {
  if ('all' in c) return c.all.flatMap(requiredLeaves);
  if ('fact' in c) return [c];
  return [];
}

/** Why a set of required leaves on one fact can never hold together, or null. */
function contradiction(leaves: ReadonlyArray<FactCondition>): string | null {
  let allowed: Set<unknown> | null = null;
  const excluded = new Set<unknown>();
  let lo = -Infinity;
  let loStrict = false;
  let hi = Infinity;
  let hiStrict = false;
  for (const l of leaves) {
    const narrow = (values: unknown[]): void => {
      allowed = allowed === null ? new Set(values) : new Set(values.filter((v) => (allowed as Set<unknown>).has(v)));
    };
    if (l.op === 'eq') narrow([l.value]);
    else if (l.op === 'in' && Array.isArray(l.value)) narrow(l.value);
    else if (l.op === 'neq') excluded.add(l.value);
    else if (l.op === 'nin' && Array.isArray(l.value)) for (const v of l.value) excluded.add(v);
    else if ((l.op === 'gt' || l.op === 'gte') && typeof l.value === 'number' && (l.value > lo || (l.value === lo && l.op === 'gt'))) {
      lo = l.value;
      loStrict = l.op === 'gt';
    } else if ((l.op === 'lt' || l.op === 'lte') && typeof l.value === 'number' && (l.value < hi || (l.value === hi && l.op === 'lt'))) {
      hi = l.value;
      hiStrict = l.op === 'lt';
    }
  }
  const remaining = allowed === null ? null : [...(allowed as Set<unknown>)].filter((v) => !excluded.has(v));
  if (remaining !== null && remaining.length === 0) return 'no value satisfies its eq/in/neq/nin leaves together';
  if (lo > hi || (lo === hi && (loStrict || hiStrict))) return `no number is ${loStrict ? '>' : '≥'} ${lo} and ${hiStrict ? '<' : '≤'} ${hi}`;
  if (remaining !== null && (lo !== -Infinity || hi !== Infinity)) {
    const fits = remaining.some((v) => typeof v === 'number' && (loStrict ? v > lo : v >= lo) && (hiStrict ? v < hi : v <= hi));
    if (!fits) return 'none of its allowed values fits its numeric bounds';
  }
  return null;
}

/** Team moves a rule makes when a ticket sits in a given team: `from` → `to`, for cycle detection. */
function teamMoves(rule: z.output<typeof EscalationRuleSchema>): Array<{ from: string; to: string }> {
  const from = requiredLeaves(rule.condition as Condition).find((l) => l.fact === 'ticket.teamId' && l.op === 'eq' && typeof l.value === 'string')?.value as string | undefined;
  if (from === undefined) return [];
  return rule.actions.flatMap((a) => (a.type === 'reassign' && a.teamId !== undefined ? [{ from, to: a.teamId }] : []));
}

/**
 * Validate escalation rules once: structure, conditions against the facts they see, and static
 * checks. Rules that can never match (contradictory conditions on one fact), rules that can never
 * be reached (after a catch-all `stop` rule on the same event) and reassignment cycles are
 * `ConfigError`s; the merely suspicious are returned as `warnings`.
 *
 * @throws ConfigError naming the rule and field.
 */
export function defineEscalationRules(input: ReadonlyArray<EscalationRuleInput>, options: { facts?: FactSchema; calendars?: ReadonlyArray<string> } = {}): EscalationRules {
  const facts = options.facts ?? ESCALATION_FACT_SCHEMA;
  const parsed = z.array(EscalationRuleSchema).safeParse(input);
  if (!parsed.success) throw ConfigError.fromZod('escalation.rules', parsed.error);
  const warnings: string[] = [];
  const seen = new Set<string>();
  const rules: CompiledRule[] = parsed.data.map((r, i) => {
    const at = `escalation.rules[${i}]`;
    if (seen.has(r.id)) throw new ConfigError(`${at}.id`, `rule id "${r.id}" is used twice`);
    seen.add(r.id);
    const condition = r.condition as Condition;
    validateCondition(condition, facts, { path: `${at}.condition` });
    const byFact = new Map<string, FactCondition[]>();
    for (const leaf of requiredLeaves(condition)) byFact.set(leaf.fact, [...(byFact.get(leaf.fact) ?? []), leaf]);
    for (const [fact, leaves] of byFact) {
      const why = contradiction(leaves);
      if (why !== null) throw new ConfigError(`${at}.condition`, `rule "${r.id}" can never match: on "${fact}", ${why}`);
    }
    let afterMs: number | undefined;
    if (r.trigger.on === 'time') {
      afterMs = toMillis(r.trigger.after, `${at}.trigger.after`);
      if (r.trigger.calendar !== undefined && options.calendars !== undefined && !options.calendars.includes(r.trigger.calendar)) {
        throw new ConfigError(`${at}.trigger.calendar`, `no calendar "${r.trigger.calendar}"; known: ${options.calendars.join(', ') || 'none'}`);
      }
    }
    const usesSignals = [...byFact.keys()].some((f) => f.startsWith('signals.'));
    if (usesSignals && r.trigger.on !== 'signal.detected' && r.trigger.on !== 'interaction.received') {
      warnings.push(`rule "${r.id}" reads signals but runs on ${r.trigger.on}, where there are none`);
    }
    if (byFact.size === 0 && !('any' in condition) && !('not' in condition) && r.actions.some((a) => a.type === 'escalate' || a.type === 'route_to_team')) {
      warnings.push(`rule "${r.id}" escalates every ticket on ${r.trigger.on}: add a condition`);
    }
    return {
      id: r.id,
      name: r.name,
      position: i,
      trigger: r.trigger,
      ...(afterMs === undefined ? {} : { afterMs }),
      condition: compileCondition(condition, { path: `${at}.condition` }),
      actions: r.actions,
      mode: r.mode,
      stop: r.stop,
    };
  });
  // A catch-all rule that stops evaluation hides every later rule on the same event.
  parsed.data.forEach((r, i) => {
    if (!r.stop || requiredLeaves(r.condition as Condition).length > 0 || !('all' in r.condition) || r.condition.all.length > 0 || r.trigger.on === 'time') return;
    const later = parsed.data.findIndex((x, j) => j > i && x.trigger.on === r.trigger.on);
    if (later >= 0) {
      throw new ConfigError(`escalation.rules[${later}]`, `rule "${parsed.data[later]?.id}" can never run: rule "${r.id}" before it matches every ${r.trigger.on} and stops`);
    }
  });
  // Reassignment cycles: team A → B → ... → A.
  const edges = parsed.data.flatMap((r) => teamMoves(r).map((m) => ({ ...m, rule: r.id })));
  const next = new Map<string, Array<{ to: string; rule: string }>>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), { to: e.to, rule: e.rule }]);
  const visit = (team: string, path: Array<{ team: string; rule: string }>): void => {
    for (const step of next.get(team) ?? []) {
      const loop = path.findIndex((p) => p.team === step.to);
      if (loop >= 0) {
        // path[k].rule moved the ticket into path[k].team, so the loop's rules start after `loop`.
        const rulesInLoop = [...path.slice(loop + 1).map((p) => p.rule), step.rule];
        throw new ConfigError('escalation.rules', `reassignment cycle ${[...path.slice(loop).map((p) => p.team), step.to].join(' → ')} through rules ${[...new Set(rulesInLoop)].join(', ')}`);
      }
      if (path.length < 50) visit(step.to, [...path, { team: step.to, rule: step.rule }]);
    }
  };
  for (const from of next.keys()) visit(from, [{ team: from, rule: '' }]);

  const byEvent = new Map<EscalationEvent | 'time', CompiledRule[]>();
  for (const r of rules) byEvent.set(r.trigger.on, [...(byEvent.get(r.trigger.on) ?? []), r]);
  return { kind: 'escalation-rules', rules, byEvent, warnings, source: input };
}
