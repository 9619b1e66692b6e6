import * as z from 'zod';
import { TicketSchema } from '../domain/ticket.js';
import { AuditEntryJsonSchema } from './schemas.js';
import { JsonValueSchema } from '../domain/common.js';
import { CustomerSchema } from '../domain/customer.js';
import { InteractionSchema } from '../domain/interaction.js';
import { NotificationRecordSchema } from '../domain/notification.js';
import { OfferSchema } from '../domain/offer.js';
import { SurveySchema } from '../domain/followup.js';
import { ArticleSchema } from '../domain/article.js';
import { PortalCustomerSchema, PortalInteractionSchema, PortalOfferSchema, PortalSurveySchema, PortalTicketSchema } from './portal.js';
import { PROBLEM_TYPE, ProblemSchema } from './problem.js';
import { datesAsStrings } from './codec.js';
import type { RouteSpec } from './route.js';

type Json = Record<string, unknown>;

/** What the document says about the API itself. */
export interface DocumentInfo {
  /** Default `omotenashi help desk API`. */
  readonly title?: string;
  /** The API's version (default `1`). */
  readonly version?: string;
  readonly description?: string;
  /** Where the API is served, e.g. `[{ url: 'https://desk.example.com/api' }]`. */
  readonly servers?: ReadonlyArray<{ readonly url: string; readonly description?: string }>;
}

// Records that appear inside other components: named once, referenced everywhere.
const SHARED: ReadonlyArray<[string, z.ZodType]> = [
  ['Ticket', TicketSchema],
  ['PortalTicket', PortalTicketSchema],
  ['Interaction', InteractionSchema],
  ['PortalInteraction', PortalInteractionSchema],
  ['Customer', CustomerSchema],
  ['PortalCustomer', PortalCustomerSchema],
  ['Survey', SurveySchema],
  ['PortalSurvey', PortalSurveySchema],
  ['Offer', OfferSchema],
  ['PortalOffer', PortalOfferSchema],
  ['NotificationRecord', NotificationRecordSchema],
  ['Article', ArticleSchema],
  ['AuditEntry', AuditEntryJsonSchema],
  ['JsonValue', JsonValueSchema],
  ['Problem', ProblemSchema],
];

const ERROR_STATUSES: Record<string, string> = {
  '400': 'The body is not valid JSON.',
  '401': 'No credentials, or credentials `authenticate` does not accept.',
  '403': 'The caller may not use this route.',
  '404': 'No such record, or one the caller may not see.',
  '409': 'A conflict: the record changed, a unique key is taken, the move is not allowed from this state, or the first request with this Idempotency-Key is still running.',
  '412': 'If-Match names a version the record no longer has.',
  '413': 'The body is larger than the API accepts.',
  '415': 'The body is not in a media type this route reads.',
  '422': 'The request failed validation (`errors` point at the fields), or the Idempotency-Key came with another request.',
  '429': 'Too many requests; see Retry-After.',
  '500': 'The server failed; the details are in its log.',
};

function componentsOf(routes: ReadonlyArray<RouteSpec>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  const byName = new Map<string, z.ZodType>();
  const add = (name: string, schema: z.ZodType): void => {
    const seen = byName.get(name);
    if (seen === schema) return;
    if (seen !== undefined) throw new Error(`two schemas are named "${name}" in the OpenAPI document`);
    byName.set(name, schema);
    // A schema already registered under another name keeps its first name.
    if (!registry.has(schema)) registry.add(schema, { id: name });
  };
  for (const [name, schema] of SHARED) add(name, schema);
  for (const r of routes) {
    if (io === 'input' && r.body !== undefined) add(r.body.name, r.body.schema);
    if (io === 'output') add(r.response.name, r.response.schema);
  }
  const out = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
    override: datesAsStrings,
  }) as { schemas: Record<string, Json> };
  for (const s of Object.values(out.schemas)) {
    delete s['$schema'];
    delete s['$id'];
  }
  return out.schemas;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

function successSchema(r: RouteSpec): Json {
  if (r.response.list === 'array') return { type: 'array', items: ref(r.response.name) };
  if (r.response.list === 'page') {
    return {
      type: 'object',
      properties: {
        items: { type: 'array', items: ref(r.response.name) },
        nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
        next: { type: ['string', 'null'], description: 'The URL of the next page; null on the last page.' },
      },
      required: ['items', 'nextCursor', 'next'],
    };
  }
  return ref(r.response.name);
}

function parametersOf(r: RouteSpec): Json[] {
  const params: Json[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 200 } }));
  if (r.query !== undefined) {
    const js = z.toJSONSchema(r.query, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = schema;
      params.push({ name, in: 'query', required: (js.required ?? []).includes(name), schema: rest, ...(description === undefined ? {} : { description }) });
    }
  }
  if (r.versioned && r.method !== 'get') params.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag you read: the request fails with 412 when the record has changed since.' });
  if (r.versioned && r.method === 'get') params.push({ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag you hold: 304 when the record is unchanged.' });
  if (r.method === 'post' && r.rawBody !== true) params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 }, description: 'A unique key per logical request (a UUID): a retry with the same key and body gets the first response back.' });
  return params;
}

function operationOf(r: RouteSpec): Json {
  const status = String(r.response.status ?? 200);
  const headers: Json = {};
  if (r.versioned) headers['ETag'] = { description: 'The record version, for If-Match.', schema: { type: 'string' } };
  if (r.response.status === 201) headers['Location'] = { description: 'The created record.', schema: { type: 'string' } };
  if (r.response.list === 'page') headers['Link'] = { description: 'rel="next": the next page.', schema: { type: 'string' } };
  const errors = ['401', '403', '404', '409', '422', '429', '500'];
  if (r.body !== undefined || r.rawBody) errors.push('400', '413', '415');
  if (r.versioned && r.method !== 'get') errors.push('412');
  const responses: Json = {
    [status]: { description: r.summary, ...(Object.keys(headers).length === 0 ? {} : { headers }), content: { 'application/json': { schema: successSchema(r) } } },
  };
  if (status === '201') responses['200'] = { description: 'The record existed already (the same source id or external id): nothing new was created.', content: { 'application/json': { schema: successSchema(r) } } };
  if (r.versioned && r.method === 'get') responses['304'] = { description: 'Not modified (If-None-Match matched).' };
  for (const e of errors.sort()) responses[e] = { $ref: `#/components/responses/Problem${e}` };
  const body = r.rawBody
    ? { required: true, content: { 'message/rfc822': { schema: { type: 'string', contentMediaType: 'message/rfc822' } } } }
    : r.body === undefined
      ? undefined
      : { required: true, content: { 'application/json': { schema: ref(r.body.name) } } };
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description === undefined ? {} : { description: r.description }),
    tags: [r.tag],
    'x-roles': r.roles,
    ...(r.ownAuth ? { security: [{ inboundSecret: [] }, { inboundBasic: [] }] } : {}),
    parameters: parametersOf(r),
    ...(body === undefined ? {} : { requestBody: body }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of a set of routes: every route, parameter, body, response and error,
 * with schemas from the same zod schemas the API validates with.
 */
export function buildDocument(routes: ReadonlyArray<RouteSpec>, info: DocumentInfo = {}): Json {
  const inputs = componentsOf(routes, 'input');
  const outputs = componentsOf(routes, 'output');
  // Input and output forms of a shared record differ only in defaults: the output form is kept.
  const schemas = { ...inputs, ...outputs };
  const paths: Record<string, Json> = {};
  for (const r of routes) paths[r.path] = { ...(paths[r.path] ?? {}), [r.method]: operationOf(r) };
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'omotenashi help desk API', version: info.version ?? '1', ...(info.description === undefined ? {} : { description: info.description }) },
    ...(info.servers === undefined ? {} : { servers: info.servers }),
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(Object.entries(ERROR_STATUSES).map(([s, description]) => [`Problem${s}`, { description, content: { [PROBLEM_TYPE]: { schema: ref('Problem') } } }])),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Whatever credentials the server’s `authenticate` accepts; a Bearer token in the examples.' },
        inboundSecret: { type: 'http', scheme: 'bearer', description: 'The inbound e-mail route’s shared secret.' },
        inboundBasic: { type: 'http', scheme: 'basic', description: 'The inbound e-mail route’s shared secret as the password.' },
      },
    },
  };
}
