import type { Actor } from '../domain/common.js';
import type { Article, ArticleStatus } from '../domain/article.js';
import type { Customer } from '../domain/customer.js';
import type { Interaction } from '../domain/interaction.js';
import type { Ticket } from '../domain/ticket.js';
import { deskEvent } from '../events.js';
import { ConfigError } from '../errors.js';
import type { ArticleIndex } from '../knowledge/search.js';
import { pageAll, type StoragePort } from '../ports/storage.js';
import type { Addition } from './effects.js';

/** The id of the draft written from a ticket: one per ticket, so drafting twice finds it. */
export const articleIdFromTicket = (ticketId: string): string => `kb:${ticketId}`;

/**
 * The desk's side of the knowledge base: a search index of published articles, kept in step with
 * storage (so several processes on one database search the same articles: each search re-reads
 * which articles are published and re-indexes only those whose version changed), and the records
 * and events of article changes.
 */
export function createKnowledgeRuntime(deps: { storage: StoragePort; createIndex: (() => ArticleIndex) | undefined }) {
  const index: ArticleIndex | undefined = deps.createIndex?.();
  const versions = new Map<string, number>();

  async function searchIndex(): Promise<ArticleIndex> {
    if (index === undefined) throw new ConfigError('knowledge', 'searching articles reads their words in English and Japanese: pass createServiceDesk({ knowledge: defineKnowledgeBase() })');
    const seen = new Set<string>();
    for await (const page of pageAll(deps.storage, 'article', { status: 'published' })) {
      for (const a of page) {
        seen.add(a.id);
        if (versions.get(a.id) === a.version) continue;
        index.upsert(a);
        versions.set(a.id, a.version);
      }
    }
    for (const id of [...versions.keys()]) {
      if (seen.has(id)) continue;
      index.remove(id);
      versions.delete(id);
    }
    return index;
  }

  /** Keep the index in step with a committed article (the next search checks storage again anyway). */
  function indexed(article: Article): void {
    if (index === undefined) return;
    index.upsert(article);
    if (article.status === 'published') versions.set(article.id, article.version);
    else versions.delete(article.id);
  }

  /** Write a changed article with its event. */
  function change(before: Article | null, after: Article, event: 'article.created' | 'article.updated' | 'article.published' | 'article.archived' | 'article.feedback_recorded', at: Date, actor: Actor): Addition {
    return { puts: [{ kind: 'article', record: after, expectedVersion: before?.version ?? null }], events: [deskEvent(event, { article: after, at, actor })], effects: [] };
  }

  /**
   * A draft written from a resolved ticket: the subject as the title, the problem in the
   * customer's words, the resolution and the agents' public replies as the solution, the
   * ticket's tags, in the customer's language.
   */
  function draftFrom(ticket: Ticket, customer: Customer, interactions: ReadonlyArray<Interaction>, now: Date): Article {
    const words = (i: Interaction): string => (i.body ?? i.summary ?? '').trim();
    const problem = [ticket.description ?? '', ...interactions.filter((i) => i.author.kind === 'customer' && i.visibility === 'public').map(words)].filter((t) => t !== '');
    const replies = interactions.filter((i) => i.author.kind === 'agent' && i.visibility === 'public').map(words).filter((t) => t !== '');
    const ja = /^ja(-|$)/i.test(customer.locale);
    const [problemHead, solutionHead] = ja ? ['問題', '解決方法'] : ['Problem', 'Solution'];
    const body = [
      `${problemHead}\n${problem.length > 0 ? problem[0] : ticket.subject}`,
      `${solutionHead}\n${[ticket.resolution?.summary ?? '', ...replies].filter((t) => t !== '').join('\n')}`,
    ].join('\n\n');
    return {
      id: articleIdFromTicket(ticket.id),
      version: 1,
      title: ticket.subject,
      body,
      tags: [...ticket.tags],
      locale: customer.locale,
      status: 'draft',
      ticketIds: [ticket.id],
      helpful: 0,
      notHelpful: 0,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Move an article to a status, stamping `publishedAt` the first time it is published. */
  function moved(article: Article, status: ArticleStatus, now: Date): Article {
    return { ...article, version: article.version + 1, status, updatedAt: now, ...(status === 'published' && article.publishedAt === undefined ? { publishedAt: now } : {}) };
  }

  return { searchIndex, indexed, change, draftFrom, moved };
}

/** The knowledge part of a desk (see {@link createKnowledgeRuntime}). */
export type KnowledgeRuntime = ReturnType<typeof createKnowledgeRuntime>;
