import * as z from 'zod';
import { ConfigError, NotFoundError, ValidationError } from '../../errors.js';
import { DurationSchema, toMillis, type TicketId } from '../../domain/common.js';
import { ArticleInputSchema, ArticlePatchSchema, type Article } from '../../domain/article.js';
import type { Ticket } from '../../domain/ticket.js';
import type { KnowledgeParts } from '../features/knowledge.js';
import { articleIdFromTicket, type KnowledgeRuntime } from '../knowledge.js';
import type { CommandOptions } from '../options.js';
import { expectVersion } from '../records.js';
import { pageAll } from '../../ports/storage.js';
import { outcomeOf, type Kernel } from '../runtime.js';
import { parse } from '../schemas.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import type { ServiceDesk } from '../service-desk.js';

type ArticleMethods =
  | 'createArticle'
  | 'updateArticle'
  | 'publishArticle'
  | 'archiveArticle'
  | 'draftArticleFromTicket'
  | 'suggestArticles'
  | 'recordArticleFeedback'
  | 'getArticle'
  | 'listArticles'
  | 'recurringProblems';

const QuestionSchema = z.object({ text: z.string().trim().min(1, 'give the question to search for'), locale: z.string().min(1).optional() }).strict();
const FeedbackSchema = z.object({ helpful: z.boolean(), ticketId: z.string().min(1).optional() }).strict();
const RecurringOptionsSchema = z.object({ signal: z.instanceof(AbortSignal).optional(), window: DurationSchema.optional(), minCount: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(100).optional(), similarity: z.number().min(0).max(1).optional(), synonyms: z.array(z.array(z.string().trim().min(1).max(200)).min(1).max(1000)).max(10_000).optional() }).strict();

type QueryMethods = 'suggestArticles' | 'getArticle' | 'listArticles' | 'recurringProblems';

/** The knowledge base on a desk: articles, suggestions for a ticket, feedback and recurring problems. */
export function articleCommands(k: Kernel, knowledge: KnowledgeRuntime, base: { readonly parts: KnowledgeParts; readonly synonyms: ReadonlyArray<ReadonlyArray<string>> | undefined } | undefined): Pick<ServiceDesk, ArticleMethods> {
  return { ...articleWrites(k, knowledge), ...articleQueries(k, knowledge, base) };
}

const articleOf = async (k: Kernel, id: string): Promise<Article> => {
  const found = await k.storage.get('article', id);
  if (found === null) throw new NotFoundError('article', id);
  return found;
};

/** Writing, publishing, archiving and rating articles. */
function articleWrites(k: Kernel, knowledge: KnowledgeRuntime): Pick<ServiceDesk, Exclude<ArticleMethods, QueryMethods>> {
  const getArticle = (id: string): Promise<Article> => articleOf(k, id);

  /** Publish or archive an article (a no-op when it already is), keeping the search index in step. */
  async function moveArticle(id: string, status: 'published' | 'archived', options?: CommandOptions): Promise<Article> {
    const actor = k.actorOf(options);
    const moved = await k.run(async () => {
      const found = await getArticle(id);
      if (found.status === status) return outcomeOf(found);
      const now = k.now();
      const next = knowledge.moved(found, status, now);
      return outcomeOf(next, knowledge.change(found, next, status === 'published' ? 'article.published' : 'article.archived', now, actor));
    }, true);
    knowledge.indexed(moved);
    return moved;
  }

  return {
    async createArticle(input, options) {
      const actor = k.actorOf(options);
      const data = parse(ArticleInputSchema, input, 'createArticle input');
      const now = k.now();
      const { id, ...fields } = data;
      const article: Article = { id: id ?? `kb_${k.newId('msg').slice(4)}`, version: 1, ...fields, status: 'draft', helpful: 0, notHelpful: 0, createdAt: now, updatedAt: now };
      return k.run(async () => outcomeOf(article, knowledge.change(null, article, 'article.created', now, actor)), false);
    },
    async updateArticle(id, patch, options) {
      const actor = k.actorOf(options);
      const data = parse(ArticlePatchSchema, patch, 'updateArticle patch');
      const changed = await k.run(async () => {
        const found = await getArticle(id);
        expectVersion('article', found, options?.expectedVersion);
        const now = k.now();
        const { product, ...rest } = data;
        const next: Article = { ...found, ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Article>), version: found.version + 1, updatedAt: now };
        if (product === null) delete (next as { product?: string }).product;
        else if (product !== undefined) next.product = product;
        return outcomeOf(next, knowledge.change(found, next, 'article.updated', now, actor));
      }, options?.expectedVersion === undefined);
      knowledge.indexed(changed);
      return changed;
    },
    publishArticle: (id, options) => moveArticle(id, 'published', options),
    archiveArticle: (id, options) => moveArticle(id, 'archived', options),
    async draftArticleFromTicket(ticketId, options) {
      const actor = k.actorOf(options);
      return k.run(async (read) => {
        const existing = await read.get('article', articleIdFromTicket(ticketId));
        if (existing !== null) return outcomeOf(existing);
        const ticket = await read.load('ticket', ticketId);
        if (ticket.resolution === undefined) {
          throw new ValidationError('draftArticleFromTicket', [{ path: ['ticketId'], message: `ticket "${ticketId}" has no resolution yet: resolve it first, then write the article from it`, code: 'custom' }]);
        }
        const [customer, interactions] = await Promise.all([read.load('customer', ticket.requesterId), read.interactions(ticket.id)]);
        const now = k.now();
        const draft = knowledge.draftFrom(ticket, customer, interactions, now);
        return outcomeOf(draft, knowledge.change(null, draft, 'article.created', now, actor));
      }, true);
    },
    async recordArticleFeedback(id, feedback, options) {
      const actor = k.actorOf(options);
      const f = parse(FeedbackSchema, feedback, 'recordArticleFeedback feedback');
      const changed = await k.run(async () => {
        const found = await getArticle(id);
        const now = k.now();
        const ticketIds = f.ticketId === undefined || found.ticketIds.includes(f.ticketId as TicketId) ? found.ticketIds : [...found.ticketIds, f.ticketId as TicketId];
        const next: Article = { ...found, version: found.version + 1, helpful: found.helpful + (f.helpful ? 1 : 0), notHelpful: found.notHelpful + (f.helpful ? 0 : 1), ticketIds, updatedAt: now };
        return outcomeOf(next, knowledge.change(found, next, 'article.feedback_recorded', now, actor));
      }, true);
      knowledge.indexed(changed);
      return changed;
    },
  };
}

/** Searching and reading articles, and the problems customers keep reporting. */
function articleQueries(k: Kernel, knowledge: KnowledgeRuntime, base: Parameters<typeof articleCommands>[2]): Pick<ServiceDesk, QueryMethods> {
  const { storage } = k;
  return {
    async suggestArticles(target, options = {}) {
      const index = await knowledge.searchIndex();
      if ('ticketId' in target) {
        const ticket = await storage.get('ticket', target.ticketId);
        if (ticket === null) throw new NotFoundError('ticket', target.ticketId);
        const [customer, interactions, unhelpful] = await Promise.all([
          storage.get('customer', ticket.requesterId),
          storage.history('interaction', ticket.id),
          storage.list('article', { status: 'published', limit: 500 }).then((p) => p.items.filter((a) => a.ticketIds.includes(ticket.id) && a.notHelpful > 0).map((a) => a.id)),
        ]);
        const words = interactions.filter((i) => i.author.kind === 'customer').map((i) => i.body ?? i.summary ?? '');
        return index.search([ticket.subject, ticket.description ?? '', ...words].join('\n'), {
          limit: options.limit ?? 5,
          exclude: unhelpful,
          ...(customer === null ? {} : { locale: customer.locale }),
          ...(options.product === undefined ? {} : { product: options.product }),
        });
      }
      const q = parse(QuestionSchema, target, 'suggestArticles target');
      return index.search(q.text, { limit: options.limit ?? 5, ...(q.locale === undefined ? {} : { locale: q.locale }), ...(options.product === undefined ? {} : { product: options.product }) });
    },
    getArticle: (id) => articleOf(k, id),
    async listArticles(query = {}) {
      parse(QUERY_SCHEMAS.article, query, 'listArticles query');
      return storage.list('article', query);
    },
    async recurringProblems(options = {}) {
      const o = parse(RecurringOptionsSchema, options, 'recurringProblems options');
      if (base === undefined) throw new ConfigError('knowledge', 'grouping recurring problems reads the subjects in English and Japanese: pass createServiceDesk({ knowledge: defineKnowledgeBase() })');
      const now = k.clock.now();
      const from = new Date(now - 2 * toMillis(o.window ?? 'P30D', 'window'));
      const tickets: Ticket[] = [];
      const { signal, ...grouping } = o;
      for await (const page of pageAll(storage, 'ticket', { createdFrom: from }, signal)) tickets.push(...page.filter((t) => t.type !== 'feedback' && t.type !== 'follow_up'));
      return base.parts.recurringProblems(tickets, { now, ...(base.synonyms === undefined ? {} : { synonyms: base.synonyms }), ...grouping });
    },
  };
}
