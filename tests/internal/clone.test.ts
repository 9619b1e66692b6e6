import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneRecord } from '../../src/internal/clone.js';

describe('cloneRecord', () => {
  it('copies like structuredClone: equal, and sharing nothing mutable', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), fc.date({ noInvalidDate: true }), fc.constant(undefined), fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('any'), { maxKeys: 4 })),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        const copy = cloneRecord(v);
        expect(copy).toEqual(structuredClone(v));
        if (typeof v === 'object' && v !== null) expect(copy).not.toBe(v);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps an own __proto__ key a key, and hands odd objects and cycles to structuredClone', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const copy = cloneRecord(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const map = new Map([['a', 1]]);
    expect(cloneRecord({ map }).map).toEqual(map);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const c = cloneRecord(cyclic);
    expect(c['a']).toBe(1);
    expect(c).not.toBe(cyclic);
  });
});
