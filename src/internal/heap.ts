/** A binary min-heap ordered by `before(a, b)` (true when `a` must come out first). */
export interface MinHeap<T> {
  readonly size: number;
  push(item: T): void;
  peek(): T | undefined;
  pop(): T | undefined;
}

export function createMinHeap<T>(before: (a: T, b: T) => boolean): MinHeap<T> {
  const items: T[] = [];
  const swap = (i: number, j: number): void => {
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  };
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(items[i] as T, items[p] as T)) return;
      swap(i, p);
      i = p;
    }
  };
  const down = (i: number): void => {
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && before(items[l] as T, items[m] as T)) m = l;
      if (r < n && before(items[r] as T, items[m] as T)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  return {
    get size() {
      return items.length;
    },
    push(item) {
      items.push(item);
      up(items.length - 1);
    },
    peek: () => items[0],
    pop() {
      const top = items[0];
      const last = items.pop();
      if (items.length > 0 && last !== undefined) {
        items[0] = last;
        down(0);
      }
      return top;
    },
  };
}
