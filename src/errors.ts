import type * as z from 'zod';

/**
 * Every stable error code omotenashi throws, in one table. Codes never change meaning between
 * versions, so callers may branch on them (`if (e.code === 'CONFLICT') retry()`).
 */
export const ERROR_CODES = {
  /** Input failed schema validation; `issues` holds zod's issues with field paths. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** A record that a command needs does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** A write lost an optimistic-concurrency race, or a unique key is taken. */
  CONFLICT: 'CONFLICT',
  /** A ticket cannot move from its current status to the requested one. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** A configuration object (policy, calendar, desk options) is invalid. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** A port adapter failed or returned data that breaks the port's contract. */
  ADAPTER_FAILED: 'ADAPTER_FAILED',
  /** A message template could not be rendered: a variable it needs is missing or not text. */
  TEMPLATE_RENDER_FAILED: 'TEMPLATE_RENDER_FAILED',
  /** A notifier could not deliver a message; `retryable` says whether trying later may help. */
  DELIVERY_FAILED: 'DELIVERY_FAILED',
  /** A webhook request's signature is missing, malformed, wrong, or too old. */
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  /** An HTTP request named no caller the API's `authenticate` accepts (401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The authenticated caller may not do this (403): a customer on an agents' route. */
  FORBIDDEN: 'FORBIDDEN',
  /** An `If-Match` header names a version the record no longer has (412). */
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  /** A request body is larger than the API accepts (413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A request body is not in a media type the route reads (415). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The rate-limit hook refused the request (429); `retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** An `Idempotency-Key` was used before for another request (422). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this `Idempotency-Key` is still running (409). */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** The server failed on its side (500); the details went to its logger, not to the caller. */
  INTERNAL: 'INTERNAL',
} as const;

/** One of the stable codes in {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const BRAND = Symbol.for('omotenashi.error');

/**
 * Base class of every error omotenashi throws on purpose.
 *
 * Branch on `code` (stable) or on the subclass; use {@link isOmotenashiError} rather than
 * `instanceof` when two copies of the package may be loaded (ESM and CJS side by side).
 * The underlying failure, if any, is kept in `cause`.
 *
 * @example
 * ```ts
 * try { await desk.resolve(id, { summary: 'Replaced the router' }); }
 * catch (e) { if (isOmotenashiError(e) && e.code === 'INVALID_TRANSITION') showHint(e.message); }
 * ```
 */
export class OmotenashiError extends Error {
  /** The stable machine-readable code. */
  readonly code: ErrorCode;
  /** @internal Brand read by {@link isOmotenashiError}. */
  readonly [BRAND] = true;

  /** Create an error with a code, a message that says what to fix, and an optional cause. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * True when `value` is an error thrown by omotenashi, even one created by another loaded copy
 * of the package (the brand is a global symbol, not a class identity).
 */
export function isOmotenashiError(value: unknown): value is OmotenashiError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** One problem found by validation: where (a field path) and what. */
export interface ValidationIssue {
  /** Path to the offending field, e.g. `['contacts', 0, 'address']`. */
  readonly path: ReadonlyArray<PropertyKey>;
  /** What is wrong with it, in words. */
  readonly message: string;
  /** zod's issue code (`invalid_type`, `invalid_format`, `custom`, ...). */
  readonly code: string;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** Turns zod issues into {@link ValidationIssue}s. */
function toIssues(issues: ReadonlyArray<z.core.$ZodIssue>): ValidationIssue[] {
  return issues.map((i) => ({ path: i.path, message: i.message, code: i.code }));
}

/**
 * Input to a command or factory did not pass its schema. `issues` lists every problem with
 * its field path; the message names the first few fields.
 */
export class ValidationError extends OmotenashiError {
  /** Every problem found, with field paths. */
  readonly issues: ReadonlyArray<ValidationIssue>;
  /** What was being validated, e.g. `registerCustomer input`. */
  readonly subject: string;

  /** Build from a subject and issues (zod's or hand-made ones). */
  constructor(subject: string, issues: ReadonlyArray<ValidationIssue>, options?: { cause?: unknown }) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${formatPath(i.path)}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(ERROR_CODES.VALIDATION_FAILED, `Invalid ${subject}: ${shown}${more}`, options);
    this.subject = subject;
    this.issues = issues;
  }

  /** Build from a failed zod parse. */
  static fromZod(subject: string, error: z.ZodError): ValidationError {
    return new ValidationError(subject, toIssues(error.issues), { cause: error });
  }
}

/** A record a command needs does not exist. `entity` and `id` say which. */
export class NotFoundError extends OmotenashiError {
  /** The kind of record: `ticket`, `customer`, `agent`, `team`. */
  readonly entity: string;
  /** The id that was looked up. */
  readonly id: string;

  /** Build for one entity kind and id. */
  constructor(entity: string, id: string, hint?: string) {
    super(
      ERROR_CODES.NOT_FOUND,
      `No ${entity} with id "${id}"${hint ? `: ${hint}` : `. Check the id, or register the ${entity} first.`}`,
    );
    this.entity = entity;
    this.id = id;
  }
}

/** Why a write conflicted: a stale version, a record that already exists, or a taken unique key. */
export type ConflictKind = 'version' | 'exists' | 'source_id' | 'key';

/**
 * A write lost an optimistic-concurrency race (someone else saved the record first), the
 * record already exists, or a unique key (a ticket's source id) is taken. Nothing was written:
 * reload the record and retry the command.
 */
export class ConflictError extends OmotenashiError {
  /** The kind of record, e.g. `ticket`. */
  readonly entity: string;
  /** The id of the conflicting record. */
  readonly id: string;
  /** What kind of conflict. */
  readonly kind: ConflictKind;
  /** The version the writer expected (null: expected the record not to exist). */
  readonly expectedVersion: number | null;
  /** The version found in storage (null: the record does not exist). */
  readonly actualVersion: number | null;

  /** Build from the details of the conflict. */
  constructor(details: {
    entity: string;
    id: string;
    kind: ConflictKind;
    expectedVersion: number | null;
    actualVersion: number | null;
    message?: string;
  }) {
    const message =
      details.message ??
      (details.kind === 'version'
        ? `The ${details.entity} "${details.id}" was changed by someone else (expected version ${String(details.expectedVersion)}, found ${String(details.actualVersion)}). Reload it and retry.`
        : details.kind === 'exists'
          ? `A ${details.entity} with id "${details.id}" already exists. Use a new id, or update the existing one.`
          : details.kind === 'key'
            ? `That key already belongs to ${details.entity} "${details.id}".`
            : `Another ${details.entity} already uses source id "${details.id}".`);
    super(ERROR_CODES.CONFLICT, message);
    this.entity = details.entity;
    this.id = details.id;
    this.kind = details.kind;
    this.expectedVersion = details.expectedVersion;
    this.actualVersion = details.actualVersion;
  }
}

/**
 * A ticket cannot make the requested move. `from`, `to` and `allowed` (the statuses reachable
 * from `from`) say what would have worked.
 */
export class InvalidTransitionError extends OmotenashiError {
  /** The ticket concerned. */
  readonly ticketId: string;
  /** Its current status. */
  readonly from: string;
  /** The status that was requested. */
  readonly to: string;
  /** The statuses that `from` may move to. */
  readonly allowed: ReadonlyArray<string>;

  /** Build for one ticket and move; `reason` explains a refusal the table alone does not. */
  constructor(details: { ticketId: string; from: string; to: string; allowed: ReadonlyArray<string>; reason?: string }) {
    const allowed = details.allowed.length > 0 ? details.allowed.join(', ') : 'none';
    super(
      ERROR_CODES.INVALID_TRANSITION,
      `Ticket "${details.ticketId}" cannot go from ${details.from} to ${details.to}` +
        (details.reason ? `: ${details.reason}` : '') +
        `. From ${details.from} it may go to: ${allowed}.`,
    );
    this.ticketId = details.ticketId;
    this.from = details.from;
    this.to = details.to;
    this.allowed = details.allowed;
  }
}

/**
 * A configuration object (desk options, a policy, a calendar) is invalid. `path` names the
 * offending field.
 */
export class ConfigError extends OmotenashiError {
  /** Dotted path of the offending field, e.g. `lifecycle.autoCloseAfter`. */
  readonly path: string;
  /** Individual problems, when there were several. */
  readonly issues: ReadonlyArray<ValidationIssue>;

  /** Build for one field path with a message that says what to fix. */
  constructor(path: string, message: string, options?: { cause?: unknown; issues?: ReadonlyArray<ValidationIssue> }) {
    super(ERROR_CODES.CONFIG_INVALID, `Invalid configuration at ${path}: ${message}`, options);
    this.path = path;
    this.issues = options?.issues ?? [];
  }

  /** Build from a failed zod parse of a configuration object rooted at `root`. */
  static fromZod(root: string, error: z.ZodError): ConfigError {
    const issues = toIssues(error.issues);
    const first = issues[0];
    const path = first && first.path.length > 0 ? `${root}.${formatPath(first.path)}` : root;
    const message = issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    return new ConfigError(path, message, { cause: error, issues });
  }
}

/**
 * A port adapter threw, or returned data that breaks the port's contract. Names the adapter
 * and the method; the original failure is in `cause`.
 */
export class AdapterError extends OmotenashiError {
  /** The adapter's `name` (e.g. `memory`, `postgres`). */
  readonly adapter: string;
  /** The port method that failed (e.g. `commit`). */
  readonly method: string;

  /** Build for one adapter and method. */
  constructor(adapter: string, method: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.ADAPTER_FAILED, `Adapter "${adapter}" failed in ${method}(): ${message}`, options);
    this.adapter = adapter;
    this.method = method;
  }
}

/**
 * A message template could not be rendered for the data given: a variable it needs is missing,
 * or holds an object where text was expected. Thrown by `render` and by desk commands that
 * queue messages (which then change nothing).
 */
export class TemplateError extends OmotenashiError {
  /** The template's name. */
  readonly template: string;
  /** The locale that was rendered. */
  readonly locale: string;
  /** The variable at fault. */
  readonly variable: string;

  /** Build for one template, locale and variable. */
  constructor(details: { template: string; locale: string; variable: string; problem: string }) {
    super(ERROR_CODES.TEMPLATE_RENDER_FAILED, `Template "${details.template}" (${details.locale}) ${details.problem}: pass data.${details.variable}`);
    this.template = details.template;
    this.locale = details.locale;
    this.variable = details.variable;
  }
}

/**
 * A notifier could not deliver a message. Notifier adapters throw it so the outbox relay knows
 * whether to try again: `retryable` false (a 400, a rejected address) dead-letters the message
 * at once; `retryAfterMs` (from a 429's `Retry-After`) is the earliest next attempt.
 */
export class DeliveryError extends OmotenashiError {
  /** Whether trying again later may succeed (network errors, timeouts, 5xx, 429). */
  readonly retryable: boolean;
  /** The least wait before the next attempt the far end asked for, in ms. */
  readonly retryAfterMs: number | undefined;
  /** The far end's status (an HTTP status, an SMTP reply code), when there was one. */
  readonly status: number | undefined;

  /** Build with a message that says what happened and, for permanent failures, what to fix. */
  constructor(message: string, details: { retryable: boolean; retryAfterMs?: number; status?: number; cause?: unknown }) {
    super(ERROR_CODES.DELIVERY_FAILED, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
  }
}

/** Why a webhook signature was refused. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'expired';

/** A webhook request's signature is missing, malformed, does not match, or is outside the replay window. */
export class WebhookSignatureError extends OmotenashiError {
  /** What was wrong with it. */
  readonly problem: SignatureProblem;

  /** Build for one problem with a message that says what to check. */
  constructor(problem: SignatureProblem, message: string) {
    super(ERROR_CODES.SIGNATURE_INVALID, message);
    this.problem = problem;
  }
}

/** The HTTP status of each code an {@link HttpError} carries. */
export const HTTP_ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_IN_USE: 409,
  INTERNAL: 500,
} as const;

/** A code an {@link HttpError} carries. */
export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/**
 * A request to the HTTP API (`omotenashi/http`) was refused before or around the desk command:
 * no or unknown credentials, a route the caller may not use, a stale `If-Match`, a body too
 * large or in the wrong media type, a rate limit, or an `Idempotency-Key` reused or still in use.
 * The API answers it as `application/problem+json` with `status` and `code`.
 */
export class HttpError extends OmotenashiError {
  /** The HTTP status the API answers with. */
  readonly status: number;
  /** For `RATE_LIMITED`: seconds until the caller may try again (the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined;

  /** Build for one code with a message that says what to fix. */
  constructor(code: HttpErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(ERROR_CODES[code], message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = HTTP_ERROR_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

// Names set by hand: a bundler renames classes that refer to themselves (`_ValidationError`),
// and `e.name` and stack traces must say what users import.
for (const [error, name] of [
  [OmotenashiError, 'OmotenashiError'],
  [ValidationError, 'ValidationError'],
  [NotFoundError, 'NotFoundError'],
  [ConflictError, 'ConflictError'],
  [InvalidTransitionError, 'InvalidTransitionError'],
  [ConfigError, 'ConfigError'],
  [AdapterError, 'AdapterError'],
  [TemplateError, 'TemplateError'],
  [DeliveryError, 'DeliveryError'],
  [WebhookSignatureError, 'WebhookSignatureError'],
  [HttpError, 'HttpError'],
] as const) {
  Object.defineProperty(error.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}
