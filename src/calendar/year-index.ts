import { ConfigError } from '../errors.js';
import { yearSegments } from './zone.js';
import type { CalendarSegment } from './calendar.js';

// ---------------------------------------------------------------------------------------------
// Open intervals per UTC year

const DAY_MS = 86_400_000;

/** The open intervals of one UTC year, with prefix sums, and its local midnights. */
export interface YearIndex {
  readonly year: number;
  readonly yStart: number;
  readonly yEnd: number;
  readonly starts: number[];
  readonly ends: number[];
  /** Open ms before interval i. */
  readonly cum: number[];
  readonly total: number;
  /** Local midnights falling in the year, and the holiday name of the date each one starts. */
  readonly dayStarts: number[];
  readonly dayHoliday: Array<string | undefined>;
}

/** The UTC calendar date and weekday of an instant (used for wall-clock dates shifted to UTC). */
export const civil = (ms: number): { y: number; m: number; d: number; wd: number } => {
  const dt = new Date(ms);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate(), wd: dt.getUTCDay() };
};
/** Two digits. */
export const pad = (n: number): string => String(n).padStart(2, '0');

/** The index of the last element at or before `t` in a sorted array, or -1. */
export function lastAtOrBefore(arr: ReadonlyArray<number>, t: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((arr[mid] as number) <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** The earliest year a calendar answers for. */
export const YEAR_MIN = 1000;
/** The latest year a calendar answers for. */
export const YEAR_MAX = 9000;
/** How many years `addBusinessTime` searches before it gives up with a ConfigError. */
export const HORIZON_YEARS = 100;


/** The hours of a local date: its rule's (a holiday or override) or its weekday's, and the holiday's name. */
export type DayHours = (y: number, m: number, d: number, wd: number) => { readonly hours: ReadonlyArray<readonly [number, number]>; readonly holiday: string | undefined };

/** Build the open intervals of one UTC year in a time zone. */
export function buildYear(timeZone: string, year: number, dayHours: DayHours): YearIndex {
  const yStart = Date.UTC(year, 0, 1);
  const yEnd = Date.UTC(year + 1, 0, 1);
  const seg = yearSegments(timeZone, year);
  const pieces: Array<[number, number]> = [];
  const dayStarts: number[] = [];
  const dayHoliday: Array<string | undefined> = [];
  // Local dates whose instants can fall in this UTC year (offsets are within ±1 day).
  for (let w0 = yStart - 2 * DAY_MS; w0 < yEnd + DAY_MS; w0 += DAY_MS) {
    const { y, m, d, wd } = civil(w0);
    const { hours, holiday: isHoliday } = dayHours(y, m, d, wd);
    // The instant the local date begins: the first instant whose wall time is at or after w0.
    let dayStart = Infinity;
    for (let i = 0; i < seg.starts.length; i++) {
      const segStart = seg.starts[i] as number;
      const segEnd = i + 1 < seg.starts.length ? (seg.starts[i + 1] as number) : Infinity;
      const o = seg.offsets[i] as number;
      dayStart = Math.min(dayStart, Math.max(w0 - o, segStart) < segEnd && w0 - o < segEnd ? Math.max(w0 - o, segStart) : Infinity);
      for (const [s, e] of hours) {
        const a = Math.max(w0 + s - o, segStart);
        const b = Math.min(w0 + e - o, segEnd);
        if (a < b) pieces.push([a, b]);
      }
    }
    if (dayStart >= yStart && dayStart < yEnd) {
      dayStarts.push(dayStart);
      dayHoliday.push(isHoliday);
    }
  }
  pieces.sort((p, q) => p[0] - q[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [a0, b0] of pieces) {
    const a = Math.max(a0, yStart);
    const b = Math.min(b0, yEnd);
    if (a >= b) continue;
    const last = ends.length - 1;
    if (last >= 0 && a <= (ends[last] as number)) ends[last] = Math.max(ends[last] as number, b);
    else {
      starts.push(a);
      ends.push(b);
    }
  }
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < starts.length; i++) {
    cum.push(total);
    total += (ends[i] as number) - (starts[i] as number);
  }
  return { year, yStart, yEnd, starts, ends, cum, total, dayStarts, dayHoliday };
}

/** The years of a calendar, built once each, the last two used at hand. */
export function createYears(build: (year: number) => YearIndex) {
  const years = new Map<number, YearIndex>();
  // The last two years used answer most lookups without building a Date (a and b of one query).
  let hot: YearIndex | undefined;
  let warm: YearIndex | undefined;
  const yearOf = (t: number): number => {
    if (hot !== undefined && t >= hot.yStart && t < hot.yEnd) return hot.year;
    if (warm !== undefined && t >= warm.yStart && t < warm.yEnd) return warm.year;
    return new Date(t).getUTCFullYear();
  };
  const index = (year: number): YearIndex => {
    if (hot !== undefined && hot.year === year) return hot;
    if (warm !== undefined && warm.year === year) {
      const w = warm;
      warm = hot;
      hot = w;
      return w;
    }
    const idx = lookup(year);
    warm = hot;
    hot = idx;
    return idx;
  };
  const lookup = (year: number): YearIndex => {
    if (year < YEAR_MIN || year > YEAR_MAX) throw new ConfigError('calendar', `year ${year} is outside the supported range ${YEAR_MIN}–${YEAR_MAX}`);
    let idx = years.get(year);
    if (idx === undefined) {
      idx = build(year);
      years.set(year, idx);
    }
    return idx;
  };
  return { yearOf, index };
}

/** See {@link createYears}. */
export type Years = ReturnType<typeof createYears>;

/** Open ms in [start of t's year, t), given the index of the last interval starting at or before t. */
export const openAt = (idx: YearIndex, t: number, i: number): number =>
  i < 0 ? 0 : (idx.cum[i] as number) + Math.min(t, idx.ends[i] as number) - (idx.starts[i] as number);

/** Open ms in [start of t's year, t). */
export const openBefore = (idx: YearIndex, t: number): number => openAt(idx, t, lastAtOrBefore(idx.starts, t));

/** Like lastAtOrBefore for t ≥ starts[from]: gallops forward from `from`, since both ends of a query are usually close. */
export const gallop = (starts: ReadonlyArray<number>, t: number, from: number): number => {
  let lo = Math.max(from, 0);
  let step = 1;
  let hi = lo + step;
  while (hi < starts.length && (starts[hi] as number) <= t) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  hi = Math.min(hi, starts.length) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return from < 0 && (starts[0] === undefined || (starts[0] as number) > t) ? -1 : lo;
};

/** Open ms between two instants (negative when `b` is before `a`). */
export const between = (c: Years, a: number, b: number): number => {
  if (b < a) {
    const r = between(c, b, a);
    return r === 0 ? 0 : -r;
  }
  const ya = c.yearOf(a);
  const yb = c.yearOf(b);
  if (ya === yb) {
    const idx = c.index(ya);
    const ia = lastAtOrBefore(idx.starts, a);
    return openAt(idx, b, gallop(idx.starts, b, ia)) - openAt(idx, a, ia);
  }
  const first = c.index(ya);
  let sum = first.total - openBefore(first, a);
  for (let y = ya + 1; y < yb; y++) sum += c.index(y).total;
  return sum + openBefore(c.index(yb), b);
};

const tooFar = (from: number, to: number): never => {
  throw new ConfigError('calendar', `the business time asked for ends more than ${HORIZON_YEARS} years from ${from} (searched to ${to}): the calendar is open too little for it`);
};
/** The instant `ms` of open time after `start`. */
export const forward = (c: Years, horizonMs: number, start: number, ms: number): number => {
  let year = c.yearOf(start);
  const from = year;
  if (ms > horizonMs) tooFar(from, from + HORIZON_YEARS);
  let idx = c.index(year);
  let target = openBefore(idx, start) + ms;
  for (;;) {
    if (target <= idx.total && idx.starts.length > 0) {
      // First interval whose cumulative end reaches the target.
      let lo = 0;
      let hi = idx.starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((idx.cum[mid] as number) + (idx.ends[mid] as number) - (idx.starts[mid] as number) >= target) hi = mid;
        else lo = mid + 1;
      }
      return Math.max(start, (idx.starts[lo] as number) + target - (idx.cum[lo] as number));
    }
    target -= idx.total;
    year++;
    if (year - from > HORIZON_YEARS) tooFar(from, year);
    idx = c.index(year);
  }
};

/** The first open instant at or after the start of `year` (searching later years). */
const firstOpenFrom = (c: Years, year: number): number => {
  for (let y = year; y < year + 20; y++) {
    const first = c.index(y).starts[0];
    if (first !== undefined) return first;
  }
  throw new ConfigError('calendar', `no opening within 20 years after ${year}`);
};

/** The latest instant with `ms` of open time from it to `start`. */
export const backward = (c: Years, horizonMs: number, start: number, ms: number): number => {
  // With F(t) = open time before t, we need the latest u with F(u) = F(start) - ms.
  let year = c.yearOf(start);
  const from = year;
  if (ms > horizonMs) tooFar(from, from - HORIZON_YEARS);
  let idx = c.index(year);
  let target = openBefore(idx, start) - ms;
  while (target < 0) {
    year--;
    if (from - year > HORIZON_YEARS) tooFar(from, year);
    idx = c.index(year);
    target += idx.total;
  }
  const n = idx.starts.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((idx.cum[mid] as number) >= target) hi = mid;
    else lo = mid + 1;
  }
  // F stays at the target through a closed gap, up to the next opening: that opening is the latest u.
  if (lo < n && idx.cum[lo] === target) return idx.starts[lo] as number;
  if (lo === n && target === idx.total) return Math.min(start, firstOpenFrom(c, year + 1));
  return (idx.starts[lo - 1] as number) + target - (idx.cum[lo - 1] as number);
};

/** The open, closed and holiday stretches between two instants, merged where they touch. */
export function segmentsOf(c: Years, a: number, b: number): CalendarSegment[] {
  const out: CalendarSegment[] = [];
  const push = (from: number, to: number, kind: CalendarSegment['kind'], holiday?: string): void => {
    if (from >= to) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.kind === kind && last.holiday === holiday && last.to.getTime() === from) {
      out[out.length - 1] = { ...last, to: new Date(to) };
    } else out.push({ from: new Date(from), to: new Date(to), kind, ...(holiday === undefined ? {} : { holiday }) });
  };
  const closed = (from: number, to: number): void => {
    // Split a closed stretch at local midnights and name the holidays in it.
    let cur = from;
    while (cur < to) {
      const idx = c.index(c.yearOf(cur));
      const d = lastAtOrBefore(idx.dayStarts, cur);
      const holiday = d >= 0 ? idx.dayHoliday[d] : undefined;
      const nextDay = idx.dayStarts[d + 1] ?? Date.UTC(c.yearOf(cur) + 1, 0, 1);
      const stop = Math.min(to, nextDay);
      push(cur, stop, holiday === undefined ? 'closed' : 'holiday', holiday);
      cur = stop;
    }
  };
  let cur = a;
  while (cur < b) {
    const idx = c.index(c.yearOf(cur));
    const yEnd = Date.UTC(c.yearOf(cur) + 1, 0, 1);
    const i = lastAtOrBefore(idx.starts, cur);
    if (i >= 0 && cur < (idx.ends[i] as number)) {
      const stop = Math.min(b, idx.ends[i] as number);
      push(cur, stop, 'open');
      cur = stop;
    } else {
      const stop = Math.min(b, idx.starts[i + 1] ?? yEnd);
      closed(cur, stop);
      cur = stop;
    }
  }
  return out;
}
