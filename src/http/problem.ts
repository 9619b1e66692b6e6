import * as z from 'zod';
import { ConflictError, HttpError, ValidationError, isOmotenashiError, type OmotenashiError } from '../errors.js';
import type { Logger } from '../ports/logger.js';

/** The media type of every error response (RFC 9457). */
export const PROBLEM_TYPE = 'application/problem+json';

/** Schema of a {@link Problem}: the body of every error response. */
export const ProblemSchema = z.object({
  /** A URI naming the kind of problem: `urn:omotenashi:error:<code>`. */
  type: z.string(),
  /** A short summary of the kind of problem. */
  title: z.string(),
  /** The HTTP status. */
  status: z.number().int(),
  /** What went wrong this time and how to fix it. */
  detail: z.string(),
  /** The SDK's stable error code (`VALIDATION_FAILED`, `NOT_FOUND`, `CONFLICT`, ...). */
  code: z.string(),
  /** For validation failures: each problem with the JSON path of its field. */
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  /** For conflicts: the record version the request expected and the one it found. */
  expectedVersion: z.number().int().nullable().optional(),
  currentVersion: z.number().int().nullable().optional(),
});
/** An RFC 9457 problem details object, with the SDK's `code`. */
export type Problem = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
};

/** A JSON Pointer (RFC 6901) to a field of the request body. */
const pointer = (path: ReadonlyArray<PropertyKey>): string => (path.length === 0 ? '' : `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`);

/** The status an SDK error answers with. */
function statusOf(e: OmotenashiError): number {
  if (e instanceof HttpError) return e.status;
  switch (e.code) {
    case 'VALIDATION_FAILED':
      return (e as ValidationError).subject === 'request body syntax' ? 400 : 422;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'INVALID_TRANSITION':
      return 409;
    default:
      return 500;
  }
}

/**
 * The problem details of an error: SDK errors keep their code and message (they name the field
 * and the fix); anything else is a 500 whose details go to `logger`, never to the caller.
 */
export function problemOf(error: unknown, logger: Logger | undefined, context: { method: string; path: string }): Problem & { retryAfterSeconds?: number } {
  if (!isOmotenashiError(error)) {
    logger?.error({ err: error, ...context }, `HTTP ${context.method} ${context.path} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { type: 'urn:omotenashi:error:INTERNAL', title: TITLES[500] as string, status: 500, detail: 'The server failed to handle the request; it has been logged.', code: 'INTERNAL' };
  }
  const status = statusOf(error);
  if (status === 500) logger?.error({ err: error, ...context }, `HTTP ${context.method} ${context.path} failed: ${error.message}`);
  const base: Problem = {
    type: `urn:omotenashi:error:${error.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: status === 500 && error.code !== 'INTERNAL' ? 'The server failed to handle the request; it has been logged.' : error.message,
    code: status === 500 ? (error.code === 'ADAPTER_FAILED' ? 'ADAPTER_FAILED' : 'INTERNAL') : error.code,
  };
  if (error instanceof ValidationError) return { ...base, errors: error.issues.map((i) => ({ pointer: pointer(i.path), detail: i.message })) };
  if (error instanceof ConflictError) return { ...base, expectedVersion: error.expectedVersion, currentVersion: error.actualVersion };
  if (error instanceof HttpError && error.retryAfterSeconds !== undefined) return { ...base, retryAfterSeconds: error.retryAfterSeconds };
  return base;
}

/** The response of a problem. */
export function problemResponse(problem: Problem & { retryAfterSeconds?: number }, headers: Record<string, string> = {}): Response {
  const { retryAfterSeconds, ...body } = problem;
  const h: Record<string, string> = { 'content-type': PROBLEM_TYPE, ...headers };
  if (retryAfterSeconds !== undefined) h['retry-after'] = String(Math.max(0, Math.ceil(retryAfterSeconds)));
  if (problem.status === 401) h['www-authenticate'] = 'Bearer';
  return new Response(JSON.stringify(body), { status: problem.status, headers: h });
}
