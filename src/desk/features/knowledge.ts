import * as z from 'zod';
import { ConfigError } from '../../errors.js';
import { recurringProblems } from '../../knowledge/recurring.js';
import { createArticleIndex } from '../../knowledge/search.js';
import { withDeskParts, type DeskFeature } from '../feature.js';

/** The text engines of a desk's knowledge base, as `createServiceDesk({ knowledge })` takes them: from {@link defineKnowledgeBase}. */
export interface KnowledgeBase extends DeskFeature<'knowledge'> {
  /** Marks a knowledge base made by {@link defineKnowledgeBase}. */
  readonly kind: 'knowledge-base';
  /**
   * Words that mean the same in this business, used by `recurringProblems` unless a call gives
   * its own, instead of `HELPDESK_SYNONYMS` (keep those with `[...HELPDESK_SYNONYMS, ...yours]`).
   */
  readonly synonyms: ReadonlyArray<ReadonlyArray<string>> | undefined;
}

/** The knowledge code a desk runs: the article index (English stemming, Japanese deinflection) and the recurring-problem grouping. */
export const KNOWLEDGE_PARTS = { createArticleIndex, recurringProblems };

/** See {@link KNOWLEDGE_PARTS}. */
export type KnowledgeParts = typeof KNOWLEDGE_PARTS;

const KnowledgeBaseSchema = z.object({ synonyms: z.array(z.array(z.string().trim().min(1).max(200)).min(2, 'a group of synonyms has at least two words').max(1000)).max(10_000).optional() }).strict();

/**
 * The text engines of the knowledge base: `suggestArticles` (search over published articles, in
 * English and Japanese) and `recurringProblems` (tickets grouped by what they are about). Writing,
 * publishing and rating articles works without it; the two searches need it.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, createServiceDesk, defineKnowledgeBase } from 'omotenashi';
 *
 * const desk = createServiceDesk({ storage: createMemoryStorage(), knowledge: defineKnowledgeBase({ synonyms: [['router', 'modem'], ['ルーター', 'モデム']] }) });
 * ```
 * @throws ConfigError naming the field of a synonym group that is not a list of two or more words.
 */
export function defineKnowledgeBase(options: { readonly synonyms?: ReadonlyArray<ReadonlyArray<string>> } = {}): KnowledgeBase {
  const parsed = KnowledgeBaseSchema.safeParse(options);
  if (!parsed.success) throw ConfigError.fromZod('knowledge', parsed.error);
  return withDeskParts({ kind: 'knowledge-base' as const, synonyms: parsed.data.synonyms }, 'knowledge', KNOWLEDGE_PARTS);
}
