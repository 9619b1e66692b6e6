/**
 * A deep copy of a record: plain objects, arrays, Dates and primitives copied by hand, anything
 * else (Map, Set, typed arrays, class instances) and anything nested deeper than a record ever is
 * (a cycle, say) handed to `structuredClone`. Records are plain data, and for them this is
 * several times faster than `structuredClone`, which serialises through V8's value serializer.
 */
export function cloneRecord<T>(value: T): T {
  return copy(value, 0) as T;
}

const DEEP = 64;

function copy(v: unknown, depth: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (depth > DEEP) return structuredClone(v);
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], depth + 1);
    return out;
  }
  if (v instanceof Date) return new Date(v.getTime());
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const c = copy((v as Record<string, unknown>)[k], depth + 1);
    // An own "__proto__" key (JSON.parse makes them) must stay a key, not become the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
    else out[k] = c;
  }
  return out;
}
