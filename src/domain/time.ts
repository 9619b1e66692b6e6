import { ConfigError } from '../errors.js';

// Time helpers without zod, so a calendar or a clock can be imported without it.

const zoneCache = new Map<string, boolean>();

/**
 * True when `name` is an IANA time zone this runtime knows (e.g. `Asia/Tokyo`, `UTC`).
 * Results are cached; the check itself uses `Intl.DateTimeFormat`.
 */
export function isValidTimeZone(name: string): boolean {
  const hit = zoneCache.get(name);
  if (hit !== undefined) return hit;
  let ok = false;
  if (name.length > 0) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
  }
  zoneCache.set(name, ok);
  return ok;
}

/** True when `y-m-d` is a real calendar date (proleptic Gregorian). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1000 } as const;
const DURATION_RE =
  /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * A duration in configuration: an ISO 8601 string (`"PT4H"`, `"P2D"`, `"PT1H30M"`, `"P1W"`)
 * or a number of milliseconds. Days are 24 hours and weeks 7 days of elapsed time; years and
 * months are refused because their length depends on the date.
 */
export type Duration = string | number;

/**
 * Parse an ISO 8601 duration (or pass milliseconds through) into milliseconds.
 *
 * @throws ConfigError when the text is not a supported duration; `path` names the field.
 * @example
 * ```ts
 * toMillis('PT4H');    // 14_400_000
 * toMillis('P1DT30M'); // 88_200_000
 * ```
 */
export function toMillis(duration: Duration, path = 'duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new ConfigError(path, `${duration} is not a duration; use a non-negative number of milliseconds or an ISO 8601 text such as "PT4H"`);
    }
    return withinMax(duration, path);
  }
  if (typeof duration !== 'string') throw new ConfigError(path, `expected an ISO 8601 duration such as "PT4H" or a number of milliseconds, not ${duration === null ? 'null' : typeof duration}`);
  const m = DURATION_RE.exec(duration);
  if (m === null || duration === 'P' || duration.endsWith('T')) {
    const hint = /^P.*\d+[YM]/.test(duration) && !/T.*M/.test(duration)
      ? ' (years and months vary in length: write days or weeks, e.g. "P30D")'
      : '';
    throw new ConfigError(path, `"${duration}" is not an ISO 8601 duration such as "PT4H", "P2D" or "PT1H30M"${hint}`);
  }
  const part = (s: string | undefined, unit: number): number => (s === undefined ? 0 : Number(s.replace(',', '.')) * unit);
  return withinMax(Math.round(part(m[1], MS.W) + part(m[2], MS.D) + part(m[3], MS.H) + part(m[4], MS.M) + part(m[5], MS.S)), path);
}

/** The longest duration accepted anywhere: ten years of 365 days (`"P3650D"`). */
export const MAX_DURATION_MS = 3650 * 86_400_000;

function withinMax(ms: number, path: string): number {
  if (ms > MAX_DURATION_MS) throw new ConfigError(path, `${ms.toLocaleString('en')} ms is longer than ten years ("P3650D"), the longest duration accepted; no SLA, wait or delay needs more`);
  return ms;
}

/**
 * Format milliseconds as a compact ISO 8601 duration (`"PT1H30M"`, `"P2DT4H"`), the inverse
 * of {@link toMillis} for whole milliseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new ConfigError('duration', `${ms} is not a non-negative duration`);
  let rest = Math.round(ms);
  const days = Math.floor(rest / MS.D);
  rest -= days * MS.D;
  const hours = Math.floor(rest / MS.H);
  rest -= hours * MS.H;
  const minutes = Math.floor(rest / MS.M);
  rest -= minutes * MS.M;
  const seconds = rest / 1000;
  let time = '';
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds) time += `${seconds}S`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

