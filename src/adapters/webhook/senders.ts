import * as z from 'zod';
import { ConfigError, DeliveryError } from '../../errors.js';
import type { Channel } from '../../domain/common.js';
import { ChannelSchema } from '../../domain/common.js';
import { BackoffSchema, backoffDelay, parseRetryAfter, type BackoffInput } from '../../domain/backoff.js';
import type { ClockPort } from '../../ports/clock.js';
import type { Notification, NotifierPort } from '../../ports/notifier.js';
import type { EventSink, PublishedEvent } from '../../ports/event-sink.js';
import { createSystemClock } from '../memory/clock.js';
import { checkWebhookSecret, signWebhook } from './signature.js';

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
  /**
   * The Standard Webhooks secret (`whsec_` and base64 of 16 to 64 bytes; `generateWebhookSecret()`
   * makes one), or several while rotating: each request then carries one signature per secret.
   */
  readonly secret: string | ReadonlyArray<string>;
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

const MAX_SECRETS = 5;
const BaseSchema = z.object({
  secret: z.union([z.string(), z.array(z.string()).min(1).max(MAX_SECRETS)]).superRefine((v, ctx) => {
    for (const s of typeof v === 'string' ? [v] : v) {
      try {
        checkWebhookSecret(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message.replace(/^Invalid configuration at secret: /, '') : String(e) });
      }
    }
  }),
  name: z.string().min(1).default('webhook'),
  timeoutMs: z.number().int().positive().default(10_000),
  retries: z.number().int().min(0).max(10).default(2),
  backoff: BackoffSchema.default(BackoffSchema.parse({ initialMs: 500, maxMs: 10_000, jitter: 'full' })),
  maxInlineWaitMs: z.number().int().nonnegative().default(60_000),
});
const OptionsSchema = BaseSchema.extend({ channels: z.array(ChannelSchema).min(1, 'name the channels this endpoint delivers, e.g. ["chat", "sms"]') });

const MAX_REDIRECTS = 3;

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

  /**
   * One request: resolves with the response, rejects with a retryable DeliveryError on network
   * errors and timeouts. Redirects are followed only to the same origin and only when they keep
   * the POST (307, 308): a signed body is never sent to a host the URL did not name.
   */
  async function post(url: string, body: string, id: string): Promise<Response> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const response = await postOnce(target, body, id);
      if (response.type === 'opaqueredirect') throw new DeliveryError(`${target} redirected the request; redirects are not followed in this runtime: give the final URL`, { retryable: false, status: response.status });
      if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
      const location = response.headers.get('location');
      const next = location === null ? null : new URL(location, target);
      if (next === null || next.origin !== new URL(target).origin || (response.status !== 307 && response.status !== 308) || hop >= MAX_REDIRECTS) {
        throw new DeliveryError(`${target} answered ${response.status}${next === null ? '' : ` to ${next.origin}`}; a signed request is not redirected to another origin, turned into a GET or sent on more than ${MAX_REDIRECTS} hops: give the final URL`, { retryable: false, status: response.status });
      }
      target = next.href;
    }
  }

  async function postOnce(url: string, body: string, id: string): Promise<Response> {
    const controller = new AbortController();
    const cancelTimeout = clock.setAlarm(clock.now() + o.timeoutMs, () => controller.abort());
    try {
      return await doFetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          ...options.headers,
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'omotenashi-webhook',
          ...(await signWebhook({ id, timestamp: Math.floor(clock.now() / 1000), body, secret: o.secret })),
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
        if (error instanceof DeliveryError && !error.retryable) throw error;
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
 * A notifier that POSTs each message as JSON to an HTTP endpoint, signed per Standard Webhooks:
 * the `webhook-id` header is the message's idempotency key (the same on every retry) and the
 * signature covers it, the timestamp and the body. Network errors, timeouts, 5xx and 429 are retried with
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
 * endpoint, signed like the notifier's requests with the event's id as `webhook-id`, with the
 * same timeouts and retries. Receivers verify with `verifyWebhookSignature` and drop
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
