import { describe, expect, it } from 'vitest';
import { NotFoundError } from 'omotenashi';
import { setup, ticketIn } from '../helpers.js';

describe('desk: assignment, priority, tags and the audit trail', () => {
  it('assigns and unassigns, emitting from/to', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'new');
    const a = await s.desk.assign(t.id, { teamId: s.frontline.id });
    expect(a.status).toBe('new');
    const b = await s.desk.assign(t.id, { agentId: s.agent.id });
    expect(b).toMatchObject({ status: 'open', assigneeId: s.agent.id, teamId: s.frontline.id });
    const c = await s.desk.assign(t.id, { agentId: null });
    expect(c.assigneeId).toBeUndefined();
    expect(s.events.of('ticket.assigned').map((e) => [e.from.agentId, e.to.agentId])).toEqual([
      [undefined, undefined],
      [undefined, s.agent.id],
      [s.agent.id, undefined],
    ]);
  });

  it('refuses unknown or inactive agents, unknown teams, and agents outside the team', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'new');
    await expect(s.desk.assign(t.id, { agentId: 'agt_nobody' as never })).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.desk.assign(t.id, { teamId: 'team_nobody' as never })).rejects.toBeInstanceOf(NotFoundError);
    await s.desk.updateAgent(s.supervisor.id, { active: false });
    await expect(s.desk.assign(t.id, { agentId: s.supervisor.id })).rejects.toThrow(/inactive/);
    await expect(s.desk.assign(t.id, { agentId: s.agent.id, teamId: s.legal.id })).rejects.toThrow(/not a member of team/);
    expect((await s.desk.getTicket(t.id)).version).toBe(t.version);
  });

  it('changes priority and tags, emitting only real changes', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await s.desk.setPriority(t.id, 'urgent', { reason: 'VIP customer' });
    const same = await s.desk.setPriority(t.id, 'urgent');
    await s.desk.tag(t.id, ['router', 'wifi', 'router']);
    const tagged = await s.desk.tag(t.id, ['wifi', 'firmware']);
    expect(tagged.tags).toEqual(['router', 'wifi', 'firmware']);
    const untagged = await s.desk.untag(t.id, ['wifi', 'not-there']);
    expect(untagged.tags).toEqual(['router', 'firmware']);
    expect(s.events.of('ticket.priority_changed')).toHaveLength(1);
    expect(s.events.of('ticket.tagged').map((e) => e.tags)).toEqual([['router', 'wifi'], ['firmware']]);
    expect(s.events.of('ticket.untagged').map((e) => e.tags)).toEqual([['wifi']]);
    expect(same.version).toBe((await s.desk.getTicket(t.id)).version - 3);
    await expect(s.desk.setPriority(t.id, 'critical' as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('keeps an audit trail of who changed what, when and why', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'new');
    const by = { kind: 'agent' as const, id: s.agent.id, name: 'Aiko' };
    await s.clock.advance('PT5M');
    await s.desk.assign(t.id, { agentId: s.agent.id, teamId: s.frontline.id }, { by, reason: 'Router expert' });
    await s.desk.setPriority(t.id, 'high', { by, reason: 'Business customer' });
    const trail = await s.desk.getAuditTrail(t.id);
    expect(trail.map((e) => e.action)).toEqual(['open', 'assign', 'set_priority']);
    expect(trail[0]?.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', from: undefined, to: 'new' },
        { field: 'subject', from: undefined, to: 'Router drops Wi-Fi' },
      ]),
    );
    expect(trail[1]).toMatchObject({ actor: by, reason: 'Router expert', version: 2, at: new Date('2026-04-01T00:05:00Z') });
    expect(trail[1]?.changes).toEqual(
      expect.arrayContaining([
        { field: 'assigneeId', from: undefined, to: s.agent.id },
        { field: 'status', from: 'new', to: 'open' },
      ]),
    );
    expect(trail[2]?.changes).toEqual([{ field: 'priority', from: 'normal', to: 'high' }]);
  });

  it('records an interaction once per externalId (re-delivered messages)', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const msg = { channel: 'email' as const, author: { kind: 'customer' as const, id: s.external.id }, body: 'Any news?', externalId: '<reply-1@mail>' };
    const first = await s.desk.recordInteraction(t.id, msg);
    const again = await s.desk.recordInteraction(t.id, msg);
    expect(first.recorded).toBe(true);
    expect(again.recorded).toBe(false);
    expect(again.interaction.id).toBe(first.interaction.id);
    expect((await s.desk.getTicket(t.id)).counters.contacts).toBe(2);
  });

  it('validates interactions: a body or summary is needed, customers cannot write internal notes', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await expect(s.desk.recordInteraction(t.id, { channel: 'phone', author: { kind: 'agent' } })).rejects.toThrow(/needs a body, a summary or an attachment/);
    await expect(s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer' }, visibility: 'internal', body: 'x' })).rejects.toThrow(/cannot write an internal note/);
    await expect(s.desk.recordInteraction(t.id, { channel: 'pigeon' as never, author: { kind: 'agent' }, body: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer' }, body: 'x', setStatus: 'pending_customer' })).rejects.toThrow(/only an agent or bot reply/);
  });

  it('derives the interaction kind from the channel (omnichannel)', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const by = { kind: 'agent' as const, id: s.agent.id };
    const kinds = [];
    for (const channel of ['phone', 'in_person', 'postal', 'sms', 'social', 'web_form', 'chat'] as const) {
      kinds.push((await s.desk.recordInteraction(t.id, { channel, author: by, body: 'Hello' })).interaction.kind);
    }
    expect(kinds).toEqual(['call', 'meeting', 'letter', 'message', 'message', 'message', 'message']);
    expect((await s.desk.getTicket(t.id)).channels).toEqual(['phone', 'in_person', 'postal', 'sms', 'social', 'web_form', 'chat']);
  });

  it('shows the requester’s active flags with the ticket', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await s.desk.flagCustomer(s.external.id, { kind: 'vip', reason: 'Board member of our biggest client' }, { by: { kind: 'agent', id: s.supervisor.id } });
    await s.desk.flagCustomer(s.external.id, { kind: 'abusive', reason: 'Shouted at the agent', expiresAt: new Date('2026-04-02T00:00:00Z') });
    const details = await s.desk.getTicketDetails(t.id);
    expect(details.flags.map((f) => f.kind)).toEqual(['vip', 'abusive']);
    expect(details.flags[0]).toMatchObject({ reason: 'Board member of our biggest client', author: { kind: 'agent', id: s.supervisor.id } });
    await s.clock.advance('P2D');
    expect((await s.desk.getTicketDetails(t.id)).flags.map((f) => f.kind)).toEqual(['vip']);
    expect(details.interactions.length).toBeGreaterThan(0);
    expect(details.audit.length).toBeGreaterThan(0);
    expect(details.requester.id).toBe(s.external.id);
  });

  it('lists tickets with filters and cursor pagination, and rejects a bad query', async () => {
    const s = await setup();
    for (let i = 0; i < 7; i++) {
      await s.desk.openTicket({ requesterId: i % 2 ? s.internal.id : s.external.id, subject: `T${i}`, channel: 'email', priority: i < 3 ? 'high' : 'low' });
      await s.clock.advance('PT1M');
    }
    const high = await s.desk.listTickets({ priority: 'high', limit: 2 });
    expect(high.items.map((t) => t.subject)).toEqual(['T0', 'T1']);
    const rest = await s.desk.listTickets({ priority: 'high', limit: 2, cursor: high.nextCursor as string });
    expect(rest.items.map((t) => t.subject)).toEqual(['T2']);
    expect(rest.nextCursor).toBeNull();
    expect((await s.desk.listTickets({ requesterId: s.internal.id, order: 'desc' })).items.map((t) => t.subject)).toEqual(['T5', 'T3', 'T1']);
    await expect(s.desk.listTickets({ limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(s.desk.listTickets({ cursor: 'garbage' })).rejects.toThrow(/cursor/);
    await expect(s.desk.listTickets({ bogus: 1 } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
