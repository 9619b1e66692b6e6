import { ConfigError } from '../errors.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import { derivedConfig, type ResolvedMetric, type SlaConfig } from './policy.js';

/**
 * Where a clock's business calendar comes from, first match wins: the calendar of the ticket's
 * requester (`Customer.calendar`), of its organisation (`Organization.calendar`), of the team
 * that has the ticket in each stretch of its timeline (`Team.calendar`), then the calendar the
 * policy's metric names (24/7 when it names none). A metric with `calendarFrom: 'team'` takes
 * the team's, then its own; one with `calendarFrom: 'policy'` always counts on its own.
 *
 * The requester's and the organisation's calendar are read as they are now (a change recounts
 * the ticket's clocks on the new one); the team's follows the timeline, so a handover to a team
 * in another time zone counts the time before it on the first team's hours.
 */
export const CALENDAR_ORDER = ['customer', 'organization', 'team', 'policy'] as const;

const known = (config: SlaConfig, calendarId: string): BusinessCalendar => {
  const calendar = config.calendars.get(calendarId);
  if (calendar === undefined) throw new ConfigError('calendar', `no calendar "${calendarId}" in sla.calendars (known: ${[...config.calendars.keys()].join(', ') || 'none'})`);
  return calendar;
};

const mapMetrics = (config: SlaConfig, swap: (m: ResolvedMetric) => ResolvedMetric, tag: Record<string, unknown>): SlaConfig => ({
  ...config,
  policies: config.policies.map((p) => ({ ...p, metrics: new Map([...p.metrics].map(([k, m]) => [k, swap(m)])) })),
  source: { ...config.source, ...tag } as SlaConfig['source'],
});

/**
 * The configuration as it applies to a ticket whose requester or organisation counts on
 * `calendarId`: every metric that takes the account's calendar counts on that one. Memoised per
 * configuration and calendar; its `source` differs from the base one, so a ticket whose account
 * changes its calendar is replayed on the new one.
 * @throws ConfigError when the configuration has no such calendar.
 */
export function withAccountCalendar(config: SlaConfig, calendarId: string): SlaConfig {
  return derivedConfig(config, `account:${calendarId}`, () => {
    const calendar = known(config, calendarId);
    // The swapped metrics count on the account's calendar now, so the team level must not replace it: they become `policy`.
    return mapMetrics(config, (m) => (m.calendarFrom === 'account' ? { ...m, calendar, calendarId, calendarFrom: 'policy' } : m), { accountCalendar: calendarId });
  });
}

/**
 * The configuration with the teams' own calendars (`teams`: team id → calendar id): every metric
 * that takes the team's calendar counts, in a stretch when one of these teams had the ticket, on
 * that team's. Memoised per configuration and team calendars.
 * @throws ConfigError when the configuration has no such calendar.
 */
export function withTeamCalendars(config: SlaConfig, teams: ReadonlyMap<string, string>): SlaConfig {
  if (teams.size === 0) return config;
  const entries = [...teams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return derivedConfig(config, `teams:${JSON.stringify(entries)}`, () => {
    const byTeam = new Map(entries.map(([team, id]) => [team, known(config, id)]));
    return mapMetrics(config, (m) => (m.calendarFrom === 'account' || m.calendarFrom === 'team' ? { ...m, byTeam } : m), { teamCalendars: entries });
  });
}

/** The calendar a metric counts on while `teamId` has the ticket. */
export const calendarFor = (m: ResolvedMetric, teamId: string | null | undefined): BusinessCalendar => (teamId == null ? undefined : m.byTeam?.get(teamId)) ?? m.calendar;

/** The calendar id a ticket's clocks count on before the team's and the policies' own (see {@link CALENDAR_ORDER}), or undefined. */
export function accountCalendarOf(
  config: SlaConfig,
  customer: { readonly calendar?: string | undefined } | undefined,
  organization: { readonly calendar?: string | undefined } | undefined,
): string | undefined {
  for (const id of [customer?.calendar, organization?.calendar]) if (id !== undefined && config.calendars.has(id)) return id;
  return undefined;
}
