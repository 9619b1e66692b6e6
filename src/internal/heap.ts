/**
 * A binary min-heap of values keyed by (time, sequence). Keys live in contiguous number arrays
 * beside the values, so sifting compares numbers in cache instead of chasing one object per
 * node: with a million timers that is the difference that matters.
 */
export interface TimerHeap<T> {
  readonly size: number;
  push(at: number, seq: number, value: T): void;
  /** The smallest entry's value, or undefined when empty. */
  peek(): T | undefined;
  /** The smallest entry's time, or Infinity when empty. */
  peekAt(): number;
  pop(): T | undefined;
}

export function createTimerHeap<T>(): TimerHeap<T> {
  const ats: number[] = [];
  const seqs: number[] = [];
  const vals: T[] = [];
  const less = (i: number, j: number): boolean => {
    const a = ats[i] as number;
    const b = ats[j] as number;
    return a < b || (a === b && (seqs[i] as number) < (seqs[j] as number));
  };
  const swap = (i: number, j: number): void => {
    const a = ats[i] as number;
    ats[i] = ats[j] as number;
    ats[j] = a;
    const s = seqs[i] as number;
    seqs[i] = seqs[j] as number;
    seqs[j] = s;
    const v = vals[i] as T;
    vals[i] = vals[j] as T;
    vals[j] = v;
  };
  return {
    get size() {
      return vals.length;
    },
    push(at, seq, value) {
      ats.push(at);
      seqs.push(seq);
      vals.push(value);
      let i = vals.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) break;
        swap(i, p);
        i = p;
      }
    },
    peek: () => vals[0],
    peekAt: () => (vals.length === 0 ? Infinity : (ats[0] as number)),
    pop() {
      const n = vals.length;
      if (n === 0) return undefined;
      const top = vals[0];
      const lastAt = ats.pop() as number;
      const lastSeq = seqs.pop() as number;
      const lastVal = vals.pop() as T;
      if (n > 1) {
        ats[0] = lastAt;
        seqs[0] = lastSeq;
        vals[0] = lastVal;
        const m = n - 1;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= m) break;
          const r = l + 1;
          const c = r < m && less(r, l) ? r : l;
          if (!less(c, i)) break;
          swap(i, c);
          i = c;
        }
      }
      return top;
    },
  };
}
