/**
 * `omotenashi/webhook`: a notifier that POSTs each message as signed JSON to your endpoint (a
 * chat gateway, an SMS provider's bridge, your own app), and `verifyWebhookSignature` for the
 * receiving side. WebCrypto and `fetch` only: no dependency, runs on Node 20+, Deno, Bun and
 * edge runtimes.
 * @module
 */
import { z } from 'zod';
import { ConfigError, DeliveryError, WebhookSignatureError } from '../../errors.js';
import type { Channel } from '../../domain/common.js';
import { ChannelSchema } from '../../domain/common.js';
import { BackoffSchema, backoffDelay, parseRetryAfter, type BackoffInput } from '../../domain/backoff.js';
import type { ClockPort } from '../../ports/clock.js';
import type { Notification, NotifierPort } from '../../ports/notifier.js';
import type { EventSink, PublishedEvent } from '../../ports/event-sink.js';
import { createSystemClock } from '../memory/clock.js';

/** The request header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'omotenashi-signature';
/** The request header carrying the message's idempotency key: receivers drop repeats by it. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The JSON body of a webhook request. */
export interface WebhookPayload {
  /** The idempotency key: the same for every retry of one message. */
  readonly id: string;
  /** Always `notification`. */
  readonly type: 'notification';
  /** When this attempt was made (ISO 8601). */
  readonly sentAt: string;
  /** The message. */
  readonly notification: Notification;
}

/** The JSON body of an event webhook request ({@link createWebhookEventSink}). */
export interface WebhookEventPayload {
  /** The event's id: the same for every delivery of one event. */
  readonly id: string;
  /** Always `event`. */
  readonly type: 'event';
  /** When this attempt was made (ISO 8601). */
  readonly sentAt: string;
  /** The event. */
  readonly event: PublishedEvent;
}

/** Options of {@link createWebhookNotifier}. */
export interface WebhookNotifierOptions extends WebhookClientOptions {
  /** Where to POST: one URL, or one per message. */
  readonly url: string | ((notification: Notification) => string);
  /** The channels this endpoint delivers on (e.g. `['chat', 'sms']`). */
  readonly channels: ReadonlyArray<Channel>;
}

/** Options of {@link createWebhookEventSink}. */
export interface WebhookEventSinkOptions extends WebhookClientOptions {
  /** Where to POST the events. */
  readonly url: string;
}

/** What every webhook sender takes: the secret, timeouts, retries, and the clock and fetch to use. */
export interface WebhookClientOptions {
  /** The shared secret for the HMAC-SHA256 signature (at least 16 characters). */
  readonly secret: string;
  /** A name for errors and delivery records (default `webhook`). */
  readonly name?: string;
  /** How long one request may take before it is abandoned and retried, ms (default 10 000). */
  readonly timeoutMs?: number;
  /**
   * Tries after the first, within one `send`, on network errors, timeouts, 5xx and 429 (default 2);
   * after them the outbox relay retries later. 4xx other than 408 and 429 is never retried.
   */
  readonly retries?: number;
  /** Backoff between those tries (default 500 ms doubling to 10 s, full jitter). */
  readonly backoff?: BackoffInput;
  /** A `Retry-After` longer than this (ms, default 60 000) is not waited out in `send`: the relay retries after it. */
  readonly maxInlineWaitMs?: number;
  /** Extra request headers (an API key for the gateway). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The clock for timestamps, timeouts and waits (default: the system clock; tests pass a manual clock). */
  readonly clock?: ClockPort;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Jitter source in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

const BaseSchema = z.object({
  secret: z.string().min(16, 'use a secret of at least 16 characters (e.g. 32 random bytes, hex-encoded)'),
  name: z.string().min(1).default('webhook'),
  timeoutMs: z.number().int().positive().default(10_000),
  retries: z.number().int().min(0).max(10).default(2),
  backoff: BackoffSchema.default(BackoffSchema.parse({ initialMs: 500, maxMs: 10_000, jitter: 'full' })),
  maxInlineWaitMs: z.number().int().nonnegative().default(60_000),
});
const OptionsSchema = BaseSchema.extend({ channels: z.array(ChannelSchema).min(1, 'name the channels this endpoint delivers, e.g. ["chat", "sms"]') });

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    key = globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}
const toHex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const asText = (body: string | Uint8Array): string => (typeof body === 'string' ? body : new TextDecoder().decode(body));

/**
 * The signature header value for a body at a time: `t=<unix seconds>,v1=<hex>`, the HMAC-SHA256
 * of `"<t>.<body>"` under the secret. The notifier uses it; tests of receivers can too.
 *
 * @example
 * ```ts
 * const header = await signWebhookPayload(body, secret, Math.floor(clock.now() / 1000));
 * ```
 */
export async function signWebhookPayload(body: string | Uint8Array, secret: string, timestampSeconds: number): Promise<string> {
  const mac = await globalThis.crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${timestampSeconds}.${asText(body)}`));
  return `t=${timestampSeconds},v1=${toHex(mac)}`;
}

/** Options of {@link verifyWebhookSignature}. */
export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received (before any JSON parsing). */
  readonly body: string | Uint8Array;
  /** The `Omotenashi-Signature` header value. */
  readonly signature: string | null | undefined;
  /** The shared secret, or several while rotating (any one may match). */
  readonly secret: string | ReadonlyArray<string>;
  /** How far the timestamp may be from now, in seconds (default 300): older requests are replays. */
  readonly toleranceSeconds?: number;
  /** The clock to compare with (default: the system clock). */
  readonly clock?: ClockPort;
}

/**
 * Check a webhook request on the receiving side: the signature must match the body under one of
 * the secrets (compared in constant time by WebCrypto) and the timestamp must be within the
 * replay window. Resolves with the timestamp and the parsed payload; rejects with a
 * {@link WebhookSignatureError} saying what was wrong (`missing`, `malformed`, `mismatch`,
 * `expired`). Drop repeats by `payload.id` (also in the `Idempotency-Key` header). The payload is
 * a message ({@link WebhookPayload}) by default; an event endpoint passes the type it expects:
 * `verifyWebhookSignature<WebhookEventPayload>(...)`.
 *
 * @example
 * ```ts
 * const { payload } = await verifyWebhookSignature({ body: rawBody, signature: req.headers['omotenashi-signature'], secret });
 * if (seen.has(payload.id)) return res.end(); // a retry of a message already handled
 * ```
 */
export async function verifyWebhookSignature<P extends { readonly id: string } = WebhookPayload>(options: VerifyWebhookOptions): Promise<{ timestamp: number; payload: P }> {
  const header = options.signature?.trim();
  if (header === undefined || header === '') throw new WebhookSignatureError('missing', `no ${SIGNATURE_HEADER} header: the request was not signed by omotenashi`);
  let timestamp: number | undefined;
  const macs: Array<Uint8Array<ArrayBuffer>> = [];
  for (const part of header.split(',')) {
    const [k, v = ''] = part.trim().split('=', 2);
    if (k === 't' && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) macs.push(Uint8Array.from(v.match(/../g) as string[], (h) => parseInt(h, 16)));
  }
  if (timestamp === undefined || macs.length === 0) throw new WebhookSignatureError('malformed', `the ${SIGNATURE_HEADER} header must look like "t=<unix seconds>,v1=<64 hex digits>"`);
  const signed = encoder.encode(`${timestamp}.${asText(options.body)}`);
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  let ok = false;
  for (const secret of secrets) {
    const key = await hmacKey(secret);
    for (const mac of macs) if (await globalThis.crypto.subtle.verify('HMAC', key, mac, signed)) ok = true;
  }
  if (!ok) throw new WebhookSignatureError('mismatch', 'the signature does not match the body: check the secret, and verify the raw body before parsing it');
  const now = (options.clock ?? createSystemClock()).now();
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now / 1000 - timestamp) > tolerance) {
    throw new WebhookSignatureError('expired', `the request was signed at ${new Date(timestamp * 1000).toISOString()}, more than ${tolerance} s from now: a replay, or a clock that is off`);
  }
  let payload: P;
  try {
    payload = JSON.parse(asText(options.body)) as P;
  } catch {
    throw new WebhookSignatureError('malformed', 'the body is signed but is not JSON');
  }
  return { timestamp, payload };
}

/** What the notifier and the event sink share: checked options, signing, timeouts and retries. */
function webhookClient<S extends typeof BaseSchema>(options: WebhookClientOptions & { readonly url: unknown }, schema: S, where: string) {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw ConfigError.fromZod(where, parsed.error);
  const o = parsed.data;
  if (typeof options.url === 'string') {
    try {
      new URL(options.url);
    } catch {
      throw new ConfigError(`${where}.url`, `"${options.url}" is not an absolute URL such as "https://example.com/hooks/omotenashi"`);
    }
  } else if (typeof options.url !== 'function') {
    throw new ConfigError(`${where}.url`, 'give a URL string or a function from the notification to a URL');
  }
  const clock = options.clock ?? createSystemClock();
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new ConfigError(`${where}.fetch`, 'this runtime has no global fetch: pass one');
  const random = options.random ?? Math.random;
  const wait = (ms: number): Promise<void> => new Promise((resolve) => void clock.setAlarm(clock.now() + ms, resolve));

  /** One request: resolves with the response, rejects with a retryable DeliveryError on network errors and timeouts. */
  async function post(url: string, body: string, key: string): Promise<Response> {
    const controller = new AbortController();
    const cancelTimeout = clock.setAlarm(clock.now() + o.timeoutMs, () => controller.abort());
    try {
      return await doFetch(url, {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'omotenashi-webhook',
          [SIGNATURE_HEADER]: await signWebhookPayload(body, o.secret, Math.floor(clock.now() / 1000)),
          [IDEMPOTENCY_HEADER]: key,
        },
        body,
        signal: controller.signal,
      });
    } catch (error) {
      const message = controller.signal.aborted ? `no answer from ${url} within ${o.timeoutMs} ms` : `could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`;
      throw new DeliveryError(message, { retryable: true, cause: error });
    } finally {
      cancelTimeout();
    }
  }

  /**
   * POST one body (rebuilt for each try, so its timestamp is fresh) with retries on network errors,
   * timeouts, 5xx, 408 and 429; resolves with the response text, or throws a DeliveryError.
   */
  async function deliver(url: string, key: string, body: () => string): Promise<string> {
    let last: DeliveryError | undefined;
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      if (attempt > 0) {
        const pause = Math.max(backoffDelay(attempt, o.backoff, random()), last?.retryAfterMs ?? 0);
        if (pause > o.maxInlineWaitMs) break;
        await wait(pause);
      }
      let response: Response;
      try {
        response = await post(url, body(), key);
      } catch (error) {
        last = error as DeliveryError;
        continue;
      }
      if (response.ok) return response.text().catch(() => '');
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      const status = response.status;
      if (status === 429 || status === 408 || status >= 500) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        last = new DeliveryError(`${url} answered ${status}${detail ? `: ${detail}` : ''}`, { retryable: true, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
        continue;
      }
      throw new DeliveryError(`${url} refused the message with ${status}${detail ? `: ${detail}` : ''}; it will not be retried: fix the request or the endpoint`, { retryable: false, status });
    }
    throw last ?? new DeliveryError(`${url}: no attempt was made`, { retryable: true });
  }

  return { o: o as z.output<S>, clock, deliver };
}

/**
 * A notifier that POSTs each message as JSON to an HTTP endpoint, signed with HMAC-SHA256 over
 * the timestamp and body (`Omotenashi-Signature` header) and carrying its idempotency key
 * (`Idempotency-Key` header). Network errors, timeouts, 5xx and 429 are retried with
 * exponential backoff and jitter (429 waits at least its `Retry-After`); other 4xx are not, and
 * fail with a non-retryable `DeliveryError` so the outbox dead-letters the message. The endpoint
 * drops repeats by the key: `capabilities.deduplicates` is false.
 *
 * @example
 * ```ts
 * const notifier = createWebhookNotifier({ url: 'https://chat.example.com/hooks/omotenashi', secret: process.env.HOOK_SECRET!, channels: ['chat', 'sms'] });
 * const desk = createServiceDesk({ storage, notifiers: [smtp, notifier] });
 * ```
 * @throws ConfigError when an option is invalid.
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): NotifierPort {
  const { o, clock, deliver } = webhookClient(options, OptionsSchema, 'createWebhookNotifier');
  return {
    name: o.name,
    capabilities: { channels: o.channels, deduplicates: false },
    async send(notification) {
      const url = typeof options.url === 'string' ? options.url : options.url(notification);
      const key = notification.idempotencyKey;
      const text = await deliver(url, key, () => JSON.stringify({ id: key, type: 'notification', sentAt: new Date(clock.now()).toISOString(), notification } satisfies WebhookPayload));
      let id: unknown;
      try {
        id = (JSON.parse(text) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      return { externalId: typeof id === 'string' && id !== '' ? id : `${o.name}:${key}` };
    },
  };
}

/**
 * An event sink that POSTs each published desk event as JSON ({@link WebhookEventPayload}) to an
 * endpoint, signed like the notifier's requests and carrying the event's id as `Idempotency-Key`,
 * with the same timeouts and retries. Receivers verify with `verifyWebhookSignature` and drop
 * repeats by the id; a failure is thrown so the desk's scheduler retries the event later.
 *
 * @example
 * ```ts
 * const sink = createWebhookEventSink({ url: 'https://crm.example.com/hooks/desk-events', secret: process.env.HOOK_SECRET! });
 * const desk = createServiceDesk({ storage, publishEvents: { sink, events: ['ticket.created', 'ticket.resolved', 'sla.breached'] } });
 * ```
 * @throws ConfigError when an option is invalid.
 */
export function createWebhookEventSink(options: WebhookEventSinkOptions): EventSink {
  const { o, clock, deliver } = webhookClient(options, BaseSchema, 'createWebhookEventSink');
  return {
    name: o.name,
    async publish(event) {
      await deliver(options.url, event.id, () => JSON.stringify({ id: event.id, type: 'event', sentAt: new Date(clock.now()).toISOString(), event } satisfies WebhookEventPayload));
    },
  };
}
