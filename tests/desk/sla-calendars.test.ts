import { describe, expect, it } from 'vitest';
import { defineSlaConfig, ValidationError, createInProcessScheduler, createManualClock, createMemoryStorage, createServiceDesk, type SlaConfigInput, type Ticket } from 'omotenashi';

const weekdays = (hours: Array<[string, string]>) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours });
const calendars = {
  tokyo: { timeZone: 'Asia/Tokyo', weekly: weekdays([['09:00', '17:00']]) },
  manila: { timeZone: 'Asia/Manila', weekly: weekdays([['09:00', '17:00']]) },
  london: { timeZone: 'Europe/London', weekly: weekdays([['09:00', '17:00']]) },
};
const sla = (calendarFrom: 'account' | 'team' | 'policy' = 'account'): SlaConfigInput => ({ calendars, policies: [{ id: 'std', name: 'Standard', metrics: { resolution: { targets: { normal: 'PT12H' }, calendarFrom } } }] });

async function deskWith(config: SlaConfigInput) {
  const clock = createManualClock('2026-04-01T00:00:00Z'); // a Wednesday
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock, scheduler: createInProcessScheduler({ clock }), sla: defineSlaConfig(config) });
  const manila = await desk.registerTeam({ name: 'Second line (Manila)', calendar: 'manila' });
  return { clock, desk, manila };
}
const due = (t: Ticket) => t.sla?.clocks[0]?.dueAt?.toISOString();

describe('desk: the calendar resolver (requester, organisation, team, policy)', () => {
  it('a team’s calendar counts while it has the ticket, and only then', async () => {
    const s = await deskWith(sla());
    const customer = await s.desk.registerCustomer({ kind: 'external', displayName: 'Ito' });
    const { ticket } = await s.desk.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email' });
    expect(due(ticket)).toBe('2026-04-01T12:00:00.000Z'); // no team yet: the policy's 24/7
    await s.clock.advance('PT10H');
    // Handed to Manila at 18:00 their time: 10 h counted; the 2 h left run from 09:00 Manila (01:00 UTC).
    const handed = await s.desk.assign(ticket.id, { teamId: s.manila.id });
    expect(due(handed)).toBe('2026-04-02T03:00:00.000Z');
    expect((await s.desk.explainSla(ticket.id)).metrics[0]?.dueAt?.toISOString()).toBe('2026-04-02T03:00:00.000Z');
    expect(handed.sla?.teams).toEqual({ [s.manila.id]: 'manila' });
    // 20:00 UTC, Manila has been closed since: handed on to a team without a calendar, the 2 h left run 24/7.
    await s.clock.advance('PT10H');
    const front = await s.desk.registerTeam({ name: 'Front desk' });
    const onward = await s.desk.assign(ticket.id, { teamId: front.id });
    expect(due(onward)).toBe('2026-04-01T22:00:00.000Z');
    // A replay of the whole history counts the Manila stretch on Manila's hours still.
    expect((await s.desk.explainSla(ticket.id)).metrics[0]?.dueAt?.toISOString()).toBe('2026-04-01T22:00:00.000Z');
  });

  it('the requester’s calendar comes before the organisation’s and the team’s', async () => {
    const s = await deskWith(sla());
    const org = await s.desk.registerOrganization({ kind: 'external', name: 'Smith & Daughters', domains: ['smith.example'], calendar: 'london' });
    const customer = await s.desk.registerCustomer({ kind: 'external', displayName: 'Ito', calendar: 'tokyo', contacts: [{ channel: 'email', address: 'ito@smith.example' }] });
    const { ticket } = await s.desk.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email', teamId: s.manila.id });
    expect(ticket.organizationId).toBe(org.id);
    // Tokyo hours, 09:00–17:00 JST = 00:00–08:00 UTC: 8 h on Wednesday, 4 h on Thursday.
    expect(due(ticket)).toBe('2026-04-02T04:00:00.000Z');
    const member = await s.desk.registerCustomer({ kind: 'external', displayName: 'Jones', contacts: [{ channel: 'email', address: 'jones@smith.example' }] });
    const { ticket: london } = await s.desk.openTicket({ requesterId: member.id, subject: 'Invoice wrong', channel: 'email', teamId: s.manila.id });
    // London hours (BST, 08:00–16:00 UTC): 8 h on Wednesday, 4 h on Thursday.
    expect(due(london)).toBe('2026-04-02T12:00:00.000Z');
    // What-if counts on the same calendars: at 13:00 UTC neither ticket is late (on 24/7 both would be).
    await s.clock.advance('PT13H');
    const report = await s.desk.whatIfSla(sla());
    expect(report).toMatchObject({ tickets: 2, breaches: { before: 0, after: 0 }, changes: [] });
    const stricter = await s.desk.whatIfSla({ calendars, policies: [{ id: 'std', name: 'Standard', metrics: { resolution: { targets: { normal: 'PT6H' } } } }] });
    // Six hours: Tokyo's ticket has had 8 business hours by then, London's 5.
    expect(stricter.breaches).toEqual({ before: 0, after: 1 });
  });

  it('calendarFrom "team" takes the team’s only, "policy" none', async () => {
    const team = await deskWith(sla('team'));
    const customer = await team.desk.registerCustomer({ kind: 'external', displayName: 'Ito', calendar: 'tokyo' });
    const { ticket } = await team.desk.openTicket({ requesterId: customer.id, subject: 'Invoice wrong', channel: 'email', teamId: team.manila.id });
    // Manila hours, 01:00–09:00 UTC: 8 h on Wednesday, 4 h on Thursday.
    expect(due(ticket)).toBe('2026-04-02T05:00:00.000Z');
    const policy = await deskWith(sla('policy'));
    const other = await policy.desk.registerCustomer({ kind: 'external', displayName: 'Ito', calendar: 'tokyo' });
    const { ticket: own } = await policy.desk.openTicket({ requesterId: other.id, subject: 'Invoice wrong', channel: 'email', teamId: policy.manila.id });
    expect(due(own)).toBe('2026-04-01T12:00:00.000Z');
  });

  it('refuses a calendar the SLA configuration does not have, naming the field', async () => {
    const s = await deskWith(sla());
    await expect(s.desk.registerTeam({ name: 'Night', calendar: 'nowhere' })).rejects.toThrow(ValidationError);
    await expect(s.desk.registerTeam({ name: 'Night', calendar: 'nowhere' })).rejects.toThrow(/calendar.*no calendar "nowhere".*known: tokyo, manila, london/);
    await expect(s.desk.registerCustomer({ kind: 'external', displayName: 'Ito', calendar: 'nowhere' })).rejects.toThrow(/no calendar "nowhere"/);
    const customer = await s.desk.registerCustomer({ kind: 'external', displayName: 'Ito' });
    await expect(s.desk.updateCustomer(customer.id, { calendar: 'nowhere' })).rejects.toThrow(/no calendar "nowhere"/);
    await expect(s.desk.updateTeam(s.manila.id, { calendar: 'nowhere' })).rejects.toThrow(/no calendar "nowhere"/);
    expect((await s.desk.updateTeam(s.manila.id, { calendar: null })).calendar).toBeUndefined();
  });
});
