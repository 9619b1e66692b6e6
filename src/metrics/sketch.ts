/**
 * A mergeable quantile sketch for durations (after DDSketch): values go into logarithmic buckets
 * whose width keeps every quantile within 1% of the true value. Adding is constant work, two
 * sketches merge by adding bucket counts, and the same values always give the same sketch,
 * whatever the order or the split between workers.
 */
export interface DurationSketch {
  /** How many values. */
  count: number;
  /** Their sum (exact, for the mean). */
  sum: number;
  min: number;
  max: number;
  /** Bucket index → count; index 0 holds zeros and values under 1. */
  buckets: Record<string, number>;
}

const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);

/** An empty sketch. */
export const emptySketch = (): DurationSketch => ({ count: 0, sum: 0, min: 0, max: 0, buckets: {} });

const bucketOf = (v: number): number => (v < 1 ? 0 : Math.ceil(Math.log(v) / LOG_GAMMA));
const valueOf = (i: number): number => (i === 0 ? 0 : (2 * GAMMA ** i) / (GAMMA + 1));

/** Add a value to a sketch, in place (constant work). */
export function addToSketch(s: DurationSketch, value: number): DurationSketch {
  const v = Math.max(0, value);
  const i = bucketOf(v);
  s.min = s.count === 0 ? v : Math.min(s.min, v);
  s.max = s.count === 0 ? v : Math.max(s.max, v);
  s.count++;
  s.sum += v;
  s.buckets[i] = (s.buckets[i] ?? 0) + 1;
  return s;
}

/** Add `b` into `a`, in place. */
export function mergeSketches(a: DurationSketch, b: DurationSketch): DurationSketch {
  if (b.count === 0) return a;
  a.min = a.count === 0 ? b.min : Math.min(a.min, b.min);
  a.max = a.count === 0 ? b.max : Math.max(a.max, b.max);
  a.count += b.count;
  a.sum += b.sum;
  for (const [i, c] of Object.entries(b.buckets)) a.buckets[i] = (a.buckets[i] ?? 0) + c;
  return a;
}

/** The `q` quantile (0–1, nearest rank) within 1%, clamped to the exact min and max; 0 for an empty sketch. */
export function sketchQuantile(s: Readonly<DurationSketch>, q: number): number {
  if (s.count === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * s.count));
  let seen = 0;
  const indexes = Object.keys(s.buckets)
    .map(Number)
    .sort((x, y) => x - y);
  for (const i of indexes) {
    seen += s.buckets[String(i)] as number;
    if (seen >= rank) return Math.min(s.max, Math.max(s.min, Math.round(valueOf(i))));
  }
  return s.max;
}

/** Count, mean, median and p90 of a sketch, in ms. */
export interface DurationSummary {
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  readonly p90: number;
}

/** Summarise a sketch. */
export function summarise(s: Readonly<DurationSketch>): DurationSummary {
  return { count: s.count, mean: s.count === 0 ? 0 : Math.round(s.sum / s.count), median: sketchQuantile(s, 0.5), p90: sketchQuantile(s, 0.9) };
}

/**
 * How many values fall in each bin between consecutive `edges` (ms), plus one bin past the last
 * edge; each bucket counts at its representative value (within 1%).
 */
export function sketchHistogram(s: Readonly<DurationSketch>, edges: ReadonlyArray<number>): number[] {
  const bins = Array.from({ length: edges.length + 1 }, () => 0);
  for (const [i, c] of Object.entries(s.buckets)) {
    const v = Math.min(s.max, Math.max(s.min, valueOf(Number(i))));
    let b = 0;
    while (b < edges.length && v >= (edges[b] as number)) b++;
    bins[b] = (bins[b] as number) + c;
  }
  return bins;
}
