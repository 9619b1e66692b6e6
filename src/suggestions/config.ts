import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { DurationSchema, toMillis } from '../domain/common.js';

const TierSchema = z
  .object({
    id: z.string().trim().min(1),
    /** Lifetime value at least this, in minor units of the product's currency. */
    minLifetimeValueMinor: z.number().int().nonnegative().optional(),
    /** The order that led to the offer at least this much, in minor units. */
    minPurchaseMinor: z.number().int().nonnegative().optional(),
    /** A customer for at least this many days. */
    minTenureDays: z.number().int().nonnegative().optional(),
    /** Percent off the suggested product. */
    percent: z.number().min(0).max(100).optional(),
    /** Bonus points. */
    points: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((t) => t.percent !== undefined || t.points !== undefined, { message: 'a tier gives a percent off, bonus points, or both' });

/**
 * Schema of the suggestion settings: cross-sell attribute pairs, guardrails, commitment tiers
 * for discounts and their cap, and how acceptance rates weigh in.
 */
export const SuggestionConfigSchema = z
  .object({
    /** Cross-sell by attributes: `{ same: 'genre', different: 'author' }` suggests the same genre by another author. */
    attributePairs: z.array(z.object({ same: z.string().min(1), different: z.string().min(1) }).strict()).default([]),
    /** How many members of one attribute value are looked at per owned product (catalog order: put bestsellers first). */
    attributeScanLimit: z.number().int().positive().max(10_000).default(200),
    guardrails: z
      .object({
        /** No offers within this many days after a low survey score (default 14). */
        lowScoreDays: z.number().int().nonnegative().default(14),
        /** No offers after negative signals (emotion, threats, abuse, a supervisor request) in the latest interaction. */
        negativeSignals: z.boolean().default(true),
        /** Offers need the customer's marketing consent (default true). */
        requireMarketingConsent: z.boolean().default(true),
        /** Whether internal customers get offers (default false). */
        internalCustomers: z.boolean().default(false),
        /** At most `max` offer occasions per customer within `per` (default 2 per 30 days). */
        frequency: z.object({ max: z.number().int().positive(), per: DurationSchema }).strict().default({ max: 2, per: 'P30D' }),
        /** The same product is not offered again within this time (default 90 days). */
        productCooldown: DurationSchema.default('P90D'),
      })
      .strict()
      .default({ lowScoreDays: 14, negativeSignals: true, requireMarketingConsent: true, internalCustomers: false, frequency: { max: 2, per: 'P30D' }, productCooldown: 'P90D' }),
    discounts: z
      .object({
        /** Commitment tiers; the one giving the most that the customer reaches applies. */
        tiers: z.array(TierSchema).default([]),
        /** Never beyond this, whatever the tier says. */
        cap: z.object({ percent: z.number().min(0).max(100).default(20), points: z.number().int().nonnegative().default(1000), amountMinor: z.number().int().nonnegative().optional() }).strict().default({ percent: 20, points: 1000 }),
      })
      .strict()
      .default({ tiers: [], cap: { percent: 20, points: 1000 } }),
    /** Acceptance rates count once a product and kind has this many answered offers (default 20). */
    acceptanceMinSamples: z.number().int().positive().default(20),
    /** Offers left unanswered this long count as ignored (default 14 days). */
    ignoreAfter: DurationSchema.default('P14D'),
    /** How many suggestions by default (default 3). */
    limit: z.number().int().min(1).max(50).default(3),
  })
  .strict();

/** Suggestion settings as written (every field optional). */
export type SuggestionConfigInput = z.input<typeof SuggestionConfigSchema>;

/** Validated suggestion settings, durations in milliseconds. */
export interface SuggestionConfig {
  /** Marks settings made by {@link defineSuggestions}. */
  readonly kind: 'suggestion-config';
  readonly attributePairs: ReadonlyArray<{ readonly same: string; readonly different: string }>;
  readonly attributeScanLimit: number;
  readonly lowScoreDays: number;
  readonly negativeSignals: boolean;
  readonly requireMarketingConsent: boolean;
  readonly internalCustomers: boolean;
  readonly frequency: { readonly max: number; readonly perMs: number };
  readonly productCooldownMs: number;
  readonly tiers: ReadonlyArray<z.output<typeof TierSchema>>;
  readonly cap: { readonly percent: number; readonly points: number; readonly amountMinor?: number | undefined };
  readonly acceptanceMinSamples: number;
  readonly ignoreAfterMs: number;
  readonly limit: number;
}

/**
 * Validate suggestion settings.
 *
 * @example
 * ```ts
 * const settings = defineSuggestions({
 *   attributePairs: [{ same: 'genre', different: 'author' }],
 *   discounts: { tiers: [{ id: 'gold', minLifetimeValueMinor: 100_000, percent: 10 }], cap: { percent: 15 } },
 * });
 * ```
 * @throws ConfigError naming the field.
 */
export function defineSuggestions(input: SuggestionConfigInput = {}): SuggestionConfig {
  const parsed = SuggestionConfigSchema.safeParse(input);
  if (!parsed.success) throw ConfigError.fromZod('suggestions', parsed.error);
  const c = parsed.data;
  const g = c.guardrails;
  return {
    kind: 'suggestion-config',
    attributePairs: c.attributePairs,
    attributeScanLimit: c.attributeScanLimit,
    lowScoreDays: g.lowScoreDays,
    negativeSignals: g.negativeSignals,
    requireMarketingConsent: g.requireMarketingConsent,
    internalCustomers: g.internalCustomers,
    frequency: { max: g.frequency.max, perMs: toMillis(g.frequency.per, 'suggestions.guardrails.frequency.per') },
    productCooldownMs: toMillis(g.productCooldown, 'suggestions.guardrails.productCooldown'),
    tiers: c.discounts.tiers,
    cap: c.discounts.cap,
    acceptanceMinSamples: c.acceptanceMinSamples,
    ignoreAfterMs: toMillis(c.ignoreAfter, 'suggestions.ignoreAfter'),
    limit: c.limit,
  };
}

/** Whether a value is settings made by {@link defineSuggestions}. */
export function isSuggestionConfig(value: unknown): value is SuggestionConfig {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'suggestion-config';
}
