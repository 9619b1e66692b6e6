import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError, type CustomerInput } from 'omotenashi';
import { setup } from '../helpers.js';

const base: CustomerInput = { kind: 'external', displayName: 'Suzuki Ichiro' };

async function issuesOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  }
  throw new Error('expected a ValidationError');
}

describe('desk: customers', () => {
  it('registers an external customer with defaults filled in', async () => {
    const s = await setup();
    const c = await s.desk.registerCustomer(base);
    expect(c).toMatchObject({
      kind: 'external',
      version: 1,
      locale: 'en',
      timeZone: 'UTC',
      addressing: { form: 'formal', firstNameUsePermitted: false },
      consent: { marketing: false, optedOutChannels: [] },
      flags: [],
    });
    expect(s.events.of('customer.registered')[0]?.customer.id).toBe(c.id);
  });

  it('rejects a bad e-mail address, naming the field', async () => {
    const s = await setup();
    const issues = await issuesOf(s.desk.registerCustomer({ ...base, contacts: [{ channel: 'email', address: 'tanaka@@example' }] }));
    expect(issues).toEqual([{ path: 'contacts.0.address', message: expect.stringMatching(/valid e-mail address/) }]);
  });

  it('rejects an unknown time zone, naming the field and the fix', async () => {
    const s = await setup();
    const issues = await issuesOf(s.desk.registerCustomer({ ...base, timeZone: 'Asia/Osaka' }));
    expect(issues).toEqual([{ path: 'timeZone', message: expect.stringMatching(/"Asia\/Osaka" is not an IANA time zone; use a name such as "Asia\/Tokyo"/) }]);
  });

  it('rejects phone numbers that are not E.164, bad locales and impossible dates', async () => {
    const s = await setup();
    const issues = await issuesOf(
      s.desk.registerCustomer({
        ...base,
        contacts: [{ channel: 'phone', number: '03-1234-5678' }],
        locale: 'not a locale!',
        birthday: '1990-02-30',
        customerSince: '2020-13-01',
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['birthday', 'contacts.0.number', 'customerSince', 'locale']);
    expect(issues.find((i) => i.path === 'contacts.0.number')?.message).toMatch(/E\.164/);
  });

  it('accepts 29 February as a birthday with or without a year, but not in a common year', async () => {
    const s = await setup();
    await expect(s.desk.registerCustomer({ ...base, birthday: '2000-02-29' })).resolves.toBeTruthy();
    await expect(s.desk.registerCustomer({ ...base, birthday: '--02-29' })).resolves.toBeTruthy();
    await expect(s.desk.registerCustomer({ ...base, birthday: '2001-02-29' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('needs a contact point on the preferred channel', async () => {
    const s = await setup();
    const issues = await issuesOf(s.desk.registerCustomer({ ...base, preferredChannel: 'sms' }));
    expect(issues[0]?.path).toBe('preferredChannel');
    await expect(s.desk.registerCustomer({ ...base, preferredChannel: 'in_person' })).resolves.toBeTruthy();
  });

  it('internal customers need a department; the message says what is missing', async () => {
    const s = await setup();
    const err = await s.desk.registerCustomer({ kind: 'internal', displayName: 'Docs team' } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(/department/);
  });

  it('refuses a second customer with the same id', async () => {
    const s = await setup();
    await s.desk.registerCustomer({ ...base, id: 'cus_fixed' as never });
    await expect(s.desk.registerCustomer({ ...base, id: 'cus_fixed' as never })).rejects.toBeInstanceOf(ConflictError);
  });

  it('updates a profile, clears fields with null, and emits the changes', async () => {
    const s = await setup();
    const updated = await s.desk.updateCustomer(s.external.id, {
      displayName: 'Tanaka Hanako (Osaka)',
      addressing: { form: 'informal', givenName: '花子', familyName: '田中', honorific: 'さん', firstNameUsePermitted: true },
      tier: null,
      consent: { marketing: true, optedOutChannels: ['sms'], quietHours: { start: '21:00', end: '09:00' } },
    });
    expect(updated).toMatchObject({ displayName: 'Tanaka Hanako (Osaka)', version: 2, consent: { marketing: true, optedOutChannels: ['sms'] } });
    expect('tier' in updated).toBe(false);
    const ev = s.events.of('customer.updated')[0];
    expect(ev?.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['displayName', 'tier', 'consent.marketing']));
    expect(ev?.previous.displayName).toBe('Tanaka Hanako');
  });

  it('refuses fields of the other kind, bad values and stale versions, changing nothing', async () => {
    const s = await setup();
    await expect(s.desk.updateCustomer(s.internal.id, { tier: 'gold' })).rejects.toThrow(/only external customers have "tier"/);
    await expect(s.desk.updateCustomer(s.external.id, { department: 'sales' })).rejects.toThrow(/only internal customers have "department"/);
    await expect(s.desk.updateCustomer(s.external.id, { timeZone: 'Mars/Olympus' })).rejects.toBeInstanceOf(ValidationError);
    await expect(s.desk.updateCustomer(s.external.id, { contacts: [] })).rejects.toThrow(/preferred channel "email" has no contact point/);
    await expect(s.desk.updateCustomer(s.external.id, { kind: 'internal' } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(s.desk.updateCustomer(s.external.id, { displayName: 'x' }, { expectedVersion: 7 })).rejects.toBeInstanceOf(ConflictError);
    expect((await s.desk.getCustomer(s.external.id)).version).toBe(1);
  });

  it('flags a customer so the next agent is prepared; clears flags and keeps them on record', async () => {
    const s = await setup();
    const by = { kind: 'agent' as const, id: s.agent.id };
    const flagged = await s.desk.flagCustomer(s.external.id, { kind: 'legal_threat', reason: 'Said she will call her lawyer' }, { by });
    expect(flagged.flags[0]).toMatchObject({ kind: 'legal_threat', reason: 'Said she will call her lawyer', author: by, at: new Date('2026-04-01T00:00:00Z') });
    const again = await s.desk.flagCustomer(s.external.id, { kind: 'legal_threat', reason: 'Said she will call her lawyer' }, { by });
    expect(again.flags).toHaveLength(1);
    await expect(s.desk.flagCustomer(s.external.id, { kind: 'Legal Threat', reason: 'x' })).rejects.toThrow(/snake_case/);
    await expect(s.desk.flagCustomer(s.external.id, { kind: 'vip', reason: '' })).rejects.toThrow(/say why/);
    const cleared = await s.desk.clearCustomerFlag(s.external.id, 'legal_threat', { by });
    expect(cleared.flags[0]?.clearedAt).toBeInstanceOf(Date);
    await expect(s.desk.clearCustomerFlag(s.external.id, 'legal_threat')).rejects.toThrow(/no active "legal_threat" flag/);
    expect(s.events.names().filter((n) => n.startsWith('customer.flag'))).toEqual(['customer.flagged', 'customer.flag_cleared']);
  });

  it('keeps notes every agent can see', async () => {
    const s = await setup();
    const c = await s.desk.addCustomerNote(s.external.id, 'Prefers calls after 18:00', { by: { kind: 'agent', id: s.agent.id } });
    expect(c.notes).toEqual([{ text: 'Prefers calls after 18:00', author: { kind: 'agent', id: s.agent.id }, at: new Date('2026-04-01T00:00:00Z') }]);
    await expect(s.desk.addCustomerNote(s.external.id, '   ')).rejects.toBeInstanceOf(ValidationError);
  });

  it('pages through customers by kind', async () => {
    const s = await setup();
    expect((await s.desk.listCustomers({ kind: 'internal' })).items.map((c) => c.id)).toEqual([s.internal.id]);
    const p1 = await s.desk.listCustomers({ limit: 1 });
    const p2 = await s.desk.listCustomers({ limit: 1, cursor: p1.nextCursor as string });
    expect([...p1.items, ...p2.items].map((c) => c.id)).toEqual([s.external.id, s.internal.id]);
  });
});

describe('desk: agents and teams', () => {
  it('keeps the escalation hierarchy and refuses reporting loops', async () => {
    const s = await setup();
    expect(s.agent.managerId).toBe(s.supervisor.id);
    expect(s.supervisor.managerId).toBe(s.manager.id);
    await expect(s.desk.updateAgent(s.manager.id, { managerId: s.agent.id })).rejects.toThrow(/reporting line loops back/);
    await expect(s.desk.updateAgent(s.agent.id, { managerId: s.agent.id })).rejects.toThrow(/loops back/);
    await expect(s.desk.registerAgent({ name: 'X', managerId: 'agt_ghost' as never })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.desk.registerAgent({ name: 'X', teamIds: ['team_ghost' as never] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const moved = await s.desk.updateAgent(s.lawyer.id, { managerId: s.manager.id, skills: ['contracts'] });
    expect(moved).toMatchObject({ managerId: s.manager.id, skills: ['contracts'], version: 2 });
    // A patch changes only what it names: role, teams and active flag stay as they were.
    expect(moved).toMatchObject({ role: 'senior', teamIds: [s.legal.id], active: true });
    expect((await s.desk.updateAgent(s.lawyer.id, { managerId: null })).managerId).toBeUndefined();
  });

  it('teams are in-house, third-party or independent; outside teams name their provider', async () => {
    const s = await setup();
    expect(s.outsourced).toMatchObject({ kind: 'third_party', provider: { name: 'CallCo' }, function: 'frontline' });
    await expect(s.desk.registerTeam({ name: 'Freelancers', kind: 'independent' })).rejects.toThrow(/need a provider/);
    await expect(s.desk.updateTeam(s.outsourced.id, { provider: null })).rejects.toThrow(/need a provider/);
    await expect(s.desk.registerTeam({ name: 'Billing', function: 'Billing Dept' })).rejects.toThrow(/snake_case/);
    const led = await s.desk.updateTeam(s.legal.id, { leadId: s.lawyer.id });
    expect(led).toMatchObject({ leadId: s.lawyer.id, function: 'legal', kind: 'in_house' });
    expect(await s.desk.updateTeam(s.outsourced.id, { name: 'Night shift' })).toMatchObject({ kind: 'third_party', provider: { name: 'CallCo' } });
    expect((await s.desk.listTeams()).map((t) => t.name).sort()).toEqual(['Front desk', 'Legal', 'Night shift']);
    expect(await s.desk.listAgents()).toHaveLength(4);
  });
});
