import { ConfigError } from '../errors.js';
import type { ResolvedMetric, SlaConfig } from './policy.js';

/**
 * Where a clock's business calendar comes from, first match wins: the calendar of the ticket's
 * organisation (`Organization.calendar`), then the calendar the policy's metric names (24/7 when
 * it names none). A metric with `calendarFrom: 'policy'` always counts on its own.
 */
export const CALENDAR_ORDER = ['organization', 'policy'] as const;

const derived = new WeakMap<SlaConfig, Map<string, SlaConfig>>();

/**
 * The configuration as it applies to a ticket whose organisation counts on `calendarId`: every
 * metric that takes the account's calendar counts on that one. Memoised per configuration and
 * calendar; its `source` differs from the base one, so a ticket whose organisation changes its
 * calendar is replayed on the new one.
 * @throws ConfigError when the configuration has no such calendar.
 */
export function withAccountCalendar(config: SlaConfig, calendarId: string): SlaConfig {
  let byId = derived.get(config);
  if (byId === undefined) derived.set(config, (byId = new Map()));
  const hit = byId.get(calendarId);
  if (hit !== undefined) return hit;
  const calendar = config.calendars.get(calendarId);
  if (calendar === undefined) throw new ConfigError('calendar', `no calendar "${calendarId}" in sla.calendars (known: ${[...config.calendars.keys()].join(', ') || 'none'})`);
  const swap = (m: ResolvedMetric): ResolvedMetric => (m.calendarFrom === 'account' ? { ...m, calendar, calendarId } : m);
  const out: SlaConfig = {
    ...config,
    policies: config.policies.map((p) => ({ ...p, metrics: new Map([...p.metrics].map(([k, m]) => [k, swap(m)])) })),
    source: { ...config.source, accountCalendar: calendarId } as SlaConfig['source'],
  };
  byId.set(calendarId, out);
  return out;
}

/** The calendar id a ticket's clocks count on before the policies' own (see {@link CALENDAR_ORDER}), or undefined. */
export function accountCalendarOf(config: SlaConfig, organization: { readonly calendar?: string | undefined } | undefined): string | undefined {
  const id = organization?.calendar;
  return id !== undefined && config.calendars.has(id) ? id : undefined;
}
