import { describe, expect, it } from 'vitest';
import { attachMetrics, createMetrics, recomputeMetrics } from 'omotenashi';
import { setup } from '../helpers.js';

const MIN = 60_000;

describe('metrics: handle time', () => {
  it('measures handle time per interaction and per resolved ticket, the same incrementally and recomputed from storage', async () => {
    const s = await setup();
    const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
    attachMetrics(s.desk, metrics);
    const agent = { kind: 'agent' as const, id: s.agent.id };
    const { ticket: a } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Call', channel: 'phone', assigneeId: s.agent.id });
    await s.desk.recordInteraction(a.id, { channel: 'phone', author: agent, summary: 'Walked through the reset', durationMs: 12 * MIN });
    await s.desk.recordInteraction(a.id, { channel: 'phone', author: agent, summary: 'Called back to confirm', durationMs: 3 * MIN });
    await s.desk.recordInteraction(a.id, { channel: 'email', author: agent, body: 'Summary of our calls' });
    await s.desk.resolve(a.id, { summary: 'Reset done' });
    const { ticket: b } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Visit', channel: 'in_person', assigneeId: s.agent.id });
    await s.desk.recordInteraction(b.id, { channel: 'in_person', author: agent, summary: 'Replaced the unit at the counter', durationMs: 30 * MIN });
    expect((await s.desk.getTicket(a.id)).counters.handleMs).toBe(15 * MIN);
    const row = metrics.report()[0];
    expect(row?.handleTime).toMatchObject({ count: 3, mean: 15 * MIN });
    expect(row?.handleTimePerTicket).toMatchObject({ count: 1, mean: 15 * MIN });
    const again = (await recomputeMetrics(s.storage, { timeZone: 'Asia/Tokyo' })).report()[0];
    expect(again?.handleTime).toEqual(row?.handleTime);
    expect(again?.handleTimePerTicket).toEqual(row?.handleTimePerTicket);
  });
});

describe('metrics: group ownership time', () => {
  it('credits each stint with a team to that team, to the handover or the resolution, the same recomputed', async () => {
    const s = await setup();
    const metrics = createMetrics({ timeZone: 'Asia/Tokyo' });
    attachMetrics(s.desk, metrics);
    const H = 3_600_000;
    const { ticket } = await s.desk.openTicket({ requesterId: s.external.id, subject: 'Contract', channel: 'email', teamId: s.frontline.id });
    await s.clock.advance(2 * H);
    await s.desk.assign(ticket.id, { teamId: s.legal.id });
    await s.clock.advance(3 * H);
    await s.desk.assign(ticket.id, { agentId: s.lawyer.id });
    await s.desk.resolve(ticket.id, { summary: 'Answered' });
    await s.clock.advance(H);
    await s.desk.reopen(ticket.id, { reason: 'One more question' });
    await s.clock.advance(H);
    await s.desk.resolve(ticket.id, { summary: 'Answered again' });
    const byTeam = (m: typeof metrics) => Object.fromEntries(m.report({ groupBy: ['team'] }).filter((r) => r.teamTime.count > 0).map((r) => [r.key.team, [r.teamTime.count, r.teamTime.mean]]));
    expect(byTeam(metrics)).toEqual({ [s.frontline.id]: [1, 2 * H], [s.legal.id]: [2, 2 * H] });
    expect(byTeam(await recomputeMetrics(s.storage, { timeZone: 'Asia/Tokyo' }))).toEqual(byTeam(metrics));
  });
});
