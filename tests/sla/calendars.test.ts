import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineSlaConfig } from 'omotenashi';
import { CALENDAR_ORDER, accountCalendarOf, calendarFor, withAccountCalendar, withTeamCalendars } from '../../src/sla/calendars.js';

const week = { mon: [['09:00', '17:00']] as Array<[string, string]> };
const names = ['tokyo', 'manila', 'london', 'own'] as const;
const base = (calendarFrom: 'account' | 'team' | 'policy', own: boolean) =>
  defineSlaConfig({
    calendars: Object.fromEntries(names.map((n, i) => [n, { timeZone: ['Asia/Tokyo', 'Asia/Manila', 'Europe/London', 'UTC'][i] as string, weekly: week }])),
    policies: [{ id: 'p', name: 'P', metrics: { resolution: { targets: { normal: 'PT8H' }, calendarFrom, ...(own ? { calendar: 'own' } : {}) } } }],
  });

const maybe = fc.option(fc.constantFrom('tokyo', 'manila', 'london', 'unknown'), { nil: undefined });

describe('SLA calendar resolver', () => {
  it('picks the first calendar CALENDAR_ORDER names that the configuration has, by calendarFrom', () => {
    expect(CALENDAR_ORDER).toEqual(['customer', 'organization', 'team', 'policy']);
    fc.assert(
      fc.property(fc.constantFrom('account' as const, 'team' as const, 'policy' as const), fc.boolean(), maybe, maybe, maybe, (from, own, customer, organization, team) => {
        const config = base(from, own);
        const known = (id: string | undefined) => (id !== undefined && config.calendars.has(id) ? id : undefined);
        const account = accountCalendarOf(config, { calendar: customer }, { calendar: organization });
        expect(account).toBe(known(customer) ?? known(organization));
        const teams = new Map(known(team) === undefined ? [] : [['team_x', team as string]]);
        const resolved = withTeamCalendars(account === undefined ? config : withAccountCalendar(config, account), teams);
        const metric = resolved.policies[0]?.metrics.get('resolution');
        if (metric === undefined) throw new Error('no metric');
        const order = from === 'account' ? [known(customer), known(organization), known(team)] : from === 'team' ? [known(team)] : [];
        const expected = order.find((id) => id !== undefined) ?? (own ? 'own' : undefined);
        const chosen = calendarFor(metric, 'team_x');
        expect(chosen).toBe(expected === undefined ? metric.calendar : config.calendars.get(expected));
        if (expected === undefined) expect(metric.calendarId).toBe(own ? 'own' : undefined);
        // Another team, or none: never the team's calendar.
        const other = calendarFor(metric, 'team_y');
        const withoutTeam = [...order.slice(0, from === 'account' ? 2 : 0)].find((id) => id !== undefined) ?? (own ? 'own' : undefined);
        expect(other === calendarFor(metric, null)).toBe(true);
        if (withoutTeam !== undefined) expect(other).toBe(config.calendars.get(withoutTeam));
      }),
      { numRuns: 300 },
    );
  });

  it('memoises derived configurations, and names an unknown calendar', () => {
    const config = base('account', false);
    expect(withAccountCalendar(config, 'tokyo')).toBe(withAccountCalendar(config, 'tokyo'));
    expect(withTeamCalendars(config, new Map([['t', 'manila']]))).toBe(withTeamCalendars(config, new Map([['t', 'manila']])));
    expect(withTeamCalendars(config, new Map())).toBe(config);
    expect(() => withAccountCalendar(config, 'mars')).toThrow(/no calendar "mars" in sla.calendars/);
  });
});
