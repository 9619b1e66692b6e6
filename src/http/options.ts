import * as z from 'zod';
import { ConfigError } from '../errors.js';
import type { ServiceDesk } from '../desk/service-desk.js';
import type { MetricsAggregator } from '../metrics/aggregate.js';
import type { Logger } from '../ports/logger.js';
import type { DocumentInfo } from './openapi.js';
import type { InboundIntake, Principal } from './route.js';

/** CORS for browsers on other origins (off unless given). */
export interface CorsOptions {
  /** The origins allowed: exact origins such as `https://portal.example.com`, or `*` for any. */
  readonly origins: ReadonlyArray<string> | '*';
  /** Send cookies and credentials (not with `*`). Default false. */
  readonly credentials?: boolean;
  /** How long browsers may cache a preflight, seconds (default 600). */
  readonly maxAgeSeconds?: number;
}

/** Options of {@link createHttpApi}. */
export interface HttpApiOptions {
  /** The desk the API drives. */
  readonly desk: ServiceDesk;
  /**
   * Who is calling: an agent, a customer (the portal), a trusted back-end, or null (401). Read
   * the request's credentials (a bearer token, a session cookie) and map them to a principal.
   */
  readonly authenticate: (request: Request) => Principal | null | Promise<Principal | null>;
  /** A path prefix the API is mounted under, e.g. `/api` (default none). */
  readonly basePath?: string;
  /** The metrics aggregator behind `GET /metrics` and `GET /metrics/backlog` (the routes exist only with it). */
  readonly metrics?: MetricsAggregator;
  /** The inbound e-mail route (`POST /inbound/email`): the intake from `omotenashi/email` and the provider's shared secret. */
  readonly inbound?: { readonly intake: InboundIntake; readonly secret: string; readonly maxBytes?: number };
  /** Largest JSON body accepted, bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Page sizes of list routes: the default and the cap (defaults 50 and 200). */
  readonly pageSize?: { readonly default?: number; readonly max?: number };
  /** How long an Idempotency-Key and its response are kept (ms, default 24 h), and how long a running request holds it (default 60 s). */
  readonly idempotency?: { readonly ttlMs?: number; readonly leaseMs?: number };
  /** CORS for browsers on other origins; off unless given. */
  readonly cors?: CorsOptions;
  /** Called after authentication: return seconds to wait to refuse the request with 429, or nothing to let it through. */
  readonly rateLimit?: (request: Request, principal: Principal) => number | undefined | null | Promise<number | undefined | null>;
  /** Where failures of the server's own go (the 500s): default the console. */
  readonly logger?: Logger;
  /** The document's title, version and servers; `false` serves no `/openapi.json`. */
  readonly document?: DocumentInfo | false;
  /**
   * The customer portal's sharing: with `organizationTickets`, a customer also reads (and replies
   * on) the tickets of the organisations they belong to, and lists them with
   * `GET /tickets?organizationId=`. Off by default: a customer sees their own tickets alone.
   */
  readonly portal?: { readonly organizationTickets?: boolean };
}

const OptionsSchema = z.object({
  desk: z.custom<ServiceDesk>((d) => typeof (d as ServiceDesk | undefined)?.getTicket === 'function', 'pass the desk from createServiceDesk'),
  authenticate: z.custom<HttpApiOptions['authenticate']>((f) => typeof f === 'function', 'pass a function from the request to { kind, ... } or null'),
  basePath: z.string().regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'start with "/" and do not end with one, e.g. "/api"').optional(),
  metrics: z.custom<MetricsAggregator>((m) => typeof (m as MetricsAggregator | undefined)?.report === 'function', 'pass the aggregator from createMetrics').optional(),
  inbound: z.object({ intake: z.custom<InboundIntake>((i) => typeof (i as InboundIntake | undefined)?.receive === 'function', 'pass the intake from createEmailIntake'), secret: z.string().min(16, 'use a secret of 16 characters or more'), maxBytes: z.number().int().positive().optional() }).optional(),
  maxBodyBytes: z.number().int().positive().max(100 * 1024 * 1024).optional(),
  pageSize: z.object({ default: z.number().int().min(1).max(500).optional(), max: z.number().int().min(1).max(500).optional() }).refine((p) => (p.default ?? 50) <= (p.max ?? 200), 'the default page size must not exceed the cap').optional(),
  idempotency: z.object({ ttlMs: z.number().int().positive().optional(), leaseMs: z.number().int().positive().optional() }).optional(),
  cors: z.object({ origins: z.union([z.literal('*'), z.array(z.url()).min(1)]), credentials: z.boolean().optional(), maxAgeSeconds: z.number().int().nonnegative().optional() }).refine((c) => !(c.origins === '*' && c.credentials === true), 'credentials need exact origins, not "*"').optional(),
  rateLimit: z.custom<NonNullable<HttpApiOptions['rateLimit']>>((f) => typeof f === 'function', 'pass a function').optional(),
  portal: z.object({ organizationTickets: z.boolean().optional() }).strict().optional(),
  logger: z.custom<Logger>((l) => typeof (l as Logger | undefined)?.error === 'function', 'pass a logger with debug, info, warn and error').optional(),
  document: z.union([z.literal(false), z.object({ title: z.string().optional(), version: z.string().optional(), description: z.string().optional(), servers: z.array(z.object({ url: z.string(), description: z.string().optional() })).optional() })]).optional(),
});

/** The options, checked: a bad one is a ConfigError naming it. */
export function checkOptions(options: HttpApiOptions): HttpApiOptions {
  const r = OptionsSchema.safeParse(options);
  if (!r.success) throw ConfigError.fromZod('createHttpApi', r.error);
  return options;
}
