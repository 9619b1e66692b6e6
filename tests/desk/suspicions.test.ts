import { describe, expect, it } from 'vitest';
import { defineEscalationRules, createSignalDetector, InvalidTransitionError, NotFoundError, RECOMMENDED_ESCALATION_RULES, SIGNAL_CONFIDENCE_TO_ACT, ValidationError, createManualClock, createMemoryStorage, createServiceDesk, type OmotenashiEvents } from 'omotenashi';

async function setup() {
  const clock = createManualClock(0);
  const desk = createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), clock, escalation: defineEscalationRules(RECOMMENDED_ESCALATION_RULES) });
  await desk.registerTeam({ name: 'Legal', function: 'legal' });
  const security = await desk.registerTeam({ name: 'Security', function: 'security' });
  const agent = await desk.registerAgent({ name: 'Aiko' });
  const lead = await desk.registerAgent({ name: 'Kato', role: 'supervisor' });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Mori' });
  const seen: Array<[string, unknown]> = [];
  for (const name of ['signal.suspected', 'signal.confirmed', 'signal.dismissed', 'customer.flagged'] as const) desk.on(name, (p: OmotenashiEvents[typeof name]) => {
    seen.push([name, p]);
  });
  const open = async (text: string) => (await desk.openTicket({ requesterId: customer.id, subject: 'x', channel: 'chat', assigneeId: agent.id, description: text })).ticket;
  return { desk, clock, security, agent, lead, customer, seen, open };
}

describe('desk: consequences proportional to confidence', () => {
  it('an indirect threat, below the confidence to act, marks the ticket for an agent instead of flagging the customer', async () => {
    const s = await setup();
    const t = await s.open('I know where your office is.');
    const ticket = await s.desk.getTicket(t.id);
    expect(ticket.suspicions).toHaveLength(1);
    const [sus] = ticket.suspicions ?? [];
    expect(sus).toMatchObject({ id: 'sus_1', kind: 'physical_threat', flag: 'physical_threat', status: 'pending', ruleId: 'recommended.physical-threat-suspected', text: 'know where your office is' });
    expect(sus?.confidence).toBeLessThan(SIGNAL_CONFIDENCE_TO_ACT);
    expect(ticket.priority).toBe('high');
    expect(ticket.teamId).toBeUndefined();
    expect((await s.desk.getCustomer(s.customer.id)).flags).toEqual([]);
    expect(s.seen.map(([n]) => n)).toEqual(['signal.suspected']);
  });

  it('an explicit threat acts at once, as before', async () => {
    const s = await setup();
    const t = await s.open('I will hurt you.');
    expect(await s.desk.getTicket(t.id)).toMatchObject({ teamId: s.security.id, priority: 'urgent' });
    expect((await s.desk.getTicket(t.id)).suspicions).toBeUndefined();
    expect((await s.desk.getCustomer(s.customer.id)).flags.map((f) => f.kind)).toEqual(['physical_threat']);
  });

  it('an agent confirms: the flag is set in the same commit, credited to the agent, and the audit trail says so', async () => {
    const s = await setup();
    const t = await s.open('I know where your office is.');
    const by = { kind: 'agent' as const, id: s.lead.id };
    await s.clock.advance('PT5M');
    const { ticket, suspicion } = await s.desk.confirmSignal(t.id, 'sus_1', { by, note: 'listened to the recording' });
    expect(suspicion).toMatchObject({ status: 'confirmed', decision: { by, note: 'listened to the recording' } });
    expect(suspicion.decision?.at).toEqual(new Date(5 * 60_000));
    expect(ticket.suspicions?.[0]?.status).toBe('confirmed');
    const flags = (await s.desk.getCustomer(s.customer.id)).flags;
    expect(flags).toMatchObject([{ kind: 'physical_threat', reason: 'made a physical threat', author: by, ticketId: t.id }]);
    expect(s.seen.map(([n]) => n)).toEqual(['signal.suspected', 'signal.confirmed', 'customer.flagged']);
    const audit = await s.desk.getAuditTrail(t.id);
    expect(audit.map((a) => a.action)).toContain('confirm_signal');
    // Confirming again (a retried request) changes nothing, even after the flag was cleared.
    await s.desk.clearCustomerFlag(s.customer.id, 'physical_threat');
    const again = await s.desk.confirmSignal(t.id, 'sus_1', { by });
    expect(again.ticket.version).toBe(ticket.version);
    expect((await s.desk.getCustomer(s.customer.id)).flags.filter((f) => f.clearedAt === undefined)).toEqual([]);
  });

  it('an agent dismisses: recorded, no flag, and it cannot be confirmed afterwards', async () => {
    const s = await setup();
    const t = await s.open('覚悟しておけ。');
    const by = { kind: 'agent' as const, id: s.agent.id };
    const { suspicion } = await s.desk.dismissSignal(t.id, 'sus_1', { by, note: 'a quote from a film, the customer said so' });
    expect(suspicion.status).toBe('dismissed');
    expect((await s.desk.getCustomer(s.customer.id)).flags).toEqual([]);
    await expect(s.desk.confirmSignal(t.id, 'sus_1', { by })).rejects.toThrow(InvalidTransitionError);
    await expect(s.desk.dismissSignal(t.id, 'sus_1', { by })).resolves.toMatchObject({ suspicion: { status: 'dismissed' } });
  });

  it('refuses unknown suspicions, and verdicts from anyone but an agent, changing nothing', async () => {
    const s = await setup();
    const t = await s.open('I know where your office is.');
    const before = await s.desk.getTicket(t.id);
    await expect(s.desk.confirmSignal(t.id, 'sus_9', { by: { kind: 'agent', id: s.agent.id } })).rejects.toThrow(NotFoundError);
    await expect(s.desk.confirmSignal(t.id, 'sus_1', { by: { kind: 'customer', id: s.customer.id } })).rejects.toThrow(ValidationError);
    await expect(s.desk.confirmSignal(t.id, 'sus_1')).rejects.toThrow(/an agent decides/);
    await expect(s.desk.confirmSignal(t.id, 'sus_1', { by: { kind: 'agent', id: s.agent.id }, flag: 'x' } as never)).rejects.toThrow(ValidationError);
    expect(await s.desk.getTicket(t.id)).toEqual(before);
  });

  it('a message that raises the same suspicion twice is one suspicion per message', async () => {
    const s = await setup();
    const t = await s.open('I know where your office is. I know where you live.');
    expect((await s.desk.getTicket(t.id)).suspicions).toHaveLength(1);
    await s.desk.recordInteraction(t.id, { channel: 'chat', author: { kind: 'customer', id: s.customer.id }, body: 'Watch your back.' });
    expect((await s.desk.getTicket(t.id)).suspicions?.map((x) => x.id)).toEqual(['sus_1', 'sus_2']);
  });
});
