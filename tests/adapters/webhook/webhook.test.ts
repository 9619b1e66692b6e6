import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DeliveryError, WebhookSignatureError, createMemoryStorage, createServiceDesk, createSequentialIds, createInProcessScheduler, defineTemplates, type ClockPort, type Notification } from 'omotenashi';
import { createManualClock, defineNotifierConformanceSuite, overrideStorage, type ManualClock } from 'omotenashi/testing';
import { Webhook } from 'standardwebhooks';
import { MAX_SIGNATURES, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, createWebhookEventSink, createWebhookNotifier, generateWebhookSecret, signWebhook, verifyWebhookSignature, type WebhookEventPayload, type WebhookPayload } from 'omotenashi/webhook';

const SECRET = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const OLD_SECRET = 'whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=';
const T0 = Date.parse('2026-04-01T09:00:00Z');

const message = (key = 'k-1'): Notification => ({
  to: { kind: 'customer', id: 'cus_1', name: 'Ms Tanaka', address: 'hanako.tanaka' },
  channel: 'chat',
  template: 'order_shipped',
  data: { orderId: 'A-1001' },
  locale: 'en',
  idempotencyKey: key,
});

/** A clock that records the delay of every alarm set on it. */
function recordingClock(clock: ManualClock): ClockPort & { delays: number[] } {
  const delays: number[] = [];
  return { delays, now: () => clock.now(), setAlarm: (at, fn) => (delays.push(at - clock.now()), clock.setAlarm(at, fn)) };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
};

/** Step the manual clock until the promise settles (yielding to the event loop, never sleeping). */
async function drive<T>(clock: ManualClock, p: Promise<T>, stepMs = 100): Promise<T> {
  let done = false;
  const watched = p.finally(() => {
    done = true;
  });
  watched.catch(() => undefined);
  for (let i = 0; i < 100_000 && !done; i++) {
    await settle();
    if (!done) await clock.advance(stepMs);
  }
  return watched;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'network' | 'hang';

/** A scripted fetch: answers in turn, records each request and the clock's time. */
function scriptedFetch(clock: ClockPort, replies: Reply[]) {
  const calls: Array<{ at: number; url: string; headers: Record<string, string>; body: string }> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  /** Resolves once `n` requests have arrived: signing runs on WebCrypto's thread pool, so no fixed number of turns is enough. */
  const untilCalls = (n: number): Promise<void> => (calls.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })));
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    calls.push({ at: clock.now(), url: String(url), headers, body: String(init?.body) });
    for (const w of waiters.filter((w) => calls.length >= w.n)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
    const reply = replies.shift() ?? { status: 200 };
    if (reply === 'network') throw new TypeError('fetch failed: ECONNREFUSED');
    if (reply === 'hang') {
      // As a real fetch does, a signal that was aborted already (the timeout ran out while signing, on a busy machine) rejects at once.
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    return new Response(reply.body ?? '', { status: reply.status, headers: reply.headers ?? {} });
  }) as typeof globalThis.fetch;
  return { fetch, calls, untilCalls };
}

describe('webhook signatures (Standard Webhooks)', () => {
  const body = JSON.stringify({ id: 'k-1', type: 'notification', sentAt: '2026-04-01T09:00:00.000Z', notification: message() });
  const problem = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof WebhookSignatureError ? e.problem : e instanceof ConfigError ? `config: ${e.path}` : `other: ${String(e)}`));

  it('accepts a valid signature, from Fetch Headers or Node headers, during a rotation too, and returns the id and payload', async () => {
    const clock = createManualClock(T0);
    const headers = await signWebhook({ id: 'k-1', timestamp: T0 / 1000, body, secret: SECRET });
    const { id, timestamp, payload } = await verifyWebhookSignature({ body, headers, secret: SECRET, clock });
    expect([id, timestamp, payload.id]).toEqual(['k-1', T0 / 1000, 'k-1']);
    expect(await verifyWebhookSignature({ body: new TextEncoder().encode(body), headers: new Headers(headers), secret: [OLD_SECRET, SECRET], clock })).toMatchObject({ timestamp: T0 / 1000 });
    const both = await signWebhook({ id: 'k-1', timestamp: T0 / 1000, body, secret: [OLD_SECRET, SECRET] });
    expect(both[WEBHOOK_SIGNATURE_HEADER]?.split(' ')).toHaveLength(2);
    expect(await problem(verifyWebhookSignature({ body, headers: both, secret: OLD_SECRET, clock }))).toBe('accepted');
  });

  it('interoperates with the standardwebhooks package both ways', async () => {
    // The standardwebhooks package checks timestamps against the real clock, so this test uses it.
    const now = Math.floor(Date.now() / 1000);
    const ours = await signWebhook({ id: 'msg_1', timestamp: now, body, secret: SECRET });
    expect(new Webhook(SECRET).verify(body, ours)).toMatchObject({ id: 'k-1' });
    const theirs = new Webhook(SECRET).sign('msg_2', new Date(now * 1000), body);
    const { id } = await verifyWebhookSignature({ body, headers: { 'webhook-id': 'msg_2', 'webhook-timestamp': String(now), 'webhook-signature': theirs }, secret: SECRET });
    expect(id).toBe('msg_2');
    expect(new Webhook(generateWebhookSecret()).sign('x', new Date(), '{}')).toMatch(/^v1,/);
  });

  it('refuses a tampered body or id, a wrong secret, an old timestamp, a malformed or missing header', async () => {
    const clock = createManualClock(T0);
    const headers = await signWebhook({ id: 'k-1', timestamp: T0 / 1000, body, secret: SECRET });
    const verify = (h: Record<string, string | undefined>, extra: { body?: string; secret?: string; toleranceSeconds?: number } = {}) => problem(verifyWebhookSignature({ body: extra.body ?? body, headers: h, secret: extra.secret ?? SECRET, clock, ...(extra.toleranceSeconds === undefined ? {} : { toleranceSeconds: extra.toleranceSeconds }) }));
    expect(await verify(headers, { body: body.replace('A-1001', 'A-9999') })).toBe('mismatch');
    expect(await verify({ ...headers, [WEBHOOK_ID_HEADER]: 'k-2' })).toBe('mismatch');
    expect(await verify(headers, { secret: OLD_SECRET })).toBe('mismatch');
    expect(await verify({ ...headers, 'webhook-timestamp': String(T0 / 1000 + 1) })).toBe('mismatch');
    expect(await verify({ ...headers, 'webhook-signature': 'v1,zz' })).toBe('malformed');
    expect(await verify({ ...headers, 'webhook-timestamp': 'soon' })).toBe('malformed');
    expect(await verify({ ...headers, 'webhook-signature': undefined })).toBe('missing');
    await clock.advance('PT5M');
    expect(await verify(headers)).toBe('accepted');
    await clock.advance('PT1S');
    expect(await verify(headers)).toBe('expired');
    expect(await verify(headers, { toleranceSeconds: 600 })).toBe('accepted');
  });

  it('refuses bad options with ConfigErrors: a NaN tolerance, an empty or non-whsec secret', async () => {
    const clock = createManualClock(T0);
    const headers = await signWebhook({ id: 'k-1', timestamp: 0, body, secret: SECRET });
    expect(await problem(verifyWebhookSignature({ body, headers, secret: SECRET, clock, toleranceSeconds: Number.NaN }))).toBe('config: toleranceSeconds');
    expect(await problem(verifyWebhookSignature({ body, headers, secret: '', clock }))).toBe('config: secret');
    expect(await problem(verifyWebhookSignature({ body, headers, secret: [], clock }))).toBe('config: secret');
    expect(await problem(verifyWebhookSignature({ body, headers, secret: 'plain-text-secret-0123456789', clock }))).toBe('config: secret');
    expect(() => createWebhookNotifier({ url: 'https://x.example', secret: 'short', channels: ['chat'] })).toThrow(ConfigError);
  });

  it('reads at most a few signatures from one header, so bogus ones cannot cost the receiver', async () => {
    const clock = createManualClock(T0);
    const headers = await signWebhook({ id: 'k-1', timestamp: T0 / 1000, body, secret: SECRET });
    const bogus = Array.from({ length: 500 }, () => `v1,${btoa('x'.repeat(32))}`).join(' ');
    expect(await problem(verifyWebhookSignature({ body, headers: { ...headers, 'webhook-signature': `${bogus} ${headers['webhook-signature'] as string}` }, secret: SECRET, clock }))).toBe('malformed');
    const few = Array.from({ length: MAX_SIGNATURES - 1 }, () => `v1,${btoa('x'.repeat(32))}`).join(' ');
    expect(await problem(verifyWebhookSignature({ body, headers: { ...headers, 'webhook-signature': `${few} ${headers['webhook-signature'] as string}` }, secret: SECRET, clock }))).toBe('accepted');
  });
});

describe('webhook notifier', () => {
  it('POSTs signed JSON with the idempotency key, and resolves with the receiver\'s id', async () => {
    const clock = createManualClock(T0);
    const { fetch, calls } = scriptedFetch(clock, [{ status: 202, body: JSON.stringify({ id: 'chat-msg-77' }) }]);
    const notifier = createWebhookNotifier({ url: 'https://chat.example.com/hooks', secret: SECRET, channels: ['chat'], fetch, clock });
    expect(await notifier.send(message())).toEqual({ externalId: 'chat-msg-77' });
    const [call] = calls;
    expect(call?.headers['content-type']).toMatch(/application\/json/);
    expect(call?.headers[WEBHOOK_ID_HEADER]).toBe('k-1');
    const { payload } = await verifyWebhookSignature({ body: call?.body as string, headers: call?.headers ?? {}, secret: SECRET, clock });
    expect(payload).toMatchObject({ id: 'k-1', type: 'notification', notification: message() });
  });

  it('retries network errors and 5xx with exponential backoff on the injected clock', async () => {
    const manual = createManualClock(T0);
    const clock = recordingClock(manual);
    const { fetch, calls, untilCalls } = scriptedFetch(clock, ['network', { status: 503 }, { status: 200 }]);
    const notifier = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch, clock, retries: 3, timeoutMs: 10_000, backoff: { initialMs: 1000, factor: 2, jitter: 'none' } });
    const sent = notifier.send(message());
    await untilCalls(1);
    await settle();
    expect(calls).toHaveLength(1);
    await manual.advance(999);
    await settle();
    expect(calls).toHaveLength(1);
    await drive(manual, sent);
    expect(calls).toHaveLength(3);
    expect(clock.delays.filter((d) => d !== 10_000)).toEqual([1000, 2000]);
    expect(calls.map((c) => c.headers[WEBHOOK_ID_HEADER])).toEqual(['k-1', 'k-1', 'k-1']);
  });

  it('jitter keeps every wait within its range', async () => {
    const manual = createManualClock(T0);
    const clock = recordingClock(manual);
    const { fetch } = scriptedFetch(clock, [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    let r = 0;
    const units = [0.99, 0.5, 0];
    const notifier = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch, clock, retries: 3, backoff: { initialMs: 1000, factor: 2, jitter: 'full' }, random: () => units[r++] as number });
    await drive(manual, notifier.send(message()));
    expect(clock.delays.filter((d) => d !== 10_000)).toEqual([990, 1000, 0]);
  });

  it('honours Retry-After on 429, and leaves long waits to the outbox', async () => {
    const manual = createManualClock(T0);
    const clock = recordingClock(manual);
    const { fetch, calls } = scriptedFetch(clock, [{ status: 429, headers: { 'retry-after': '5' } }, { status: 200 }]);
    const notifier = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch, clock, backoff: { initialMs: 100, jitter: 'none' } });
    await drive(manual, notifier.send(message()));
    expect(calls).toHaveLength(2);
    expect(clock.delays.filter((d) => d !== 10_000)).toEqual([5000]);

    const long = scriptedFetch(clock, [{ status: 429, headers: { 'retry-after': '3600' } }]);
    const patient = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch: long.fetch, clock });
    const error = await patient.send(message()).catch((e: unknown) => e);
    expect(long.calls).toHaveLength(1);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3_600_000 });
  });

  it('does not retry a 400: the error says it is permanent', async () => {
    const clock = createManualClock(T0);
    const { fetch, calls } = scriptedFetch(clock, [{ status: 400, body: 'unknown chat handle' }]);
    const notifier = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch, clock });
    const error = await notifier.send(message()).catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retryable: false, status: 400 });
    expect(String((error as Error).message)).toContain('unknown chat handle');
  });

  it('abandons a request that hangs past the timeout and tries again', async () => {
    const clock = createManualClock(T0);
    const { fetch, calls } = scriptedFetch(clock, ['hang', { status: 200 }]);
    const notifier = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch, clock, timeoutMs: 2000, backoff: { initialMs: 100, jitter: 'none' } });
    await drive(clock, notifier.send(message()));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBeGreaterThanOrEqual(T0 + 2100);
  });

  it('gives up after its retries with a retryable error', async () => {
    const clock = createManualClock(T0);
    const { fetch, calls } = scriptedFetch(clock, [{ status: 502 }, { status: 502 }, { status: 502 }]);
    const notifier = createWebhookNotifier({ url: 'https://x.example/h', secret: SECRET, channels: ['chat'], fetch, clock, retries: 2, backoff: { initialMs: 100, jitter: 'none' } });
    const error = await drive(clock, notifier.send(message())).catch((e: unknown) => e);
    expect(calls).toHaveLength(3);
    expect(error).toMatchObject({ retryable: true, status: 502 });
  });

  it('checks its options', () => {
    expect(() => createWebhookNotifier({ url: 'not a url', secret: SECRET, channels: ['chat'] })).toThrow(ConfigError);
    expect(() => createWebhookNotifier({ url: 'https://x.example', secret: 'short', channels: ['chat'] })).toThrow(/"whsec_" followed by base64/);
    expect(() => createWebhookNotifier({ url: 'https://x.example', secret: SECRET, channels: [] })).toThrow(/name the channels/);
  });
});

/** A receiver on 127.0.0.1 that verifies signatures and keeps one message per idempotency key. */
async function startReceiver(clock: ClockPort) {
  const requests: Array<{ key: string | undefined; body: string }> = [];
  const verified: Array<{ key: string; body: string }> = [];
  const accepted = new Map<string, WebhookPayload>();
  let failNext = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ key: req.headers[WEBHOOK_ID_HEADER] as string | undefined, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(400).end('rejected by the test');
        return;
      }
      verifyWebhookSignature({ body, headers: req.headers, secret: SECRET, clock }).then(
        ({ payload }) => {
          verified.push({ key: payload.id, body });
          if (!accepted.has(payload.id)) accepted.set(payload.id, payload);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `recv-${payload.id}` }));
        },
        (e: unknown) => res.writeHead(401).end(String(e)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, requests, verified, accepted, failNext: () => void failNext++, close: () => new Promise<void>((r) => server.close(() => r())) };
}

defineNotifierConformanceSuite({
  name: 'webhook notifier conformance (local HTTP receiver)',
  create: async () => {
    const clock = createManualClock(T0);
    const receiver = await startReceiver(clock);
    const notifier = createWebhookNotifier({ url: receiver.url, secret: SECRET, channels: ['chat', 'sms'], clock });
    return {
      notifier,
      probe: {
        delivered: async () => receiver.verified.map((r) => {
          const n = (JSON.parse(r.body) as WebhookPayload).notification;
          return { address: n.to.address, idempotencyKey: r.key, text: r.body };
        }),
        failNext: receiver.failNext,
      },
      destroy: receiver.close,
    };
  },
});

describe('webhook through the outbox', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  it('a crash between sending and recording: the relay sends again, the receiver keeps one message per key', async () => {
    const clock = createManualClock(T0);
    const receiver = await startReceiver(clock);
    close = receiver.close;
    const base = createMemoryStorage();
    let crash = true;
    const storage = overrideStorage(base, {
      commit: (work) => {
        if (crash && work.puts.some((p) => p.kind === 'notification' && p.record.status === 'sent')) {
          crash = false;
          return Promise.reject(new Error('process killed before the commit'));
        }
        return base.commit(work);
      },
    });
    const templates = defineTemplates({ order_shipped: { variables: ['recipientName', 'orderId'], locales: { en: { subject: 'Order {{orderId}} shipped', text: 'Dear {{recipientName}}, order {{orderId}} is on its way.' } } } });
    const scheduler = createInProcessScheduler({ clock, retryDelay: 'PT1M', onError: () => undefined });
    const desk = createServiceDesk({ storage, clock, scheduler, ids: createSequentialIds(), templates, notifiers: [createWebhookNotifier({ url: receiver.url, secret: SECRET, channels: ['chat'], clock })], onError: () => undefined });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Tanaka Hanako', addressing: { form: 'formal', honorific: 'Ms', familyName: 'Tanaka', firstNameUsePermitted: false }, contacts: [{ channel: 'chat', handle: 'hanako.tanaka' }] });
    const queued = await desk.notify({ customerId: c.id, template: 'order_shipped', data: { orderId: 'A-1001' }, key: 'shipped:A-1001' });
    await drive(clock, (async () => {
      while ((await desk.getNotification(queued.id)).status === 'pending') await clock.advance('PT10S');
    })(), 1000);
    expect(receiver.requests.map((r) => r.key)).toEqual(['shipped:A-1001', 'shipped:A-1001']);
    expect([...receiver.accepted.keys()]).toEqual(['shipped:A-1001']);
    expect(receiver.accepted.get('shipped:A-1001')?.notification.rendered?.text).toBe('Dear Ms Tanaka, order A-1001 is on its way.');
    const done = await desk.getNotification(queued.id);
    expect(done).toMatchObject({ status: 'sent', externalId: 'recv-shipped:A-1001', notifier: 'webhook' });
    await desk.stop();
  });
});

describe('webhook event sink', () => {
  const event = { id: 'evt_1', name: 'ticket.opened' as const, at: '2026-04-01T09:00:00.000Z', payload: { ticket: { id: 'tkt_1' } } };

  it('POSTs each event signed, with its id as the idempotency key, and retries a 503', async () => {
    const clock = createManualClock(T0);
    const { fetch, calls } = scriptedFetch(clock, [{ status: 503 }, { status: 200 }]);
    const sink = createWebhookEventSink({ url: 'https://crm.example.com/hooks/events', secret: SECRET, fetch, clock, backoff: { initialMs: 100, jitter: 'none' } });
    await drive(clock, sink.publish(event));
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.headers[WEBHOOK_ID_HEADER])).toEqual(['evt_1', 'evt_1']);
    const { payload } = await verifyWebhookSignature<WebhookEventPayload>({ body: calls[1]?.body as string, headers: calls[1]?.headers ?? {}, secret: SECRET, clock });
    expect(payload).toMatchObject({ id: 'evt_1', type: 'event', event });
  });

  it('throws a permanent DeliveryError on a 400, and checks its options', async () => {
    const clock = createManualClock(T0);
    const { fetch } = scriptedFetch(clock, [{ status: 400, body: 'unknown event' }]);
    const sink = createWebhookEventSink({ url: 'https://crm.example.com/hooks/events', secret: SECRET, fetch, clock });
    const error = await sink.publish(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(() => createWebhookEventSink({ url: 'not a url', secret: SECRET })).toThrow(/createWebhookEventSink.url/);
    expect(() => createWebhookEventSink({ url: 'https://x.example', secret: 'short' })).toThrow(ConfigError);
  });
});

describe('webhook redirects', () => {
  it('follows a 307 or 308 to the same origin, signed afresh, and never to another origin or as a GET', async () => {
    const clock = createManualClock(T0);
    const same = scriptedFetch(clock, [{ status: 307, headers: { location: '/hooks/v2' } }, { status: 200, body: '{"id":"x"}' }]);
    const ok = createWebhookNotifier({ url: 'https://chat.example.com/hooks', secret: SECRET, channels: ['chat'], fetch: same.fetch, clock });
    expect(await ok.send(message())).toEqual({ externalId: 'x' });
    expect(same.calls.map((c) => c.url)).toEqual(['https://chat.example.com/hooks', 'https://chat.example.com/hooks/v2']);
    expect(await verifyWebhookSignature({ body: same.calls[1]?.body as string, headers: same.calls[1]?.headers ?? {}, secret: SECRET, clock })).toMatchObject({ id: 'k-1' });

    for (const reply of [{ status: 307, headers: { location: 'https://evil.example/collect' } }, { status: 308, headers: { location: 'http://chat.example.com/hooks' } }, { status: 302, headers: { location: '/hooks/v2' } }]) {
      const other = scriptedFetch(clock, [reply]);
      const notifier = createWebhookNotifier({ url: 'https://chat.example.com/hooks', secret: SECRET, channels: ['chat'], fetch: other.fetch, clock });
      const error = await notifier.send(message()).catch((e: unknown) => e);
      expect(error, JSON.stringify(reply)).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ retryable: false, status: reply.status });
      expect(other.calls).toHaveLength(1);
    }
  });
});
