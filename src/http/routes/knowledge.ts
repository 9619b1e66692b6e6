import * as z from 'zod';
import { NotFoundError } from '../../errors.js';
import { ARTICLE_STATUSES, ArticleSchema, type Article } from '../../domain/article.js';
import { defined } from '../portal.js';
import type { RouteContext, RouteSpec } from '../route.js';
import { ArticleMatchSchema, BacklogRowSchema, MetricRowSchema } from '../schemas.js';
import { EVERYONE, PAGING, STAFF, csvParam, listQuery, named, record } from './common.js';

const ArticleC = named('Article', ArticleSchema);

/** Customers see published articles only; a draft or archived one is a 404 to them. */
async function visibleArticle(ctx: RouteContext, id: string): Promise<Article> {
  const a = await ctx.desk.getArticle(id);
  if (ctx.principal.kind === 'customer' && a.status !== 'published') throw new NotFoundError('article', id, 'check the id');
  return a;
}

/** The knowledge base: search, read, list, and say whether an article helped. */
export const knowledgeRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'get',
    path: '/articles/search',
    operationId: 'searchArticles',
    summary: 'Search published articles',
    tag: 'Articles',
    roles: EVERYONE,
    query: z.object({ q: z.string().min(1).max(10_000).describe('What the customer wrote, in their words'), locale: z.string().min(2).max(35).optional(), product: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }).strict(),
    response: { ...named('ArticleMatch', ArticleMatchSchema), list: 'array' },
    async handle(ctx) {
      const { q, locale, product, limit } = ctx.query as { q: string; locale?: string; product?: string; limit?: number };
      const hits = await ctx.desk.suggestArticles({ text: q, ...(locale === undefined ? {} : { locale }) }, { ...(limit === undefined ? {} : { limit }), ...(product === undefined ? {} : { product }) });
      return { body: hits };
    },
  },
  {
    method: 'get',
    path: '/articles',
    operationId: 'listArticles',
    summary: 'List articles (customers: published ones)',
    tag: 'Articles',
    roles: EVERYONE,
    query: z.object({ status: csvParam(ARTICLE_STATUSES), locale: z.string().min(1).optional(), product: z.string().min(1).optional(), tag: z.string().min(1).optional(), ...PAGING }).strict(),
    response: { ...ArticleC, list: 'page' },
    async handle(ctx) {
      const page = await ctx.desk.listArticles(listQuery(ctx, ctx.principal.kind === 'customer' ? { status: 'published' } : {}));
      return { body: page.items, nextCursor: page.nextCursor };
    },
  },
  {
    method: 'get',
    path: '/articles/{id}',
    operationId: 'getArticle',
    summary: 'Read an article',
    tag: 'Articles',
    roles: EVERYONE,
    versioned: true,
    response: ArticleC,
    handle: async (ctx) => record(await visibleArticle(ctx, ctx.params['id'] as string)),
  },
  {
    method: 'post',
    path: '/articles/{id}/feedback',
    operationId: 'recordArticleFeedback',
    summary: 'Say whether an article helped',
    tag: 'Articles',
    roles: EVERYONE,
    body: named('ArticleFeedback', z.object({ helpful: z.boolean(), ticketId: z.string().min(1).max(200).optional() }).strict()),
    response: ArticleC,
    async handle(ctx) {
      const a = await visibleArticle(ctx, ctx.params['id'] as string);
      const body = ctx.body as { helpful: boolean; ticketId?: string };
      // A customer's feedback may name only their own ticket.
      if (ctx.principal.kind === 'customer' && body.ticketId !== undefined) {
        const t = await ctx.desk.getTicket(body.ticketId as never).catch(() => null);
        if (t === null || t.requesterId !== ctx.principal.customerId) throw new NotFoundError('ticket', body.ticketId, 'check the id');
      }
      return record(await ctx.desk.recordArticleFeedback(a.id, body as Parameters<typeof ctx.desk.recordArticleFeedback>[1], { by: ctx.actor }));
    },
  },
];

const dimensions = csvParam(['agent', 'team', 'channel', 'customerKind', 'type', 'priority', 'organization']).describe('Dimensions to group by, comma-separated: agent, team, channel, customerKind, type, priority, organization.');

/** KPIs from the metrics aggregator given to the API (`metrics` option). */
export const metricRoutes: ReadonlyArray<RouteSpec> = [
  {
    method: 'get',
    path: '/metrics',
    operationId: 'reportMetrics',
    summary: 'KPIs grouped by dimensions and period',
    tag: 'Metrics',
    roles: STAFF,
    query: z.object({ groupBy: dimensions, period: z.enum(['day', 'week', 'month', 'all']).optional(), from: z.iso.date().optional(), to: z.iso.date().optional() }).strict(),
    response: { ...named('MetricRow', MetricRowSchema), list: 'array' },
    async handle(ctx) {
      return { body: ctx.metrics?.report(defined(ctx.query)) ?? [] };
    },
  },
  {
    method: 'get',
    path: '/metrics/backlog',
    operationId: 'backlog',
    summary: 'Open tickets now and how old they are, grouped',
    tag: 'Metrics',
    roles: STAFF,
    query: z.object({ groupBy: dimensions }).strict(),
    response: { ...named('BacklogRow', BacklogRowSchema), list: 'array' },
    async handle(ctx) {
      return { body: ctx.metrics?.backlog(ctx.desk.clock.now(), (ctx.query['groupBy'] as never) ?? []) ?? [] };
    },
  },
];
