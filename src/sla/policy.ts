import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { canonicalJson, fnv1a } from '../internal/digest.js';
import { DurationSchema, toMillis, type Actor } from '../domain/common.js';
import { PRIORITIES, TICKET_STATUSES, type Priority, type TicketStatus } from '../domain/ticket.js';
import { ALWAYS_OPEN, createBusinessCalendar, type BusinessCalendar, type BusinessCalendarSpec } from '../calendar/calendar.js';
import { ConditionSchema, compileCondition, type CompiledCondition, type Condition } from '../rules/condition.js';
import { TICKET_FACT_SCHEMA, validateCondition, type FactSchema } from '../rules/facts.js';

/** The metrics an SLA policy can target. */
export const SLA_METRICS = ['first_response', 'next_response', 'periodic_update', 'resolution'] as const;
/** One SLA metric. */
export type SlaMetric = (typeof SLA_METRICS)[number];

/** What happens to a running clock when the ticket's priority or policy changes mid-flight. */
export const SLA_CHANGE_MODES = ['keep', 'restart', 'retroactive'] as const;
/**
 * `keep` (default): elapsed time is kept and the new target applies; `restart`: the clock starts
 * again at the change; `retroactive`: the whole history is counted as if the new policy had
 * always applied (its calendar and pauses, from the ticket's creation).
 */
export type SlaChangeMode = (typeof SLA_CHANGE_MODES)[number];

/** What an edit of a policy does to the tickets already running on an earlier version (see `SlaPolicyInput.onEdit`). */
export const SLA_EDIT_MODES = ['keep', 'apply'] as const;
/** `keep`: running tickets finish on their version; `apply`: they move to the edited one, with no back-dated breach. */
export type SlaEditMode = (typeof SLA_EDIT_MODES)[number];

const WarningSchema = z.union([
  z.object({ percent: z.number().gt(0).lt(100) }).strict(),
  z.object({ before: DurationSchema }).strict(),
]);

const MetricSchema = z
  .object({
    /** Target per priority; a priority left out has no target for this metric. */
    targets: z.partialRecord(z.enum(PRIORITIES), DurationSchema),
    /** Calendar id from the SLA configuration's `calendars`; absent = 24/7. */
    calendar: z.string().min(1).optional(),
    /**
     * Whose calendar counts (see `CALENDAR_ORDER`): `account` (the default) takes the calendar
     * of the ticket's requester, else of its organisation, else of the team that has the ticket,
     * else this metric's; `team` takes the team's (for an OLA), else this metric's; `policy`
     * always takes this metric's.
     */
    calendarFrom: z.enum(['account', 'team', 'policy']).default('account'),
    /** Statuses in which the clock is paused. */
    pauseWhile: z.array(z.enum(TICKET_STATUSES)).optional(),
    /** Warnings: percentages of the target and/or offsets before the breach (business time). */
    warnings: z.array(WarningSchema).default([]),
    /** Which replies fulfil response metrics (default: a human agent's public reply). */
    fulfilledBy: z
      .object({ authors: z.array(z.enum(['agent', 'bot', 'system'])).min(1), visibility: z.enum(['public', 'any']) })
      .strict()
      .default({ authors: ['agent'], visibility: 'public' }),
    onChange: z.enum(SLA_CHANGE_MODES).default('keep'),
  })
  .strict();

const CustomMetricSchema = MetricSchema.omit({ pauseWhile: true, fulfilledBy: true }).extend({
  /** The clock starts at the first event where this holds (and again after a stop). */
  start: ConditionSchema,
  /** The clock is fulfilled at the first later event where this holds. */
  stop: ConditionSchema,
  /** The clock pauses at an event where this holds (or, without `resume`, while it holds). */
  pause: ConditionSchema.optional(),
  /** A paused clock runs again at an event where this holds. */
  resume: ConditionSchema.optional(),
});

/**
 * The facts custom-metric conditions can use: the ticket facts, plus the event being replayed
 * (`event.kind` is `created`, `status`, `priority` or `message`).
 */
export const SLA_EVENT_FACT_SCHEMA: FactSchema = Object.freeze({
  ...TICKET_FACT_SCHEMA,
  'event.kind': { type: 'string', values: ['created', 'status', 'priority', 'message'] },
  'event.to': { type: 'string' },
  'event.author': { type: 'string', values: ['customer', 'agent', 'bot', 'system'] },
  'event.visibility': { type: 'string', values: ['public', 'internal'] },
  'event.direction': { type: 'string', values: ['inbound', 'outbound', 'internal'] },
});

/** Schema of an {@link SlaPolicyInput}. */
export const SlaPolicySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'use letters, digits, "_", "-" or "." (e.g. "premium-24x7")'),
    name: z.string().trim().min(1),
    /** Order among policies (lower first); policies without one keep their place in the list after those with one. */
    position: z.number().int().optional(),
    /** Which tickets the policy applies to (the condition language over ticket facts). */
    match: ConditionSchema.default({ all: [] }),
    /**
     * Attach alongside whichever policy matched first (e.g. an internal OLA next to the customer
     * SLA). Concurrent policies are not part of the first-match order.
     */
    concurrent: z.boolean().default(false),
    metrics: z.partialRecord(z.enum(SLA_METRICS), MetricSchema).default({}),
    /** Custom metrics by name, defined by start, stop, pause and resume conditions. */
    custom: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'use a snake_case name such as "legal_review"'), CustomMetricSchema).default({}),
    /**
     * What an edit of this policy does to tickets already running on an earlier version of it:
     * `keep` (the default) lets them finish on the version they started with; `apply` moves
     * them to this version when the desk next looks at them (a command or a timer), with no
     * breach dated before that moment. Either way new tickets start on this version.
     */
    onEdit: z.enum(SLA_EDIT_MODES).default('keep'),
  })
  .strict();

/** An SLA policy as data: what it matches, and targets per metric and priority. */
export interface SlaPolicyInput extends z.input<typeof SlaPolicySchema> {}

/** Schema of an {@link SlaConfigInput}. */
export const SlaConfigSchema = z
  .object({
    /** Business calendars by id, referred to by metrics. */
    calendars: z.record(z.string(), z.custom<BusinessCalendarSpec>((v) => typeof v === 'object' && v !== null)).default({}),
    /** Policies in order: the first matching non-concurrent policy applies. */
    policies: z.array(SlaPolicySchema),
  })
  .strict();

/** The SLA configuration of a desk: calendars and ordered policies, all JSON. */
export interface SlaConfigInput extends z.input<typeof SlaConfigSchema> {}

/** A warning threshold resolved against a target. */
export type SlaWarning = { readonly percent: number } | { readonly beforeMs: number };

/** The compiled conditions of a custom metric. */
export interface CustomMetricRules {
  readonly start: CompiledCondition;
  readonly stop: CompiledCondition;
  readonly pause: CompiledCondition | undefined;
  readonly resume: CompiledCondition | undefined;
}

/** A validated metric of a policy. */
export interface ResolvedMetric {
  /** A built-in metric, or `custom:<name>`. */
  readonly metric: SlaMetric | `custom:${string}`;
  /** For custom metrics: their conditions. */
  readonly custom?: CustomMetricRules;
  readonly targets: Readonly<Partial<Record<Priority, number>>>;
  readonly calendarId: string | undefined;
  readonly calendar: BusinessCalendar;
  /** Whether the calendar of the ticket's requester, organisation or team replaces this one (`account`), the team's only (`team`), or none (`policy`). */
  readonly calendarFrom: 'account' | 'team' | 'policy';
  /** Calendars by team id: in a stretch of the timeline when one of these teams had the ticket, the clock counts on its calendar. */
  readonly byTeam?: ReadonlyMap<string, BusinessCalendar>;
  readonly pauseWhile: ReadonlySet<TicketStatus>;
  readonly warnings: ReadonlyArray<SlaWarning>;
  readonly fulfilledBy: { readonly authors: ReadonlySet<Actor['kind']>; readonly visibility: 'public' | 'any' };
  readonly onChange: SlaChangeMode;
}

/** A validated policy with its compiled condition. */
export interface ResolvedPolicy {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly match: CompiledCondition;
  readonly concurrent: boolean;
  readonly metrics: ReadonlyMap<SlaMetric | `custom:${string}`, ResolvedMetric>;
  /** The fingerprint of what the policy says (match, concurrency, metrics): its version. */
  readonly fingerprint: string;
  /** What an edit does to tickets running on an earlier version. */
  readonly onEdit: SlaEditMode;
  /** The policy as given (JSON), stored as its version the first time a ticket runs on it. */
  readonly source: SlaPolicyInput;
}

/** A validated SLA configuration, ready for {@link evaluateSla}. */
export interface SlaConfig {
  /** Marks a validated configuration. */
  readonly kind: 'sla-config';
  /** The policies, in order. */
  readonly policies: ReadonlyArray<ResolvedPolicy>;
  /** The calendars by id. */
  readonly calendars: ReadonlyMap<string, BusinessCalendar>;
  /** The configuration as given (JSON), for storing and diffing. */
  readonly source: SlaConfigInput;
  /** The facts its conditions were checked against, for compiling earlier versions of its policies alike. */
  readonly facts: FactSchema;
}

const DEFAULT_PAUSE: Record<SlaMetric, TicketStatus[]> = {
  first_response: [],
  next_response: [],
  periodic_update: ['pending_customer', 'on_hold'],
  resolution: ['pending_customer', 'on_hold'],
};

/**
 * Check one policy early, with types and defaults: handy where policies are written in code.
 * The desk validates the whole configuration again with {@link defineSlaConfig}.
 */
export function defineSlaPolicy(policy: SlaPolicyInput): SlaPolicyInput {
  const parsed = SlaPolicySchema.safeParse(policy);
  if (!parsed.success) throw ConfigError.fromZod(`sla.policies(${typeof (policy as { id?: unknown } | null)?.id === 'string' ? (policy as { id: string }).id : '?'})`, parsed.error);
  return policy;
}

/**
 * Validate an SLA configuration: calendars, policy ids, conditions (against the ticket facts,
 * or `facts`), durations, warnings. Everything is checked here, so evaluation never fails on
 * configuration.
 *
 * @throws ConfigError naming the field, e.g. `sla.policies[1].metrics.resolution.calendar`.
 */
export function defineSlaConfig(config: SlaConfigInput, options: { facts?: FactSchema } = {}): SlaConfig {
  const parsed = SlaConfigSchema.safeParse(config);
  if (!parsed.success) throw ConfigError.fromZod('sla', parsed.error);
  const calendars = new Map<string, BusinessCalendar>();
  for (const [id, spec] of Object.entries(parsed.data.calendars)) {
    try {
      calendars.set(id, createBusinessCalendar(spec));
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`sla.calendars.${id}${e.path.replace(/^calendar/, '')}`, e.message.replace(/^Invalid configuration at [^:]+: /, ''));
      throw e;
    }
  }
  const seen = new Set<string>();
  const facts = options.facts ?? TICKET_FACT_SCHEMA;
  const resolved = parsed.data.policies.map((p, i): ResolvedPolicy => {
    const at = `sla.policies[${i}]`;
    if (seen.has(p.id)) throw new ConfigError(`${at}.id`, `policy id "${p.id}" is used twice`);
    seen.add(p.id);
    return resolvePolicy(p, config.policies[i] as SlaPolicyInput, at, calendars, facts);
  });
  // Stable: equal positions keep the order they were listed in.
  const policies = resolved.map((p, i) => [p, i] as const).sort((a, b) => a[0].position - b[0].position || a[1] - b[1]).map(([p]) => p);
  return { kind: 'sla-config', policies, calendars, source: config, facts };
}

type ParsedPolicy = z.output<typeof SlaPolicySchema>;

/** What a policy says, as its version's fingerprint: the parsed policy (defaults filled in) without its id, name, place or edit mode. */
function policyFingerprint(p: ParsedPolicy): string {
  const { id: _id, name: _name, position: _position, onEdit: _onEdit, ...content } = p;
  const text = canonicalJson(content);
  return `${fnv1a(text)}${fnv1a(text, 0x5bd1e995)}`;
}

/** One parsed policy, checked against the calendars and facts, with its conditions compiled. */
function resolvePolicy(p: ParsedPolicy, given: SlaPolicyInput, at: string, calendars: ReadonlyMap<string, BusinessCalendar>, facts: FactSchema): ResolvedPolicy {
  validateCondition(p.match as Condition, facts, { path: `${at}.match` });
  const metrics = new Map<SlaMetric | `custom:${string}`, ResolvedMetric>();
  const all: Array<[SlaMetric | `custom:${string}`, string, z.output<typeof MetricSchema> | z.output<typeof CustomMetricSchema>]> = [
    ...(Object.entries(p.metrics) as Array<[SlaMetric, z.output<typeof MetricSchema> | undefined]>)
      .filter((e): e is [SlaMetric, z.output<typeof MetricSchema>] => e[1] !== undefined)
      .map(([n, m]) => [n, `${at}.metrics.${n}`, m] as [SlaMetric, string, z.output<typeof MetricSchema>]),
    ...Object.entries(p.custom).map(([n, m]) => [`custom:${n}`, `${at}.custom.${n}`, m] as [`custom:${string}`, string, z.output<typeof CustomMetricSchema>]),
  ];
  for (const [name, mat, m] of all) {
    const calendar = m.calendar === undefined ? ALWAYS_OPEN : calendars.get(m.calendar);
    if (calendar === undefined) throw new ConfigError(`${mat}.calendar`, `no calendar "${m.calendar}" in sla.calendars (known: ${[...calendars.keys()].join(', ') || 'none'})`);
    const targets: Partial<Record<Priority, number>> = {};
    for (const [prio, d] of Object.entries(m.targets) as Array<[Priority, string | number]>) {
      const ms = toMillis(d, `${mat}.targets.${prio}`);
      if (ms <= 0) throw new ConfigError(`${mat}.targets.${prio}`, 'a target must be longer than zero');
      targets[prio] = ms;
    }
    if (Object.keys(targets).length === 0) throw new ConfigError(`${mat}.targets`, 'give a target for at least one priority, e.g. { urgent: "PT1H" }');
    const warnings = m.warnings.map((w, j): SlaWarning => ('percent' in w ? { percent: w.percent } : { beforeMs: toMillis(w.before, `${mat}.warnings[${j}].before`) }));
    let custom: CustomMetricRules | undefined;
    if ('start' in m) {
      const eventFacts = { ...facts, ...SLA_EVENT_FACT_SCHEMA };
      const rule = (c: Condition | undefined, field: string): CompiledCondition | undefined => {
        if (c === undefined) return undefined;
        validateCondition(c, eventFacts, { path: `${mat}.${field}` });
        return compileCondition(c, { path: `${mat}.${field}` });
      };
      custom = {
        start: rule(m.start as Condition, 'start') as CompiledCondition,
        stop: rule(m.stop as Condition, 'stop') as CompiledCondition,
        pause: rule(m.pause as Condition | undefined, 'pause'),
        resume: rule(m.resume as Condition | undefined, 'resume'),
      };
    }
    const builtIn = 'start' in m ? undefined : m;
    metrics.set(name, {
      metric: name,
      ...(custom === undefined ? {} : { custom }),
      targets,
      calendarId: m.calendar,
      calendar,
      calendarFrom: builtIn?.calendarFrom ?? 'policy',
      pauseWhile: new Set(builtIn?.pauseWhile ?? (builtIn ? DEFAULT_PAUSE[name as SlaMetric] : [])),
      warnings,
      fulfilledBy: builtIn ? { authors: new Set(builtIn.fulfilledBy.authors), visibility: builtIn.fulfilledBy.visibility } : { authors: new Set(), visibility: 'public' },
      onChange: m.onChange,
    });
  }
  if (metrics.size === 0) throw new ConfigError(`${at}.metrics`, `policy "${p.id}" has no metric; add e.g. { first_response: { targets: { normal: "PT4H" } } }`);
  return {
    id: p.id,
    name: p.name,
    position: p.position ?? Number.MAX_SAFE_INTEGER,
    match: compileCondition(p.match as Condition, { path: `${at}.match` }),
    concurrent: p.concurrent,
    metrics,
    fingerprint: policyFingerprint(p),
    onEdit: p.onEdit,
    source: given,
  };
}

/**
 * An earlier version of one of a configuration's policies, compiled against the configuration's
 * calendars and facts (a ticket that started on it is evaluated on it).
 * @throws ConfigError when it no longer fits the configuration (e.g. it names a calendar since removed).
 */
export function compilePolicyVersion(config: SlaConfig, source: SlaPolicyInput): ResolvedPolicy {
  const parsed = SlaPolicySchema.safeParse(source);
  if (!parsed.success) throw ConfigError.fromZod(`sla.versions(${String((source as { id?: unknown }).id)})`, parsed.error);
  return resolvePolicy(parsed.data, source, `sla.versions(${parsed.data.id})`, config.calendars, config.facts);
}

const derived = new WeakMap<SlaConfig, Map<string, SlaConfig>>();

/**
 * A configuration derived from `config` (a ticket's account calendar, its teams' calendars, its
 * pinned policy versions), built once per configuration and `key`. A derived configuration must
 * carry its own `source`, so a folded state is never continued across configurations.
 */
export function derivedConfig(config: SlaConfig, key: string, build: () => SlaConfig): SlaConfig {
  let byKey = derived.get(config);
  if (byKey === undefined) derived.set(config, (byKey = new Map()));
  let hit = byKey.get(key);
  if (hit === undefined) byKey.set(key, (hit = build()));
  return hit;
}
