import { describe, expect, it } from 'vitest';
import { defineEscalationRules, defineSlaConfig, createSignalDetector, ConflictError, createManualClock, createMemoryStorage, createServiceDesk, type StoragePort } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';

/** A storage that counts every call the desk makes, and can be told to fail the next commit. */
function countingStorage() {
  const base = createMemoryStorage();
  const calls: string[] = [];
  const gets: string[] = [];
  let failNext = false;
  const storage = new Proxy(base, {
    get(target, prop: string) {
      const value = (target as unknown as Record<string, unknown>)[prop];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(prop);
        if (prop === 'get') gets.push(`${String(args[0])}:${String(args[1])}`);
        if (prop === 'commit' && failNext) {
          failNext = false;
          return Promise.reject(new ConflictError({ entity: 'ticket', id: 'x', kind: 'version', expectedVersion: 1, actualVersion: 2 }));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as StoragePort;
  return {
    storage,
    calls,
    gets,
    reset: () => {
      calls.length = 0;
      gets.length = 0;
    },
    failNextCommit: () => {
      failNext = true;
    },
  };
}

async function angryDesk(conflictRetries = 3) {
  const counted = countingStorage();
  const clock = createManualClock('2026-04-06T09:00:00Z');
  const desk = createServiceDesk({ signals: createSignalDetector(),
    storage: counted.storage,
    clock,
    conflictRetries,
    sla: defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' } }, next_response: { targets: { normal: 'PT8H' } }, resolution: { targets: { normal: 'P3D' } } } }] }),
    escalation: defineEscalationRules([
      {
        id: 'angry',
        name: 'Angry customers go to a supervisor',
        trigger: { on: 'signal.detected' },
        condition: { fact: 'signals.labels', op: 'contains', value: 'angry' },
        actions: [{ type: 'escalate', to: 'supervisor' }, { type: 'set_priority', priority: 'high' }, { type: 'flag_customer', kind: 'abusive', reason: 'angry customer' }],
      },
    ]),
  });
  const supervisor = await desk.registerAgent({ name: 'Kato', role: 'supervisor' });
  const agent = await desk.registerAgent({ name: 'Aiko', managerId: supervisor.id });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
  const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Broken', channel: 'email', assigneeId: agent.id });
  counted.reset();
  return { desk, clock, counted, supervisor, agent, customer, ticket };
}

describe('desk kernel: one unit of work per command', () => {
  it('an angry message with an SLA policy and an escalation rule: one commit, at most 8 storage calls, each record read once', async () => {
    const s = await angryDesk();
    const events = recordEvents(s.desk);
    await s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'customer', id: s.customer.id }, body: 'I am furious about this.' });
    expect(s.counted.calls.filter((c) => c === 'commit')).toHaveLength(1);
    expect(s.counted.calls.length).toBeLessThanOrEqual(8);
    expect(new Set(s.counted.gets).size).toBe(s.counted.gets.length);
    // Everything the rule decided is in that one commit.
    const ticket = await s.desk.getTicket(s.ticket.id);
    expect(ticket).toMatchObject({ assigneeId: s.supervisor.id, priority: 'high', version: s.ticket.version + 1 });
    expect((await s.desk.getCustomer(s.customer.id)).flags.map((f) => [f.kind, f.author.kind])).toEqual([['abusive', 'system']]);
    // One set of events, the escalation's among them, every ticket payload at the committed version.
    expect(events.names()).toEqual(expect.arrayContaining(['interaction.recorded', 'signal.detected', 'ticket.escalated', 'ticket.priority_changed', 'escalation.rule_fired', 'customer.flagged']));
    for (const e of events.events) {
      const t = (e.payload as { ticket?: { version: number } }).ticket;
      if (t !== undefined) expect(t.version).toBe(ticket.version);
    }
  });

  it('a failed commit leaves nothing half-applied: not the message, not the escalation, not the flag', async () => {
    const s = await angryDesk(0);
    s.counted.failNextCommit();
    await expect(s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'customer', id: s.customer.id }, body: 'I am furious about this.' })).rejects.toThrow(ConflictError);
    expect(await s.desk.getTicket(s.ticket.id)).toEqual(s.ticket);
    expect(await s.desk.listInteractions(s.ticket.id)).toHaveLength(0);
    expect((await s.desk.getCustomer(s.customer.id)).flags).toEqual([]);
  });

  it('a lost race is decided again on fresh reads, and still commits once', async () => {
    const s = await angryDesk();
    s.counted.failNextCommit();
    await s.desk.recordInteraction(s.ticket.id, { channel: 'email', author: { kind: 'customer', id: s.customer.id }, body: 'I am furious about this.' });
    expect(s.counted.calls.filter((c) => c === 'commit')).toHaveLength(2);
    expect((await s.desk.getTicket(s.ticket.id)).assigneeId).toBe(s.supervisor.id);
    expect(await s.desk.listInteractions(s.ticket.id)).toHaveLength(1);
  });
});
