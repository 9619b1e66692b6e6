import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, type TicketStatus } from 'omotenashi';
import { setup, ticketIn } from '../helpers.js';

const agentBy = (s: Awaited<ReturnType<typeof setup>>) => ({ by: { kind: 'agent' as const, id: s.agent.id } });

describe('desk: ticket lifecycle through commands', () => {
  it('opens a ticket as new, recording the description as the customer’s first message', async () => {
    const s = await setup();
    const { ticket, created } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Order late', channel: 'email', description: 'Where is order 1042?', type: 'order' });
    expect(created).toBe(true);
    expect(ticket).toMatchObject({ status: 'new', type: 'order', priority: 'normal', requesterKind: 'external', channels: ['email'], version: 1 });
    expect(ticket.counters.contacts).toBe(1);
    const [first] = await s.desk.listInteractions(ticket.id);
    expect(first).toMatchObject({ direction: 'inbound', kind: 'message', author: { kind: 'customer', id: s.external.id }, body: 'Where is order 1042?' });
    expect(s.events.names()).toEqual(['ticket.opened', 'interaction.recorded']);
  });

  it('tells internal from external requesters', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.internal.id, subject: 'Manual for the new box', channel: 'in_person' });
    expect(ticket.requesterKind).toBe('internal');
    expect((await s.desk.listTickets({})).items).toHaveLength(1);
  });

  it('a ticket opened with an assignee starts open', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'chat', assigneeId: s.agent.id, teamId: s.frontline.id });
    expect(ticket.status).toBe('open');
  });

  it('new → open by assignment, and by an agent’s public reply', async () => {
    const s = await setup();
    expect((await ticketIn(s, 'open')).status).toBe('open');
    const t = await ticketIn(s, 'new');
    const { ticket } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'We are on it.' });
    expect(ticket.status).toBe('open');
    expect(ticket.firstAgentReplyAt?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(ticket.counters.agentReplies).toBe(1);
    expect(ticket.channels).toEqual(['phone', 'email']);
  });

  it('a bot reply or an internal note does not open a new ticket', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'new');
    await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'bot' }, body: 'We received your message.' });
    const { ticket, interaction } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, visibility: 'internal', body: 'Check the firmware.' });
    expect(ticket.status).toBe('new');
    expect(ticket.counters.agentReplies).toBe(0);
    expect(interaction).toMatchObject({ kind: 'note', direction: 'internal', visibility: 'internal' });
  });

  it('open ↔ pending_customer; a customer reply brings a pending ticket back to open', async () => {
    const s = await setup();
    const pending = await ticketIn(s, 'pending_customer');
    expect(pending.status).toBe('pending_customer');
    const { ticket } = await s.desk.recordInteraction(pending.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'Here is the photo.' });
    expect(ticket.status).toBe('open');
    expect(ticket.counters.contacts).toBe(2);
    const back = await s.desk.setStatus(ticket.id, 'pending_customer');
    expect(back.status).toBe('pending_customer');
    expect((await s.desk.setStatus(ticket.id, 'open')).status).toBe('open');
  });

  it('an agent reply can leave the ticket waiting on the customer', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const { ticket } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'Could you send a photo?', setStatus: 'pending_customer' });
    expect(ticket.status).toBe('pending_customer');
  });

  it('resolve from every active status; the resolution waits for the customer', async () => {
    for (const from of ['new', 'open', 'pending_customer', 'on_hold'] as const) {
      const s = await setup();
      const t = await ticketIn(s, from);
      const resolved = await s.desk.resolve(t.id, { summary: 'Replaced the router' }, agentBy(s));
      expect(resolved.status).toBe('resolved');
      expect(resolved.resolution).toMatchObject({ summary: 'Replaced the router', by: { kind: 'agent', id: s.agent.id } });
      expect(resolved.hold).toBeUndefined();
      expect(resolved.closedAt).toBeUndefined();
    }
  });

  it('confirmation by the customer closes a resolved ticket', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'resolved');
    const closed = await s.desk.confirmResolution(t.id, { by: { kind: 'customer', id: s.external.id }, note: 'Works now, thanks' });
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'confirmed_by_customer', by: { kind: 'customer' }, note: 'Works now, thanks' } });
  });

  it('refuses to confirm what is not resolved, naming what is allowed', async () => {
    for (const from of ['new', 'open', 'pending_customer', 'on_hold', 'closed'] as const) {
      const s = await setup();
      const t = await ticketIn(s, from);
      const attempt = s.desk.confirmResolution(t.id);
      await expect(attempt).rejects.toBeInstanceOf(InvalidTransitionError);
      await expect(attempt).rejects.toThrow(/only a resolved ticket can be confirmed/);
      expect((await s.desk.getTicket(t.id)).status).toBe(from);
    }
  });

  it('administrative close from any active status, never with customer-side reasons', async () => {
    for (const from of ['new', 'open', 'pending_customer', 'on_hold', 'resolved'] as const) {
      const s = await setup();
      const t = await ticketIn(s, from);
      const closed = await s.desk.close(t.id, { reason: 'duplicate', note: 'Same as the e-mail ticket' });
      expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'duplicate' } });
    }
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await expect(s.desk.close(t.id, { reason: 'confirmed_by_customer' as never })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const closed = await ticketIn(s, 'closed');
    await expect(s.desk.close(closed.id, { reason: 'spam' })).rejects.toThrow(/already closed/);
  });

  it('reopens a resolved ticket and counts the reopen', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'resolved');
    const { ticket, followUp } = await s.desk.reopen(t.id, { reason: 'Still dropping' });
    expect(followUp).toBe(false);
    expect(ticket).toMatchObject({ status: 'open', counters: { reopens: 1 } });
    expect(ticket.resolution).toBeUndefined();
    expect(ticket.resolvedAt).toBeUndefined();
  });

  it('a customer reply to a resolved ticket reopens it (policy on by default, can be turned off)', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'resolved');
    const { ticket } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'It broke again' });
    expect(ticket.status).toBe('open');
    expect(ticket.counters.reopens).toBe(1);
    expect(s.events.names()).toContain('ticket.reopened');

    const off = await setup({ lifecycle: { reopenOnCustomerReply: false } });
    const t2 = await ticketIn(off, 'resolved');
    const r2 = await off.desk.recordInteraction(t2.id, { channel: 'email', author: { kind: 'customer', id: off.external.id }, body: 'Thanks!' });
    expect(r2.ticket.status).toBe('resolved');
  });

  it('reopens a closed ticket within the window, and opens a linked follow-up after it', async () => {
    const s = await setup({ lifecycle: { reopenWindow: 'P7D' } });
    const a = await ticketIn(s, 'closed');
    await s.clock.advance('P6D');
    const inWindow = await s.desk.reopen(a.id, { reason: 'Same problem' });
    expect(inWindow).toMatchObject({ followUp: false, ticket: { id: a.id, status: 'open' } });
    expect(inWindow.ticket.closure).toBeUndefined();

    const b = await ticketIn(s, 'closed');
    await s.clock.advance('P8D');
    const late = await s.desk.reopen(b.id, { reason: 'Same problem, a week later' });
    expect(late.followUp).toBe(true);
    expect(late.ticket).toMatchObject({ followUpOf: b.id, requesterId: s.external.id, subject: b.subject });
    expect(late.ticket.id).not.toBe(b.id);
    const old = await s.desk.getTicket(b.id);
    expect(old).toMatchObject({ status: 'closed', followUps: [late.ticket.id] });
    const opened = s.events.of('ticket.opened').at(-1);
    expect(opened?.followUpOf).toBe(b.id);
  });

  it('a customer writing to a long-closed ticket lands on a follow-up ticket', async () => {
    const s = await setup({ lifecycle: { reopenWindow: 'P1D' } });
    const t = await ticketIn(s, 'closed');
    await s.clock.advance('P2D');
    const { ticket, interaction } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'New problem with the router' });
    expect(ticket.followUpOf).toBe(t.id);
    expect(interaction.ticketId).toBe(ticket.id);
    expect(ticket.counters.contacts).toBe(1);
    expect(await s.desk.listInteractions(t.id)).toHaveLength(1);
  });

  it('a customer writing to a recently closed ticket reopens it in place', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'closed');
    const { ticket } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'Actually it broke again' });
    expect(ticket).toMatchObject({ id: t.id, status: 'open', counters: { reopens: 1 } });
  });

  it('closed tickets accept internal notes but not agent replies', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'closed');
    const { ticket } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, kind: 'note', body: 'Customer called to say thanks' });
    expect(ticket.status).toBe('closed');
    await expect(s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'Hello?' })).rejects.toThrow(/takes only internal notes: reopen it before replying/);
  });

  it('a customer message that confirms the resolution closes the ticket instead of reopening it', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'resolved');
    const customer = { kind: 'customer' as const, id: s.external.id };
    const { ticket, interaction } = await s.desk.recordInteraction(t.id, { channel: 'email', author: customer, body: 'Received, thank you!', confirmsResolution: true });
    expect(ticket).toMatchObject({ status: 'closed', closure: { reason: 'confirmed_by_customer', by: customer }, counters: { reopens: 0, contacts: 2 } });
    expect(interaction.body).toBe('Received, thank you!');
    expect(s.events.names().slice(-4)).toEqual(['interaction.recorded', 'signal.detected', 'ticket.closed', 'ticket.status_changed']);
    expect((await s.desk.getAuditTrail(t.id)).slice(-2).map((e) => [e.action, e.actor])).toEqual([
      ['record_interaction', customer],
      ['confirm_resolution', customer],
    ]);
    expect(s.events.of('ticket.closed')).toHaveLength(1);
    expect(s.events.of('ticket.reopened')).toHaveLength(0);
    // A thank-you after closing is recorded on the closed ticket without reopening it.
    const late = await s.desk.recordInteraction(t.id, { channel: 'email', author: customer, body: 'Thanks again', confirmsResolution: true });
    expect(late.ticket).toMatchObject({ id: t.id, status: 'closed' });
    // Only a resolved ticket can be confirmed, and only by the customer.
    const open = await ticketIn(s, 'open');
    await expect(s.desk.recordInteraction(open.id, { channel: 'email', author: customer, body: 'ok', confirmsResolution: true })).rejects.toThrow(/only a resolved ticket can be confirmed/);
    await expect(s.desk.recordInteraction(open.id, { channel: 'email', author: { kind: 'agent' }, body: 'ok', confirmsResolution: true })).rejects.toThrow(/only the customer confirms/);
    expect((await s.desk.getTicket(open.id)).status).toBe('open');
  });

  it('reopen is refused from active statuses', async () => {
    for (const from of ['new', 'open', 'pending_customer', 'on_hold'] as const) {
      const s = await setup();
      const t = await ticketIn(s, from);
      await expect(s.desk.reopen(t.id, { reason: 'x' })).rejects.toThrow(/only resolved or closed tickets can be reopened/);
    }
  });

  it('commands that change a ticket in place are refused on closed tickets', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'closed');
    const refused: Array<() => Promise<unknown>> = [
      () => s.desk.assign(t.id, { agentId: s.supervisor.id }),
      () => s.desk.setPriority(t.id, 'high'),
      () => s.desk.transfer(t.id, { to: { teamId: s.legal.id }, consent: { granted: true }, reason: 'x' }),
      () => s.desk.hold(t.id, { reason: 'x', consent: { granted: true } }),
      () => s.desk.resume(t.id),
      () => s.desk.resolve(t.id, { summary: 'x' }),
      () => s.desk.setStatus(t.id, 'open'),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toMatchObject({ code: expect.stringMatching(/INVALID_TRANSITION|VALIDATION_FAILED/) });
    expect((await s.desk.getTicket(t.id)).version).toBe(t.version);
  });

  it('setStatus points to the right command for held, resolved and closed tickets', async () => {
    const s = await setup();
    const held = await ticketIn(s, 'on_hold');
    await expect(s.desk.setStatus(held.id, 'open')).rejects.toThrow(/use resume\(\)/);
    const resolved = await ticketIn(s, 'resolved');
    await expect(s.desk.setStatus(resolved.id, 'open')).rejects.toThrow(/use reopen\(\)/);
  });

  it('records the four complaint steps, and can enforce the first two before resolving', async () => {
    const s = await setup({ lifecycle: { enforceComplaintSteps: true } });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Rude delivery driver', type: 'complaint', channel: 'phone', description: 'The driver shouted at me' });
    await expect(s.desk.resolve(ticket.id, { summary: 'Apologised' })).rejects.toThrow(/understand and repeat_back/);
    const by = { kind: 'agent' as const, id: s.agent.id };
    await s.desk.recordInteraction(ticket.id, { channel: 'phone', author: by, summary: 'Listened to the whole story', complaintStep: 'understand' });
    await s.desk.recordInteraction(ticket.id, { channel: 'phone', author: by, summary: 'So the driver raised his voice at your door on Monday?', complaintStep: 'repeat_back' });
    const resolved = await s.desk.resolve(ticket.id, { summary: 'Driver coached; voucher sent' }, { by });
    await s.desk.recordInteraction(ticket.id, { channel: 'phone', author: by, summary: 'Thanked the customer for telling us', complaintStep: 'thank' });
    const t = await s.desk.getTicket(ticket.id);
    expect(Object.keys(t.complaintSteps).sort()).toEqual(['repeat_back', 'resolve', 'thank', 'understand']);
    expect(resolved.complaintSteps.resolve).toBeInstanceOf(Date);
    expect(s.events.of('ticket.complaint_step_recorded').map((e) => e.step)).toEqual(['understand', 'repeat_back', 'resolve', 'thank']);
  });

  it('every status is reachable and every status change emits ticket.status_changed', async () => {
    const statuses: TicketStatus[] = ['new', 'open', 'pending_customer', 'on_hold', 'resolved', 'closed'];
    for (const status of statuses) {
      const s = await setup();
      const t = await ticketIn(s, status);
      expect(t.status).toBe(status);
      const changes = s.events.of('ticket.status_changed');
      for (const c of changes) expect(c.from).not.toBe(c.to);
      if (status !== 'new') expect(changes.at(-1)?.to).toBe(status);
    }
  });
});
