/**
 * `omotenashi/webhook`: a notifier that POSTs each message as signed JSON to your endpoint (a
 * chat gateway, an SMS provider's bridge, your own app), an event sink doing the same for desk
 * events, and `verifyWebhookSignature` for the receiving side. Requests are signed per Standard
 * Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), so receivers may verify them
 * with the `standardwebhooks` package or svix too. WebCrypto and `fetch` only: no dependency,
 * runs on Node 20+, Deno, Bun and edge runtimes.
 * @module
 */
export {
  MAX_SIGNATURES,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  generateWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
} from './signature.js';
export type { VerifyWebhookOptions, WebhookHeaders } from './signature.js';
export { createWebhookEventSink, createWebhookNotifier } from './senders.js';
export type { WebhookClientOptions, WebhookEventPayload, WebhookEventSinkOptions, WebhookNotifierOptions, WebhookPayload } from './senders.js';
