import Holidays from 'date-holidays';
import { defineHolidaySet, type HolidaySet } from 'omotenashi';

/**
 * A holiday set from the date-holidays package: the public holidays of a country (or a region,
 * e.g. 'US-CA') for the years given, one entry per local date, named as the package names them.
 */
export function holidaysFrom(country: string, years: ReadonlyArray<number>, types: ReadonlyArray<string> = ['public']): HolidaySet {
  const source = new Holidays(country);
  const byDate = new Map<string, string>();
  for (const year of years) {
    for (const h of source.getHolidays(year)) {
      if (!types.includes(h.type)) continue;
      // `date` is local ("2026-05-06 00:00:00"); a holiday may last several days.
      const first = new Date(`${h.date.slice(0, 10)}T00:00:00Z`);
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
      for (let d = 0; d < days; d++) {
        const date = new Date(first.getTime() + d * 86_400_000).toISOString().slice(0, 10);
        if (!byDate.has(date)) byDate.set(date, h.name);
      }
    }
  }
  return defineHolidaySet({ name: `${country} public holidays ${years.join(', ')}`, holidays: [...byDate].map(([date, name]) => ({ date, name })) });
}
