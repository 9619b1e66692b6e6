import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { CHANNELS, DurationSchema, type Channel } from '../domain/common.js';
import { toMillis } from '../domain/time.js';
import { ConditionSchema, compileCondition, type CompiledCondition } from '../rules/condition.js';
import { TICKET_FACT_SCHEMA, validateCondition, type FactSchema } from '../rules/facts.js';
import { parseSkills } from './skills.js';

/** How routing picks among the agents who could take a ticket. */
export const ROUTING_STRATEGIES = ['least_loaded', 'round_robin', 'most_skilled', 'longest_idle'] as const;
/** A routing strategy: the fewest open tickets for their capacity, the fewest shares so far, the highest skill levels, or the longest since the last ticket. */
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

const CapacitySchema = z
  .object({
    /** Open tickets an agent holds at most, all channels together. */
    total: z.number().int().positive('a capacity is at least 1').max(10_000).optional(),
    /** Per channel, e.g. `{ chat: 3, email: 10, phone: 1 }`; a channel left out is bounded by `total` only. */
    channels: z.partialRecord(z.enum(CHANNELS), z.number().int().positive('a capacity is at least 1').max(10_000)).optional(),
  })
  .strict();

/** Schema of the input of {@link defineRouting}. */
export const RoutingConfigSchema = z
  .object({
    strategy: z.enum(ROUTING_STRATEGIES).default('least_loaded'),
    /** Per team: its own strategy. */
    teams: z.record(z.string().min(1).max(200), z.object({ strategy: z.enum(ROUTING_STRATEGIES).optional() }).strict()).default({}),
    /** Every agent's capacity, unless `agents` says otherwise (default: 10 in total). */
    capacity: CapacitySchema.default({}),
    /** Capacity of particular agents. */
    agents: z.record(z.string().min(1).max(200), CapacitySchema).default({}),
    /** The top of the skill scale: agents' skills are `name` (level 1) or `name:level` up to this (default 5). */
    skillScale: z.number().int().min(1).max(100).default(5),
    /**
     * Skills a ticket needs, from conditions on its facts (`{ ticket, customer }`): e.g. billing at
     * level 3 for invoices. An optional skill is dropped once the ticket has waited `optionalAfter`.
     */
    skills: z
      .array(z.object({ when: ConditionSchema, skill: z.string().trim().min(1).max(100), level: z.number().int().min(1).default(1), optionalAfter: DurationSchema.optional() }).strict())
      .max(1000)
      .default([]),
    /** `required` (default): an agent must speak the customer's language; `preferred`: it raises the score; `ignored`. */
    language: z.enum(['required', 'preferred', 'ignored']).default('required'),
    /** Agents with a calendar take work only within its hours (default true). */
    workingHours: z.boolean().default(true),
    /** At most this many tickets go to one agent in one drain of the queue, so the first agent online does not get the whole backlog (default 5). */
    intakeLimit: z.number().int().min(1).max(10_000).default(5),
    /**
     * Offer instead of assigning: the chosen agent has this long to accept (`desk.acceptOffer`);
     * a decline or the timeout moves the ticket on to the next agent, as in Salesforce
     * Omni-Channel. Absent: routing assigns at once.
     */
    offerTimeout: DurationSchema.optional(),
    /** What happens to an agent's unstarted tickets (no reply yet) when they go offline or away: `requeue` (default) or `keep`. */
    onUnavailable: z.enum(['requeue', 'keep']).default('requeue'),
  })
  .strict();
/** Input of {@link defineRouting}. */
export type RoutingConfigInput = z.input<typeof RoutingConfigSchema>;

/** A skill a ticket needs, compiled. */
export interface SkillRequirement {
  readonly when: CompiledCondition;
  readonly skill: string;
  readonly level: number;
  /** Milliseconds of waiting after which the skill is no longer required; absent = always required. */
  readonly optionalAfterMs?: number;
}

/** A validated routing configuration (see {@link defineRouting}). */
export interface RoutingConfig {
  readonly kind: 'routing-config';
  readonly strategy: RoutingStrategy;
  readonly teams: Readonly<Record<string, { readonly strategy?: RoutingStrategy | undefined }>>;
  readonly capacity: { readonly total: number; readonly channels: Readonly<Partial<Record<Channel, number>>> };
  readonly agents: Readonly<Record<string, { readonly total?: number | undefined; readonly channels?: Readonly<Partial<Record<Channel, number>>> | undefined }>>;
  readonly skillScale: number;
  readonly skills: ReadonlyArray<SkillRequirement>;
  readonly language: 'required' | 'preferred' | 'ignored';
  readonly workingHours: boolean;
  readonly intakeLimit: number;
  readonly onUnavailable: 'requeue' | 'keep';
  /** Milliseconds an agent has to accept an offer; absent: routing assigns at once. */
  readonly offerTimeoutMs?: number;
}

/**
 * Validate a routing configuration: strategies per team, capacity per agent and channel, skills
 * derived from conditions on the ticket (with levels on a scale, optional ones dropped after a
 * wait), the language rule, working hours, and the intake limit per drain.
 *
 * @example
 * ```ts
 * const routing = defineRouting({
 *   strategy: 'least_loaded',
 *   teams: { tm_billing: { strategy: 'round_robin' } },
 *   capacity: { total: 12, channels: { chat: 3, email: 10, phone: 1 } },
 *   skills: [{ when: { fact: 'ticket.tags', op: 'contains', value: 'invoice' }, skill: 'billing', level: 3, optionalAfter: 'PT30M' }],
 * });
 * ```
 * Pass `known` teams and skills (e.g. your agents' skills, with their levels) to have unknown
 * ones refused as well, and a required level no agent has (tickets nobody could ever take).
 * `known.facts` extends the facts skill conditions may use (the desk passes its custom fields').
 *
 * @throws ConfigError naming the field: a capacity below 1, a skill level above the scale, an unknown fact in a condition, an unknown team or skill (with `known`).
 */
export function defineRouting(input: RoutingConfigInput, known: { readonly teams?: ReadonlyArray<string>; readonly skills?: ReadonlyArray<string>; readonly facts?: FactSchema } = {}): RoutingConfig {
  const parsed = RoutingConfigSchema.safeParse(input);
  if (!parsed.success) throw ConfigError.fromZod('routing', parsed.error);
  const c = parsed.data;
  for (const team of Object.keys(c.teams)) {
    if (known.teams !== undefined && !known.teams.includes(team)) throw new ConfigError(`routing.teams.${team}`, `no team "${team}" is known; use one of ${known.teams.join(', ') || '(none registered)'}`);
  }
  // Known skills may carry levels (`billing:3`, as agents write them): a requirement above every known level could never be met.
  const best = parseSkills(known.skills ?? []);
  c.skills.forEach((s, i) => {
    if (known.skills === undefined) return;
    const top = best.get(s.skill);
    if (top === undefined) throw new ConfigError(`routing.skills[${i}].skill`, `no agent has the skill "${s.skill}"; known skills: ${[...best.keys()].join(', ') || '(none)'}`);
    if (top < s.level && s.optionalAfter === undefined) throw new ConfigError(`routing.skills[${i}].level`, `no agent has "${s.skill}" at level ${s.level} (the best is ${top}), so these tickets could never be routed; lower the level, or make it optional with optionalAfter`);
  });
  const skills = c.skills.map((s, i): SkillRequirement => {
    if (s.level > c.skillScale) throw new ConfigError(`routing.skills[${i}].level`, `level ${s.level} is above the skill scale (${c.skillScale}); lower it or raise skillScale`);
    validateCondition(s.when, known.facts ?? TICKET_FACT_SCHEMA, { path: `routing.skills[${i}].when` });
    const when = compileCondition(s.when, { path: `routing.skills[${i}].when` });
    return { when, skill: s.skill, level: s.level, ...(s.optionalAfter === undefined ? {} : { optionalAfterMs: toMillis(s.optionalAfter, `routing.skills[${i}].optionalAfter`) }) };
  });
  const { offerTimeout, ...rest } = c;
  const offer = offerTimeout === undefined ? {} : { offerTimeoutMs: toMillis(offerTimeout, 'routing.offerTimeout') };
  if (offer.offerTimeoutMs !== undefined && offer.offerTimeoutMs <= 0) throw new ConfigError('routing.offerTimeout', 'an offer needs some time to be accepted: give a positive duration such as "PT2M"');
  return { kind: 'routing-config', ...rest, ...offer, capacity: { total: rest.capacity.total ?? 10, channels: rest.capacity.channels ?? {} }, skills };
}
