import * as z from 'zod';

/** Where a request kept for an idempotency key stands: still running, answered, or given up (a retry may run it again). */
export const REQUEST_STATUSES = ['running', 'done', 'released'] as const;
/** One of {@link REQUEST_STATUSES}. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A stored response: what a retried request with the same idempotency key is answered with. */
export const StoredResponseSchema = z.object({
  /** The HTTP status (or the transport's equivalent). */
  status: z.number().int().min(100).max(599),
  /** The response headers worth repeating (content type, ETag, Location). */
  headers: z.record(z.string(), z.string()),
  /** The response body as text. */
  body: z.string(),
});
/** A stored response (see {@link StoredResponseSchema}). */
export interface StoredResponse extends z.infer<typeof StoredResponseSchema> {}

/**
 * Schema of a {@link RequestRecord}: one idempotency key of one caller, the fingerprint of the
 * request that first used it, and, once answered, the response every retry gets back.
 */
export const RequestRecordSchema = z.object({
  /** `req_` and a digest of the scope and the key, so one key of one caller is one record. */
  id: z.string().min(1),
  version: z.number().int().positive(),
  /** The key as the caller sent it (the `Idempotency-Key` header). */
  key: z.string().min(1),
  /** Whose key it is (an agent, a customer, the system): callers never share keys. */
  scope: z.string().min(1),
  /** A digest of the request (method, path, body): the same key with another request is refused. */
  fingerprint: z.string().min(1),
  status: z.enum(REQUEST_STATUSES),
  /** Until when a running request holds the key; after it, a retry may take the key over (the first one crashed). */
  lockedUntil: z.date(),
  /** When the key may be used for a new request again. */
  expiresAt: z.date(),
  response: StoredResponseSchema.optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** One idempotency key's request and response (see {@link RequestRecordSchema}). */
export interface RequestRecord extends z.infer<typeof RequestRecordSchema> {}

/** Input of `desk.claimRequestKey`. */
export const RequestClaimInputSchema = z.object({
  /** The caller's idempotency key: 1–255 visible ASCII characters. */
  key: z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'use 1–255 visible ASCII characters (a UUID is a good key)'),
  /** Whose key it is, e.g. `agent:agt_1`. */
  scope: z.string().min(1).max(300),
  /** A digest of the request. */
  fingerprint: z.string().min(1).max(200),
  /** How long the key and its response are kept, ms (default 24 h). */
  ttlMs: z.number().int().positive().max(30 * 86_400_000).default(86_400_000),
  /** How long a running request holds the key before a retry may take it over, ms (default 60 s). */
  leaseMs: z.number().int().positive().max(3_600_000).default(60_000),
});
/** Input of `desk.claimRequestKey`. */
export interface RequestClaimInput extends z.input<typeof RequestClaimInputSchema> {}

/**
 * What claiming an idempotency key found: `claimed` (run the request, then complete or release
 * it), `replay` (answered before: send `response` again), `running` (the first request with the
 * key has not finished) or `mismatch` (the key was used for another request).
 */
export type RequestClaim =
  | { readonly state: 'claimed'; readonly record: RequestRecord }
  | { readonly state: 'replay'; readonly record: RequestRecord; readonly response: StoredResponse }
  | { readonly state: 'running'; readonly record: RequestRecord }
  | { readonly state: 'mismatch'; readonly record: RequestRecord };
