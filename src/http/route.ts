import type * as z from 'zod';
import type { Actor, AgentId, CustomerId } from '../domain/common.js';
import type { ServiceDesk } from '../desk/service-desk.js';
import type { MetricsAggregator } from '../metrics/aggregate.js';

/**
 * Who is calling, as `authenticate` decides: an agent acting as themselves, a customer in the
 * portal (their own tickets only), or a trusted back-end (`system`).
 */
export type Principal = { readonly kind: 'agent'; readonly agentId: AgentId | string } | { readonly kind: 'customer'; readonly customerId: CustomerId | string } | { readonly kind: 'system'; readonly name?: string };

/** A principal's kind: who may call a route. */
export type Role = Principal['kind'];

/** The e-mail intake the inbound route hands raw messages to (from `omotenashi/email`). */
export interface InboundIntake {
  /** Take in one raw RFC 5322 message. */
  receive(raw: Uint8Array | string): Promise<{ readonly outcome: string } & Record<string, unknown>>;
}

/** What a route handler gets: the desk, the caller, and the request already checked against the route's schemas. */
export interface RouteContext {
  readonly desk: ServiceDesk;
  readonly principal: Principal;
  /** The actor the desk records: the authenticated agent or customer, or the system. */
  readonly actor: Actor;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  /** The top-level fields the caller sent in the JSON body (before defaults were filled in). */
  readonly sent: ReadonlySet<string>;
  /** The version an `If-Match` header names. */
  readonly ifMatch: number | undefined;
  readonly url: URL;
  readonly metrics: MetricsAggregator | undefined;
  readonly pageSize: { readonly default: number; readonly max: number };
  /** Whether customers also see their organisations' tickets. */
  readonly portal: { readonly organizationTickets: boolean };
  readonly raw: Request;
}

/** What a handler answers: the body, and what the API turns into headers. */
export interface RouteResult {
  readonly body: unknown;
  readonly status?: number;
  /** The record version: the `ETag`. */
  readonly version?: number;
  /** A created resource's path (under the API's base path): the `Location`. */
  readonly location?: string;
  /** The next page's cursor: a `next` link in the body and a `Link` header. */
  readonly nextCursor?: string | null;
}

/** A named schema: one component of the OpenAPI document. */
export interface Component {
  readonly name: string;
  readonly schema: z.ZodType;
}

/** One route: how it is matched, who may call it, what it reads and answers, and what it does. */
export interface RouteSpec {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** The path in OpenAPI form: `/tickets/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly roles: ReadonlyArray<Role>;
  /** Query parameters: a zod object of strings (coerced by the schema), documented one by one. */
  readonly query?: z.ZodObject;
  /** The JSON request body. */
  readonly body?: Component;
  /** The success response: one record, a page of records (`items`, `next`) or a plain array. */
  readonly response: Component & { readonly list?: 'page' | 'array'; readonly status?: 200 | 201 };
  /** Honours `If-Match` (the record version) and answers with an `ETag`. */
  readonly versioned?: boolean;
  /** Reads the body itself (the inbound e-mail route: raw MIME). */
  readonly rawBody?: boolean;
  /** Authenticated by its own check instead of `authenticate` (the inbound route's shared secret). */
  readonly ownAuth?: true;
  readonly handle: (ctx: RouteContext) => Promise<RouteResult>;
}
