import { describe, expect, it } from 'vitest';
import { defineSlaConfig, createManualClock, createMemoryStorage, createServiceDesk, type SlaConfigInput, type StoragePort } from 'omotenashi';
import { overrideStorage } from 'omotenashi/testing';

const weekday: Array<[string, string]> = [['09:00', '18:00']];
const SLA: SlaConfigInput = {
  calendars: { office: { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } },
  policies: [
    {
      id: 'std',
      name: 'Standard',
      metrics: {
        first_response: { targets: { normal: 'PT4H', high: 'PT1H' }, calendar: 'office' },
        next_response: { targets: { normal: 'PT8H', high: 'PT2H' }, calendar: 'office' },
        resolution: { targets: { normal: 'P3D', high: 'P1D' }, calendar: 'office', pauseWhile: ['pending_customer'] },
      },
    },
  ],
};

function counting(base: StoragePort) {
  const reads = { history: 0 };
  const storage = overrideStorage(base, {
    history: (kind, ticketId, query) => {
      reads.history++;
      return base.history(kind, ticketId, query);
    },
  });
  return { storage, reads };
}

async function conversation(storage: StoragePort) {
  const clock = createManualClock('2026-04-06T01:00:00Z'); // Monday 10:00 in Tokyo
  const desk = createServiceDesk({ storage, clock, sla: defineSlaConfig(SLA) });
  const agent = await desk.registerAgent({ name: 'Aiko' });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato', timeZone: 'Asia/Tokyo' });
  const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Login fails', channel: 'email', assigneeId: agent.id });
  const agentSays = (body: string) => desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: agent.id }, body, setStatus: 'pending_customer' });
  const customerSays = (body: string) => desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: customer.id }, body });
  return { desk, clock, ticket, agentSays, customerSays };
}

describe('desk: SLA state folded forward', () => {
  it('the stored clocks equal a full replay after every command, and no command reads the history', async () => {
    const { storage, reads } = counting(createMemoryStorage());
    const s = await conversation(storage);
    const check = async () => {
      const stored = (await s.desk.getTicket(s.ticket.id)).sla;
      const replayed = await s.desk.explainSla(s.ticket.id);
      const strip = (c: { slot: string; metric: string; state: string; cycle: number; breaches: number; targetMs: number; dueAt?: Date | undefined; breachedAt?: Date | undefined }) => ({ slot: c.slot, metric: c.metric, state: c.state, cycle: c.cycle, breaches: c.breaches, targetMs: c.targetMs, dueAt: c.dueAt, breachedAt: c.breachedAt });
      expect(stored?.clocks.map(strip)).toEqual(replayed.metrics.map(strip));
    };
    for (let i = 0; i < 6; i++) {
      await s.clock.advance('PT3H');
      reads.history = 0;
      await s.agentSays(`Could you try step ${i}?`);
      expect(reads.history).toBe(0);
      await check();
      await s.clock.advance('PT20H');
      await s.customerSays(`Step ${i} did not help.`);
      await check();
      if (i === 3) {
        await s.desk.setPriority(s.ticket.id, 'high');
        await check();
      }
    }
    await s.desk.resolve(s.ticket.id, { summary: 'Password reset' });
    await check();
    await s.desk.reopen(s.ticket.id, { reason: 'It came back' });
    await check();
  });

  it('a ticket stored without a folded state (an older version) is replayed once, then folded', async () => {
    const base = createMemoryStorage();
    const s = await conversation(base);
    await s.agentSays('Hello');
    const stored = await base.get('ticket', s.ticket.id);
    const { fold: _dropped, ...sla } = stored?.sla ?? { evaluatedAt: new Date(), clocks: [] };
    await base.commit({ puts: [{ kind: 'ticket', record: { ...(stored as NonNullable<typeof stored>), sla, version: (stored?.version ?? 0) + 1 }, expectedVersion: stored?.version ?? null }], interactions: [], audit: [] });
    const { storage, reads } = counting(base);
    const desk = createServiceDesk({ storage, clock: s.clock, sla: defineSlaConfig(SLA) });
    await s.clock.advance('PT1H');
    await desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'customer', id: (await desk.getTicket(s.ticket.id)).requesterId }, body: 'Still broken' });
    expect(reads.history).toBe(2);
    expect((await desk.getTicket(s.ticket.id)).sla?.fold).toBeDefined();
    reads.history = 0;
    await s.clock.advance('PT1M');
    await desk.setPriority(s.ticket.id, 'high');
    expect(reads.history).toBe(0);
    // Another command in the same millisecond is decided by a replay, which sees the whole instant at once.
    await desk.tag(s.ticket.id, ['vip']);
    await desk.setPriority(s.ticket.id, 'urgent');
    expect(reads.history).toBe(2);
  });

  it('a damaged folded state costs a replay, never a failed command or an unreadable ticket', async () => {
    const base = createMemoryStorage();
    const s = await conversation(base);
    await s.agentSays('Hello');
    const stored = await base.get('ticket', s.ticket.id);
    const sla = { ...(stored?.sla as NonNullable<NonNullable<typeof stored>['sla']>), fold: { v: 1, sig: 'x', facts: 'y', asOf: 'not a time', clocks: 7 } };
    await base.commit({ puts: [{ kind: 'ticket', record: { ...(stored as NonNullable<typeof stored>), sla, version: (stored?.version ?? 0) + 1 }, expectedVersion: stored?.version ?? null }], interactions: [], audit: [] });
    expect((await s.desk.listTickets()).items).toHaveLength(1);
    await s.clock.advance('PT1H');
    await s.customerSays('Still broken');
    const after = await s.desk.getTicket(s.ticket.id);
    expect((after.sla?.fold as { asOf: unknown }).asOf).toBe(s.clock.now());
    expect(after.sla?.clocks.map((c) => [c.metric, c.state])).toEqual((await s.desk.explainSla(s.ticket.id)).metrics.map((m) => [m.metric, m.state]));
  });
});
