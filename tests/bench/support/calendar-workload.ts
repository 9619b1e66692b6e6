import moment from 'moment';
import 'moment-business-time';
import { createBusinessCalendar, type BusinessCalendar } from 'omotenashi';
import { lcg } from './rules-workload.js';

export const HOLIDAYS = ['2026-01-01', '2026-05-01', '2026-12-25', '2027-01-01', '2027-05-03', '2027-12-24'];

/** The same desk in both libraries: Mon–Fri 09:00–12:00 and 13:00–17:00 UTC, six holidays. */
export function makeCalendars(): { ours: BusinessCalendar; theirs: typeof moment } {
  const day: Array<[string, string]> = [['09:00', '12:00'], ['13:00', '17:00']];
  const ours = createBusinessCalendar({
    timeZone: 'UTC',
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: HOLIDAYS.map((date) => ({ date })),
  });
  const hours = ['09:00:00', '12:00:00', '13:00:00', '17:00:00'];
  moment.updateLocale('en', { workinghours: { 0: null, 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: null }, holidays: HOLIDAYS } as never);
  return { ours, theirs: moment };
}

export interface CalendarCase {
  readonly start: number;
  readonly minutes: number;
  readonly end: number;
}

/** Random cases on whole minutes across two years: a start, an amount, and an end for diffs. */
export function makeCases(n: number, seed = 3): CalendarCase[] {
  const r = lcg(seed);
  const base = Date.UTC(2026, 0, 1);
  const span = 2 * 365 * 1440;
  return Array.from({ length: n }, () => {
    const start = base + Math.floor(r() * span) * 60_000;
    return { start, minutes: 1 + Math.floor(r() * 60 * 24 * 3), end: start + Math.floor(r() * 30 * 1440) * 60_000 };
  });
}
