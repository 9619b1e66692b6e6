import type { Article } from '../domain/article.js';
import { terms } from './text.js';

/** One ranked search result. */
export interface ArticleMatch {
  readonly article: Article;
  /** BM25 score (higher is more relevant; comparable within one search). */
  readonly score: number;
  /** The query terms it matched. */
  readonly matched: ReadonlyArray<string>;
}

/** Options of {@link ArticleIndex.search}. */
export interface ArticleSearchOptions {
  /** How many results at most (default 5). */
  readonly limit?: number;
  /** Only articles in this language (`ja-JP` matches `ja`); also picks the segmenter for the query. */
  readonly locale?: string;
  /** Only articles about this product. */
  readonly product?: string;
  /** Articles the customer already found unhelpful for this question, to leave out. */
  readonly exclude?: ReadonlyArray<string>;
}

/** A BM25 index over published articles' titles, tags and bodies (see {@link createArticleIndex}). */
export interface ArticleIndex {
  /** Add or replace an article (drafts and archived articles are removed instead). */
  upsert(article: Article): void;
  /** Remove an article. */
  remove(id: string): void;
  /** How many articles are indexed. */
  readonly size: number;
  /** Articles for a question, best first. */
  search(query: string, options?: ArticleSearchOptions): ArticleMatch[];
}

const FIELDS = [
  { name: 'title', boost: 2.5 },
  { name: 'tags', boost: 1.5 },
  { name: 'body', boost: 1 },
] as const;
const K1 = 1.2;
const B = 0.75;

interface Doc {
  article: Article;
  language: string;
  /** Per field: term → frequency, and the field's length. */
  fields: Array<{ tf: Map<string, number>; length: number }>;
}

const languageOf = (locale: string): string => locale.split('-')[0]?.toLowerCase() ?? locale;

/**
 * An in-memory BM25F-style index of published articles: title, tags and body weighted 2.5, 1.5
 * and 1, with postings per term so a search only touches articles sharing a term with the query.
 * Works for Japanese as well as English (see `terms`). Helpfulness feedback moves an article's
 * score by up to 10% either way.
 *
 * @example
 * ```ts
 * const index = createArticleIndex(publishedArticles);
 * index.search('router reboots every night', { locale: 'en' })[0]?.article.title;
 * ```
 */
export function createArticleIndex(articles: Iterable<Article> = []): ArticleIndex {
  const docs = new Map<string, Doc>();
  const postings = new Map<string, Set<string>>();
  const totalLength = [0, 0, 0];

  function remove(id: string): void {
    const doc = docs.get(id);
    if (doc === undefined) return;
    doc.fields.forEach((f, i) => {
      totalLength[i] = (totalLength[i] as number) - f.length;
      for (const t of f.tf.keys()) {
        const p = postings.get(t);
        p?.delete(id);
        if (p?.size === 0) postings.delete(t);
      }
    });
    docs.delete(id);
  }

  function upsert(article: Article): void {
    remove(article.id);
    if (article.status !== 'published') return;
    const texts = [article.title, article.tags.join(' '), article.body];
    const fields = texts.map((text) => {
      const tf = new Map<string, number>();
      const list = terms(text, article.locale);
      for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1);
      return { tf, length: list.length };
    });
    fields.forEach((f, i) => {
      totalLength[i] = (totalLength[i] as number) + f.length;
      for (const t of f.tf.keys()) {
        let p = postings.get(t);
        if (p === undefined) postings.set(t, (p = new Set()));
        p.add(article.id);
      }
    });
    docs.set(article.id, { article, language: languageOf(article.locale), fields });
  }

  for (const a of articles) upsert(a);

  return {
    upsert,
    remove,
    get size() {
      return docs.size;
    },
    search(query, options = {}) {
      const q = [...new Set(terms(query, options.locale ?? 'ja'))];
      const n = docs.size;
      if (q.length === 0 || n === 0) return [];
      const avg = totalLength.map((l) => Math.max(1, l / n));
      const language = options.locale === undefined ? undefined : languageOf(options.locale);
      const exclude = new Set(options.exclude ?? []);
      const scores = new Map<string, { score: number; matched: string[] }>();
      for (const t of q) {
        const p = postings.get(t);
        if (p === undefined) continue;
        const idf = Math.log(1 + (n - p.size + 0.5) / (p.size + 0.5));
        for (const id of p) {
          const doc = docs.get(id) as Doc;
          if (exclude.has(id) || (options.product !== undefined && doc.article.product !== options.product)) continue;
          let tf = 0;
          doc.fields.forEach((f, i) => {
            const raw = f.tf.get(t) ?? 0;
            if (raw > 0) tf += (FIELDS[i]?.boost ?? 1) * (raw / (1 - B + (B * f.length) / (avg[i] as number)));
          });
          const s = scores.get(id) ?? { score: 0, matched: [] };
          s.score += idf * ((tf * (K1 + 1)) / (tf + K1));
          s.matched.push(t);
          scores.set(id, s);
        }
      }
      const helpfulness = (a: Article): number => (a.helpful + 1) / (a.helpful + a.notHelpful + 2);
      return [...scores]
        .map(([id, s]) => ({ doc: docs.get(id) as Doc, ...s }))
        .filter((x) => language === undefined || x.doc.language === language)
        .map((x) => ({ article: x.doc.article, score: Math.round(x.score * (0.9 + 0.2 * helpfulness(x.doc.article)) * 10_000) / 10_000, matched: x.matched }))
        .sort((a, b) => b.score - a.score || (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0))
        .slice(0, options.limit ?? 5);
    },
  };
}
