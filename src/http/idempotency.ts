import { HttpError } from '../errors.js';
import { sha256Hex } from '../internal/digest.js';
import type { ServiceDesk } from '../desk/service-desk.js';
import type { StoredResponse } from '../domain/request.js';
import type { Principal } from './route.js';

/** Headers a replayed response repeats. */
const KEPT = ['content-type', 'etag', 'location', 'link'];

/** Whose keys these are: one caller's key never collides with another's. */
export const scopeOf = (p: Principal): string => (p.kind === 'agent' ? `agent:${p.agentId}` : p.kind === 'customer' ? `customer:${p.customerId}` : `system:${p.name ?? ''}`);

/**
 * Run a POST once per `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): the first
 * request with a key runs and its response is kept in the desk's storage; a retry with the same
 * key and the same request gets that response again (`Idempotency-Replayed: true`); the key with
 * another request is 422, and while the first request runs, 409. Server failures (5xx) are not
 * kept, so a retry runs the request again.
 */
export async function idempotent(
  desk: ServiceDesk,
  request: { readonly key: string; readonly principal: Principal; readonly method: string; readonly path: string; readonly body: Uint8Array | undefined; readonly ttlMs?: number; readonly leaseMs?: number },
  run: () => Promise<Response>,
): Promise<Response> {
  const text = request.body === undefined ? '' : new TextDecoder().decode(request.body);
  const fingerprint = await sha256Hex(`${request.method} ${request.path}\n${text}`);
  const claim = await desk.claimRequestKey({ key: request.key, scope: scopeOf(request.principal), fingerprint, ...(request.ttlMs === undefined ? {} : { ttlMs: request.ttlMs }), ...(request.leaseMs === undefined ? {} : { leaseMs: request.leaseMs }) });
  switch (claim.state) {
    case 'replay':
      return new Response(claim.response.body, { status: claim.response.status, headers: { ...claim.response.headers, 'idempotency-replayed': 'true' } });
    case 'running':
      throw new HttpError('IDEMPOTENCY_KEY_IN_USE', `the first request with Idempotency-Key "${request.key}" is still running: retry once it has finished`);
    case 'mismatch':
      throw new HttpError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${request.key}" was used for another request: use a new key for each request`);
    case 'claimed':
      break;
  }
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    await desk.releaseRequest(claim.record.id);
    throw error;
  }
  if (response.status >= 500) {
    await desk.releaseRequest(claim.record.id);
    return response;
  }
  const body = await response.text();
  const headers: Record<string, string> = {};
  for (const h of KEPT) {
    const v = response.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  const stored: StoredResponse = { status: response.status, headers, body };
  await desk.completeRequest(claim.record.id, stored);
  return new Response(body, { status: response.status, headers: response.headers });
}
