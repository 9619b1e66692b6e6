import { ConfigError, WebhookSignatureError } from '../../errors.js';
import type { ClockPort } from '../../ports/clock.js';
import { createSystemClock } from '../memory/clock.js';
import type { WebhookPayload } from './senders.js';

/** The header carrying the message id, the same for every retry: receivers drop repeats by it. */
export const WEBHOOK_ID_HEADER = 'webhook-id';
/** The header carrying when the request was signed, in Unix seconds. */
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
/** The header carrying the signatures: space-separated `v1,<base64 HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** Signatures read from one header at most: more is an attack on the verifier's time, not a key rotation. */
export const MAX_SIGNATURES = 10;
const MAX_ID = 256;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

const fromBase64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toBase64 = (bytes: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/**
 * The key bytes of a Standard Webhooks secret, `whsec_` followed by base64 (16 to 64 bytes).
 * @throws ConfigError saying what is wrong with it.
 */
function secretBytes(secret: unknown, path: string): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string' || !secret.startsWith('whsec_')) {
    throw new ConfigError(path, 'a webhook secret is "whsec_" followed by base64 (Standard Webhooks); make one with generateWebhookSecret()');
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64(secret.slice(6));
  } catch {
    throw new ConfigError(path, 'the part after "whsec_" is not base64');
  }
  if (bytes.length < 16 || bytes.length > 64) throw new ConfigError(path, `the secret holds ${bytes.length} bytes; use 16 to 64 (generateWebhookSecret() makes 32)`);
  return bytes;
}

/** Check a secret (or several) early, where it is configured. @throws ConfigError */
export function checkWebhookSecret(secret: unknown, path = 'secret'): void {
  secretBytes(secret, path);
}

function hmacKey(secret: string, path: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    key = globalThis.crypto.subtle.importKey('raw', secretBytes(secret, path), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

const signedContent = (id: string, timestamp: number, body: string | Uint8Array): Uint8Array<ArrayBuffer> => {
  const head = encoder.encode(`${id}.${timestamp}.`);
  const rest = typeof body === 'string' ? encoder.encode(body) : body;
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
};

/**
 * A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. Share it with the
 * receiver once; keep it out of source control.
 */
export function generateWebhookSecret(): string {
  return `whsec_${toBase64(globalThis.crypto.getRandomValues(new Uint8Array(32)).buffer)}`;
}

/**
 * The Standard Webhooks headers for one request: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret,
 * so a receiver mid-rotation accepts either). The notifier and event sink use it; tests of
 * receivers can too.
 *
 * @example
 * ```ts
 * const headers = await signWebhook({ id: 'msg_1', timestamp: Math.floor(clock.now() / 1000), body, secret });
 * ```
 */
export async function signWebhook(request: { readonly id: string; readonly timestamp: number; readonly body: string | Uint8Array; readonly secret: string | ReadonlyArray<string> }): Promise<Record<string, string>> {
  const secrets = typeof request.secret === 'string' ? [request.secret] : request.secret;
  const content = signedContent(request.id, request.timestamp, request.body);
  const signatures = await Promise.all(secrets.map(async (s) => `v1,${toBase64(await globalThis.crypto.subtle.sign('HMAC', await hmacKey(s, 'secret'), content))}`));
  return { [WEBHOOK_ID_HEADER]: request.id, [WEBHOOK_TIMESTAMP_HEADER]: String(request.timestamp), [WEBHOOK_SIGNATURE_HEADER]: signatures.join(' ') };
}

/** Request headers as the receiving framework has them: a Fetch `Headers`, or Node's plain object. */
export type WebhookHeaders =
  | {
      /** The header's value, or null (a Fetch `Headers`). */
      get(name: string): string | null;
    }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/** Options of {@link verifyWebhookSignature}. */
export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received (before any JSON parsing). */
  readonly body: string | Uint8Array;
  /** The request's headers (`webhook-id`, `webhook-timestamp`, `webhook-signature` are read). */
  readonly headers: WebhookHeaders;
  /** The `whsec_` secret, or several while rotating (any one may match). */
  readonly secret: string | ReadonlyArray<string>;
  /** How far the timestamp may be from now, in seconds (default 300, at most 86,400): older requests are replays. */
  readonly toleranceSeconds?: number;
  /** The clock to compare with (default: the system clock). */
  readonly clock?: ClockPort;
}

const header = (headers: WebhookHeaders, name: string): string | undefined => {
  const v = typeof (headers as { get?: unknown }).get === 'function' ? (headers as { get(n: string): string | null }).get(name) : (headers as Record<string, string | ReadonlyArray<string> | undefined>)[name];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one.trim() : undefined;
};

function checkOptions(options: VerifyWebhookOptions): { secrets: ReadonlyArray<string>; tolerance: number } {
  if (typeof options !== 'object' || options === null) throw new ConfigError('verifyWebhookSignature', 'pass { body, headers, secret }');
  const tolerance = options.toleranceSeconds ?? 300;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0 || tolerance > 86_400) {
    throw new ConfigError('toleranceSeconds', `${String(tolerance)} is not a replay window; give seconds between 1 and 86,400 (default 300)`);
  }
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (!Array.isArray(secrets) || secrets.length === 0) throw new ConfigError('secret', 'give the whsec_ secret, or a list of them while rotating');
  // A secret already turned into a key was checked then.
  secrets.forEach((s, i) => keys.has(s) || checkWebhookSecret(s, typeof options.secret === 'string' ? 'secret' : `secret[${i}]`));
  if (typeof options.body !== 'string' && !(options.body instanceof Uint8Array)) throw new ConfigError('body', 'pass the raw body as received, a string or bytes, before any JSON parsing');
  if (typeof options.headers !== 'object' || options.headers === null) throw new ConfigError('headers', 'pass the request headers (a Headers object or Node\'s req.headers)');
  return { secrets, tolerance };
}

/**
 * Check a webhook request on the receiving side, per Standard Webhooks: one of the signatures
 * must match `"<webhook-id>.<webhook-timestamp>.<body>"` under one of the secrets (compared in
 * constant time by WebCrypto), and the timestamp must be within the replay window. The id is
 * signed, so dropping repeats by it is safe. Resolves with the id, the timestamp and the parsed
 * payload; rejects with a {@link WebhookSignatureError} (`missing`, `malformed`, `mismatch`,
 * `expired`), or a ConfigError for bad options. Requests from omotenashi also verify with the
 * `standardwebhooks` package and svix.
 *
 * @example
 * ```ts
 * const { id, payload } = await verifyWebhookSignature({ body: rawBody, headers: req.headers, secret });
 * if (seen.has(id)) return res.end(); // a retry of a message already handled
 * ```
 */
export async function verifyWebhookSignature<P = WebhookPayload>(options: VerifyWebhookOptions): Promise<{ id: string; timestamp: number; payload: P }> {
  const { secrets, tolerance } = checkOptions(options);
  const id = header(options.headers, WEBHOOK_ID_HEADER);
  const stamp = header(options.headers, WEBHOOK_TIMESTAMP_HEADER);
  const signature = header(options.headers, WEBHOOK_SIGNATURE_HEADER);
  if (id === undefined || stamp === undefined || signature === undefined || id === '' || signature === '') {
    throw new WebhookSignatureError('missing', `the request lacks ${[WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER].join(', ')}: it was not signed as Standard Webhooks`);
  }
  if (id.length > MAX_ID || !/^\d{1,12}$/.test(stamp)) throw new WebhookSignatureError('malformed', `${WEBHOOK_ID_HEADER} must be at most ${MAX_ID} characters and ${WEBHOOK_TIMESTAMP_HEADER} Unix seconds`);
  const parts = signature.split(' ').filter((p) => p !== '');
  if (parts.length > MAX_SIGNATURES) throw new WebhookSignatureError('malformed', `${parts.length} signatures in one header; at most ${MAX_SIGNATURES} are read`);
  const macs: Array<Uint8Array<ArrayBuffer>> = [];
  for (const p of parts) {
    const m = /^v1,([A-Za-z0-9+/]{43}=)$/.exec(p);
    if (m !== null) macs.push(fromBase64(m[1] as string));
  }
  if (macs.length === 0) throw new WebhookSignatureError('malformed', `${WEBHOOK_SIGNATURE_HEADER} must hold "v1,<base64 HMAC-SHA256>" signatures`);
  const timestamp = Number(stamp);
  const content = signedContent(id, timestamp, options.body);
  let ok = false;
  for (const secret of secrets) {
    const key = await hmacKey(secret, 'secret');
    for (const mac of macs) if (await globalThis.crypto.subtle.verify('HMAC', key, mac, content)) ok = true;
  }
  if (!ok) throw new WebhookSignatureError('mismatch', 'no signature matches: check the secret, and verify the raw body before parsing it');
  const now = (options.clock ?? createSystemClock()).now();
  if (Math.abs(now / 1000 - timestamp) > tolerance) {
    throw new WebhookSignatureError('expired', `the request was signed at ${new Date(timestamp * 1000).toISOString()}, more than ${tolerance} s from now: a replay, or a clock that is off`);
  }
  let payload: P;
  try {
    payload = JSON.parse(typeof options.body === 'string' ? options.body : new TextDecoder().decode(options.body)) as P;
  } catch {
    throw new WebhookSignatureError('malformed', 'the body is signed but is not JSON');
  }
  return { id, timestamp, payload };
}
