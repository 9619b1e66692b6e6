import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, chooseChannel, decideDue, defineFollowUps, dueAfter, fromLocal, nextDatedOccurrence, toLocal, type Customer, type FollowUpPlanInput, type ResolvedPlan } from 'omotenashi';
import { makeCustomer, makeFollowUp, makeTicket } from 'omotenashi/testing';

const plan = (p: Partial<FollowUpPlanInput> & Pick<FollowUpPlanInput, 'trigger'>, extra: Parameters<typeof defineFollowUps>[0] = {}): ResolvedPlan => {
  const config = defineFollowUps({ ...extra, plans: [{ id: 'p', name: 'plan', action: { type: 'message', template: 't' }, ...p }] });
  return config.plans.get('p') as ResolvedPlan;
};
const customer = (o: Partial<Customer> = {}): Customer => makeCustomer({ id: 'cus_1', ...(o as object) });
const iso = (t: number | null | undefined): string | undefined => (t === null || t === undefined ? undefined : new Date(t).toISOString());

describe('next occurrence of dated plans', () => {
  it('greets on the birthday at 09:00 in the customer\'s own zone', () => {
    const p = plan({ trigger: { on: 'birthday' } });
    const c = customer({ birthday: '1990-07-14', timeZone: 'Asia/Tokyo' });
    const occ = nextDatedOccurrence(p, c, Date.parse('2026-03-01T00:00:00Z'));
    expect(occ).toEqual({ occurrence: '2026-07-14', date: '2026-07-14', at: Date.parse('2026-07-14T00:00:00Z') });
    // The day itself has begun in Tokyo but 09:00 has passed: next year.
    expect(nextDatedOccurrence(p, c, Date.parse('2026-07-14T00:00:01Z'))?.occurrence).toBe('2027-07-14');
  });

  it('moves 29 February to 28 February, or to 1 March, in other years', () => {
    const c = customer({ birthday: '--02-29', timeZone: 'Europe/London' });
    const feb28 = plan({ trigger: { on: 'birthday' } });
    const mar1 = plan({ trigger: { on: 'birthday', feb29: 'mar1' } });
    expect(nextDatedOccurrence(feb28, c, Date.parse('2026-01-01T00:00:00Z'))?.date).toBe('2026-02-28');
    expect(nextDatedOccurrence(mar1, c, Date.parse('2026-01-01T00:00:00Z'))?.date).toBe('2026-03-01');
    expect(nextDatedOccurrence(feb28, c, Date.parse('2028-01-01T00:00:00Z'))?.date).toBe('2028-02-29');
    expect(nextDatedOccurrence(mar1, c, Date.parse('2028-01-01T00:00:00Z'))?.date).toBe('2028-02-29');
  });

  it('sends a card some days before, at the plan\'s local time, across a DST change', () => {
    const p = plan({ trigger: { on: 'birthday' }, timing: { daysBefore: 3, at: '10:30' } });
    const c = customer({ birthday: '1985-03-10', timeZone: 'America/New_York' });
    // 7 March 2027 is before New York's spring-forward (14 March 2027): EST.
    expect(iso(nextDatedOccurrence(p, c, Date.parse('2027-01-01T00:00:00Z'))?.at)).toBe('2027-03-07T15:30:00.000Z');
    // 7 March 2026 is the day before the change (8 March 2026): still EST.
    expect(iso(nextDatedOccurrence(p, c, Date.parse('2026-01-01T00:00:00Z'))?.at)).toBe('2026-03-07T15:30:00.000Z');
  });

  it('starts anniversaries the year after the date, and finds labelled ones', () => {
    const since = plan({ trigger: { on: 'anniversary' } });
    const wedding = plan({ trigger: { on: 'anniversary', of: 'wedding' } });
    const c = customer({ customerSince: '2026-05-01', anniversaries: [{ label: 'wedding', date: '2010-09-12' }] });
    expect(nextDatedOccurrence(since, c, Date.parse('2026-01-01T00:00:00Z'))?.date).toBe('2027-05-01');
    expect(nextDatedOccurrence(wedding, c, Date.parse('2026-01-01T00:00:00Z'))?.date).toBe('2026-09-12');
    expect(nextDatedOccurrence(plan({ trigger: { on: 'anniversary', of: 'graduation' } }), c, 0)).toBeNull();
    expect(nextDatedOccurrence(plan({ trigger: { on: 'birthday' } }), c, 0)).toBeNull();
  });

  it('repeats periodic plans every period from registration, clamping month ends', () => {
    const p = plan({ trigger: { on: 'periodic', every: 'P6M' } });
    const c = customer({ createdAt: new Date('2026-08-31T03:00:00Z'), timeZone: 'UTC' });
    expect(nextDatedOccurrence(p, c, Date.parse('2026-09-01T00:00:00Z'))).toMatchObject({ occurrence: 'n1', date: '2027-02-28' });
    expect(nextDatedOccurrence(p, c, Date.parse('2027-03-01T00:00:00Z'))).toMatchObject({ occurrence: 'n2', date: '2027-08-31' });
    expect(nextDatedOccurrence(p, c, Date.parse('2036-01-01T00:00:00Z'))).toMatchObject({ occurrence: 'n19', date: '2036-02-29' });
  });

  it('property: the occurrence is the first one at or after `from`, on the right local date and time', () => {
    const p = plan({ trigger: { on: 'birthday' }, timing: { at: '08:15' } });
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Tokyo'),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2034, 0, 1) }),
        (zone, month, rawDay, from) => {
          const day = Math.min(rawDay, new Date(Date.UTC(2000, month, 0)).getUTCDate());
          const c = customer({ birthday: `--${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, timeZone: zone });
          const occ = nextDatedOccurrence(p, c, from);
          if (occ === null) throw new Error('no occurrence');
          expect(occ.at).toBeGreaterThanOrEqual(from);
          const local = toLocal(zone, occ.at);
          expect(local.timeOfDayMs === 8.25 * 3_600_000 || local.timeOfDayMs > 8.25 * 3_600_000).toBe(true);
          expect(occ.date.endsWith(month === 2 && day === 29 && local.month === 2 && local.day === 28 ? '02-28' : `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`)).toBe(true);
          // The year before's occurrence (if any) was before `from`.
          const y = Number(occ.occurrence.slice(0, 4)) - 1;
          const prev = fromLocal(zone, y, month, Math.min(day, new Date(Date.UTC(y, month, 0)).getUTCDate()), 8.25 * 3_600_000);
          expect(prev).toBeLessThan(from);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('due time of one-off touches', () => {
  it('waits the delay, then the next local time of day, then the end of quiet hours', () => {
    const c = customer({ timeZone: 'Asia/Tokyo', consent: { marketing: false, followUps: true, optedOutChannels: [], quietHours: { start: '21:00', end: '09:00' } } });
    const base = Date.parse('2026-04-01T10:00:00Z'); // 19:00 in Tokyo
    expect(iso(dueAfter(plan({ trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' } }), c, base))).toBe('2026-04-01T11:00:00.000Z');
    // 23:00 Tokyo is quiet: wait for 09:00.
    expect(iso(dueAfter(plan({ trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT3H' } }), c, base))).toBe('2026-04-02T00:00:00.000Z');
    expect(iso(dueAfter(plan({ trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT3H', respectQuietHours: false } }), c, base))).toBe('2026-04-01T13:00:00.000Z');
    // At 10:00 local, the day after.
    expect(iso(dueAfter(plan({ trigger: { on: 'order_placed' }, timing: { delay: 'P1D', at: '10:00' } }), c, base))).toBe('2026-04-03T01:00:00.000Z');
  });

  it('counts the delay in business time on a calendar', () => {
    const p = plan(
      { trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT4H', calendar: 'office' } },
      { calendars: { office: { timeZone: 'Europe/London', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } } } },
    );
    // Friday 15:00 BST + 4 business hours = Monday 11:00 BST.
    expect(iso(dueAfter(p, customer(), Date.parse('2026-06-05T14:00:00Z')))).toBe('2026-06-08T10:00:00.000Z');
  });
});

describe('channel choice', () => {
  const contacts: Customer['contacts'] = [
    { channel: 'email', address: 'hanako@example.jp', verified: true },
    { channel: 'sms', number: '+819012345678', verified: false },
    { channel: 'postal', address: { lines: ['1-2-3 Chiyoda'], country: 'JP' }, verified: false },
  ];
  it('takes the preferred channel, skipping opted-out ones and channels nobody delivers', () => {
    expect(chooseChannel(customer({ contacts, preferredChannel: 'sms' }), ['preferred'])?.channel).toBe('sms');
    expect(chooseChannel(customer({ contacts }), ['preferred'])?.channel).toBe('email');
    const optedOut = customer({ contacts, preferredChannel: 'sms', consent: { marketing: false, followUps: true, optedOutChannels: ['sms'] } });
    expect(chooseChannel(optedOut, ['preferred', 'email'])?.channel).toBe('email');
    expect(chooseChannel(customer({ contacts }), ['email', 'sms'], (c) => c !== 'email')?.channel).toBe('sms');
    expect(chooseChannel(customer({ contacts }), ['phone'])).toBeNull();
  });
  it('uses postal mail only when the plan lists it', () => {
    const postalOnly = customer({ contacts: [contacts[2] as Customer['contacts'][number]] });
    expect(chooseChannel(postalOnly, ['preferred'])).toBeNull();
    expect(chooseChannel(postalOnly, ['preferred', 'postal'])?.channel).toBe('postal');
  });
});

describe('the decision at due time', () => {
  const config = defineFollowUps({
    fatigue: { max: 2, per: 'P30D' },
    plans: [
      { id: 'csat', name: 'CSAT', trigger: { on: 'ticket_resolved' }, action: { type: 'survey' }, when: { fact: 'customer.openComplaints', op: 'eq', value: 0 } },
      { id: 'offer', name: 'Offer', trigger: { on: 'order_placed' }, purpose: 'marketing', audience: 'external', action: { type: 'message', template: 'offer' } },
    ],
  });
  const now = Date.parse('2026-04-10T03:00:00Z');
  const ticket = makeTicket({ id: 'tkt_1', status: 'resolved' });
  const base = {
    followUp: makeFollowUp({ id: 'f', customerId: 'cus_1', planId: 'csat', ticketId: 'tkt_1' }),
    plan: config.plans.get('csat'),
    config,
    customer: customer(),
    ticket,
    recentTouches: [],
    facts: { customer: { openComplaints: 0 } },
    now,
  };
  it('sends when everything holds', () => {
    expect(decideDue(base)).toMatchObject({ type: 'send', channel: 'email' });
  });
  it('says why it does not', () => {
    expect(decideDue({ ...base, plan: undefined })).toMatchObject({ type: 'cancel', reason: 'plan_removed' });
    expect(decideDue({ ...base, ticket: { ...ticket, status: 'open' } })).toMatchObject({ type: 'cancel', reason: 'reopened' });
    expect(decideDue({ ...base, customer: customer({ consent: { marketing: false, followUps: false, optedOutChannels: [] } }) })).toMatchObject({ type: 'cancel', reason: 'opted_out' });
    expect(decideDue({ ...base, customer: customer({ contacts: [] }) })).toMatchObject({ type: 'skip', reason: 'no_channel' });
    expect(decideDue({ ...base, recentTouches: [now - 86_400_000, now - 2 * 86_400_000] })).toMatchObject({ type: 'skip', reason: 'fatigue' });
    expect(decideDue({ ...base, recentTouches: [now - 40 * 86_400_000, now - 2 * 86_400_000] })).toMatchObject({ type: 'send' });
    const cond = decideDue({ ...base, facts: { customer: { openComplaints: 1 } } });
    expect(cond).toMatchObject({ type: 'skip', reason: 'condition' });
    expect(cond.type === 'skip' && cond.detail).toContain('customer.openComplaints eq 0 (was 1)');
    const offer = { ...base, followUp: makeFollowUp({ id: 'g', customerId: 'cus_1', planId: 'offer', trigger: 'order_placed' }), plan: config.plans.get('offer'), ticket: undefined };
    expect(decideDue(offer)).toMatchObject({ type: 'cancel', reason: 'opted_out' });
    expect(decideDue({ ...offer, customer: customer({ kind: 'internal', department: 'packaging', consent: { marketing: true, followUps: true, optedOutChannels: [] } } as Partial<Customer>) })).toMatchObject({ type: 'skip', reason: 'audience' });
  });
  it('waits out quiet hours', () => {
    const quiet = customer({ timeZone: 'Asia/Tokyo', consent: { marketing: false, followUps: true, optedOutChannels: [], quietHours: { start: '21:00', end: '09:00' } } });
    expect(decideDue({ ...base, customer: quiet, now: Date.parse('2026-04-10T13:00:00Z') })).toEqual({ type: 'defer', at: Date.parse('2026-04-11T00:00:00Z'), detail: "within the customer's quiet hours" });
  });
});

describe('follow-up configuration', () => {
  const bad = (config: Parameters<typeof defineFollowUps>[0]): ConfigError => {
    try {
      defineFollowUps(config);
    } catch (e) {
      if (e instanceof ConfigError) return e;
    }
    throw new Error('expected a ConfigError');
  };
  it('names the field and the fix', () => {
    expect(bad({ plans: [{ id: 'a', name: 'A', trigger: { on: 'birthday' }, action: { type: 'survey' } }] }).path).toBe('followUps.plans[0].action');
    expect(bad({ plans: [{ id: 'a', name: 'A', trigger: { on: 'order_placed' }, timing: { calendar: 'nope' }, action: { type: 'message', template: 't' } }] }).message).toContain('no calendar "nope"');
    expect(bad({ plans: [{ id: 'a', name: 'A', trigger: { on: 'periodic', every: 'P0M' }, action: { type: 'message', template: 't' } }] }).message).toContain('longer than zero');
    expect(bad({ plans: [{ id: 'a', name: 'A', trigger: { on: 'periodic', every: '6 months' }, action: { type: 'message', template: 't' } }] }).path).toBe('followUps.plans[0].trigger.every');
    expect(bad({ plans: [{ id: 'a', name: 'A', trigger: { on: 'order_placed' }, when: { fact: 'customer.openComplaint', op: 'eq', value: 0 }, action: { type: 'message', template: 't' } }] }).message).toContain('did you mean "customer.openComplaints"');
    expect(bad({ plans: [{ id: 'a', name: 'A', trigger: { on: 'order_placed' }, channels: ['in_person'], action: { type: 'message', template: 't' } }] }).message).toContain('cannot be sent in person');
    const twice = { id: 'a', name: 'A', trigger: { on: 'order_placed' as const }, action: { type: 'message' as const, template: 't' } };
    expect(bad({ plans: [twice, twice] }).message).toContain('used twice');
    expect(bad({ plans: [{ ...twice, timing: { daysBefore: 2 } }] }).path).toBe('followUps.plans[0].timing.daysBefore');
  });
});
