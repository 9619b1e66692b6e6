import { describe, expect, it } from 'vitest';
import { defineRouting, defineEscalationRules, defineSlaConfig, ConfigError, ValidationError, createManualClock, createMemoryStorage, createServiceDesk, createSignalDetector, defineFields, type RoutingConfigInput, type ServiceDesk } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';

const weekday: Array<[string, string]> = [['09:00', '17:00']];
const sla = { calendars: { tokyo: { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } }, london: { timeZone: 'Europe/London', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } }, policies: [] };

async function setup(routing: RoutingConfigInput = {}, start = Date.UTC(2026, 3, 1, 1)) {
  const clock = createManualClock(start); // Wednesday 10:00 in Tokyo, 02:00 in London
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock, sla: defineSlaConfig(sla), routing: defineRouting({ capacity: { total: 3, channels: { chat: 1 } }, ...routing }) });
  const events = recordEvents(desk);
  const team = await desk.registerTeam({ name: 'Front desk' });
  const aiko = await desk.registerAgent({ name: 'Aiko', teamIds: [team.id], languages: ['ja', 'en'], calendar: 'tokyo', skills: ['billing:3'] });
  const kato = await desk.registerAgent({ name: 'Kato', teamIds: [team.id], languages: ['ja'], calendar: 'tokyo' });
  const ben = await desk.registerAgent({ name: 'Ben', teamIds: [team.id], languages: ['en'], calendar: 'london' });
  const ja = await desk.registerCustomer({ kind: 'external', displayName: '田中', locale: 'ja-JP' });
  const en = await desk.registerCustomer({ kind: 'external', displayName: 'John', locale: 'en-GB' });
  const open = (customer: { id: string }, over: Record<string, unknown> = {}) => desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'email', teamId: team.id, ...over } as Parameters<ServiceDesk['openTicket']>[0]);
  return { desk, clock, events, team, aiko, kato, ben, ja, en, open };
}

describe('desk: routing', () => {
  it('routes a new ticket by itself, records the decision, and explains every candidate', async () => {
    const s = await setup();
    const { ticket } = await s.open(s.en);
    expect(ticket.assigneeId).toBe(s.aiko.id);
    const why = await s.desk.explainRouting(ticket.id);
    expect(why).toMatchObject({ outcome: 'assigned', agentId: s.aiko.id, cause: 'opened', strategy: 'least_loaded' });
    expect(Object.fromEntries((why?.candidates ?? []).map((c) => [c.agentId, c.reason]))).toEqual({ [s.aiko.id]: 'chosen', [s.kato.id]: 'language', [s.ben.id]: 'not_working' });
    expect(s.events.of('ticket.routed')).toHaveLength(1);
    const audit = await s.desk.getAuditTrail(ticket.id);
    expect(audit.at(-1)).toMatchObject({ action: 'assign', actor: { kind: 'system', id: 'routing' } });
    expect((await s.desk.getAgent(s.aiko.id)).routing?.received).toBe(1);
  });

  it('balances by load, and queues what nobody can take until capacity frees', async () => {
    const s = await setup();
    const a = await s.open(s.ja, { channel: 'chat' });
    const b = await s.open(s.ja, { channel: 'chat' });
    const c = await s.open(s.ja, { channel: 'chat' });
    expect([a.ticket.assigneeId, b.ticket.assigneeId].sort()).toEqual([s.aiko.id, s.kato.id].sort());
    expect(c.ticket.assigneeId).toBeUndefined();
    expect(await s.desk.explainRouting(c.ticket.id)).toMatchObject({ outcome: 'queued' });
    expect((await s.desk.explainRouting(c.ticket.id))?.candidates.map((x) => x.reason).sort()).toEqual(['capacity_channel', 'capacity_channel', 'not_working']);
    await s.desk.resolve(a.ticket.id, { summary: 'done' });
    await s.clock.advance('PT1S');
    expect((await s.desk.getTicket(c.ticket.id)).assigneeId).toBe(a.ticket.assigneeId);
    expect(await s.desk.explainRouting(c.ticket.id)).toMatchObject({ outcome: 'assigned', cause: 'drain' });
  });

  it('hands unstarted tickets back when an agent goes offline, and drains the queue when they come back', async () => {
    const s = await setup({ strategy: 'round_robin' });
    const one = await s.open(s.ja);
    const two = await s.open(s.ja);
    const holder = one.ticket.assigneeId as string;
    const other = holder === s.aiko.id ? s.kato.id : s.aiko.id;
    expect(two.ticket.assigneeId).toBe(other);
    await s.desk.setAgentStatus(holder as never, 'offline', { reason: 'shift ended' });
    expect((await s.desk.getTicket(one.ticket.id)).assigneeId).toBe(other);
    expect(s.events.of('agent.status_changed')[0]).toMatchObject({ from: 'online', to: 'offline', requeued: [one.ticket.id] });
    await s.desk.setAgentStatus(other as never, 'away');
    expect((await s.desk.getTicket(one.ticket.id)).assigneeId).toBeUndefined();
    expect((await s.desk.getTicket(two.ticket.id)).assigneeId).toBeUndefined();
    await s.desk.setAgentStatus(holder as never, 'online');
    await s.clock.advance('PT1S');
    expect((await s.desk.getTicket(one.ticket.id)).assigneeId).toBe(holder);
    expect((await s.desk.getTicket(two.ticket.id)).assigneeId).toBe(holder);
  });

  it('a reopened ticket never goes back to an agent who left: it is routed again', async () => {
    const s = await setup();
    const { ticket } = await s.open(s.ja);
    const holder = ticket.assigneeId as string;
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: holder }, body: '確認します。' });
    await s.desk.resolve(ticket.id, { summary: 'done' });
    await s.desk.setAgentStatus(holder as never, 'offline');
    const { ticket: again } = await s.desk.reopen(ticket.id, { reason: 'not fixed' });
    expect(again.assigneeId).toBeDefined();
    expect(again.assigneeId).not.toBe(holder);
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ cause: 'reopened', outcome: 'assigned' });
    // With nobody left, it waits in the queue instead of sitting with the absent agent.
    await s.desk.resolve(ticket.id, { summary: 'done again' });
    await s.desk.setAgentStatus(again.assigneeId as never, 'offline');
    const { ticket: third } = await s.desk.reopen(ticket.id, { reason: 'still not fixed' });
    expect(third.assigneeId).toBeUndefined();
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ cause: 'reopened', outcome: 'queued' });
  });

  it('a ticket queued for an optional skill is routed once the skill drops, without waiting for capacity', async () => {
    const s = await setup({ skills: [{ when: { fact: 'ticket.tags', op: 'contains', value: 'legal' }, skill: 'contracts', level: 2, optionalAfter: 'PT30M' }] });
    const { ticket } = await s.open(s.ja, { tags: ['legal'] });
    expect(ticket.assigneeId).toBeUndefined();
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ outcome: 'queued', skills: [{ skill: 'contracts', dropped: false }] });
    await s.clock.advance('PT29M');
    expect((await s.desk.getTicket(ticket.id)).assigneeId).toBeUndefined();
    await s.clock.advance('PT1M');
    expect((await s.desk.getTicket(ticket.id)).assigneeId).toBeDefined();
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ outcome: 'assigned', cause: 'drain', skills: [{ skill: 'contracts', dropped: true }] });
  });

  it('a manual assignment wins, and counts towards round robin shares', async () => {
    const s = await setup({ strategy: 'round_robin' });
    const t = await s.open(s.ja, { assigneeId: s.kato.id });
    expect(t.ticket.assigneeId).toBe(s.kato.id);
    expect((await s.desk.getAgent(s.kato.id)).routing?.received).toBe(1);
    const next = await s.open(s.ja);
    expect(next.ticket.assigneeId).toBe(s.aiko.id);
  });

  it('follows the sun: in London hours the London agent takes English tickets', async () => {
    const s = await setup({}, Date.UTC(2026, 3, 1, 10)); // 19:00 in Tokyo, 11:00 in London
    const { ticket } = await s.open(s.en);
    expect(ticket.assigneeId).toBe(s.ben.id);
    const ja = await s.open(s.ja);
    expect(ja.ticket.assigneeId).toBeUndefined();
  });

  it('working hours follow DST: the London agent works 09:00–17:00 local time on both sides of the change', async () => {
    // 27 March 2026 is GMT (09:00 = 09:00 UTC); 30 March is BST (09:00 = 08:00 UTC).
    const before = await setup({}, Date.UTC(2026, 2, 27, 8, 30));
    expect((await before.open(before.en)).ticket.assigneeId).toBeUndefined();
    const after = await setup({}, Date.UTC(2026, 2, 30, 8, 30));
    expect((await after.open(after.en)).ticket.assigneeId).toBe(after.ben.id);
  });

  it('a routing failure never costs the command: the ticket waits in its queue and the failure is reported', async () => {
    const clock = createManualClock(Date.UTC(2026, 3, 1, 1));
    const storage = createMemoryStorage();
    const errors: unknown[] = [];
    const desk = createServiceDesk({ storage, clock, routing: defineRouting({}), onError: (e) => errors.push(e) });
    const team = await desk.registerTeam({ name: 'T' });
    await desk.registerAgent({ name: 'A', teamIds: [team.id] });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'c' });
    const list = storage.list.bind(storage);
    (storage as { list: typeof storage.list }).list = (async (kind: string, query: unknown) => {
      if (kind === 'ticket' && (query as { assigneeId?: string }).assigneeId !== undefined) throw new Error('replica down');
      return list(kind as never, query as never);
    }) as typeof storage.list;
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email', teamId: team.id });
    expect(ticket.assigneeId).toBeUndefined();
    expect(errors.map((e) => (e as Error).message)).toEqual([expect.stringContaining('replica down')]);
    (storage as { list: typeof storage.list }).list = list;
    await desk.resolve((await desk.openTicket({ requesterId: c.id, subject: 'y', channel: 'email', teamId: team.id })).ticket.id, { summary: 'x' });
    await clock.advance('PT1S');
    expect((await desk.getTicket(ticket.id)).assigneeId).toBeDefined();
  });

  it('when a shift ends, the tickets an agent has not started go back to routing', async () => {
    const s = await setup(); // 10:00 in Tokyo
    const { ticket } = await s.open(s.en);
    expect(ticket.assigneeId).toBe(s.aiko.id);
    const { ticket: started } = await s.open(s.ja);
    await s.desk.recordInteraction(started.id, { channel: 'email', author: { kind: 'agent', id: started.assigneeId as string }, body: '確認します。' });
    await s.clock.set(new Date(Date.UTC(2026, 3, 1, 8))); // 17:00 in Tokyo, 09:00 in London
    expect((await s.desk.getTicket(ticket.id)).assigneeId).toBe(s.ben.id);
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ cause: 'requeued' });
    expect((await s.desk.getTicket(started.id)).assigneeId).toBe(started.assigneeId);
  });

  it('out-of-office periods keep an agent out of routing', async () => {
    const s = await setup();
    await s.desk.setAgentStatus(s.aiko.id, 'online', { outOfOffice: [{ from: new Date(Date.UTC(2026, 3, 1)), to: new Date(Date.UTC(2026, 3, 2)), reason: 'holiday' }] });
    const { ticket } = await s.open(s.ja);
    expect(ticket.assigneeId).toBe(s.kato.id);
  });

  it('refuses a bad status, and explains nothing without routing', async () => {
    const s = await setup();
    await expect(s.desk.setAgentStatus(s.aiko.id, 'busy' as never)).rejects.toThrow(ValidationError);
    const plain = createServiceDesk({ storage: createMemoryStorage() });
    await expect(plain.explainRouting('tkt_1' as never)).rejects.toThrow(/explainRouting needs routing/);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), routing: defineRouting({ capacity: { total: 0 } }) })).toThrow(/capacity/);
  });
});

describe('desk: functional escalation goes through routing', () => {
  it('a rule routing to a team puts the ticket in its queue, and routing picks the agent', async () => {
    const clock = createManualClock(Date.UTC(2026, 3, 1, 1));
    const desk = createServiceDesk({
      storage: createMemoryStorage(),
      clock,
      signals: createSignalDetector(),
      routing: defineRouting({}),
      escalation: defineEscalationRules([{ id: 'legal', name: 'Legal', trigger: { on: 'signal.detected' }, condition: { fact: 'signals.kinds', op: 'contains', value: 'legal_threat' }, actions: [{ type: 'route_to_team', function: 'legal' }] }]),
    });
    const front = await desk.registerTeam({ name: 'Front' });
    const legal = await desk.registerTeam({ name: 'Legal', function: 'legal' });
    const lead = await desk.registerAgent({ name: 'Lead', teamIds: [legal.id] });
    const busyLead = await desk.updateTeam(legal.id, { leadId: lead.id });
    expect(busyLead.leadId).toBe(lead.id);
    const counsel = await desk.registerAgent({ name: 'Counsel', teamIds: [legal.id] });
    await desk.registerAgent({ name: 'Front', teamIds: [front.id] });
    await desk.setAgentStatus(lead.id, 'away');
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'c' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email', teamId: front.id, description: 'I will sue you.' });
    expect(ticket).toMatchObject({ teamId: legal.id, assigneeId: counsel.id });
    expect(await desk.explainRouting(ticket.id)).toMatchObject({ cause: 'escalated', agentId: counsel.id });
  });
});

describe('desk: offers with a push timeout', () => {
  it('offers a ticket to the best agent, who accepts; a decline or the timeout moves it on', async () => {
    const s = await setup({ offerTimeout: 'PT2M' });
    const { ticket } = await s.open(s.ja);
    expect(ticket.assigneeId).toBeUndefined();
    const first = ticket.routing?.offer?.agentId as string;
    expect(first).toBeDefined();
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ outcome: 'offered', agentId: first });
    // The other Japanese speaker declines nothing: only the agent offered may answer.
    const other = first === s.aiko.id ? s.kato.id : s.aiko.id;
    await expect(s.desk.acceptOffer(ticket.id, { by: { kind: 'agent', id: other } })).rejects.toThrow(/not offered to/);
    // The first lets it time out: it goes to the other, who declines: nobody is left, it waits.
    await s.clock.advance('PT2M');
    const moved = await s.desk.getTicket(ticket.id);
    expect(moved.routing?.offer?.agentId).toBe(other);
    expect(moved.routing?.declinedBy).toEqual([first]);
    const waiting = await s.desk.declineOffer(ticket.id, { by: { kind: 'agent', id: other }, reason: 'on a call' });
    expect(waiting.routing?.offer).toBeUndefined();
    expect(await s.desk.explainRouting(ticket.id)).toMatchObject({ outcome: 'queued', cause: 'declined' });
    expect((await s.desk.explainRouting(ticket.id))?.candidates.filter((c) => c.reason === 'declined').map((c) => c.agentId).sort()).toEqual([first, other].sort());
  });

  it('an accepted offer assigns the ticket and cancels its timeout; an offer counts towards capacity', async () => {
    const s = await setup({ offerTimeout: 'PT2M', capacity: { total: 1 } });
    const a = await s.open(s.ja);
    const b = await s.open(s.ja);
    const offeredTo = [a.ticket.routing?.offer?.agentId, b.ticket.routing?.offer?.agentId];
    expect(new Set(offeredTo).size).toBe(2);
    const c = await s.open(s.ja);
    expect(c.ticket.routing?.offer).toBeUndefined();
    const accepted = await s.desk.acceptOffer(a.ticket.id, { by: { kind: 'agent', id: offeredTo[0] as string } });
    expect(accepted.assigneeId).toBe(offeredTo[0]);
    expect(accepted.routing?.offer).toBeUndefined();
    await s.clock.advance('PT5M');
    expect((await s.desk.getTicket(a.ticket.id)).assigneeId).toBe(offeredTo[0]);
    await expect(s.desk.acceptOffer(b.ticket.id, { by: { kind: 'agent', id: offeredTo[1] as string } })).rejects.toThrow(/not offered/);
  });

  it('lets skill conditions read custom fields, with their types', async () => {
    const fields = defineFields({ ticket: [{ key: 'product', type: 'enum', options: ['router', 'billing_portal'] }] });
    const clock = createManualClock(Date.UTC(2026, 3, 1, 1));
    const desk = createServiceDesk({
      storage: createMemoryStorage(),
      clock,
      sla: defineSlaConfig(sla),
      fields,
      routing: defineRouting({ skills: [{ when: { fact: 'ticket.customFields.product', op: 'eq', value: 'billing_portal' }, skill: 'billing', level: 2 }] }, { fields }),
    });
    const team = await desk.registerTeam({ name: 'Front desk' });
    const aiko = await desk.registerAgent({ name: 'Aiko', teamIds: [team.id], languages: ['en'], calendar: 'tokyo', skills: ['billing:3'] });
    await desk.registerAgent({ name: 'Kato', teamIds: [team.id], languages: ['en'], calendar: 'tokyo' });
    const customer = await desk.registerCustomer({ kind: 'external', displayName: 'John', locale: 'en-GB' });
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'email', teamId: team.id, customFields: { product: 'billing_portal' } });
    expect(ticket.assigneeId).toBe(aiko.id);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), fields, routing: defineRouting({ skills: [{ when: { fact: 'ticket.customFields.prodcut', op: 'eq', value: 'x' }, skill: 'billing' }] }, { fields }) })).toThrow(/unknown fact "ticket.customFields.prodcut"/);
  });
});
