import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, fromLocal, toLocal, zoneOffset } from 'omotenashi';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Tokyo', 'UTC'];

describe('local dates and times in a zone', () => {
  it('agrees with Intl on the offset', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), (zone, t) => {
        const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(t);
        const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
        const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
        expect(zoneOffset(zone, t)).toBe(wall - Math.floor(t / 1000) * 1000);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips every instant through its local date and time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, t) => {
        const l = toLocal(zone, t);
        const back = fromLocal(zone, l.year, l.month, l.day, l.timeOfDayMs);
        // A repeated local time (DST fall-back) resolves to its first occurrence.
        expect(back === t || back === t - (zoneOffset(zone, back) - zoneOffset(zone, t))).toBe(true);
        expect(toLocal(zone, back)).toEqual(l);
      }),
      { numRuns: 500 },
    );
  });

  it('moves a local time skipped by DST forward by the gap, and takes the first of a repeated one', () => {
    // New York springs forward at 02:00 on 8 March 2026: 02:30 does not exist.
    expect(new Date(fromLocal('America/New_York', 2026, 3, 8, 2.5 * 3_600_000)).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // It falls back at 02:00 on 1 November 2026: 01:30 happens twice, EDT first.
    expect(new Date(fromLocal('America/New_York', 2026, 11, 1, 1.5 * 3_600_000)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Lord Howe shifts by half an hour.
    expect(new Date(fromLocal('Australia/Lord_Howe', 2026, 10, 4, 2.25 * 3_600_000)).toISOString()).toBe('2026-10-03T15:45:00.000Z');
  });

  it('adds months clamping to the end of the month', () => {
    expect(addMonths(2026, 1, 31, 1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonths(2028, 1, 31, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addMonths(2026, 11, 15, 6)).toEqual({ year: 2027, month: 5, day: 15 });
    expect(addMonths(2026, 3, 31, -1)).toEqual({ year: 2026, month: 2, day: 28 });
  });
});
