import type { AuditEntry, Ticket } from '../domain/ticket.js';

/** What a ticket looked like at one version, as far as the metrics care. */
export interface TicketState {
  readonly id: string;
  readonly version: number;
  /** When this version was written, epoch ms. */
  readonly at: number;
  readonly status: string;
  readonly priority: string;
  readonly type: string;
  readonly channel: string;
  readonly requesterKind: string;
  readonly requesterId: string;
  readonly assigneeId?: string | undefined;
  readonly teamId?: string | undefined;
  /** The ticket's organisation. */
  readonly organizationId?: string | undefined;
  readonly createdAt: number;
  readonly firstAgentReplyAt?: number | undefined;
  readonly lastCustomerMessageAt?: number | undefined;
  readonly lastAgentReplyAt?: number | undefined;
  readonly escalationLevel: number;
  readonly counters: { readonly holds: number; readonly transfers: number; readonly reopens: number; readonly contacts: number; readonly handleMs?: number };
  /** SLA clocks: `slot.metric` → `policy:state#cycle`. */
  readonly sla: Readonly<Record<string, string>>;
}

const ms = (d: Date | undefined): number | undefined => d?.getTime();

/** A stored or emitted ticket as a {@link TicketState} at `at`. */
export function stateOf(ticket: Ticket, at: number): TicketState {
  const sla: Record<string, string> = {};
  for (const c of ticket.sla?.clocks ?? []) sla[`${c.slot}.${c.metric}`] = `${c.policyId}:${c.state}#${c.cycle}`;
  return {
    id: ticket.id,
    version: ticket.version,
    at,
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    channel: ticket.channel,
    requesterKind: ticket.requesterKind,
    requesterId: ticket.requesterId,
    assigneeId: ticket.assigneeId,
    teamId: ticket.teamId,
    organizationId: ticket.organizationId,
    createdAt: ticket.createdAt.getTime(),
    firstAgentReplyAt: ms(ticket.firstAgentReplyAt),
    lastCustomerMessageAt: ms(ticket.lastCustomerMessageAt),
    lastAgentReplyAt: ms(ticket.lastAgentReplyAt),
    escalationLevel: ticket.escalationLevel,
    counters: { holds: ticket.counters.holds, transfers: ticket.counters.transfers, reopens: ticket.counters.reopens, contacts: ticket.counters.contacts, handleMs: ticket.counters.handleMs ?? 0 },
    sla,
  };
}

const TRACKED = new Set(['status', 'priority', 'type', 'assigneeId', 'teamId', 'escalationLevel', 'firstAgentReplyAt', 'lastCustomerMessageAt', 'lastAgentReplyAt', 'counters.holds', 'counters.transfers', 'counters.reopens', 'counters.contacts', 'counters.handleMs']);

/**
 * Every version of a stored ticket, oldest first, rebuilt from the ticket as it is and its audit
 * trail (each change undone in reverse). Versions that left no audit entry changed nothing the
 * metrics read and are skipped.
 */
export function ticketHistory(ticket: Ticket, audit: ReadonlyArray<AuditEntry>): TicketState[] {
  const byVersion = new Map<number, AuditEntry[]>();
  for (const e of audit) {
    const list = byVersion.get(e.version);
    if (list === undefined) byVersion.set(e.version, [e]);
    else list.push(e);
  }
  const versions = [...byVersion.keys()].sort((a, b) => b - a);
  const out: TicketState[] = [];
  let current = stateOf(ticket, 0) as TicketState & Record<string, unknown>;
  for (const v of versions) {
    const entries = byVersion.get(v) as AuditEntry[];
    const at = Math.max(...entries.map((e) => e.at.getTime()));
    out.push({ ...current, version: v, at, counters: { ...current.counters }, sla: { ...current.sla } });
    const undone: Record<string, unknown> = { ...current, counters: { ...current.counters }, sla: { ...current.sla } };
    for (let i = entries.length - 1; i >= 0; i--) {
      for (let j = (entries[i] as AuditEntry).changes.length - 1; j >= 0; j--) {
        const c = (entries[i] as AuditEntry).changes[j] as AuditEntry['changes'][number];
        const from = c.from instanceof Date ? c.from.getTime() : c.from;
        if (c.field.startsWith('sla.')) {
          const sla = undone['sla'] as Record<string, string>;
          if (typeof from === 'string') sla[c.field.slice(4)] = from;
          else delete sla[c.field.slice(4)];
        } else if (TRACKED.has(c.field)) {
          if (c.field.startsWith('counters.')) (undone['counters'] as Record<string, unknown>)[c.field.slice(9)] = from ?? 0;
          else undone[c.field] = from;
        }
      }
    }
    current = undone as TicketState & Record<string, unknown>;
  }
  return out.reverse();
}
