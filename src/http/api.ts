import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { ConflictError, HttpError, NotFoundError } from '../errors.js';
import type { Actor } from '../domain/common.js';
import { createConsoleLogger } from '../adapters/memory/logger.js';
import { idempotent } from './idempotency.js';
import { buildDocument } from './openapi.js';
import { checkOptions, type HttpApiOptions } from './options.js';
import { problemOf, problemResponse } from './problem.js';
import { parseIfMatch, parseJsonBody, parseQuery, readBody } from './request.js';
import type { Principal, Role, RouteContext, RouteResult, RouteSpec } from './route.js';
import { actionRoutes } from './routes/actions.js';
import { linkRoutes } from './routes/links.js';
import { organizationRoutes } from './routes/organizations.js';
import { privacyRoutes } from './routes/privacy.js';
import { customerRoutes } from './routes/customers.js';
import { engagementRoutes } from './routes/engagement.js';
import { inboundRoutes } from './routes/inbound.js';
import { knowledgeRoutes, metricRoutes } from './routes/knowledge.js';
import { ticketRoutes } from './routes/tickets.js';

/** The HTTP API of a desk: a Web-standard handler and the OpenAPI document it serves. */
export interface HttpApi {
  /** Answer one request (Node via `@hono/node-server`, Bun, Deno, edge workers, Next.js route handlers). */
  fetch(request: Request): Promise<Response>;
  /** The OpenAPI 3.1 document (also served at `GET /openapi.json`). */
  document(): Record<string, unknown>;
  /** Every route, for tools that want the table (method, path, operation id, roles). */
  readonly routes: ReadonlyArray<HttpRoute>;
}

/** One route of the API, as {@link HttpApi.routes} lists it. */
export interface HttpRoute {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** The path in OpenAPI form: `/tickets/{id}`. */
  readonly path: string;
  readonly operationId: string;
  /** Who may call it. */
  readonly roles: ReadonlyArray<Role>;
  readonly summary: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

const actorOf = (p: Principal): Actor => (p.kind === 'agent' ? { kind: 'agent', id: String(p.agentId) } : p.kind === 'customer' ? { kind: 'customer', id: String(p.customerId) } : { kind: 'system', ...(p.name === undefined ? {} : { name: p.name }) });

function checkPrincipal(p: unknown): Principal {
  const x = p as Partial<Record<string, unknown>> | null;
  const ok = x !== null && typeof x === 'object' && ((x['kind'] === 'agent' && typeof x['agentId'] === 'string' && x['agentId'] !== '') || (x['kind'] === 'customer' && typeof x['customerId'] === 'string' && x['customerId'] !== '') || x['kind'] === 'system');
  if (!ok) throw new TypeError(`authenticate returned ${JSON.stringify(p)}: return { kind: 'agent', agentId } | { kind: 'customer', customerId } | { kind: 'system' } | null`);
  return p as Principal;
}

/**
 * The key of an `Idempotency-Key` header. The draft defines it as a structured-field string
 * (`"8e03978e-…"`); a bare token is taken as it is, since many clients send one.
 */
function idempotencyKeyOf(header: string | null): string | null {
  if (header === null) return null;
  const h = header.trim();
  const quoted = /^"((?:[^"\\]|\\["\\])*)"$/.exec(h);
  return quoted === null ? h : (quoted[1] as string).replace(/\\(["\\])/g, '$1');
}

/** The success response of a route's result. */
function respond(route: RouteSpec, result: RouteResult, request: Request, url: URL, basePath: string): Response {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  const status = result.status ?? route.response.status ?? 200;
  if (result.version !== undefined) {
    const etag = `"${result.version}"`;
    headers['etag'] = etag;
    if (route.method === 'get' && request.headers.get('if-none-match')?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers: { etag } });
  }
  if (result.location !== undefined) headers['location'] = `${basePath}${result.location}`;
  let body = result.body;
  if (route.response.list === 'page') {
    const cursor = result.nextCursor ?? null;
    let next: string | null = null;
    if (cursor !== null) {
      const u = new URL(url);
      u.searchParams.set('cursor', cursor);
      next = u.toString();
      headers['link'] = `<${next}>; rel="next"`;
    }
    body = { items: result.body, nextCursor: cursor, next };
  }
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * An HTTP API over a desk that anyone can mount: JSON with ISO 8601 instants, RFC 9457 problem
 * details, ETag / If-Match, Idempotency-Key kept in the desk's storage, a customer portal, cursor
 * paging with `next` links, and an OpenAPI 3.1 document. Built on Hono (an optional peer).
 *
 * @example
 * ```ts
 * import { createHttpApi } from 'omotenashi/http';
 * const api = createHttpApi({
 *   desk,
 *   authenticate: (request) => sessions.principalOf(request.headers.get('authorization')),
 * });
 * export default { fetch: api.fetch }; // Bun, Deno, edge workers
 * ```
 * @throws ConfigError when an option is invalid.
 */
export function createHttpApi(options: HttpApiOptions): HttpApi {
  checkOptions(options);
  const { desk } = options;
  const logger = options.logger ?? createConsoleLogger();
  const basePath = options.basePath ?? '';
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const pageSize = { default: options.pageSize?.default ?? 50, max: options.pageSize?.max ?? 200 };
  const portal = { organizationTickets: options.portal?.organizationTickets ?? false };
  const routes: RouteSpec[] = [...ticketRoutes, ...actionRoutes, ...linkRoutes, ...customerRoutes, ...organizationRoutes, ...privacyRoutes, ...engagementRoutes, ...knowledgeRoutes, ...(options.metrics === undefined ? [] : metricRoutes), ...(options.inbound === undefined ? [] : inboundRoutes(options.inbound))];
  let document: Record<string, unknown> | undefined;
  let documentText: string | undefined;
  const documentOf = (): Record<string, unknown> => (document ??= buildDocument(routes, options.document === false ? {} : options.document));

  async function principalOf(route: RouteSpec, request: Request): Promise<Principal> {
    if (route.ownAuth) return { kind: 'system', name: 'inbound' };
    const found = await options.authenticate(request);
    if (found === null || found === undefined) throw new HttpError('UNAUTHENTICATED', 'send credentials the API accepts (e.g. Authorization: Bearer <token>)');
    const p = checkPrincipal(found);
    if (!route.roles.includes(p.kind)) throw new HttpError('FORBIDDEN', `${route.method.toUpperCase()} ${route.path} is for ${route.roles.join(' and ')} callers, not ${p.kind}s`);
    const wait = options.rateLimit === undefined ? undefined : await options.rateLimit(request, p);
    if (typeof wait === 'number') throw new HttpError('RATE_LIMITED', `too many requests: try again in ${Math.ceil(wait)} s`, { retryAfterSeconds: wait });
    return p;
  }

  async function run(route: RouteSpec, ctx: RouteContext): Promise<Response> {
    try {
      return respond(route, await route.handle(ctx), ctx.raw, ctx.url, basePath);
    } catch (error) {
      const refused = ctx.ifMatch !== undefined && error instanceof ConflictError && error.kind === 'version' ? new HttpError('PRECONDITION_FAILED', `If-Match "${ctx.ifMatch}" is not the current version${error.actualVersion === null ? '' : ` (${error.actualVersion})`}: read the record again and retry with its ETag`, { cause: error }) : error;
      return problemResponse(problemOf(refused, logger, { method: route.method.toUpperCase(), path: ctx.url.pathname }));
    }
  }

  async function serve(route: RouteSpec, request: Request, params: Record<string, string>): Promise<Response> {
    const url = new URL(request.url);
    try {
      const principal = await principalOf(route, request);
      const bytes = route.body !== undefined || route.rawBody ? await readBody(request, route.rawBody ? (options.inbound?.maxBytes ?? 25 * 1024 * 1024) : limit) : undefined;
      const parsed = bytes === undefined || route.rawBody ? undefined : parseJsonBody(route, bytes, request.headers.get('content-type'));
      const ctx: RouteContext = {
        desk,
        principal,
        actor: actorOf(principal),
        params,
        query: parseQuery(route, url),
        body: route.rawBody ? bytes : parsed?.body,
        sent: parsed?.sent ?? new Set(),
        ifMatch: route.versioned && route.method !== 'get' ? parseIfMatch(request.headers.get('if-match')) : undefined,
        url,
        metrics: options.metrics,
        pageSize,
        portal,
        raw: request,
      };
      const key = route.method === 'post' && !route.rawBody ? idempotencyKeyOf(request.headers.get('idempotency-key')) : null;
      if (key === null) return await run(route, ctx);
      return await idempotent(desk, { key, principal, method: 'POST', path: url.pathname, body: bytes, ...options.idempotency }, () => run(route, ctx));
    } catch (error) {
      return problemResponse(problemOf(error, logger, { method: request.method, path: url.pathname }));
    }
  }

  const app = basePath === '' ? new Hono() : new Hono().basePath(basePath);
  if (options.cors !== undefined) {
    const c = options.cors;
    app.use('*', cors({ origin: c.origins === '*' ? '*' : [...c.origins], credentials: c.credentials ?? false, maxAge: c.maxAgeSeconds ?? 600, allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'], allowHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key'], exposeHeaders: ['etag', 'location', 'link', 'retry-after', 'idempotency-replayed'] }));
  }
  if (options.document !== false) {
    app.get('/openapi.json', () => new Response((documentText ??= JSON.stringify(documentOf())), { headers: JSON_HEADERS }));
  }
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path.replace(/\{(\w+)\}/g, ':$1'), (c: Context) => serve(route, c.req.raw, c.req.param() as Record<string, string>));
  }
  app.notFound((c) => problemResponse(problemOf(new NotFoundError('route', `${c.req.method} ${new URL(c.req.url).pathname}`, 'see GET /openapi.json for the routes'), logger, { method: c.req.method, path: c.req.path })));
  app.onError((error, c) => problemResponse(problemOf(error, logger, { method: c.req.method, path: c.req.path })));

  return {
    fetch: async (request) => app.fetch(request),
    document: () => structuredClone(documentOf()),
    routes: routes.map(({ method, path, operationId, roles, summary }) => ({ method, path, operationId, roles, summary })),
  };
}
