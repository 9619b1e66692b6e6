import { factsWithFields, type FieldSet } from '../../fields/define.js';
import { TICKET_FACT_SCHEMA, type FactSchema } from '../../rules/facts.js';
import { defineRouting as compileRouting, type RoutingConfig, type RoutingConfigInput } from '../../routing/config.js';
import { withDeskParts, type DeskFeature } from '../feature.js';
import { createRouting } from '../routing.js';

/** A routing configuration as `createServiceDesk({ routing })` takes it: from {@link defineRouting}. */
export type RoutingSetup = RoutingConfig & DeskFeature<'routing'>;

/** The routing code a desk runs: the stage that places tickets, presence, offers and the drain of a team's queue. */
export const ROUTING_PARTS = { createRouting };

/** See {@link ROUTING_PARTS}. */
export type RoutingParts = typeof ROUTING_PARTS;

/**
 * Validate a routing configuration: the strategy per team, capacity per channel, skill
 * requirements from conditions on the ticket's facts, offers and what happens when an agent
 * leaves. The result is what `createServiceDesk({ routing })` takes.
 *
 * Pass `known` teams and skills (e.g. your agents' skills, with their levels) to have unknown
 * ones refused as well, and a required level no agent has (tickets nobody could ever take).
 * Skill conditions on custom fields need the fields: `defineRouting(input, { fields })`.
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
 * @throws ConfigError naming the field: a capacity below 1, a skill level above the scale, an unknown fact in a condition, an unknown team or skill (with `known`).
 */
export function defineRouting(input: RoutingConfigInput, known: { readonly teams?: ReadonlyArray<string>; readonly skills?: ReadonlyArray<string>; readonly facts?: FactSchema; readonly fields?: FieldSet } = {}): RoutingSetup {
  const facts = factsWithFields(TICKET_FACT_SCHEMA, known);
  return withDeskParts(compileRouting(input, { ...known, ...(facts === undefined ? {} : { facts }) }), 'routing', ROUTING_PARTS);
}
