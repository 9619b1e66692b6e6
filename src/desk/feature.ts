import { ConfigError } from '../errors.js';

/** The desk features a definer can carry. */
export type DeskFeatureName = 'sla' | 'escalation' | 'followUps' | 'routing' | 'offers' | 'knowledge';

/**
 * Marks a value made by one of the definers a desk option takes (`defineSlaConfig`,
 * `defineEscalationRules`, `defineFollowUps`, `defineRouting`, `defineCatalog`, `defineKnowledgeBase`, ...): besides the
 * validated configuration, it carries the desk code of its feature, so that a desk built without
 * the feature does not carry that code either (an application's bundle holds what it uses).
 */
export interface DeskFeature<K extends DeskFeatureName> {
  /** The feature this value brings to a desk. */
  readonly '~desk': { readonly feature: K };
}

interface Carried {
  readonly feature: DeskFeatureName;
  readonly parts: unknown;
}

/** `value` (copied) with the desk code of `feature`, kept out of enumeration and JSON. */
export function withDeskParts<T extends object, K extends DeskFeatureName>(value: T, feature: K, parts: unknown): T & DeskFeature<K> {
  const carried: Carried = { feature, parts };
  return Object.defineProperty({ ...value }, '~desk', { value: carried, enumerable: false }) as T & DeskFeature<K>;
}

/**
 * The desk code an option's value carries (none for an option left out).
 * @throws ConfigError naming the option and the definer to call, when the value was not made by it.
 */
export function deskParts<P>(value: unknown, feature: DeskFeatureName, option: string, definer: string): P | undefined {
  if (value === undefined) return undefined;
  const carried = value !== null && typeof value === 'object' ? ((value as { '~desk'?: Carried })['~desk'] ?? undefined) : undefined;
  if (carried?.feature !== feature) {
    throw new ConfigError(option, `pass what ${definer}(...) returns, e.g. createServiceDesk({ ${option}: ${definer}(...) }): it carries the desk code of the feature, so a desk without it stays small`);
  }
  return carried.parts as P;
}
