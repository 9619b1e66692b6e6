import type { BusinessCalendarSpec, Weekday } from 'omotenashi';

const WD: Record<string, Weekday> = { Sun: 'sun', Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat' };

/**
 * A brute-force reading of the calendar rule, independent of the implementation: ask Intl for
 * the local date and time of an instant, then look the hours up in the spec.
 */
export function referenceIsOpen(spec: BusinessCalendarSpec): (t: number) => boolean {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: spec.timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const cache = new Map<number, boolean>();
  return (t) => {
    const hit = cache.get(t);
    if (hit !== undefined) return hit;
    const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
    const date = `${p['year']}-${p['month']}-${p['day']}`;
    const minute = Number(p['hour']) * 60 + Number(p['minute']) + Number(p['second']) / 60;
    const day = (spec.holidays ?? []).flatMap((h) => ('kind' in h ? h.holidays : [h])).find((h) => h.date === date || h.date === `--${date.slice(5)}`);
    const hours = day ? (day.hours ?? []) : (spec.weekly[WD[p['weekday'] as string] as Weekday] ?? []);
    const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
    const open = hours.some(([a, b]) => minute >= toMin(a) && minute < toMin(b));
    cache.set(t, open);
    return open;
  };
}

/** Open milliseconds in [a, b) by stepping minute by minute (a and b on whole minutes). */
export function referenceBetween(isOpen: (t: number) => boolean, a: number, b: number): number {
  let sum = 0;
  for (let t = a; t < b; t += 60_000) if (isOpen(t)) sum += 60_000;
  return sum;
}
