import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, ConfigError, MAX_DURATION_MS, createBusinessCalendar, defineHolidaySet, defineSlaPolicy, toMillis, type BusinessCalendarSpec } from 'omotenashi';
import { configErrorOf } from '../helpers.js';
import { referenceBetween, referenceIsOpen } from './reference.js';

const H = 3600_000;
const M = 60_000;
const d = (s: string) => new Date(s);
const allWeek = (hours: Array<[string, string]>) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours });

describe('business calendars: DST, by the rule', () => {
  it('New York fall-back: 01:00–02:00 local is two real hours', () => {
    const cal = createBusinessCalendar({ timeZone: 'America/New_York', weekly: allWeek([['01:00', '02:00']]) });
    const day = cal.businessTimeBetween(d('2026-11-01T00:00:00-04:00'), d('2026-11-01T12:00:00-05:00'));
    expect(day).toBe(2 * H);
    expect(cal.isOpen(d('2026-11-01T01:30:00-04:00'))).toBe(true);
    expect(cal.isOpen(d('2026-11-01T01:30:00-05:00'))).toBe(true);
    expect(cal.addBusinessTime(d('2026-11-01T01:30:00-04:00'), H)).toEqual(d('2026-11-01T01:30:00-05:00'));
  });

  it('New York spring-forward: 02:30–03:30 local is thirty minutes', () => {
    const cal = createBusinessCalendar({ timeZone: 'America/New_York', weekly: allWeek([['02:30', '03:30']]) });
    expect(cal.businessTimeBetween(d('2026-03-08T00:00:00-05:00'), d('2026-03-08T12:00:00-04:00'))).toBe(30 * M);
    expect(cal.nextOpen(d('2026-03-08T01:00:00-05:00'))).toEqual(d('2026-03-08T03:00:00-04:00'));
    expect(cal.businessTimeBetween(d('2026-03-09T00:00:00-04:00'), d('2026-03-09T12:00:00-04:00'))).toBe(H);
  });

  it('Lord Howe shifts by thirty minutes', () => {
    const cal = createBusinessCalendar({ timeZone: 'Australia/Lord_Howe', weekly: allWeek([['01:00', '03:00']]) });
    // 2026-04-05 02:00 daylight → 01:30 standard: 01:30–02:00 happens twice.
    expect(cal.businessTimeBetween(d('2026-04-04T12:00:00Z'), d('2026-04-05T06:00:00Z'))).toBe(2 * H + 30 * M);
    // 2026-10-04 02:00 standard → 02:30 daylight: 02:00–02:30 never happens.
    expect(cal.businessTimeBetween(d('2026-10-03T12:00:00Z'), d('2026-10-04T06:00:00Z'))).toBe(H + 30 * M);
  });

  it('Chatham keeps its 45-minute offset through DST', () => {
    const cal = createBusinessCalendar({ timeZone: 'Pacific/Chatham', weekly: allWeek([['09:00', '17:00']]) });
    expect(cal.isOpen(d('2026-06-01T09:00:00+12:45'))).toBe(true);
    expect(cal.isOpen(d('2026-06-01T08:59:59.999+12:45'))).toBe(false);
    expect(cal.isOpen(d('2026-12-01T09:00:00+13:45'))).toBe(true);
  });

  it('a Tokyo desk with a lunch break, Japanese holidays and a per-date override', () => {
    const jp = defineHolidaySet({
      name: 'Japan 2026 (excerpt)',
      holidays: [
        { date: '--01-01', name: '元日' },
        { date: '2026-05-04', name: 'みどりの日' },
        { date: '2026-05-05', name: 'こどもの日' },
        { date: '2026-05-06', name: '振替休日' },
      ],
    });
    const weekday: Array<[string, string]> = [['09:00', '12:00'], ['13:00', '18:00']];
    const cal = createBusinessCalendar({
      timeZone: 'Asia/Tokyo',
      weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
      holidays: [jp, { date: '2026-12-28', name: '仕事納め', hours: [['09:00', '12:00']] }],
    });
    expect(cal.isOpen(d('2026-04-30T12:30:00+09:00'))).toBe(false);
    expect(cal.addBusinessTime(d('2026-04-30T11:00:00+09:00'), 2 * H)).toEqual(d('2026-04-30T14:00:00+09:00'));
    // Golden Week: Fri 1 May open, then the weekend and three holidays.
    expect(cal.addBusinessTime(d('2026-05-01T17:00:00+09:00'), 2 * H)).toEqual(d('2026-05-07T10:00:00+09:00'));
    expect(cal.businessTimeBetween(d('2026-12-28T00:00:00+09:00'), d('2026-12-29T00:00:00+09:00'))).toBe(3 * H);
    expect(cal.isOpen(d('2027-01-01T10:00:00+09:00'))).toBe(false);
    const segs = cal.segments(d('2026-05-01T17:00:00+09:00'), d('2026-05-07T10:00:00+09:00'));
    expect(segs.map((s) => [s.kind, s.holiday])).toEqual([
      ['open', undefined],
      ['closed', undefined],
      ['holiday', 'みどりの日'],
      ['holiday', 'こどもの日'],
      ['holiday', '振替休日'],
      ['closed', undefined],
      ['open', undefined],
    ]);
    expect(segs.reduce((sum, s) => sum + (s.kind === 'open' ? s.to.getTime() - s.from.getTime() : 0), 0)).toBe(2 * H);
  });

  it('yearly holidays on 29 February apply in leap years only; overrides can open a closed day', () => {
    const cal = createBusinessCalendar({
      timeZone: 'Europe/London',
      weekly: allWeek([['09:00', '17:00']]),
      holidays: [{ date: '--02-29', name: 'Leap day' }, { date: '2026-03-01', hours: [['10:00', '11:00']] }],
    });
    expect(cal.isOpen(d('2028-02-29T10:00:00Z'))).toBe(false);
    expect(cal.isOpen(d('2027-02-28T10:00:00Z'))).toBe(true);
    expect(cal.businessTimeBetween(d('2026-03-01T00:00:00Z'), d('2026-03-02T00:00:00Z'))).toBe(H);
  });

  it('calendar entries win over a shared set; two sets may both name a day', () => {
    const a = defineHolidaySet({ name: 'A', holidays: [{ date: '2026-07-01', name: 'A-day' }] });
    const b = defineHolidaySet({ name: 'B', holidays: [{ date: '2026-07-01', name: 'B-day', hours: [['09:00', '10:00']] }] });
    const both = createBusinessCalendar({ timeZone: 'UTC', weekly: allWeek([['09:00', '17:00']]), holidays: [a, b] });
    expect(both.segments(d('2026-07-01T00:00:00Z'), d('2026-07-01T01:00:00Z'))[0]?.holiday).toBe('A-day');
    const own = createBusinessCalendar({ timeZone: 'UTC', weekly: allWeek([['09:00', '17:00']]), holidays: [a, { date: '2026-07-01', hours: [['09:00', '12:00']] }] });
    expect(own.businessTimeBetween(d('2026-07-01T00:00:00Z'), d('2026-07-02T00:00:00Z'))).toBe(3 * H);
  });

  it('24/7 and across year ends', () => {
    expect(ALWAYS_OPEN.businessTimeBetween(d('2025-12-31T23:00:00Z'), d('2026-01-01T01:00:00Z'))).toBe(2 * H);
    expect(ALWAYS_OPEN.addBusinessTime(d('2025-12-31T23:00:00Z'), 3 * 24 * H)).toEqual(d('2026-01-03T23:00:00Z'));
    const cal = createBusinessCalendar({ timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']] } });
    const start = d('2026-12-28T17:00:00+09:00');
    const u = cal.addBusinessTime(start, 10 * H);
    expect(u).toEqual(d('2027-01-04T18:00:00+09:00'));
    expect(cal.businessTimeBetween(start, u)).toBe(10 * H);
    expect(cal.addBusinessTime(u, -10 * H)).toEqual(start);
    expect(cal.businessTimeBetween(u, start)).toBe(-10 * H);
  });

  it('addBusinessTime returns the earliest instant: ending exactly at closing time', () => {
    const cal = createBusinessCalendar({ timeZone: 'UTC', weekly: allWeek([['09:00', '17:00']]) });
    expect(cal.addBusinessTime(d('2026-06-01T16:00:00Z'), H)).toEqual(d('2026-06-01T17:00:00Z'));
    expect(cal.addBusinessTime(d('2026-06-01T20:00:00Z'), 0)).toEqual(d('2026-06-01T20:00:00Z'));
    expect(cal.addBusinessTime(d('2026-06-01T20:00:00Z'), 1)).toEqual(d('2026-06-02T09:00:00.001Z'));
    // Going back, the latest instant: one hour before 10:00 is 09:00 the same day, not 17:00 the day before.
    expect(cal.addBusinessTime(d('2026-06-02T10:00:00Z'), -H)).toEqual(d('2026-06-02T09:00:00Z'));
  });
});

describe('business calendars: validation', () => {
  it.each<[BusinessCalendarSpec, string, RegExp]>([
    [{ timeZone: 'Asia/Osaka', weekly: { mon: [['09:00', '17:00']] } }, 'calendar.timeZone', /not an IANA time zone/],
    [{ timeZone: 'UTC', weekly: { mon: [['18:00', '09:00']] } }, 'calendar.weekly.mon[0]', /start 18:00 is not before end 09:00/],
    [{ timeZone: 'UTC', weekly: { tue: [['09:00', '13:00'], ['12:00', '18:00']] } }, 'calendar.weekly.tue[1]', /overlaps calendar\.weekly\.tue\[0\]/],
    [{ timeZone: 'UTC', weekly: { mon: [['9:00', '17:00']] } }, 'calendar.weekly.mon[0][0]', /not a start time/],
    [{ timeZone: 'UTC', weekly: { mon: [['09:00', '24:30']] } }, 'calendar.weekly.mon[0][1]', /not an end time/],
    [{ timeZone: 'UTC', weekly: { monday: [['09:00', '17:00']] } as never }, 'calendar.weekly.monday', /not a weekday/],
    [{ timeZone: 'UTC', weekly: { mon: [['09:00', '17:00']] }, holidays: [{ date: '2026-02-30' }] }, 'calendar.holidays[0].date', /not a real date/],
    [{ timeZone: 'UTC', weekly: { mon: [['09:00', '17:00']] }, holidays: [{ date: '2026-05-01' }, { date: '2026-05-01' }] }, 'calendar.holidays[1].date', /listed twice/],
    [{ timeZone: 'UTC', weekly: {} }, 'calendar.weekly', /never open/],
  ])('%j → %s', (spec, path, message) => {
    const error = configErrorOf(() => createBusinessCalendar(spec));
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });
});

// Property tests in zones with DST quirks and without, against the brute-force reference.
const ZONES: Array<[string, number]> = [
  ['America/New_York', Date.UTC(2026, 10, 1, 6)],
  ['Europe/London', Date.UTC(2026, 2, 29, 1)],
  ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
  ['Pacific/Chatham', Date.UTC(2026, 8, 26, 14)],
  ['Asia/Tokyo', Date.UTC(2026, 4, 3, 0)],
];
const specFor = (timeZone: string): BusinessCalendarSpec => {
  const weekday: Array<[string, string]> = [['01:00', '04:00'], ['09:00', '12:00'], ['13:00', '18:00'], ['22:00', '24:00']];
  return {
    timeZone,
    weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [['01:30', '03:15']] },
    holidays: [{ date: '2026-11-02', name: 'Holiday' }, { date: '--03-30', hours: [['02:00', '03:00']] }],
  };
};

describe.each(ZONES)('business calendar properties in %s', (zone, transition) => {
  const spec = specFor(zone);
  const cal = createBusinessCalendar(spec);
  const ref = referenceIsOpen(spec);
  // Instants within four days of a DST transition (or of Golden Week in Tokyo), on whole minutes.
  const minute = fc.integer({ min: -4 * 1440, max: 4 * 1440 }).map((m) => transition + m * M);
  const instant = fc.tuple(minute, fc.integer({ min: 0, max: M - 1 })).map(([t, ms]) => t + ms);
  const amount = fc.integer({ min: 0, max: 30 * H });
  const opts = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 60) };

  it('isOpen agrees with the reference, minute by minute around the transition', () => {
    for (let t = transition - 36 * H; t < transition + 36 * H; t += 15 * M) expect(cal.isOpen(new Date(t)), new Date(t).toISOString()).toBe(ref(t));
  });

  it('businessTimeBetween agrees with a minute-stepping count', () => {
    fc.assert(
      fc.property(minute, fc.integer({ min: 0, max: 3 * 1440 }), (a, len) => {
        expect(cal.businessTimeBetween(new Date(a), new Date(a + len * M))).toBe(referenceBetween(ref, a, a + len * M));
      }),
      { numRuns: Math.ceil(Number(process.env["PROPERTY_RUNS"] ?? 60) / 2.4) },
    );
  });

  it('add then between round-trips, and the result is the earliest such instant', () => {
    fc.assert(
      fc.property(instant, amount, (t, ms) => {
        const u = cal.addBusinessTime(new Date(t), ms).getTime();
        expect(u).toBeGreaterThanOrEqual(t);
        expect(cal.businessTimeBetween(new Date(t), new Date(u))).toBe(ms);
        if (ms > 0) expect(cal.businessTimeBetween(new Date(t), new Date(u - 1))).toBe(ms - 1);
      }),
      opts,
    );
  });

  it('going back round-trips, and returns the latest such instant', () => {
    fc.assert(
      fc.property(instant, amount, (t, ms) => {
        const u = cal.addBusinessTime(new Date(t), -ms).getTime();
        expect(u).toBeLessThanOrEqual(t);
        expect(cal.businessTimeBetween(new Date(u), new Date(t))).toBe(ms);
        if (ms > 0) expect(cal.businessTimeBetween(new Date(u + 1), new Date(t))).toBe(ms - 1);
      }),
      opts,
    );
  });

  it('add(add(t, a), b) equals add(t, a + b), and add is monotonic', () => {
    fc.assert(
      fc.property(instant, amount, amount, (t, a, b) => {
        const ta = cal.addBusinessTime(new Date(t), a);
        expect(cal.addBusinessTime(ta, b).getTime()).toBe(cal.addBusinessTime(new Date(t), a + b).getTime());
        if (a <= b) expect(ta.getTime()).toBeLessThanOrEqual(cal.addBusinessTime(new Date(t), b).getTime());
      }),
      opts,
    );
  });

  it('between is additive over any split, and antisymmetric', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        const bt = (x: number, y: number) => cal.businessTimeBetween(new Date(x), new Date(y));
        expect(bt(a, c)).toBe(bt(a, b) + bt(b, c));
        expect(bt(c, a) + bt(a, c)).toBe(0);
      }),
      opts,
    );
  });

  it('nextOpen is the first open instant at or after t', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const n = cal.nextOpen(new Date(t)).getTime();
        expect(n).toBeGreaterThanOrEqual(t);
        expect(cal.isOpen(new Date(n))).toBe(true);
        expect(cal.businessTimeBetween(new Date(t), new Date(n))).toBe(0);
      }),
      opts,
    );
  });

  it('segments tile the range and their open parts sum to the business time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 5 * 24 * H }), (a, len) => {
        const segs = cal.segments(new Date(a), new Date(a + len));
        let cursor = a;
        let open = 0;
        for (const s of segs) {
          expect(s.from.getTime()).toBe(cursor);
          cursor = s.to.getTime();
          if (s.kind === 'open') open += s.to.getTime() - s.from.getTime();
        }
        expect(cursor).toBe(len === 0 ? a : a + len);
        expect(open).toBe(cal.businessTimeBetween(new Date(a), new Date(a + len)));
      }),
      opts,
    );
  });
});

describe('calendars that would never open again are refused at definition', () => {
  it('refuses one open only on listed dates, past or skipped, and one whose yearly holidays close every day', () => {
    expect(() => createBusinessCalendar({ timeZone: 'Asia/Tokyo', weekly: {}, holidays: [{ date: '2020-01-06', hours: [['09:00', '18:00']] }] })).toThrow(/open only on listed dates \(the last is 2020-01-06\)/);
    // Samoa skipped 30 December 2011 altogether.
    expect(() => createBusinessCalendar({ timeZone: 'Pacific/Apia', weekly: {}, holidays: [{ date: '2011-12-30', hours: [['09:00', '18:00']] }] })).toThrow(ConfigError);
    const everyDay = Array.from({ length: 366 }, (_, i) => {
      const d = new Date(Date.UTC(2000, 0, 1 + i));
      return { date: `--${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}` };
    });
    expect(() => createBusinessCalendar({ timeZone: 'UTC', weekly: { mon: [['09:00', '18:00']] }, holidays: everyDay })).toThrow(/close every day of the year/);
  });

  it('answers odd JSON with ConfigErrors, not TypeErrors', () => {
    expect(() => createBusinessCalendar({ timeZone: 'UTC', weekly: { mon: 'nine to five' as never } })).toThrow(/calendar\.weekly\.mon: expected a list of opening hours/);
    expect(() => createBusinessCalendar({ timeZone: 'UTC', weekly: { mon: [['09:00', '18:00']] }, holidays: 'none' as never })).toThrow(ConfigError);
    expect(() => createBusinessCalendar({ timeZone: 'UTC', weekly: { mon: [['09:00', '18:00']] }, holidays: [null as never] })).toThrow(ConfigError);
    expect(() => defineHolidaySet({ name: 'x', holidays: 'none' as never })).toThrow(ConfigError);
    expect(() => defineHolidaySet(null as never)).toThrow(ConfigError);
  });

  it('gives up on business time more than a hundred years away with a ConfigError, at once', () => {
    const sliver = createBusinessCalendar({ timeZone: 'UTC', weekly: { mon: [['09:00', '09:01']] } });
    expect(() => sliver.addBusinessTime(new Date('2026-04-06T00:00:00Z'), 3650 * 86_400_000)).toThrow(/more than 100 years/);
    expect(() => sliver.addBusinessTime(new Date('2026-04-06T00:00:00Z'), -3650 * 86_400_000)).toThrow(/more than 100 years/);
  });
});

describe('durations', () => {
  it('refuses absurd ones at definition', () => {
    expect(() => toMillis('PT99999999999999999999H')).toThrow(/longer than ten years/);
    expect(() => toMillis(1e300)).toThrow(ConfigError);
    expect(() => toMillis(null as never)).toThrow(ConfigError);
    expect(toMillis('P3650D')).toBe(MAX_DURATION_MS);
    expect(() => defineSlaPolicy({ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'PT99999999999999999999H' } } } })).toThrow(ConfigError);
  });
});
