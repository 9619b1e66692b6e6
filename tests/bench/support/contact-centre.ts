import { defineEscalationRules, defineSlaConfig, createManualClock, createServiceDesk, type AuditEntry, type Interaction, type ManualClock, type ServiceDesk, type SlaConfigInput, type StoragePort, type Ticket } from 'omotenashi';
import { makeAuditEntry, makeInteraction, makeTicket } from 'omotenashi/testing';

const weekday: Array<[string, string]> = [['09:00', '18:00']];
/** A business-hours SLA configuration, as a contact centre would have. */
export const CONTACT_CENTRE_SLA: SlaConfigInput = {
  calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } },
  policies: [
    {
      id: 'std',
      name: 'Standard',
      metrics: {
        first_response: { targets: { normal: 'PT4H', high: 'PT1H' }, calendar: 'office', warnings: [{ percent: 75 }] },
        next_response: { targets: { normal: 'PT8H', high: 'PT2H' }, calendar: 'office' },
        resolution: { targets: { normal: 'P3D', high: 'P1D' }, calendar: 'office', pauseWhile: ['pending_customer'] },
      },
    },
  ],
};

/** A contact-centre desk: the SLA above and one escalation rule (angry customers go up a priority). */
export async function contactCentre(storage: StoragePort): Promise<{ desk: ServiceDesk; clock: ManualClock; agentId: string; customerId: string }> {
  const clock = createManualClock('2026-04-06T01:00:00Z');
  const desk = createServiceDesk({
    storage,
    clock,
    sla: defineSlaConfig(CONTACT_CENTRE_SLA),
    signals: false,
    escalation: defineEscalationRules([{ id: 'angry', name: 'Angry customers', trigger: { on: 'interaction.received' }, condition: { fact: 'ticket.priority', op: 'eq', value: 'urgent' }, actions: [{ type: 'add_tag', tag: 'hot' }] }]),
  });
  const agent = await desk.registerAgent({ name: 'Aiko' });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
  return { desk, clock, agentId: agent.id, customerId: customer.id };
}

/** One ticket's life: open, agent reply, customer reply, agent reply, resolve, the customer confirms. Six commands. */
export async function ticketLife(s: Awaited<ReturnType<typeof contactCentre>>): Promise<void> {
  const { desk } = s;
  // A second between commands, as real ones are apart (commands within one millisecond are replayed).
  const tick = () => s.clock.advance(1000);
  const agent = { kind: 'agent' as const, id: s.agentId };
  const customer = { kind: 'customer' as const, id: s.customerId };
  const { ticket } = await desk.openTicket({ requesterId: s.customerId as Ticket['requesterId'], subject: 'The router drops the connection', channel: 'email', assigneeId: s.agentId as never });
  await tick();
  await desk.recordInteraction(ticket.id, { channel: 'email', author: agent, body: 'Could you restart it and tell me the light colours?', setStatus: 'pending_customer' });
  await tick();
  await desk.recordInteraction(ticket.id, { channel: 'email', author: customer, body: 'Restarted, the light is orange.' });
  await tick();
  await desk.recordInteraction(ticket.id, { channel: 'email', author: agent, body: 'Orange means the line is down; an engineer fixed it.' });
  await tick();
  await desk.resolve(ticket.id, { summary: 'Line repaired' });
  await tick();
  await desk.confirmResolution(ticket.id, { by: customer });
}

/**
 * The same six units of work written straight to the storage port: the ticket (created, then
 * five versioned updates), its three interactions and six audit entries, prepared beforehand.
 */
export function bareLife(n: number): Array<{ puts: [{ kind: 'ticket'; record: Ticket; expectedVersion: number | null }]; interactions: Interaction[]; audit: AuditEntry[] }> {
  const base = makeTicket({ id: `bare_${n}`, requesterId: 'cus_bare' });
  const out = [];
  for (let v = 1; v <= 6; v++) {
    const record: Ticket = { ...base, version: v, status: v === 6 ? 'closed' : v === 5 ? 'resolved' : 'open' };
    const interactions = v >= 2 && v <= 4 ? [makeInteraction({ id: `int_${n}_${v}`, ticketId: base.id, body: 'A message of the usual length for an e-mail reply.' })] : [];
    out.push({ puts: [{ kind: 'ticket' as const, record, expectedVersion: v === 1 ? null : v - 1 }] as [{ kind: 'ticket'; record: Ticket; expectedVersion: number | null }], interactions, audit: [makeAuditEntry({ ticketId: base.id, version: v })] });
  }
  return out;
}
