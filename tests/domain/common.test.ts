import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, DurationSchema, LocalDateSchema, formatDuration, isRealDate, isValidTimeZone, toMillis } from 'omotenashi';

describe('durations', () => {
  it.each([
    ['PT4H', 4 * 3600_000],
    ['P2D', 2 * 86_400_000],
    ['PT1H30M', 5400_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT2H3M4.5S', 86_400_000 + 2 * 3600_000 + 3 * 60_000 + 4500],
    ['PT0.25S', 250],
    ['PT1,5H', 5400_000],
    [90_000, 90_000],
  ])('%s is %d ms', (text, ms) => {
    expect(toMillis(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '4h', 'P1Y', 'P2M', 'PT-1H', 'P1DT', 'forever'])('refuses %j with a ConfigError', (text) => {
    expect(() => toMillis(text, 'sla.firstResponse')).toThrow(ConfigError);
    expect(() => toMillis(text, 'sla.firstResponse')).toThrow(/sla\.firstResponse/);
  });

  it('explains that months and years vary in length', () => {
    expect(() => toMillis('P1M')).toThrow(/years and months vary in length/);
    expect(() => toMillis(-1)).toThrow(ConfigError);
    expect(() => toMillis(Number.NaN)).toThrow(ConfigError);
  });

  it('format and parse round-trip for any whole number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (ms) => {
        expect(toMillis(formatDuration(ms))).toBe(ms);
      }),
    );
    expect(formatDuration(0)).toBe('PT0S');
    expect(formatDuration(5400_000)).toBe('PT1H30M');
    expect(formatDuration(2 * 86_400_000 + 4 * 3600_000)).toBe('P2DT4H');
  });

  it('DurationSchema reports the problem as a zod issue', () => {
    const r = DurationSchema.safeParse('soon');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/"soon" is not an ISO 8601 duration/);
  });
});

describe('time zones and dates', () => {
  it('knows IANA zones, including the odd ones', () => {
    for (const z of ['Asia/Tokyo', 'UTC', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/New_York']) expect(isValidTimeZone(z)).toBe(true);
    for (const z of ['Asia/Osaka', 'Mars/Olympus', '', 'GMT+25']) expect(isValidTimeZone(z)).toBe(false);
  });

  it('real dates match the Gregorian calendar (checked against Date.UTC)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1600, max: 2400 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const viaDate = m >= 1 && m <= 12 && d >= 1 && new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        expect(isRealDate(y, m, d)).toBe(viaDate);
      }),
    );
  });

  it('LocalDateSchema accepts only real YYYY-MM-DD dates', () => {
    expect(LocalDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(LocalDateSchema.safeParse('2023-02-29').success).toBe(false);
    expect(LocalDateSchema.safeParse('2024-2-1').success).toBe(false);
  });
});
