import * as z from 'zod';
import type { TicketCommandOptions } from '../../desk/options.js';
import { ValidationError } from '../../errors.js';
import { defined } from '../portal.js';
import type { Component, Role, RouteContext, RouteResult } from '../route.js';

/** Everyone who may call the API. */
export const EVERYONE: ReadonlyArray<Role> = ['agent', 'customer', 'system'];
/** Agents and trusted back-ends: the desk's own side. */
export const STAFF: ReadonlyArray<Role> = ['agent', 'system'];

/** A named component. */
export const named = (name: string, schema: z.ZodType): Component => ({ name, schema });

/**
 * A request body from a domain input object: its fields without `omit` (what the API sets from
 * the caller, such as `by`), unknown fields refused so a misspelt one is an error. The desk
 * checks the rest of the domain's rules when the command runs.
 */
export function bodyOf(schema: z.ZodObject, omit: ReadonlyArray<string> = [], pick?: ReadonlyArray<string>): z.ZodObject {
  const shape = Object.fromEntries(Object.entries(schema.shape).filter(([k]) => !omit.includes(k) && (pick === undefined || pick.includes(k))));
  return z.object(shape).strict();
}

/** The paging parameters every list route reads. */
export const PAGING = {
  /** Page size; capped at the API's `maxPageSize`. */
  limit: z.coerce.number().int().min(1).optional().describe('Page size (capped by the server, default 50).'),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(500).optional().describe('The cursor of the next page, from the previous page.'),
};

/** A query parameter holding one or more of `values`, comma-separated. */
export const csvParam = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)).min(1))
    .optional()
    .describe(`One or more of ${values.join(', ')}, comma-separated.`);

/** An ISO 8601 instant in a query string. */
export const instantParam = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The page size of a request, within the API's cap. */
export const pageLimit = (ctx: RouteContext): number => Math.min((ctx.query['limit'] as number | undefined) ?? ctx.pageSize.default, ctx.pageSize.max);

/** The paging of a request, for a desk listing. */
export const paging = (ctx: RouteContext): { limit: number; cursor?: string } => {
  const cursor = ctx.query['cursor'] as string | undefined;
  return { limit: pageLimit(ctx), ...(cursor === undefined ? {} : { cursor }) };
};

/** A desk listing query from the request: its query parameters, its paging, and `extra` (a portal caller's own id), without the unset ones. */
export const listQuery = (ctx: RouteContext, extra: Record<string, unknown> = {}): Record<string, unknown> => defined({ ...ctx.query, ...paging(ctx), ...extra });

/** A page of a listing that returns everything at once (a ticket's interactions): the cursor is an offset. */
export function pageOf<T>(items: ReadonlyArray<T>, ctx: RouteContext): RouteResult {
  const raw = ctx.query['cursor'] as string | undefined;
  const from = raw === undefined ? 0 : Number.parseInt(raw.replace(/^o/, ''), 10);
  if (!Number.isSafeInteger(from) || from < 0 || (raw !== undefined && !/^o\d+$/.test(raw))) throw new ValidationError('query', [{ path: ['cursor'], code: 'custom', message: 'not a cursor of this listing: pass the nextCursor of the previous page' }]);
  const limit = pageLimit(ctx);
  const slice = items.slice(from, from + limit);
  return { body: slice, nextCursor: from + limit < items.length ? `o${from + limit}` : null };
}

/** The options of a ticket command: the caller as `by`, and `If-Match` as the expected version. */
export const ticketOptions = (ctx: RouteContext, extra: Record<string, unknown> = {}): TicketCommandOptions =>
  ({ by: ctx.actor, ...(ctx.ifMatch === undefined ? {} : { expectedVersion: ctx.ifMatch }), ...extra }) as TicketCommandOptions;

/** A record's result: the body with its version as the ETag. */
export const record = <T extends { version: number }>(value: T, body: unknown = value, status?: number): RouteResult => ({ body, version: value.version, ...(status === undefined ? {} : { status }) });
