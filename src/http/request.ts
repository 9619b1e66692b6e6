import type * as z from 'zod';
import { HttpError, ValidationError } from '../errors.js';
import { jsonSchemaOf } from './codec.js';
import type { RouteSpec } from './route.js';

/** The body's bytes, refused with 413 once they pass `limit` (read as a stream: a body without Content-Length is not read whole first). */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const tooLarge = () => new HttpError('PAYLOAD_TOO_LARGE', `the body is larger than ${limit} bytes, the most this API accepts`);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The JSON body of a route, decoded and checked against its schema (ISO instants become Dates). */
export function parseJsonBody(route: RouteSpec, bytes: Uint8Array, contentType: string | null): { body: unknown; sent: ReadonlySet<string> } {
  if (route.body === undefined) return { body: undefined, sent: new Set() };
  let json: unknown = {};
  if (bytes.byteLength > 0) {
    if (contentType === null || !JSON_TYPE.test(contentType)) throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got "${contentType ?? 'no Content-Type'}")`);
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      throw new ValidationError('request body syntax', [{ path: [], code: 'invalid_json', message: `not valid UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}` }]);
    }
  }
  const r = jsonSchemaOf(route.body.schema).safeParse(json);
  if (!r.success) throw ValidationError.fromZod('request body', r.error as z.ZodError);
  return { body: r.data, sent: new Set(json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json) : []) };
}

/** The query parameters of a route, checked against its schema. */
export function parseQuery(route: RouteSpec, url: URL): Record<string, unknown> {
  if (route.query === undefined) return {};
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) raw[k] = v;
  const r = route.query.safeParse(raw);
  if (!r.success) throw ValidationError.fromZod('query', r.error);
  return r.data as Record<string, unknown>;
}

/** The version an `If-Match` header names (`"3"`, `W/"3"`); `*` or none is no precondition. */
export function parseIfMatch(header: string | null): number | undefined {
  if (header === null || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (m === null) throw new HttpError('PRECONDITION_FAILED', `If-Match must be the ETag you read, such as "3" (got ${header})`);
  return Number(m[1]);
}
