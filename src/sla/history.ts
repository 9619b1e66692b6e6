import type { Actor } from '../domain/common.js';
import type { Interaction } from '../domain/interaction.js';
import type { AuditEntry, Priority, Ticket, TicketStatus } from '../domain/ticket.js';

/** One thing that happened to a ticket, as the SLA clocks see it. */
export type SlaHistoryEvent =
  | {
      readonly at: number;
      readonly kind: 'status';
      readonly to: TicketStatus;
      /** A close that ends every clock unmet, the resolution clock too (a merged duplicate). */
      readonly cancels?: boolean;
    }
  | { readonly at: number; readonly kind: 'priority'; readonly to: Priority }
  /** The ticket went to another team (or to none): a team's OLA applies from its handover. */
  | { readonly at: number; readonly kind: 'team'; readonly to: string | null }
  /** The ticket's tags changed: a policy that matches on a tag applies from then. */
  | { readonly at: number; readonly kind: 'tags'; readonly to: ReadonlyArray<string> }
  /** Facts policies read beyond the timeline's own changed (a customer's tier): a policy that matches on them applies from then. */
  | { readonly at: number; readonly kind: 'account'; readonly values: Readonly<Record<string, unknown>> }
  | {
      readonly at: number;
      readonly kind: 'message';
      readonly author: Actor['kind'];
      readonly visibility: 'public' | 'internal';
      readonly direction: 'inbound' | 'outbound' | 'internal';
    };

/** A ticket's history for SLA replay: how it started, and what happened since, in order. */
export interface SlaHistory {
  /** Creation instant, epoch ms. */
  readonly createdAt: number;
  /** Status at creation. */
  readonly status: TicketStatus;
  /** Priority at creation. */
  readonly priority: Priority;
  /** Team at creation (null: none). */
  readonly teamId?: string | null;
  /** Tags at creation. */
  readonly tags?: ReadonlyArray<string>;
  /** The values of the other facts policies read, at creation (by fact path; absent: as they are now). */
  readonly account?: Readonly<Record<string, unknown>>;
  /** Events in time order (status and priority changes before messages at the same instant). */
  readonly events: ReadonlyArray<SlaHistoryEvent>;
}

const rank = (e: SlaHistoryEvent): number => (e.kind === 'message' ? 1 : 0);

/** The values of the facts policies read beyond the timeline, each time they changed (`SlaSnapshot.account`). */
export type AccountLog = ReadonlyArray<{ readonly at: Date; readonly values: Readonly<Record<string, unknown>> }>;

/**
 * Build the SLA history of a ticket from its audit trail and interactions (what the desk stores),
 * and the log of the other facts its policies read (the first entry says how it started).
 */
export function slaHistory(ticket: Ticket, audit: ReadonlyArray<AuditEntry>, interactions: ReadonlyArray<Interaction>, account?: AccountLog): SlaHistory {
  let status: TicketStatus | undefined;
  let priority: Priority | undefined;
  let team: string | null | undefined;
  let tags: ReadonlyArray<string> | undefined;
  const events: SlaHistoryEvent[] = [];
  for (const entry of audit) {
    const at = entry.at.getTime();
    // The creation's entry (version 1) says where the ticket started, its team included.
    if (entry.version === 1 && team === undefined) team = (entry.changes.find((c) => c.field === 'teamId')?.to as string | undefined) ?? null;
    for (const c of entry.changes) {
      if (c.field === 'teamId' && entry.version > 1) events.push({ at, kind: 'team', to: (c.to as string | undefined) ?? null });
      if (c.field === 'tags' && entry.version > 1) {
        // The first change says what the tags were before it, back to the creation.
        if (tags === undefined) tags = Array.isArray(c.from) ? (c.from as string[]) : [];
        events.push({ at, kind: 'tags', to: Array.isArray(c.to) ? (c.to as string[]) : [] });
      }
      if (c.field === 'status') {
        if (c.from === undefined && status === undefined) status = c.to as TicketStatus;
        else events.push({ at, kind: 'status', to: c.to as TicketStatus, ...(entry.action === 'merge' ? { cancels: true } : {}) });
      } else if (c.field === 'priority') {
        if (c.from === undefined && priority === undefined) priority = c.to as Priority;
        else events.push({ at, kind: 'priority', to: c.to as Priority });
      }
    }
  }
  for (const i of interactions) {
    if (i.kind === 'hold' || i.kind === 'transfer') continue;
    events.push({ at: i.at.getTime(), kind: 'message', author: i.author.kind, visibility: i.visibility, direction: i.direction });
  }
  for (const entry of (account ?? []).slice(1)) events.push({ at: entry.at.getTime(), kind: 'account', values: entry.values });
  events.sort((a, b) => a.at - b.at || rank(a) - rank(b));
  const initial = account?.[0]?.values;
  return {
    createdAt: ticket.createdAt.getTime(),
    status: status ?? ticket.status,
    priority: priority ?? ticket.priority,
    teamId: team === undefined ? (ticket.teamId ?? null) : team,
    tags: tags ?? ticket.tags,
    ...(initial === undefined ? {} : { account: initial }),
    events,
  };
}
