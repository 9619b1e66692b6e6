import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMinHeap } from '../../src/internal/heap.js';

describe('min-heap', () => {
  it('pops in sorted order for any sequence of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constant(null)), { maxLength: 300 }), (ops) => {
        const heap = createMinHeap<number>((a, b) => a < b);
        const model: number[] = [];
        for (const op of ops) {
          if (op === null) {
            model.sort((a, b) => a - b);
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(op);
            model.push(op);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
    );
  });
});
