import { describe, expect, it } from 'vitest';
import { setup } from '../helpers.js';
import { defineSlaConfig } from 'omotenashi';

const H = 3600_000;

describe('desk: OLAs start at the handover', () => {
  it("counts a team's OLA from when the team takes the ticket, not from its creation, and stops counting when the team hands it on", async () => {
    const s = await setup({
      sla: defineSlaConfig({
        policies: [
          { id: 'std', name: 'Standard', metrics: { resolution: { targets: { normal: 'P1D' } } } },
          { id: 'legal-ola', name: 'Legal answers within 2 hours', concurrent: true, match: { fact: 'ticket.teamId', op: 'eq', value: 'team_legal' }, metrics: { resolution: { targets: { normal: 'PT2H' }, warnings: [{ percent: 50 }] } } },
        ],
      }),
    });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Contract question', channel: 'email', teamId: s.frontline.id });
    expect(ticket.sla?.clocks.map((c) => c.policyId)).toEqual(['std']);
    await s.clock.advance(3 * H);
    const handed = await s.desk.assign(ticket.id, { teamId: s.legal.id, agentId: null });
    const ola = (t: typeof handed) => t.sla?.clocks.find((c) => c.policyId === 'legal-ola');
    expect(ola(handed)).toMatchObject({ state: 'active', elapsedMs: 0, startedAt: new Date(handed.updatedAt), dueAt: new Date(handed.updatedAt.getTime() + 2 * H) });
    await s.clock.advance(1.5 * H);
    const warned = await s.desk.tag(ticket.id, ['checked']);
    expect(ola(warned)).toMatchObject({ state: 'warning' });
    const olaNow = async () => (await s.desk.explainSla(ticket.id)).metrics.find((m) => m.policyId === 'legal-ola');
    expect((await olaNow())?.elapsedMs).toBe(1.5 * H);
    // Back to the front desk: the OLA no longer applies, so it is not shown and stops counting.
    const back = await s.desk.assign(ticket.id, { teamId: s.frontline.id });
    expect(ola(back)).toBeUndefined();
    await s.clock.advance(5 * H);
    const again = await s.desk.assign(ticket.id, { teamId: s.legal.id });
    expect(ola(again)).toMatchObject({ state: 'warning', startedAt: new Date(handed.updatedAt) });
    const explained = await olaNow();
    expect(explained?.elapsedMs).toBe(1.5 * H);
    expect(explained?.ledger.some((l) => l.kind === 'paused' && l.reason === 'policy legal-ola does not apply')).toBe(true);
  });
});

describe('desk: policies chosen by a tag', () => {
  it('apply from when the tag was added, following onChange, instead of as if the tag had always been there', async () => {
    const s = await setup({
      sla: defineSlaConfig({
        policies: [
          { id: 'vip', name: 'VIP', match: { fact: 'ticket.tags', op: 'contains', value: 'vip' }, metrics: { first_response: { targets: { normal: 'PT1H' }, onChange: 'restart' } } },
          { id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' } } } },
        ],
      }),
    });
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'x', channel: 'email' });
    await s.clock.advance(2 * H);
    const tagged = await s.desk.tag(ticket.id, ['vip']);
    // Replayed as if always VIP, the clock would be breached (2 h of a 1 h target); it restarts at the tag instead.
    expect(tagged.sla?.clocks[0]).toMatchObject({ policyId: 'vip', state: 'active', dueAt: new Date(tagged.updatedAt.getTime() + H) });
    const explained = (await s.desk.explainSla(ticket.id)).metrics[0];
    expect(explained).toMatchObject({ policyId: 'vip', state: 'active', elapsedMs: 0 });
  });
});
