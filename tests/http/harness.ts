import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

const addFormats = formats as unknown as (ajv: Ajv2020) => void;
import { defineKnowledgeBase, defineFollowUps, defineSlaConfig, attachMetrics, createInProcessScheduler, createManualClock, createMemoryStorage, createMetrics, createSequentialIds, createServiceDesk, defineCatalog, defineTemplates, type ServiceDeskOptions } from 'omotenashi';
import { createRecordingNotifier } from 'omotenashi/testing';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createHttpApi, type HttpApiOptions, type Principal } from 'omotenashi/http';

/** How the tests reach the API: `api.fetch` in the process, or real HTTP on 127.0.0.1. */
export type Transport = 'fetch' | 'http';

const servers: Array<{ close(cb: () => void): void }> = [];

/** Close every server {@link over} started. */
export const closeServers = (): Promise<void> => Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined);

/**
 * A fetch function that reaches `handler` by `transport`: directly, or through a Node HTTP server
 * on 127.0.0.1 (the request's path and query sent to it with its method, headers and body).
 */
export async function over(transport: Transport, handler: (r: Request) => Promise<Response>): Promise<(r: Request) => Promise<Response>> {
  if (transport === 'fetch') return handler;
  const base = await new Promise<string>((resolve) => {
    const server = serve({ fetch: handler, hostname: '127.0.0.1', port: 0, overrideGlobalObjects: false }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    servers.push(server);
  });
  return async (r: Request) => {
    const u = new URL(r.url);
    return fetch(`${base}${u.pathname}${u.search}`, { method: r.method, headers: r.headers, body: r.body, duplex: 'half' } as RequestInit);
  };
}

/** A desk with an agent, two customers and the API over it, with bearer tokens for each. */
export async function apiDesk(options: { api?: Partial<HttpApiOptions>; desk?: Partial<ServiceDeskOptions>; transport?: Transport } = {}) {
  const clock = createManualClock('2026-12-01T09:00:00+09:00');
  const storage = createMemoryStorage();
  const notifier = createRecordingNotifier();
  const templates = defineTemplates({
    survey: { variables: ['recipientName', 'surveyId'], locales: { en: { subject: 'How did we do?', text: 'Dear {{recipientName}}: https://help.example.com/s/{{surveyId|url}}' } } },
    update: { variables: ['recipientName', 'body'], locales: { en: { subject: 'About your request', text: 'Dear {{recipientName}}, {{body}}' } } },
  });
  const desk = createServiceDesk({ knowledge: defineKnowledgeBase(),
    storage,
    clock,
    scheduler: createInProcessScheduler({ clock }),
    ids: createSequentialIds(),
    notifiers: [notifier],
    templates,
    catalog: defineCatalog([
      { sku: 'router', name: 'Home router', category: 'devices', price: { amountMinor: 12000, currency: 'JPY' }, addOns: ['care'] },
      { sku: 'care', name: 'Extended care', category: 'add-ons', price: { amountMinor: 5000, currency: 'JPY' } },
    ]),
    sla: defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H', high: 'PT1H' } } } }] }),
    followUps: defineFollowUps({ plans: [{ id: 'csat', name: 'CSAT', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'survey', template: 'survey', questions: ['csat'] } }] }),
    ...options.desk,
  });
  const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
  attachMetrics(desk, metrics);
  const agent = await desk.registerAgent({ name: 'Aiko', email: 'aiko@desk.example' });
  const aya = await desk.registerCustomer({ kind: 'external', displayName: 'Aya Sato', consent: { marketing: true }, purchases: [{ sku: 'router', at: new Date('2026-10-01T00:00:00Z') }], contacts: [{ channel: 'email', address: 'aya@example.com' }] });
  const ben = await desk.registerCustomer({ kind: 'external', displayName: 'Ben Ito', contacts: [{ channel: 'email', address: 'ben@example.com' }] });
  const principals: Record<string, Principal> = { agent: { kind: 'agent', agentId: agent.id }, aya: { kind: 'customer', customerId: aya.id }, ben: { kind: 'customer', customerId: ben.id }, system: { kind: 'system', name: 'crm' } };
  const logged: unknown[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (fields: Record<string, unknown>) => void logged.push(fields) };
  const api = createHttpApi({
    desk,
    authenticate: (r) => principals[(r.headers.get('authorization') ?? '').replace(/^Bearer /, '')] ?? null,
    metrics,
    logger,
    ...options.api,
  });
  return { clock, storage, desk, api, agent, aya, ben, logged, metrics, notifier, fetch: await over(options.transport ?? 'fetch', (r: Request) => api.fetch(r)) };
}

/** Every `METHOD template` the tests reached with a success status, to check every route was exercised. */
export const exercised = new Set<string>();

/** The document's path template a concrete path falls under (static segments first: `/customers/me` before `/customers/{id}`). */
export function templateOf(document: Record<string, unknown>, path: string): string | undefined {
  const templates = Object.keys(document['paths'] as object).sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const bare = path.split('?')[0] ?? path;
  return templates.find((t) => new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare));
}

/**
 * One call: method, path, who (a token name) and an optional JSON body; the status, headers and
 * parsed body back. With a document, every answer is checked against it and mismatches collected.
 */
export function caller(fetch: (r: Request) => Promise<Response>, options: { base?: string; document?: Record<string, unknown>; mismatches?: string[]; prefix?: string } = {}) {
  const base = options.base ?? 'http://desk.test';
  const check = options.document === undefined ? undefined : documentValidator(options.document);
  return async (method: string, path: string, who: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...(who === null ? {} : { authorization: `Bearer ${who}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(new Request(`${base}${path}`, init));
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json: any = text === '' ? null : JSON.parse(text);
    if (check !== undefined && options.document !== undefined && res.status !== 304) {
      const template = templateOf(options.document, path.slice((options.prefix ?? '').length));
      const problems = template === undefined ? (res.status === 404 || path.endsWith('/openapi.json') ? [] : [`no template for ${path}`]) : check(template, method.toLowerCase(), res.status, json);
      if (res.status >= 400 && res.headers.get('content-type') !== 'application/problem+json') problems.push(`error ${res.status} is not problem+json`);
      options.mismatches?.push(...problems.map((p) => `${method} ${path} ${res.status}: ${p}`));
      if (template !== undefined && res.status < 300) exercised.add(`${method.toLowerCase()} ${template}`);
    }
    return { status: res.status, headers: res.headers, body: json };
  };
}

/** A validator of response bodies against the API's own OpenAPI document. */
export function documentValidator(document: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'api');
  return (path: string, method: string, status: number, body: unknown): string[] => {
    const op = ((document['paths'] as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }>; $ref?: string }> }>>)[path] ?? {})[method];
    if (op === undefined) return [`no operation ${method} ${path}`];
    const resp = op.responses[String(status)];
    if (resp === undefined) return [`${method} ${path} documents no ${status}`];
    if (resp.$ref !== undefined) {
      const v = ajv.getSchema('api#/components/schemas/Problem');
      return v !== undefined && v(body) ? [] : [JSON.stringify(v?.errors)];
    }
    const schema = resp.content?.['application/json']?.schema;
    if (schema === undefined) return [];
    const v = ajv.compile({ $ref: `api#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema` });
    void schema;
    return v(body) ? [] : (v.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
  };
}
