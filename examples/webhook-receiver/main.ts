/**
 * examples/webhook-receiver: the receiving end of `omotenashi/webhook`. A small HTTP server on
 * 127.0.0.1 verifies each request's signature (refusing tampered and replayed ones), answers
 * 503 once to show the sender's retry, and handles each message once however often it arrives,
 * keyed by its `webhook-id` (the message's idempotency key, covered by the signature). A desk sends chat messages to it through the outbox, whose relay
 * retries after the 503. Everything runs on one manual clock, so the run takes no real time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookSignatureError, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, defineTemplates, type ClockPort } from 'omotenashi';
import { WEBHOOK_ID_HEADER, createWebhookNotifier, signWebhook, verifyWebhookSignature } from 'omotenashi/webhook';

// A Standard Webhooks secret (generateWebhookSecret() makes one); never commit a real one.
const SECRET = 'whsec_ZXhhbXBsZSBvbmx5OiBub3QgYSByZWFsIHNlY3JldCE=';

/** What the receiver did with each request. */
export interface ReceiverLog {
  readonly status: number;
  readonly key: string | undefined;
  readonly note: string;
}

/** Start the receiver: verify, drop repeats, hand each new message to `handle`. */
export async function startReceiver(clock: ClockPort, handle: (text: string) => void, options: { failFirst?: number } = {}) {
  const seen = new Set<string>();
  const log: ReceiverLog[] = [];
  let failures = options.failFirst ?? 0;
  const reply = (res: ServerResponse, status: number, key: string | undefined, note: string, body = ''): void => {
    log.push({ status, key, note });
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const key = req.headers[WEBHOOK_ID_HEADER] as string | undefined;
      if (failures > 0) {
        failures--;
        reply(res, 503, key, 'busy (the sender will retry)');
        return;
      }
      verifyWebhookSignature({ body, headers: req.headers, secret: SECRET, clock }).then(
        ({ id, payload }) => {
          if (seen.has(id)) {
            reply(res, 200, id, 'a repeat: already handled, dropped', JSON.stringify({ id: `chat-${id}` }));
            return;
          }
          seen.add(id);
          const n = payload.notification;
          handle(`[chat to ${n.to.address}] ${n.rendered?.text ?? n.template}`);
          reply(res, 200, id, 'verified and handled', JSON.stringify({ id: `chat-${id}` }));
        },
        (error: unknown) => reply(res, 401, key, error instanceof WebhookSignatureError ? `refused: ${error.problem}` : `refused: ${String(error)}`),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/omotenashi`;
  return { url, log, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Run the example, writing what happens to `out`. Returns the receiver's log. */
export async function runWebhookReceiver(out: (line: string) => void = console.log): Promise<ReadonlyArray<ReceiverLog>> {
  const clock = createManualClock('2026-04-01T10:00:00+09:00');
  const receiver = await startReceiver(clock, (text) => out(`  receiver handled: ${text}`), { failFirst: 1 });
  out(`receiver listening on ${receiver.url}`);
  const desk = createServiceDesk({
    storage: createMemoryStorage(),
    clock,
    ids: createSequentialIds(3),
    templates: defineTemplates({
      order_shipped: { variables: ['recipientName', 'orderId'], locales: { en: { subject: 'Shipped', text: 'Hi {{recipientName}}, order {{orderId}} is on its way.' }, ja: { subject: '発送', text: '{{recipientName}}、ご注文 {{orderId}} を発送しました。' } } },
    }),
    notifiers: [createWebhookNotifier({ url: receiver.url, secret: SECRET, channels: ['chat'], clock, retries: 0 })],
  });
  desk.on('notification.retry_scheduled', ({ attempt, retryAt }) => out(`  the desk's relay: attempt failed (${attempt.error}), next at ${retryAt.toISOString()}`));
  const customer = await desk.registerCustomer({ kind: 'external', displayName: '佐藤 健', locale: 'ja', addressing: { form: 'formal', familyName: '佐藤', honorific: '様', firstNameUsePermitted: false }, contacts: [{ channel: 'chat', handle: 'ken.sato' }] });
  const delivered = new Promise<void>((resolve) => desk.once('notification.sent', () => resolve()));
  await desk.notify({ customerId: customer.id, template: 'order_shipped', data: { orderId: 'A-2001' }, key: 'shipped:A-2001' });
  await clock.advance('PT1S');
  await clock.advance('PT1M');
  await delivered;
  out(`the desk's record: ${JSON.stringify((await desk.getNotification('ntf:shipped:A-2001')).externalId)}`);

  out('a retry of the same message arrives again (as after a crash between send and commit):');
  const direct = createWebhookNotifier({ url: receiver.url, secret: SECRET, channels: ['chat'], clock });
  const again = await desk.getNotification('ntf:shipped:A-2001');
  await direct.send({ to: again.to, channel: again.channel, template: again.template, data: again.data, locale: again.locale, idempotencyKey: again.idempotencyKey, rendered: again.rendered });

  out('a forged request (body changed after signing) and a replayed one (signed an hour ago):');
  const body = JSON.stringify({ id: 'forged-1', type: 'notification', sentAt: '2026-04-01T01:00:00Z', notification: { ...again, idempotencyKey: 'forged-1' } });
  const now = Math.floor(clock.now() / 1000);
  const signed = await signWebhook({ id: 'forged-1', timestamp: now, body, secret: SECRET });
  await fetch(receiver.url, { method: 'POST', headers: signed, body: body.replace('A-2001', 'A-9999') });
  await fetch(receiver.url, { method: 'POST', headers: await signWebhook({ id: 'forged-1', timestamp: now - 3600, body, secret: SECRET }), body });

  out('\nreceiver log:');
  for (const entry of receiver.log) out(`  ${entry.status}  ${entry.key ?? '-'}  ${entry.note}`);
  await desk.stop();
  await receiver.close();
  return receiver.log;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runWebhookReceiver();
}
