import { describe, expect, it } from 'vitest';
import { setup, ticketIn } from '../helpers.js';

describe('desk: hold and transfer need the customer’s consent', () => {
  it('a granted hold puts the ticket on hold, counts it, and records the consent', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const by = { kind: 'agent' as const, id: s.agent.id };
    const { ticket, held } = await s.desk.hold(t.id, { reason: 'Checking stock with the warehouse', waitingOn: 'warehouse', consent: { granted: true, note: 'Yes, I can wait' } }, { by });
    expect(held).toBe(true);
    expect(ticket).toMatchObject({ status: 'on_hold', counters: { holds: 1, declinedHolds: 0 }, hold: { reason: 'Checking stock with the warehouse', waitingOn: 'warehouse', resumeTo: 'open' } });
    const record = (await s.desk.listInteractions(t.id)).at(-1);
    expect(record).toMatchObject({ kind: 'hold', consent: { granted: true, note: 'Yes, I can wait' }, hold: { waitingOn: 'warehouse' }, visibility: 'internal' });
    expect(s.events.of('ticket.held')).toHaveLength(1);
  });

  it('a declined hold is recorded and does not happen', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const { ticket, held } = await s.desk.hold(t.id, { reason: 'Need to ask billing', consent: { granted: false, note: 'I am in a hurry' } });
    expect(held).toBe(false);
    expect(ticket.status).toBe('open');
    expect(ticket.hold).toBeUndefined();
    expect(ticket.counters).toMatchObject({ holds: 0, declinedHolds: 1 });
    expect((await s.desk.listInteractions(t.id)).at(-1)).toMatchObject({ kind: 'hold', consent: { granted: false } });
    expect(s.events.of('ticket.hold_declined')).toHaveLength(1);
    expect(s.events.of('ticket.held')).toHaveLength(0);
    const audit = await s.desk.getAuditTrail(t.id);
    expect(audit.at(-1)).toMatchObject({ action: 'hold_declined', changes: [{ field: 'counters.declinedHolds', from: 0, to: 1 }] });
  });

  it('consent is required: a hold without the customer’s answer is a validation error', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await expect(s.desk.hold(t.id, { reason: 'x' } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [expect.objectContaining({ path: ['consent'] })] });
    await expect(s.desk.transfer(t.id, { to: { teamId: s.legal.id }, reason: 'x' } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('resume returns a held ticket to where it was, and reports how long it was held', async () => {
    const s = await setup();
    const pending = await ticketIn(s, 'pending_customer');
    await s.desk.hold(pending.id, { reason: 'Vendor', consent: { granted: true } });
    await s.clock.advance('PT2H');
    const back = await s.desk.resume(pending.id);
    expect(back.status).toBe('pending_customer');
    expect(back.hold).toBeUndefined();
    expect(s.events.of('ticket.resumed')[0]?.heldForMs).toBe(2 * 3600_000);
    await expect(s.desk.resume(pending.id)).rejects.toThrow(/not on hold/);
    await expect(s.desk.hold(pending.id, { reason: 'again', consent: { granted: true } })).resolves.toMatchObject({ held: true });
    await expect(s.desk.hold(pending.id, { reason: 'twice', consent: { granted: true } })).rejects.toThrow(/already on hold/);
  });

  it('a granted transfer hands the ticket over and counts it', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const { ticket, transferred } = await s.desk.transfer(t.id, { to: { agentId: s.lawyer.id, teamId: s.legal.id }, consent: { granted: true }, reason: 'Contract question' });
    expect(transferred).toBe(true);
    expect(ticket).toMatchObject({ assigneeId: s.lawyer.id, teamId: s.legal.id, counters: { transfers: 1 } });
    const ev = s.events.of('ticket.transferred')[0];
    expect(ev?.from).toEqual({ agentId: s.agent.id, teamId: s.frontline.id });
    expect(ev?.to).toEqual({ agentId: s.lawyer.id, teamId: s.legal.id });
    expect((await s.desk.listInteractions(t.id)).at(-1)).toMatchObject({ kind: 'transfer', transfer: { to: { agentId: s.lawyer.id, teamId: s.legal.id } } });
  });

  it('a transfer to a team only leaves the ticket unassigned in that team’s queue', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const { ticket } = await s.desk.transfer(t.id, { to: { teamId: s.legal.id }, consent: { granted: true }, reason: 'Legal question' });
    expect(ticket.teamId).toBe(s.legal.id);
    expect(ticket.assigneeId).toBeUndefined();
  });

  it('a declined transfer is recorded and does not happen', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const { ticket, transferred } = await s.desk.transfer(t.id, { to: { agentId: s.supervisor.id }, consent: { granted: false, note: 'Please keep helping me' }, reason: 'Second opinion' });
    expect(transferred).toBe(false);
    expect(ticket.assigneeId).toBe(s.agent.id);
    expect(ticket.counters).toMatchObject({ transfers: 0, declinedTransfers: 1 });
    expect(s.events.of('ticket.transfer_declined')[0]?.consent.note).toBe('Please keep helping me');
  });

  it('refuses a transfer to where the ticket already is', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await expect(s.desk.transfer(t.id, { to: { agentId: s.agent.id, teamId: s.frontline.id }, consent: { granted: true }, reason: 'x' })).rejects.toThrow(/already routed there/);
  });
});
