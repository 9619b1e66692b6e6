import * as z from 'zod';
import { ActorSchema, CustomerIdSchema, MoneySchema, TicketIdSchema } from './common.js';

/** What kind of suggestion: a step up (`upsell`), something that goes with it (`cross_sell`), or an add-on for what was bought. */
export const SUGGESTION_KINDS = ['upsell', 'cross_sell', 'add_on'] as const;
/** Schema of a {@link SuggestionKind}. */
export const SuggestionKindSchema = z.enum(SUGGESTION_KINDS);
/** What kind of suggestion. */
export type SuggestionKind = z.infer<typeof SuggestionKindSchema>;

/** How an offer ended: still `offered`, or the customer `accepted`, `rejected` or `ignored` it. */
export const OFFER_STATUSES = ['offered', 'accepted', 'rejected', 'ignored'] as const;
/** Schema of an {@link OfferStatus}. */
export const OfferStatusSchema = z.enum(OFFER_STATUSES);
/** How an offer ended. */
export type OfferStatus = z.infer<typeof OfferStatusSchema>;

/** Schema of one piece of evidence behind a suggestion: what was owned, ordered, asked or used. */
export const EvidenceSchema = z.object({
  type: z.enum(['owned', 'ordered', 'ticket', 'usage', 'acceptance', 'attribute']),
  /** The product concerned, if any. */
  sku: z.string().optional(),
  detail: z.string(),
});
/** One piece of evidence behind a suggestion. */
export interface Evidence extends z.infer<typeof EvidenceSchema> {}

/** Schema of a discount or bonus attached to an offer by the customer's commitment tier. */
export const OfferDiscountSchema = z.object({
  /** The tier that earned it. */
  tierId: z.string().min(1),
  /** Percent off the price (after the cap). */
  percent: z.number().min(0).max(100).optional(),
  /** The amount off, in minor units of the price's currency. */
  amountOffMinor: z.number().int().nonnegative().optional(),
  /** Bonus points (after the cap). */
  points: z.number().int().nonnegative().optional(),
  /** Whether the cap cut the tier's value down. */
  capped: z.boolean(),
});
/** A discount or bonus attached to an offer. */
export interface OfferDiscount extends z.infer<typeof OfferDiscountSchema> {}

/**
 * Schema of a stored offer: a suggestion made to a customer, with its reasons, evidence and
 * discount, and how the customer answered (for acceptance rates and frequency caps).
 */
export const OfferSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  customerId: CustomerIdSchema,
  /** The ticket after whose resolution it was made, if any. */
  ticketId: TicketIdSchema.optional(),
  sku: z.string().min(1),
  kind: SuggestionKindSchema,
  score: z.number(),
  price: MoneySchema,
  reasons: z.array(z.string()),
  evidence: z.array(EvidenceSchema),
  discount: OfferDiscountSchema.optional(),
  status: OfferStatusSchema,
  offeredAt: z.date(),
  answeredAt: z.date().optional(),
  answeredBy: ActorSchema.optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A stored offer. */
export interface Offer extends z.infer<typeof OfferSchema> {}
