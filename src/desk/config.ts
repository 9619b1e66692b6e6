import * as z from 'zod';
import { DurationSchema, toMillis, type Duration } from '../domain/common.js';
import { ConfigError } from '../errors.js';
import { EVENT_NAMES } from '../events.js';
import type { SignalDetectorPort } from '../signals/detect.js';
import type { SlaConfig } from '../sla/policy.js';
import type { SlaParts } from './features/sla.js';
import { deskParts } from './feature.js';
import type { LadderLevel } from '../escalation/ladders.js';
import type { CompiledRule, EscalationRules } from '../escalation/rules.js';
import type { EscalationParts } from './features/escalation.js';
import type { FieldSet } from '../fields/define.js';
import type { FollowUpConfig } from '../followup/plan.js';
import type { FollowUpParts } from './features/followups.js';
import type { SuggestionConfig } from '../suggestions/config.js';
import type { Catalog } from '../domain/catalog.js';
import type { OfferParts } from './features/offers.js';
import type { KnowledgeParts } from './features/knowledge.js';
import type { TemplateRegistry } from '../notify/templates.js';
import type { NotifierPort } from '../ports/notifier.js';
import { guardNotifier } from './guard.js';
import type { DeliveryPolicy } from './outbox.js';
import type { ServiceDeskOptions } from './options.js';
import type { RoutingConfig } from '../routing/config.js';
import type { RoutingParts } from './features/routing.js';
import { DeliveryOptionsSchema, PruneOptionsSchema, RetentionRuleSchema } from './schemas.js';

/** Everything a desk's options come to, validated once at creation. */
export interface DeskConfig {
  readonly sla: SlaConfig | undefined;
  /** The desk code the options' values brought (a feature left out brings none). */
  readonly parts: DeskParts;
  readonly ladders: ReadonlyArray<LadderLevel>;
  readonly escalation: EscalationRules | undefined;
  /** The escalation rules on time (`{ on: 'time' }`), whose timers follow each ticket. */
  readonly rulesOnTime: ReadonlyArray<CompiledRule>;
  /** Whether some rule needs the agent-limit facts (which read the ticket's messages and the agents). */
  readonly usesLimitFacts: boolean;
  readonly detector: SignalDetectorPort | undefined;
  readonly notifiers: ReadonlyArray<NotifierPort>;
  readonly followUps: FollowUpConfig | undefined;
  readonly templates: TemplateRegistry | undefined;
  readonly delivery: DeliveryPolicy;
  /** The catalog and the suggestion settings, when the desk has a catalog. */
  readonly offers: { readonly catalog: Catalog; readonly suggestions: SuggestionConfig } | undefined;
  readonly routing: RoutingConfig | undefined;
  /** The custom field definitions, when given. */
  readonly fields: FieldSet | undefined;
  /** What closing or resolving a parent with open child tickets does. */
  readonly links: { readonly openChildren: 'refuse' | 'cascade' };
  /** The retention the desk runs itself, when given. */
  readonly retention: RetentionRule | undefined;
  /** The pruning of expired idempotency keys the desk runs itself, when given. */
  readonly pruning: { readonly everyMs: number; readonly limit: number } | undefined;
}

/** The desk code of each feature the options brought. */
export interface DeskParts {
  readonly sla: SlaParts | undefined;
  readonly escalation: EscalationParts | undefined;
  readonly followUps: FollowUpParts | undefined;
  readonly routing: RoutingParts | undefined;
  readonly offers: OfferParts | undefined;
  readonly knowledge: KnowledgeParts | undefined;
}

/** The options that bring escalation, with their definers. */
const ESCALATION_OPTIONS = [
  ['escalation', 'defineEscalationRules'],
  ['agentLimits', 'defineAgentLimits'],
  ['escalationLadders', 'defineEscalationLadders'],
] as const;

/** The catalog with its suggestion settings: they tune what a catalog's offers are, so they need one. */
function offersFor(options: ServiceDeskOptions, offers: OfferParts | undefined): DeskConfig['offers'] {
  if (options.catalog === undefined || offers === undefined) {
    if (options.suggestions !== undefined) throw new ConfigError('suggestions', 'suggestion settings tune the offers of a catalog: pass createServiceDesk({ catalog: defineCatalog([...]) }) too');
    return undefined;
  }
  return { catalog: options.catalog, suggestions: offers.suggestionsOf(options.suggestions) };
}

/** A validated `retention` option. */
export interface RetentionRule {
  readonly closedFor: Duration;
  readonly everyMs: number;
  readonly limit: number;
}

/** A housekeeping option checked: its own fields, and `every` as a period of at least a minute. */
function periodic<S extends z.ZodObject>(schema: S, given: unknown, where: string, example: string): (z.output<S> & { everyMs: number }) | undefined {
  if (given === undefined) return undefined;
  const parsed = schema.safeParse(given);
  if (!parsed.success) throw ConfigError.fromZod(where, parsed.error);
  const data = parsed.data as z.output<S> & { every: Duration };
  const everyMs = toMillis(data.every, `${where}.every`);
  if (everyMs < 60_000) throw new ConfigError(`${where}.every`, `run it at most once a minute, e.g. ${example}`);
  return { ...data, everyMs };
}

const RetentionOptionSchema = RetentionRuleSchema.extend({ every: DurationSchema.default('P1D') });
const PruneOptionSchema = PruneOptionsSchema.extend({ every: DurationSchema.default('PT1H') });

/** The `retention` option, checked: durations that parse, a run at least a minute apart. */
function retentionRule(given: ServiceDeskOptions['retention']): RetentionRule | undefined {
  const r = periodic(RetentionOptionSchema, given, 'retention', '"P1D"');
  if (r === undefined) return undefined;
  toMillis(r.closedFor, 'retention.closedFor');
  return { closedFor: r.closedFor, everyMs: r.everyMs, limit: r.limit };
}

/** The `pruneRequests` option, checked: a run at least a minute apart. */
function pruning(given: ServiceDeskOptions['pruneRequests']): DeskConfig['pruning'] {
  const p = periodic(PruneOptionSchema, given, 'pruneRequests', '"PT1H"');
  return p === undefined ? undefined : { everyMs: p.everyMs, limit: p.limit };
}

/**
 * Validate a desk's options into its configuration.
 * @throws ConfigError naming the option and the fix.
 */
export function resolveConfig(options: ServiceDeskOptions): DeskConfig {
  const publishing = options.publishEvents;
  if (publishing !== undefined) {
    const unknown = publishing.events === 'all' ? undefined : publishing.events.find((n) => !EVENT_NAMES.includes(n));
    if (unknown !== undefined) throw new ConfigError('publishEvents.events', `"${unknown}" is not a desk event; the names are listed in EVENT_NAMES`);
  }
  const fields = options.fields;
  const parts: DeskParts = {
    sla: deskParts<SlaParts>(options.sla, 'sla', 'sla', 'defineSlaConfig'),
    knowledge: deskParts<KnowledgeParts>(options.knowledge, 'knowledge', 'knowledge', 'defineKnowledgeBase'),
    offers: deskParts<OfferParts>(options.catalog, 'offers', 'catalog', 'defineCatalog'),
    routing: deskParts<RoutingParts>(options.routing, 'routing', 'routing', 'defineRouting'),
    followUps: deskParts<FollowUpParts>(options.followUps, 'followUps', 'followUps', 'defineFollowUps'),
    escalation: ESCALATION_OPTIONS.map(([option, definer]) => deskParts<EscalationParts>(options[option], 'escalation', option, definer)).find((p) => p !== undefined),
  };
  const sla = options.sla;
  const notifiers = (options.notifiers ?? []).map(guardNotifier);
  const templates = options.templates;
  const built = parts.escalation?.build(options, { sla, fields, notifiers, templates }) ?? { rules: undefined, rulesOnTime: [], ladders: [], usesLimitFacts: false };
  const followUps = options.followUps;
  if (followUps !== undefined) parts.followUps?.check(followUps, notifiers, templates, options.catalog !== undefined);
  const delivery = DeliveryOptionsSchema.safeParse(options.delivery ?? {});
  if (!delivery.success) throw ConfigError.fromZod('delivery', delivery.error);
  return {
    sla,
    parts,
    ladders: built.ladders,
    escalation: built.rules,
    rulesOnTime: built.rulesOnTime,
    usesLimitFacts: built.usesLimitFacts,
    detector: options.signals === false ? undefined : options.signals,
    notifiers,
    followUps,
    templates,
    delivery: delivery.data,
    offers: offersFor(options, parts.offers),
    routing: options.routing,
    fields,
    links: { openChildren: options.links?.openChildren ?? 'refuse' },
    retention: retentionRule(options.retention),
    pruning: pruning(options.pruneRequests),
  };
}
