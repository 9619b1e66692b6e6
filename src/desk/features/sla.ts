import { defineSlaConfig as compileSlaConfig, type SlaConfig, type SlaConfigInput } from '../../sla/policy.js';
import { TICKET_FACT_SCHEMA, type FactSchema } from '../../rules/facts.js';
import { factsWithFields, type FieldSet } from '../../fields/define.js';
import { slaCommands } from '../commands/sla.js';
import { withDeskParts, type DeskFeature } from '../feature.js';
import { createAccountRecheck } from '../sla-account.js';
import { createSlaStage } from '../sla-stage.js';

/** An SLA configuration as `createServiceDesk({ sla })` takes it: from {@link defineSlaConfig}. */
export type SlaSetup = SlaConfig & DeskFeature<'sla'>;

/** The SLA code a desk runs: the clock stage, the recheck after account changes, the replays. */
export const SLA_PARTS = { createSlaStage, createAccountRecheck, slaCommands };

/** See {@link SLA_PARTS}. */
export type SlaParts = typeof SLA_PARTS;

/**
 * Validate an SLA configuration: calendars, policy ids, conditions (against the ticket facts,
 * with `fields`' custom fields, or `facts`), durations, warnings. Everything is checked here, so
 * evaluation never fails on configuration. The result works with `evaluateSla` and the other SLA
 * engines, and is what `createServiceDesk({ sla })` takes.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, createServiceDesk, defineSlaConfig } from 'omotenashi';
 *
 * const sla = defineSlaConfig({
 *   calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] } } },
 *   policies: [{ id: 'standard', name: 'Standard', metrics: { firstResponse: { target: 'PT4H', calendar: 'office' } } }],
 * });
 * const desk = createServiceDesk({ storage: createMemoryStorage(), sla });
 * ```
 * @throws ConfigError naming the field, e.g. `sla.policies[1].metrics.resolution.calendar`.
 */
export function defineSlaConfig(config: SlaConfigInput, options: { readonly fields?: FieldSet; readonly facts?: FactSchema } = {}): SlaSetup {
  const facts = factsWithFields(TICKET_FACT_SCHEMA, options);
  return withDeskParts(compileSlaConfig(config, facts === undefined ? {} : { facts }), 'sla', SLA_PARTS);
}
