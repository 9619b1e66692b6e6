import * as z from 'zod';
import type { AgentId, CustomerId, OrganizationId, TeamId, TicketId } from './common.js';
import { AgentIdSchema, TeamIdSchema } from './common.js';
import { ARTICLE_STATUSES, type ArticleStatus } from './article.js';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from './followup.js';
import { NOTIFICATION_STATUSES, type NotificationStatus } from './notification.js';
import { OFFER_STATUSES, type OfferStatus } from './offer.js';
import { PRIORITIES, TICKET_STATUSES, TICKET_TYPES, type Priority, type TicketStatus, type TicketType } from './ticket.js';
import { PUBLISHED_EVENT_STATUSES, type PublishedEventStatus } from './published-event.js';
import { REQUEST_STATUSES, type RequestStatus } from './request.js';

/** A page of results and the cursor of the next page (null on the last page). */
export interface Page<T> {
  /** The records on this page. */
  readonly items: ReadonlyArray<T>;
  /** Pass as `cursor` to get the next page; null when there is none. */
  readonly nextCursor: string | null;
}

/**
 * Filters for listing tickets. Every filter given must match (AND); an array matches any of
 * its values. Results are ordered by `createdAt`, then `id`.
 */
export interface TicketQuery {
  /** One status or any of several. */
  readonly status?: TicketStatus | ReadonlyArray<TicketStatus>;
  /** Assigned to this agent. */
  readonly assigneeId?: AgentId;
  /** In this team's queue. */
  readonly teamId?: TeamId;
  /** Raised by this customer. */
  readonly requesterId?: CustomerId;
  /** Of this organisation (the requester's organisation when the ticket was opened). */
  readonly organizationId?: OrganizationId;
  /** One priority or any of several. */
  readonly priority?: Priority | ReadonlyArray<Priority>;
  /** One type or any of several. */
  readonly type?: TicketType | ReadonlyArray<TicketType>;
  /** Carrying this tag. */
  readonly tag?: string;
  /** Created at or after this instant. */
  readonly createdFrom?: Date;
  /** Created strictly before this instant. */
  readonly createdBefore?: Date;
  /** `asc` (oldest first, the default) or `desc`. */
  readonly order?: 'asc' | 'desc';
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Paging for listing customers, ordered by `createdAt`, then `id`. */
export interface CustomerQuery {
  /** Only internal or only external customers. */
  readonly kind?: 'internal' | 'external';
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/**
 * Filters for listing follow-ups (AND), ordered by `createdAt`, then `id`, oldest first.
 */
export interface FollowUpQuery {
  /** For this customer. */
  readonly customerId?: CustomerId;
  /** Following up this ticket. */
  readonly ticketId?: TicketId;
  /** Of this plan. */
  readonly planId?: string;
  /** One status or any of several. */
  readonly status?: FollowUpStatus | ReadonlyArray<FollowUpStatus>;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing surveys (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface SurveyQuery {
  /** About this ticket. */
  readonly ticketId?: TicketId;
  /** Sent to this customer. */
  readonly customerId?: CustomerId;
  /** Sent and waiting, or answered. */
  readonly status?: 'sent' | 'answered';
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing outbox messages (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface NotificationQuery {
  /** One status or any of several. */
  readonly status?: NotificationStatus | ReadonlyArray<NotificationStatus>;
  /** Addressed to this customer or agent (by id). */
  readonly recipientId?: string;
  /** About this ticket. */
  readonly ticketId?: TicketId;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing offers (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface OfferQuery {
  /** Made to this customer. */
  readonly customerId?: CustomerId;
  /** Of this product. */
  readonly sku?: string;
  /** One status or any of several. */
  readonly status?: OfferStatus | ReadonlyArray<OfferStatus>;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing knowledge-base articles (AND), ordered by `createdAt`, then `id`, oldest first. */
export interface ArticleQuery {
  /** One status or any of several. */
  readonly status?: ArticleStatus | ReadonlyArray<ArticleStatus>;
  /** In this locale (exactly). */
  readonly locale?: string;
  /** About this product. */
  readonly product?: string;
  /** Carrying this tag. */
  readonly tag?: string;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}


/** Paging for listing agents, ordered by `createdAt`, then `id`. */
export interface AgentQuery {
  /** Only active or only inactive agents. */
  readonly active?: boolean;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Paging for listing teams, ordered by `createdAt`, then `id`. */
export interface TeamQuery {
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing organisations (AND), ordered by `createdAt`, then `id`. */
export interface OrganizationQuery {
  /** Customer companies, or units of your own. */
  readonly kind?: 'external' | 'internal';
  /** The parts of this organisation. */
  readonly parentId?: OrganizationId;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing SLA policy versions (AND), ordered by `createdAt` (when a ticket first ran on them), then `id`. */
export interface SlaPolicyVersionQuery {
  /** The versions of this policy. */
  readonly policyId?: string;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing the requests kept for idempotency keys (AND), ordered by `createdAt`, then `id`. */
export interface RequestQuery {
  /** Running, answered, or given up. */
  readonly status?: RequestStatus | ReadonlyArray<RequestStatus>;
  /** Only the requests whose key expired before this instant. */
  readonly expiredBefore?: Date;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Filters for listing events filed for publishing (AND), ordered by `createdAt`, then `id`. */
export interface PublishedEventQuery {
  /** Waiting to be published, or published. */
  readonly status?: PublishedEventStatus | ReadonlyArray<PublishedEventStatus>;
  /** Page size: 1–500, default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Reading a ticket's interactions or audit trail: from an entry on, at most so many. */
export interface HistoryQuery {
  /** Skip this many entries from the start (the count already read: entries are append-only). Default 0. */
  readonly from?: number;
  /** At most this many entries (default: all the rest). */
  readonly limit?: number;
}

const CursorSchema = z.string().refine((c) => decodeCursor(c) !== null, 'is not a cursor from a previous page: pass nextCursor as it was returned');
const LimitSchema = z.number().int().min(1).max(500);
const oneOrMany = <T extends readonly [string, ...string[]]>(values: T) => z.union([z.enum(values), z.array(z.enum(values))]);
const paging = { limit: LimitSchema.optional(), cursor: CursorSchema.optional() };

/**
 * The schema of each kind's listing query: checked by the desk before it reaches an adapter,
 * and by adapters that want to. Unknown keys are refused, so a misspelt filter is an error.
 */
export const QUERY_SCHEMAS = {
  ticket: z
    .object({
      status: oneOrMany(TICKET_STATUSES).optional(),
      assigneeId: AgentIdSchema.optional(),
      teamId: TeamIdSchema.optional(),
      requesterId: z.string().min(1).optional(),
      organizationId: z.string().min(1).optional(),
      priority: oneOrMany(PRIORITIES).optional(),
      type: oneOrMany(TICKET_TYPES).optional(),
      tag: z.string().min(1).optional(),
      createdFrom: z.date().optional(),
      createdBefore: z.date().optional(),
      order: z.enum(['asc', 'desc']).optional(),
      ...paging,
    })
    .strict(),
  customer: z.object({ kind: z.enum(['internal', 'external']).optional(), ...paging }).strict(),
  agent: z.object({ active: z.boolean().optional(), ...paging }).strict(),
  team: z.object({ ...paging }).strict(),
  followup: z.object({ customerId: z.string().min(1).optional(), ticketId: z.string().min(1).optional(), planId: z.string().min(1).optional(), status: oneOrMany(FOLLOW_UP_STATUSES).optional(), ...paging }).strict(),
  survey: z.object({ ticketId: z.string().min(1).optional(), customerId: z.string().min(1).optional(), status: z.enum(['sent', 'answered']).optional(), ...paging }).strict(),
  notification: z.object({ status: oneOrMany(NOTIFICATION_STATUSES).optional(), recipientId: z.string().min(1).optional(), ticketId: z.string().min(1).optional(), ...paging }).strict(),
  offer: z.object({ customerId: z.string().min(1).optional(), sku: z.string().min(1).optional(), status: oneOrMany(OFFER_STATUSES).optional(), ...paging }).strict(),
  article: z.object({ status: oneOrMany(ARTICLE_STATUSES).optional(), locale: z.string().min(1).optional(), product: z.string().min(1).optional(), tag: z.string().min(1).optional(), ...paging }).strict(),
  event: z.object({ status: oneOrMany(PUBLISHED_EVENT_STATUSES).optional(), ...paging }).strict(),
  request: z.object({ status: oneOrMany(REQUEST_STATUSES).optional(), expiredBefore: z.date().optional(), ...paging }).strict(),
  organization: z.object({ kind: z.enum(['external', 'internal']).optional(), parentId: z.string().min(1).optional(), ...paging }).strict(),
  sla_policy: z.object({ policyId: z.string().min(1).optional(), ...paging }).strict(),
} as const;

const enc = (s: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const dec = (s: string): string => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));
};

/** The position a cursor points after: a record's creation time and id. */
export interface CursorPosition {
  /** `createdAt` of the last record on the previous page, epoch ms. */
  readonly createdAt: number;
  /** `id` of the last record on the previous page. */
  readonly id: string;
}

/**
 * Encode a keyset cursor (creation time and id of the last record of a page). Adapters use this
 * so cursors are interchangeable between them.
 */
export function encodeCursor(position: CursorPosition): string {
  return enc(JSON.stringify([position.createdAt, position.id]));
}

/** Decode a cursor made by {@link encodeCursor}; null when it is not one. */
export function decodeCursor(cursor: string): CursorPosition | null {
  try {
    const v: unknown = JSON.parse(dec(cursor));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') {
      return { createdAt: v[0], id: v[1] };
    }
    return null;
  } catch {
    return null;
  }
}
