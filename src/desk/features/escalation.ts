import { ConfigError } from '../../errors.js';
import { factsWithFields, type FieldSet } from '../../fields/define.js';
import type { FactSchema } from '../../rules/facts.js';
import type { SlaConfig } from '../../sla/policy.js';
import type { TemplateRegistry } from '../../notify/templates.js';
import type { NotifierPort } from '../../ports/notifier.js';
import { LIMIT_RULE_PREFIX, agentLimitRules, type AgentLimitInput } from '../../escalation/limits.js';
import { LADDER_RULE_PREFIX, compileLadders, type EscalationLadderInput, type LadderLevel } from '../../escalation/ladders.js';
import { ESCALATION_FACT_SCHEMA, defineEscalationRules as compileRules, type CompiledRule, type EscalationRuleInput, type EscalationRules } from '../../escalation/rules.js';
import { ladderChanges, timeRuleChanges, timeRules } from '../../escalation/timers.js';
import { createEscalation } from '../commands/escalation.js';
import { withDeskParts, type DeskFeature } from '../feature.js';

/** Escalation rules as `createServiceDesk({ escalation })` takes them: from {@link defineEscalationRules}. */
export type EscalationSetup = EscalationRules & DeskFeature<'escalation'>;

/** Escalation ladders as `createServiceDesk({ escalationLadders })` takes them: from {@link defineEscalationLadders}. */
export interface EscalationLadders extends DeskFeature<'escalation'> {
  /** Marks validated ladders. */
  readonly kind: 'escalation-ladders';
  /** Every level of every ladder, with the rule it runs as. */
  readonly levels: ReadonlyArray<LadderLevel>;
  /** The ladders as they were given. */
  readonly source: ReadonlyArray<EscalationLadderInput>;
}

/** Agent limits as `createServiceDesk({ agentLimits })` takes them: from {@link defineAgentLimits}. */
export interface AgentLimits extends DeskFeature<'escalation'> {
  /** Marks validated limits. */
  readonly kind: 'agent-limits';
  /** The limits as they were given. */
  readonly source: ReadonlyArray<AgentLimitInput>;
}

/** What a desk's escalation options come to. */
export interface BuiltEscalation {
  readonly rules: EscalationRules | undefined;
  /** The time rules among them (ladder levels are timed by their SLA clocks instead). */
  readonly rulesOnTime: ReadonlyArray<CompiledRule>;
  readonly ladders: ReadonlyArray<LadderLevel>;
  readonly usesLimitFacts: boolean;
}

/** What building a desk's escalation reads besides its own options. */
export interface EscalationContext {
  readonly sla: SlaConfig | undefined;
  readonly fields: FieldSet | undefined;
  readonly notifiers: ReadonlyArray<NotifierPort>;
  readonly templates: TemplateRegistry | undefined;
}

/**
 * The desk's escalation rules: the user's rules and the rules their agent limits and ladders
 * compile to, checked together, with the SLA calendars and the custom fields.
 */
function build(given: { escalation?: EscalationSetup; agentLimits?: AgentLimits; escalationLadders?: EscalationLadders }, ctx: EscalationContext): BuiltEscalation {
  const ladderInput = given.escalationLadders?.source ?? [];
  if (ladderInput.length > 0 && ctx.sla === undefined) throw new ConfigError('escalationLadders', 'ladders climb SLA clocks: pass createServiceDesk({ sla: defineSlaConfig(...) }) too');
  const ladders = compileLadders(ladderInput);
  const own = given.escalation?.source ?? [];
  // Generated rules are told apart by these prefixes, so users' rules may not take them.
  own.forEach((r, i) => {
    if (typeof r?.id === 'string' && (r.id.startsWith(LADDER_RULE_PREFIX) || r.id.startsWith(LIMIT_RULE_PREFIX))) {
      throw new ConfigError(`escalation.rules[${i}].id`, `"${r.id}": ids starting with "${LADDER_RULE_PREFIX}" or "${LIMIT_RULE_PREFIX}" are kept for ladders and agent limits`);
    }
  });
  const all = [...own, ...agentLimitRules(given.agentLimits?.source ?? []), ...ladders.rules];
  if (given.escalation === undefined && all.length === 0) return { rules: undefined, rulesOnTime: [], ladders: [], usesLimitFacts: false };
  const facts = factsWithFields(ESCALATION_FACT_SCHEMA, ctx);
  const rules = compileRules(all, { calendars: ctx.sla === undefined ? [] : [...ctx.sla.calendars.keys()], ...(facts === undefined ? {} : { facts }) });
  checkNotices(rules, ctx.notifiers, ctx.templates);
  return { rules, rulesOnTime: timeRules(rules), ladders: ladders.levels, usesLimitFacts: rules.rules.some((r) => r.id.startsWith(LIMIT_RULE_PREFIX)) };
}

/** Escalation notices go through the outbox: they need a notifier, and the templates they name. */
function checkNotices(escalation: EscalationRules, notifiers: ReadonlyArray<NotifierPort>, templates: TemplateRegistry | undefined): void {
  for (const rule of escalation.rules) {
    for (const action of rule.actions) {
      const template = action.type === 'notify' ? action.template : action.type === 'request_callback' ? 'callback_request' : undefined;
      if (template === undefined) continue;
      if (notifiers.length === 0) {
        throw new ConfigError('notifiers', `escalation rule "${rule.id}" sends notices (${action.type}): pass createServiceDesk({ notifiers: [...] }) (e.g. createConsoleNotifier())`);
      }
      if (templates !== undefined && !templates.has(template)) {
        throw new ConfigError(`escalation.rules.${rule.id}`, `there is no template "${template}" in createServiceDesk({ templates }) (known: ${templates.names.join(', ') || 'none'})`);
      }
    }
  }
}

/** The escalation code a desk runs: building the rules, the escalation stage, the timers of time rules and ladders. */
export const ESCALATION_PARTS = { build, createEscalation, timeRuleChanges, ladderChanges };

/** See {@link ESCALATION_PARTS}. */
export type EscalationParts = typeof ESCALATION_PARTS;

/**
 * Validate escalation rules: triggers, conditions (against the escalation facts, with `fields`'
 * custom fields, or `facts`), actions, reachability. The result is what
 * `createServiceDesk({ escalation })` takes; the desk checks the rules again with its SLA
 * calendars, agent limits and ladders. Rules that can never match, rules that can never be
 * reached and reassignment cycles are `ConfigError`s; the merely suspicious are `warnings`.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, createServiceDesk, createSignalDetector, defineEscalationRules, RECOMMENDED_ESCALATION_RULES } from 'omotenashi';
 *
 * const desk = createServiceDesk({ storage: createMemoryStorage(), signals: createSignalDetector(), escalation: defineEscalationRules(RECOMMENDED_ESCALATION_RULES) });
 * ```
 * @throws ConfigError naming the rule and field.
 */
export function defineEscalationRules(input: ReadonlyArray<EscalationRuleInput>, options: { readonly fields?: FieldSet; readonly facts?: FactSchema; readonly calendars?: ReadonlyArray<string> } = {}): EscalationSetup {
  const facts = factsWithFields(ESCALATION_FACT_SCHEMA, options);
  return withDeskParts(compileRules(input, { ...(facts === undefined ? {} : { facts }), ...(options.calendars === undefined ? {} : { calendars: options.calendars }) }), 'escalation', ESCALATION_PARTS);
}

/**
 * Validate escalation ladders on SLA clocks: levels at a percentage of the target, before or
 * after the breach, or after an absolute delay, each firing once per clock cycle. The result is
 * what `createServiceDesk({ escalationLadders })` takes (with `sla`).
 *
 * @example
 * ```ts
 * const ladders = defineEscalationLadders([{ id: 'resolution', metric: 'resolution', levels: [
 *   { at: { percent: 75 }, actions: [{ type: 'add_tag', tag: 'at-risk' }] },
 *   { at: { afterBreach: 'PT1H' }, actions: [{ type: 'escalate', to: 'manager' }], urgent: true },
 * ] }]);
 * ```
 * @throws ConfigError naming the ladder and field.
 */
export function defineEscalationLadders(input: ReadonlyArray<EscalationLadderInput>): EscalationLadders {
  const { levels } = compileLadders(input);
  return withDeskParts({ kind: 'escalation-ladders' as const, levels, source: input }, 'escalation', ESCALATION_PARTS);
}

/**
 * Validate personal limits for difficult customers (hostility, complexity, time with the
 * customer), per role or agent. The result is what `createServiceDesk({ agentLimits })` takes:
 * passing one hands the ticket to the next level with the reason.
 *
 * @example
 * ```ts
 * const limits = defineAgentLimits([{ id: 'new-agents', appliesTo: { role: 'agent' }, hostility: 3, timeWithCustomer: 'PT45M' }]);
 * ```
 * @throws ConfigError naming the limit and field.
 */
export function defineAgentLimits(input: ReadonlyArray<AgentLimitInput>): AgentLimits {
  agentLimitRules(input);
  return withDeskParts({ kind: 'agent-limits' as const, source: input }, 'escalation', ESCALATION_PARTS);
}

