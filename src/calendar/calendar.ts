import { ConfigError } from '../errors.js';
import { describeValue, hasKind } from '../internal/kind.js';
import { isRealDate, isValidTimeZone } from '../domain/time.js';
import { HORIZON_YEARS, backward, between, buildYear, createYears, forward, lastAtOrBefore, pad, segmentsOf, type DayHours } from './year-index.js';

/** Days of the week as calendar keys. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Local opening hours: `[start, end)` as `'HH:MM'`, end may be `'24:00'`. */
export type Hours = ReadonlyArray<readonly [string, string]>;

/**
 * A holiday or a per-date override: `date` is a local `YYYY-MM-DD`, or `--MM-DD` for every
 * year. Without `hours` the desk is closed all day; with `hours`, those hours replace the
 * weekday's (also to open on a day that is normally closed).
 */
export interface HolidaySpec {
  /** `YYYY-MM-DD` for one date, `--MM-DD` for the same date every year. */
  readonly date: string;
  /** What the day is called (shown in SLA explanations). */
  readonly name?: string;
  /** Hours that day instead of the weekday's; absent or `[]` = closed. */
  readonly hours?: Hours;
}

/** A named list of holidays that several calendars can share (see {@link defineHolidaySet}). */
export interface HolidaySet {
  /** The set's name, e.g. `Japan 2026`. */
  readonly name: string;
  /** Its holidays. */
  readonly holidays: ReadonlyArray<HolidaySpec>;
  /** @internal Marks a validated set. */
  readonly kind: 'holiday-set';
}

/** What {@link createBusinessCalendar} takes. */
export interface BusinessCalendarSpec {
  /** IANA time zone in which the hours are read. */
  readonly timeZone: string;
  /** Hours per weekday; a day absent or `[]` is closed. */
  readonly weekly: Partial<Record<Weekday, Hours>>;
  /** Holidays and per-date overrides, and shared holiday sets. Entries listed here win over a set's. */
  readonly holidays?: ReadonlyArray<HolidaySpec | HolidaySet>;
}

/** One stretch of time as an SLA ledger sees it: open, closed (outside hours), or a holiday. */
export interface CalendarSegment {
  /** Start, inclusive. */
  readonly from: Date;
  /** End, exclusive. */
  readonly to: Date;
  /** Whether business time counts in it, and if not, why. */
  readonly kind: 'open' | 'closed' | 'holiday';
  /** The holiday's name, for `holiday` segments. */
  readonly holiday?: string;
}

/**
 * Business hours in one time zone. The one rule: an instant is open iff its local wall-clock
 * time lies in `[start, end)` of an interval of that local date (the weekday's hours, or the
 * date's override). Across DST, skipped local times never occur and repeated ones count each
 * time they occur.
 */
export interface BusinessCalendar {
  /** The zone the hours are read in. */
  readonly timeZone: string;
  /** Whether `at` is within business hours. */
  isOpen(at: Date): boolean;
  /** `at` itself when open, else the next instant the desk opens. */
  nextOpen(at: Date): Date;
  /**
   * The earliest `u ≥ start` with `businessTimeBetween(start, u) === ms`. A negative `ms` goes
   * back: the latest `u ≤ start` with `businessTimeBetween(u, start) === -ms`.
   */
  addBusinessTime(start: Date, ms: number): Date;
  /** Milliseconds of open time in `[start, end)`; negative when `end < start`. */
  businessTimeBetween(start: Date, end: Date): number;
  /** The open, closed and holiday stretches of `[start, end)`, in order (for explanations). */
  segments(start: Date, end: Date): CalendarSegment[];
}

// ---------------------------------------------------------------------------------------------
// Validation

const DAY_MS = 86_400_000;
const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

const parseTime = (s: string): number | null => {
  const m = TIME_RE.exec(s);
  if (m === null) return null;
  return m[3] !== undefined ? DAY_MS : (Number(m[1]) * 60 + Number(m[2])) * 60_000;
};

/** Local hours as sorted `[start, end)` ms-from-midnight pairs; throws ConfigError naming the field. */
function parseHours(hours: Hours, path: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!Array.isArray(hours)) throw new ConfigError(path, 'expected a list of opening hours, e.g. [["09:00", "18:00"]] (an empty list for closed)');
  hours.forEach((pair, i) => {
    const at = `${path}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) throw new ConfigError(at, 'hours are pairs of local times, e.g. ["09:00", "18:00"]');
    const [a, b] = pair;
    const s = typeof a === 'string' ? parseTime(a) : null;
    const e = typeof b === 'string' ? parseTime(b) : null;
    if (s === null || s === DAY_MS) throw new ConfigError(`${at}[0]`, `"${String(a)}" is not a start time "HH:MM" between 00:00 and 23:59`);
    if (e === null) throw new ConfigError(`${at}[1]`, `"${String(b)}" is not an end time "HH:MM" between 00:00 and 24:00`);
    if (s >= e) throw new ConfigError(at, `start ${String(a)} is not before end ${String(b)}; an interval past midnight is two intervals, one on each day`);
    out.push([s, e]);
  });
  const sorted = out.map((p, i) => [p, i] as const).sort((x, y) => x[0][0] - y[0][0]);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, pi] = sorted[i - 1] as readonly [[number, number], number];
    const [cur, ci] = sorted[i] as readonly [[number, number], number];
    if (cur[0] < prev[1]) throw new ConfigError(`${path}[${ci}]`, `overlaps ${path}[${pi}]; intervals of one day must not overlap`);
  }
  // Touching intervals (09:00–12:00, 12:00–18:00) merge into one.
  const merged: Array<[number, number]> = [];
  for (const [[s, e]] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s === last[1]) last[1] = e;
    else merged.push([s, e]);
  }
  return merged;
}

/**
 * Refuse a calendar that stops opening: one open only on listed dates (which all pass), or whose
 * every weekday hour is closed by yearly holidays. Such a calendar would send every SLA deadline
 * searching the years until 9000.
 */
function refuseNeverOpenAgain(weekly: ReadonlyArray<ReadonlyArray<unknown>>, holidays: ReadonlyArray<ParsedHolidays>): void {
  const yearly = holidays.flatMap((h) => [...h.yearly.entries()]);
  if (yearly.some(([, r]) => r.hours.length > 0)) return;
  if (weekly.some((w) => w.length > 0)) {
    const closed = new Set(yearly.map(([k]) => k));
    if (closed.size < 366) return;
    throw new ConfigError('calendar.holidays', 'yearly holidays close every day of the year: the calendar would never be open');
  }
  const last = holidays.flatMap((h) => [...h.fixed.entries()].filter(([, r]) => r.hours.length > 0).map(([k]) => k)).sort().pop();
  throw new ConfigError('calendar.weekly', `the calendar is open only on listed dates (the last is ${String(last)}), so after them it is never open again; give at least one weekday some hours`);
}

interface DateRule {
  readonly hours: ReadonlyArray<readonly [number, number]>;
  readonly name: string | undefined;
}

interface ParsedHolidays {
  readonly fixed: Map<string, DateRule>;
  readonly yearly: Map<string, DateRule>;
}

function parseHoliday(h: HolidaySpec, path: string, into: ParsedHolidays): void {
  if (typeof h !== 'object' || h === null || typeof h.date !== 'string') throw new ConfigError(path, 'a holiday is { date: "YYYY-MM-DD" | "--MM-DD", name?, hours? }');
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(h.date);
  const yearly = /^--(\d{2})-(\d{2})$/.exec(h.date);
  if (full ? !isRealDate(Number(full[1]), Number(full[2]), Number(full[3])) : yearly ? !isRealDate(2000, Number(yearly[1]), Number(yearly[2])) : true) {
    throw new ConfigError(`${path}.date`, `"${h.date}" is not a real date "YYYY-MM-DD", nor "--MM-DD" for every year`);
  }
  const rule: DateRule = { hours: h.hours === undefined ? [] : parseHours(h.hours, `${path}.hours`), name: h.name };
  const map = full ? into.fixed : into.yearly;
  const key = full ? h.date : h.date.slice(2);
  if (map.has(key)) throw new ConfigError(`${path}.date`, `${h.date} is listed twice; keep one entry per date`);
  map.set(key, rule);
}

/**
 * Validate a named set of holidays once and share it between calendars.
 *
 * @example
 * ```ts
 * const japan = defineHolidaySet({ name: 'Japan', holidays: [{ date: '--01-01', name: '元日' }, { date: '2026-05-06', name: '振替休日' }] });
 * const tokyo = createBusinessCalendar({ timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']] }, holidays: [japan] });
 * ```
 */
export function defineHolidaySet(set: { name: string; holidays: ReadonlyArray<HolidaySpec> }): HolidaySet {
  if (typeof set !== 'object' || set === null) throw new ConfigError('holidaySet', 'expected { name, holidays: [{ date: "YYYY-MM-DD" | "--MM-DD", name? }] }');
  if (typeof set.name !== 'string' || set.name.trim() === '') throw new ConfigError('holidaySet.name', 'name the set, e.g. "Japan"');
  if (!Array.isArray(set.holidays)) throw new ConfigError(`holidaySet(${set.name}).holidays`, 'expected a list of holidays, e.g. [{ date: "--01-01", name: "New Year" }]');
  const probe: ParsedHolidays = { fixed: new Map(), yearly: new Map() };
  set.holidays.forEach((h, i) => parseHoliday(h, `holidaySet(${set.name}).holidays[${i}]`, probe));
  return Object.freeze({ name: set.name, holidays: Object.freeze([...set.holidays]), kind: 'holiday-set' as const });
}

/**
 * Create a business calendar. Open intervals are precomputed lazily per year as epoch ms with
 * prefix sums; every query is a binary search, never a walk by minute or day.
 *
 * @throws ConfigError naming the field: an unknown zone, a bad time, start ≥ end, overlapping
 *   intervals, a bad or duplicated date, or a calendar that is never open.
 * @example
 * ```ts
 * const tokyo = createBusinessCalendar({
 *   timeZone: 'Asia/Tokyo',
 *   weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '12:00'], ['13:00', '18:00']] },
 *   holidays: [{ date: '2026-01-01', name: '元日' }],
 * });
 * tokyo.addBusinessTime(new Date('2026-01-05T11:00:00+09:00'), 2 * 3600_000); // 14:00 local: lunch does not count
 * ```
 */
export function createBusinessCalendar(spec: BusinessCalendarSpec): BusinessCalendar {
  if (typeof spec !== 'object' || spec === null) throw new ConfigError('calendar', 'expected { timeZone, weekly, holidays? }');
  if (typeof spec.timeZone !== 'string' || !isValidTimeZone(spec.timeZone)) {
    throw new ConfigError('calendar.timeZone', `${describeValue(spec.timeZone)} is not an IANA time zone; use a name such as "Asia/Tokyo" or "Europe/London"`);
  }
  const timeZone = spec.timeZone;
  if (typeof spec.weekly !== 'object' || spec.weekly === null) throw new ConfigError('calendar.weekly', 'expected hours per weekday, e.g. { mon: [["09:00", "18:00"]] }');
  for (const key of Object.keys(spec.weekly)) {
    if (!(WEEKDAYS as ReadonlyArray<string>).includes(key)) throw new ConfigError(`calendar.weekly.${key}`, `"${key}" is not a weekday; use ${WEEKDAYS.join(', ')}`);
  }
  const weekly = WEEKDAYS.map((d) => parseHours(spec.weekly[d] ?? [], `calendar.weekly.${d}`));
  const direct: ParsedHolidays = { fixed: new Map(), yearly: new Map() };
  const shared: ParsedHolidays = { fixed: new Map(), yearly: new Map() };
  if (spec.holidays !== undefined && !Array.isArray(spec.holidays)) throw new ConfigError('calendar.holidays', 'expected a list of holidays and holiday sets');
  (spec.holidays ?? []).forEach((h, i) => {
    if (hasKind(h, 'holiday-set')) {
      const set = h as HolidaySet;
      set.holidays.forEach((x, j) => {
        const tmp: ParsedHolidays = { fixed: new Map(), yearly: new Map() };
        parseHoliday(x, `calendar.holidays[${i}](${set.name})[${j}]`, tmp);
        // Sets may overlap each other (two sets naming New Year's Day): the first one listed wins.
        for (const [k, v] of tmp.fixed) if (!shared.fixed.has(k)) shared.fixed.set(k, v);
        for (const [k, v] of tmp.yearly) if (!shared.yearly.has(k)) shared.yearly.set(k, v);
      });
    } else parseHoliday(h as HolidaySpec, `calendar.holidays[${i}]`, direct);
  });
  const everOpen =
    weekly.some((w) => w.length > 0) || [...direct.fixed.values(), ...direct.yearly.values(), ...shared.fixed.values(), ...shared.yearly.values()].some((r) => r.hours.length > 0);
  if (!everOpen) throw new ConfigError('calendar.weekly', 'the calendar is never open: give at least one weekday some hours');
  refuseNeverOpenAgain(weekly, [direct, shared]);

  // The most a calendar can be open in one local day (an hour more for a DST fall-back), times the
  // days of the horizon: business time beyond it is refused at once instead of after a century's walk.
  const dayOpen = (hours: ReadonlyArray<readonly [number, number]>): number => hours.reduce((sum, [a, b]) => sum + (b - a), 0);
  const maxDay = Math.max(...weekly.map(dayOpen), ...[direct, shared].flatMap((h) => [...h.fixed.values(), ...h.yearly.values()].map((r) => dayOpen(r.hours))));
  const horizonMs = (maxDay + 3_600_000) * 368 * (HORIZON_YEARS + 1);

  const ruleFor = (y: number, m: number, d: number): DateRule | undefined => {
    const full = `${y}-${pad(m)}-${pad(d)}`;
    const md = `${pad(m)}-${pad(d)}`;
    return direct.fixed.get(full) ?? direct.yearly.get(md) ?? shared.fixed.get(full) ?? shared.yearly.get(md);
  };

  const dayHours: DayHours = (y, m, d, wd) => {
    const rule = ruleFor(y, m, d);
    const hours = rule === undefined ? (weekly[wd] as ReadonlyArray<readonly [number, number]>) : rule.hours;
    return { hours, holiday: rule !== undefined && rule.hours.length === 0 ? (rule.name ?? 'holiday') : rule?.name };
  };
  const years = createYears((year) => buildYear(timeZone, year, dayHours));
  const { yearOf, index } = years;

  const toMs = (d: Date, name: string): number => {
    const t = d instanceof Date ? d.getTime() : Number.NaN;
    if (!Number.isFinite(t)) throw new ConfigError(name, 'expected a valid Date');
    return t;
  };

  const calendar: BusinessCalendar = {
    timeZone,
    isOpen(at) {
      const t = toMs(at, 'at');
      const idx = index(yearOf(t));
      const i = lastAtOrBefore(idx.starts, t);
      return i >= 0 && t < (idx.ends[i] as number);
    },
    nextOpen(at) {
      const t = toMs(at, 'at');
      let year = yearOf(t);
      for (let hops = 0; hops < 20; hops++, year++) {
        const idx = index(year);
        const i = lastAtOrBefore(idx.starts, t);
        if (i >= 0 && t < (idx.ends[i] as number)) return new Date(t);
        const next = idx.starts[i + 1];
        if (next !== undefined) return new Date(next);
      }
      throw new ConfigError('calendar', `no opening within 20 years after ${new Date(t).toISOString()}`);
    },
    addBusinessTime(start, ms) {
      const t = toMs(start, 'start');
      if (!Number.isFinite(ms)) throw new ConfigError('ms', `${ms} is not a number of milliseconds`);
      if (ms === 0) return new Date(t);
      return new Date(ms > 0 ? forward(years, horizonMs, t, ms) : backward(years, horizonMs, t, -ms));
    },
    businessTimeBetween(start, end) {
      return between(years, toMs(start, 'start'), toMs(end, 'end'));
    },
    segments(start, end) {
      return segmentsOf(years, toMs(start, 'start'), toMs(end, 'end'));
    },
  };
  return calendar;
}


/**
 * A calendar that is always open (24/7), in UTC. Business time equals elapsed time.
 */
export const ALWAYS_OPEN: BusinessCalendar = createBusinessCalendar({
  timeZone: 'UTC',
  weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']] as const])) as unknown as Record<Weekday, Hours>,
});
