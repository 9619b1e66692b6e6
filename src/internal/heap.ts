/**
 * A binary min-heap of values keyed by (time, sequence). The heap itself is three typed arrays
 * (time, sequence, slot); values sit still in a slot table and only their slot numbers move, so
 * a push or pop sifts numbers in cache and writes no object reference along the way: with a
 * million timers that is the difference that matters.
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

const grown = <A extends Float64Array | Int32Array>(from: A, into: A): A => {
  into.set(from);
  return into;
};

export function createTimerHeap<T>(): TimerHeap<T> {
  let ats = new Float64Array(64);
  let seqs = new Float64Array(64);
  let ids = new Int32Array(64);
  let free = new Int32Array(64);
  let freeCount = 0;
  const slots: Array<T | undefined> = [];
  let size = 0;
  const grow = (): void => {
    const n = ats.length * 2;
    ats = grown(ats, new Float64Array(n));
    seqs = grown(seqs, new Float64Array(n));
    ids = grown(ids, new Int32Array(n));
    free = grown(free, new Int32Array(n));
  };
  return {
    get size() {
      return size;
    },
    push(at, seq, value) {
      if (size === ats.length) grow();
      let id: number;
      if (freeCount > 0) {
        id = free[--freeCount] as number;
        slots[id] = value;
      } else {
        id = slots.length;
        slots.push(value);
      }
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const pa = ats[p] as number;
        if (pa < at || (pa === at && (seqs[p] as number) < seq)) break;
        ats[i] = pa;
        seqs[i] = seqs[p] as number;
        ids[i] = ids[p] as number;
        i = p;
      }
      ats[i] = at;
      seqs[i] = seq;
      ids[i] = id;
    },
    peek: () => (size === 0 ? undefined : slots[ids[0] as number]),
    peekAt: () => (size === 0 ? Infinity : (ats[0] as number)),
    pop() {
      if (size === 0) return undefined;
      const topId = ids[0] as number;
      const top = slots[topId];
      slots[topId] = undefined;
      free[freeCount++] = topId;
      const n = --size;
      if (n > 0) {
        const at = ats[n] as number;
        const seq = seqs[n] as number;
        const id = ids[n] as number;
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= n) break;
          const r = c + 1;
          let ca = ats[c] as number;
          if (r < n) {
            const ra = ats[r] as number;
            if (ra < ca || (ra === ca && (seqs[r] as number) < (seqs[c] as number))) {
              c = r;
              ca = ra;
            }
          }
          if (at < ca || (at === ca && seq < (seqs[c] as number))) break;
          ats[i] = ca;
          seqs[i] = seqs[c] as number;
          ids[i] = ids[c] as number;
          i = c;
        }
        ats[i] = at;
        seqs[i] = seq;
        ids[i] = id;
      }
      return top;
    },
  };
}
