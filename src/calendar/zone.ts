/**
 * Time-zone offsets as piecewise-constant segments, found with Intl (no zone database shipped).
 * A segment [start, next segment's start) has one offset: wall time = instant + offset.
 */
export interface OffsetSegments {
  /** Segment starts, ascending (epoch ms). */
  readonly starts: ReadonlyArray<number>;
  /** Offset (ms) in force from the matching start. */
  readonly offsets: ReadonlyArray<number>;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset at instant `t` (ms), to the second. */
export function offsetAt(zone: string, t: number): number {
  const whole = Math.floor(t / 1000) * 1000;
  const parts = formatter(zone).formatToParts(whole);
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  const wall = Date.UTC(bc ? 1 - y : y, mo - 1, d, h, mi, s);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  const fixed = y < 100 || bc ? new Date(wall).setUTCFullYear(bc ? 1 - y : y) : wall;
  return fixed - whole;
}

const SAMPLE = 6 * 3600_000;
const cache = new Map<string, Map<number, OffsetSegments>>();

/**
 * Offset segments covering [from, to). Transitions are located to the second by bisection
 * between samples six hours apart (no zone changes its offset twice within six hours).
 */
function scan(zone: string, from: number, to: number): OffsetSegments {
  const starts = [from];
  const offsets = [offsetAt(zone, from)];
  let prevT = from;
  let prevO = offsets[0] as number;
  for (let t = from + SAMPLE; ; t += SAMPLE) {
    const at = Math.min(t, to);
    const o = offsetAt(zone, at);
    if (o !== prevO) {
      let lo = prevT;
      let hi = at;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (offsetAt(zone, mid) === prevO) lo = mid;
        else hi = mid;
      }
      starts.push(hi);
      offsets.push(o);
      prevO = o;
    }
    prevT = at;
    if (at >= to) break;
  }
  return { starts, offsets };
}

/** Offset segments for the UTC calendar year `year`, with two days' margin each side; cached. */
export function yearSegments(zone: string, year: number): OffsetSegments {
  let byYear = cache.get(zone);
  if (byYear === undefined) {
    byYear = new Map();
    cache.set(zone, byYear);
  }
  let seg = byYear.get(year);
  if (seg === undefined) {
    seg = scan(zone, Date.UTC(year, 0, 1) - 2 * 86_400_000, Date.UTC(year + 1, 0, 1) + 2 * 86_400_000);
    byYear.set(year, seg);
  }
  return seg;
}
