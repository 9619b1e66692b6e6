import { yearSegments } from './zone.js';

const DAY_MS = 86_400_000;

/** A local calendar date and time of day in some zone. */
export interface LocalDateTime {
  /** Full year, e.g. 2026. */
  readonly year: number;
  /** Month 1–12. */
  readonly month: number;
  /** Day of the month 1–31. */
  readonly day: number;
  /** Milliseconds since local midnight. */
  readonly timeOfDayMs: number;
}

/** The zone's UTC offset (ms) at instant `t`, from the cached yearly offset segments. */
export function zoneOffset(zone: string, t: number): number {
  const seg = yearSegments(zone, new Date(t).getUTCFullYear());
  const { starts, offsets } = seg;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return offsets[lo] as number;
}

/** The local date and time of day of instant `t` in `zone`. */
export function toLocal(zone: string, t: number): LocalDateTime {
  const wall = t + zoneOffset(zone, t);
  const d = new Date(wall);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), timeOfDayMs: wall - midnight };
}

/**
 * The instant at which the wall clock in `zone` shows the given local date and time. A local
 * time skipped by a DST change resolves to the same wall-clock distance after the change
 * (02:30 on a spring-forward night is 03:30); a repeated one resolves to its first occurrence.
 */
export function fromLocal(zone: string, year: number, month: number, day: number, timeOfDayMs: number): number {
  const wall = Date.UTC(year, month - 1, day) + timeOfDayMs;
  const before = zoneOffset(zone, wall - DAY_MS);
  const after = zoneOffset(zone, wall + DAY_MS);
  const a = wall - before;
  const b = wall - after;
  const aOk = zoneOffset(zone, a) === before;
  const bOk = zoneOffset(zone, b) === after;
  if (aOk && bOk) return Math.min(a, b);
  if (aOk) return a;
  if (bOk) return b;
  return a;
}

/** Days in a month of a year (February of leap years has 29). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Add whole months to a local date, clamping the day to the month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(year: number, month: number, day: number, months: number): { year: number; month: number; day: number } {
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return { year: y, month: m, day: Math.min(day, daysInMonth(y, m)) };
}
