import { describe, expect, it, vi } from 'vitest';
import { createManualClock, createMemoryStorage, createServiceDesk, type SignalDetectorPort } from 'omotenashi';
import { recordEvents } from 'omotenashi/testing';
import { setup, ticketIn } from '../helpers.js';

describe('desk: signals in customers’ words', () => {
  it('records signals on the interaction and announces them after the commit', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    const { interaction } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'I am furious. Let me speak to your manager.' });
    expect(interaction.signals.map((x) => [x.kind, x.text])).toEqual([
      ['emotion', 'furious'],
      ['supervisor_request', 'speak to your manager'],
    ]);
    expect((await s.desk.listInteractions(t.id)).at(-1)?.signals).toHaveLength(2);
    const [ev] = s.events.of('signal.detected');
    expect(ev?.interaction.id).toBe(interaction.id);
    expect(ev?.signals.map((x) => x.kind)).toEqual(['emotion', 'supervisor_request']);
  });

  it('reads the description of a new ticket, in Japanese too', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: '請求', channel: 'email', description: '責任者を出してください。弁護士に相談します。' });
    const [first] = await s.desk.listInteractions(ticket.id);
    expect(first?.signals.map((x) => x.kind)).toEqual(['supervisor_request', 'legal_threat']);
  });

  it('does not read agents’ messages or internal notes, and keeps negated signals without announcing them', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, body: 'I understand you are frustrated.' });
    await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'agent', id: s.agent.id }, kind: 'note', body: 'Customer mentioned a lawyer' });
    const { interaction } = await s.desk.recordInteraction(t.id, { channel: 'email', author: { kind: 'customer', id: s.external.id }, body: 'I am not angry, just confused' });
    expect(interaction.signals).toMatchObject([{ kind: 'emotion', negated: true }]);
    expect(s.events.of('signal.detected')).toEqual([]);
  });

  it('takes a detector of the user’s own; a failing one is reported and the message is still recorded', async () => {
    const onError = vi.fn();
    const failing: SignalDetectorPort = { name: 'my-classifier', detect: () => Promise.reject(new Error('model offline')) };
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock(0), signals: failing, onError });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'x' });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'x', channel: 'email', description: 'I will sue you' });
    expect((await desk.listInteractions(ticket.id))[0]?.signals).toEqual([]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'model offline' }), { source: 'signals', detector: 'my-classifier' });

    const classifier: SignalDetectorPort = { name: 'kw', detect: async (text) => (text.includes('refund') ? [{ kind: 'emotion', label: 'money', span: [0, 6], text: text.slice(0, 6), confidence: 0.6, language: 'en', negated: false }] : []) };
    const other = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock(0), signals: classifier });
    const events = recordEvents(other);
    const c2 = await other.registerCustomer({ kind: 'external', displayName: 'y' });
    await other.openTicket({ requesterId: c2.id, subject: 'x', channel: 'email', description: 'refund please' });
    expect(events.of('signal.detected')[0]?.signals[0]?.label).toBe('money');

    const none = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock(0), signals: false });
    const c3 = await none.registerCustomer({ kind: 'external', displayName: 'z' });
    const t3 = await none.openTicket({ requesterId: c3.id, subject: 'x', channel: 'email', description: 'I am furious' });
    expect((await none.listInteractions(t3.ticket.id))[0]?.signals).toEqual([]);
  });

  it('reads nothing unless the desk is given a detector', async () => {
    const plain = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock(0) });
    const c = await plain.registerCustomer({ kind: 'external', displayName: 'z' });
    const t = await plain.openTicket({ requesterId: c.id, subject: 'x', channel: 'email', description: 'I am furious. Let me speak to your manager.' });
    expect((await plain.listInteractions(t.ticket.id))[0]?.signals).toEqual([]);
  });
});
