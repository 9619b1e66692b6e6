import { describe, expect, it } from 'vitest';
import { defineSlaConfig, InvalidTransitionError, ValidationError } from 'omotenashi';
import { setup } from '../helpers.js';

const SLA = {
  policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' } }, resolution: { targets: { normal: 'P2D' } } } }],
};
const agentOf = (s: Awaited<ReturnType<typeof setup>>) => ({ by: { kind: 'agent' as const, id: s.agent.id } });

describe('desk: merging tickets', () => {
  it('closes the duplicate as merged, cancels its clocks, shows its interactions on the target, links both ways, and is idempotent', async () => {
    const s = await setup({ sla: defineSlaConfig(SLA) });
    const { ticket: target } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Parcel missing', channel: 'email', description: 'My parcel did not arrive.' });
    await s.clock.advance(60_000);
    const { ticket: dup } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Where is my parcel?', channel: 'chat', description: 'Still waiting for the parcel.' });
    s.events.clear();
    const r = await s.desk.mergeTickets(dup.id, target.id, { ...agentOf(s), reason: 'same parcel', tell: 'We continue on your first request.' });
    expect(r.merged).toBe(true);
    expect(r.source).toMatchObject({ status: 'closed', closure: { reason: 'merged' }, links: [{ type: 'merged_into', ticketId: target.id }] });
    expect(r.target.links).toEqual([expect.objectContaining({ type: 'merged_from', ticketId: dup.id })]);
    expect(r.source.sla?.clocks.map((c) => [c.metric, c.state])).toEqual([['first_response', 'cancelled'], ['resolution', 'cancelled']]);
    expect(s.events.names()).toContain('ticket.merged');
    const seen = await s.desk.listInteractions(target.id);
    expect(seen.map((i) => i.body ?? i.summary)).toEqual([
      'My parcel did not arrive.',
      'Still waiting for the parcel.',
      'We continue on your first request.',
      'Merged into ' + target.id + ': same parcel',
      `${dup.id} ("Where is my parcel?") was merged into this ticket: same parcel`,
    ]);
    expect((await s.desk.listInteractions(target.id, { merged: false })).map((i) => i.ticketId)).toEqual([target.id, target.id]);
    const details = await s.desk.getTicketDetails(target.id);
    expect(details.links.map((l) => [l.link.type, l.ticket.id])).toEqual([['merged_from', dup.id]]);
    const again = await s.desk.mergeTickets(dup.id, target.id);
    expect(again).toMatchObject({ merged: false, source: { version: r.source.version }, target: { version: r.target.version } });
  });

  it('refuses merging into itself, into a closed ticket, a closed ticket, or a ticket merged elsewhere, changing nothing', async () => {
    const s = await setup();
    const open = async (subject: string) => (await s.desk.openTicket({ requesterId: s.external.id, subject, channel: 'email' })).ticket;
    const [a, b, c] = [await open('a'), await open('b'), await open('c')];
    await expect(s.desk.mergeTickets(a.id, a.id)).rejects.toBeInstanceOf(ValidationError);
    await s.desk.close(c.id, { reason: 'spam' });
    await expect(s.desk.mergeTickets(a.id, c.id)).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(s.desk.mergeTickets(c.id, a.id)).rejects.toBeInstanceOf(InvalidTransitionError);
    await s.desk.mergeTickets(a.id, b.id);
    const { ticket: d } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'd', channel: 'email' });
    await expect(s.desk.mergeTickets(a.id, d.id)).rejects.toThrow(/already merged into/);
    await expect(s.desk.mergeTickets(d.id, a.id)).rejects.toThrow(/merge into that one/);
    expect((await s.desk.getTicket(d.id)).version).toBe(1);
  });
});

describe('desk: splitting a ticket', () => {
  it('copies the picked interactions into a new ticket linked back, and keeps the source history', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Order and invoice', channel: 'email', description: 'Order 1 is late.', sourceId: '<m1@example.jp>' });
    const second = await s.desk.recordInteraction(ticket.id, { author: { kind: 'customer', id: s.external.id }, channel: 'email', body: 'Also my invoice address is wrong.', externalId: '<m2@example.jp>' });
    const r = await s.desk.splitTicket(ticket.id, { interactionIds: [second.interaction.id], subject: 'Invoice address', reason: 'a second matter' }, agentOf(s));
    expect(r.ticket).toMatchObject({ subject: 'Invoice address', requesterId: s.external.id, links: [{ type: 'split_from', ticketId: ticket.id }], counters: { contacts: 1 } });
    expect(r.source.links).toEqual([expect.objectContaining({ type: 'split_into', ticketId: r.ticket.id })]);
    const copied = await s.desk.listInteractions(r.ticket.id);
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatchObject({ body: 'Also my invoice address is wrong.', metadata: { splitFrom: second.interaction.id, originalExternalId: '<m2@example.jp>' } });
    expect(copied[0]?.externalId).toBeUndefined();
    expect((await s.desk.listInteractions(ticket.id)).length).toBe(3);
    // The original message id still finds the original ticket.
    expect((await s.desk.findMessages(['<m2@example.jp>']))[0]).toMatchObject({ ticketId: ticket.id });
    await expect(s.desk.splitTicket(ticket.id, { interactionIds: ['int_nope' as never] })).rejects.toThrow(/interaction "int_nope" is not on ticket/);
  });
});

describe('desk: parent and child tickets', () => {
  it('opens a child for another team, holds the parent until every child is done, then resumes it', async () => {
    const s = await setup();
    const { ticket: parent } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Refund and apology', channel: 'phone', assigneeId: s.agent.id });
    const first = await s.desk.openChildTicket(parent.id, { subject: 'Legal check of the refund', teamId: s.legal.id, requesterId: s.internal.id, waitForChildren: true }, agentOf(s));
    expect(first.parent).toMatchObject({ status: 'on_hold', waitingOnChildren: true, hold: { reason: 'waiting on child tickets', waitingOn: first.child.id } });
    expect(first.child).toMatchObject({ teamId: s.legal.id, requesterId: s.internal.id, links: [{ type: 'parent', ticketId: parent.id }] });
    const second = await s.desk.openChildTicket(parent.id, { subject: 'Packaging review', waitForChildren: true });
    expect(second.parent.hold?.waitingOn).toBe(`${first.child.id}, ${second.child.id}`);
    await s.desk.assign(first.child.id, { agentId: s.lawyer.id });
    await s.desk.resolve(first.child.id, { summary: 'refund is fine' });
    expect((await s.desk.getTicket(parent.id)).status).toBe('on_hold');
    await s.desk.close(second.child.id, { reason: 'withdrawn' });
    const resumed = await s.desk.getTicket(parent.id);
    expect(resumed.status).toBe('open');
    expect(resumed.waitingOnChildren).toBeUndefined();
    expect((await s.desk.getAuditTrail(parent.id)).at(-1)?.action).toBe('resume_after_children');
    expect((await s.desk.listLinkedTickets(parent.id, { type: 'child' })).map((l) => l.ticket.id)).toEqual([first.child.id, second.child.id]);
  });

  it('refuses to resolve or close a parent with open children unless configured to cascade', async () => {
    const s = await setup();
    const { ticket: parent } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'p', channel: 'email', assigneeId: s.agent.id });
    const { child } = await s.desk.openChildTicket(parent.id, { subject: 'c' });
    await expect(s.desk.resolve(parent.id, { summary: 'done' })).rejects.toThrow(/child tickets .* are not done/);
    await expect(s.desk.close(parent.id, { reason: 'other' })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await s.desk.getTicket(parent.id)).status).toBe('open');

    const c = await setup({ links: { openChildren: 'cascade' } });
    const { ticket: p2 } = await c.desk.openTicket({ requesterId: c.external.id, subject: 'p', channel: 'email', assigneeId: c.agent.id });
    const { child: c2 } = await c.desk.openChildTicket(p2.id, { subject: 'c' });
    await c.desk.resolve(p2.id, { summary: 'done' });
    expect((await c.desk.getTicket(c2.id))).toMatchObject({ status: 'resolved', resolution: { summary: `resolved with its parent ${p2.id}: done` } });
    expect(child.status).toBe('new');
  });

  it('links related tickets and parents by hand, refusing loops and a second parent', async () => {
    const s = await setup();
    const open = async (subject: string) => (await s.desk.openTicket({ requesterId: s.external.id, subject, channel: 'email' })).ticket;
    const [a, b, c] = [await open('a'), await open('b'), await open('c')];
    const linked = await s.desk.linkTickets(a.id, b.id, 'related');
    expect(linked.links?.map((l) => [l.type, l.ticketId])).toEqual([['related', b.id]]);
    expect((await s.desk.getTicket(b.id)).links?.map((l) => [l.type, l.ticketId])).toEqual([['related', a.id]]);
    await s.desk.linkTickets(a.id, c.id, 'child');
    await expect(s.desk.linkTickets(c.id, a.id, 'child')).rejects.toThrow(/loop/);
    await expect(s.desk.linkTickets(b.id, c.id, 'child')).rejects.toThrow(/already has a parent/);
    await expect(s.desk.linkTickets(a.id, a.id, 'related')).rejects.toBeInstanceOf(ValidationError);
    await expect(s.desk.linkTickets(a.id, b.id, 'merged_into' as never)).rejects.toBeInstanceOf(ValidationError);
    const unlinked = await s.desk.unlinkTickets(a.id, b.id, 'related');
    expect(unlinked.links?.map((l) => l.type)).toEqual(['child']);
    expect((await s.desk.getTicket(b.id)).links).toBeUndefined();
  });
});
