import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTimerHeap } from '../../src/internal/heap.js';

describe('min-heap', () => {
  it('pops by time, then by sequence, for any sequence of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant(null)), { maxLength: 300 }), (ops) => {
        const heap = createTimerHeap<string>();
        const model: Array<[number, number]> = [];
        let seq = 0;
        for (const op of ops) {
          if (op === null) {
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const want = model.shift();
            expect(heap.peekAt()).toBe(want === undefined ? Infinity : want[0]);
            expect(heap.pop()).toBe(want === undefined ? undefined : `${want[0]}#${want[1]}`);
          } else {
            heap.push(op, seq, `${op}#${seq}`);
            model.push([op, seq++]);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
    );
  });
});
