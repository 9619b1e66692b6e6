import * as z from 'zod';
import { LocaleSchema, TicketIdSchema } from './common.js';

/** Where an article stands: a `draft` being written, `published` for agents and customers, or `archived`. */
export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
/** Schema of an {@link ArticleStatus}. */
export const ArticleStatusSchema = z.enum(ARTICLE_STATUSES);
/** Where an article stands. */
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

const articleFields = {
  title: z.string().trim().min(1, 'an article needs a title').max(300),
  body: z.string().trim().min(1, 'an article needs a body').max(200_000),
  tags: z.array(z.string().trim().min(1).max(100)).default([]),
  /** The product it is about, if any (a sku or product line). */
  product: z.string().trim().min(1).max(100).optional(),
  locale: LocaleSchema.default('en'),
};

/** What a caller supplies to write an article. */
export const ArticleInputSchema = z.object({ id: z.string().min(1).max(200).optional(), ...articleFields, ticketIds: z.array(TicketIdSchema).default([]) }).strict();
/** Input of `desk.createArticle`. */
export interface ArticleInput extends z.input<typeof ArticleInputSchema> {}

/** The fields an update may change. */
export const ArticlePatchSchema = z
  .object({ title: articleFields.title, body: articleFields.body, tags: z.array(z.string().trim().min(1).max(100)), product: articleFields.product.unwrap().nullable(), locale: LocaleSchema })
  .partial()
  .strict();
/** Input of `desk.updateArticle`. */
export interface ArticlePatch extends z.input<typeof ArticlePatchSchema> {}

/**
 * Schema of a knowledge-base article: a solution written once and reused, linked to the tickets
 * it came from or helped with, with the feedback of those who read it.
 */
export const ArticleSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  ...articleFields,
  tags: z.array(z.string()),
  locale: z.string().min(1),
  status: ArticleStatusSchema,
  /** Tickets it was written from or linked to. */
  ticketIds: z.array(TicketIdSchema),
  /** How often readers said it helped, or did not. */
  helpful: z.number().int().nonnegative(),
  notHelpful: z.number().int().nonnegative(),
  publishedAt: z.date().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A knowledge-base article. */
export interface Article extends z.infer<typeof ArticleSchema> {}
