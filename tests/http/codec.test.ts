import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as z from 'zod';
import * as omotenashi from 'omotenashi';
import { jsonSchemaOf, toOpenApiSchema } from 'omotenashi/http';

type Def = { type: string } & Record<string, unknown>;
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The kinds of node reachable from a schema (lazies not followed: JSON values hold no Date). */
function kinds(s: z.ZodType, seen = new Set<z.ZodType>()): Set<string> {
  if (seen.has(s)) return new Set();
  seen.add(s);
  const d = defOf(s);
  // A codec is where JSON meets the domain: its inside is a Date by design.
  if (d.type === 'pipe' && typeof d['reverseTransform'] === 'function') return new Set(['codec']);
  const out = new Set([d.type]);
  const children: unknown[] = [d['innerType'], d['element'], d['left'], d['right'], d['keyType'], d['valueType'], d['in'], d['out'], d['rest'], d['catchall'], ...((d['options'] as unknown[]) ?? []), ...((d['items'] as unknown[]) ?? []), ...Object.values((d['shape'] as object) ?? {})];
  for (const c of children) if (c !== undefined && c !== null && typeof c === 'object' && '_zod' in c) for (const k of kinds(c as z.ZodType, seen)) out.add(k);
  return out;
}

const exported = Object.entries(omotenashi).filter(([name, v]) => name.endsWith('Schema') && v instanceof z.ZodType) as Array<[string, z.ZodType]>;

describe('JSON codecs at the edge', () => {
  it('turns every Date of every exported schema into an ISO 8601 string in its JSON form', () => {
    const withDates = exported.filter(([, s]) => kinds(s).has('date'));
    expect(withDates.length).toBeGreaterThan(20);
    for (const [name, s] of withDates) expect(kinds(jsonSchemaOf(s)).has('date'), name).toBe(false);
    // Schemas without a Date are used as they are.
    const plain = exported.find(([, s]) => !kinds(s).has('date'));
    expect(plain && jsonSchemaOf(plain[1])).toBe(plain?.[1]);
  });

  it('reads the JSON round trip of a record back into the same record, Dates and all (property)', () => {
    const S = z.object({ at: z.date(), list: z.array(z.object({ when: z.date().optional() })), map: z.record(z.string(), z.date()), pick: z.union([z.date(), z.string()]).nullable() }).refine((v) => v.at.getTime() >= 0, { message: 'after 1970', path: ['at'] });
    const date = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.record({ at: date, list: fc.array(fc.record({ when: fc.option(date, { nil: undefined }) }, { requiredKeys: [] })), map: fc.dictionary(fc.string({ minLength: 1 }), date), pick: fc.oneof(date, fc.constant(null)) }), (value) => {
        const decoded = jsonSchemaOf(S).parse(JSON.parse(JSON.stringify(value)));
        expect(decoded).toEqual(S.parse(value));
      }),
    );
    // Refinements still see Dates.
    expect(jsonSchemaOf(S).safeParse({ at: '1960-01-01T00:00:00Z', list: [], map: {}, pick: null }).error?.issues[0]?.message).toBe('after 1970');
  });

  it('refuses instants without an offset or that are not dates at all, naming the field', () => {
    const S = jsonSchemaOf(omotenashi.CustomerInputSchema);
    const base = { kind: 'external', displayName: 'A' };
    expect(S.safeParse({ ...base, purchases: [{ sku: 's', at: '2026-12-01T10:00:00+09:00' }] }).success).toBe(true);
    for (const at of ['2026-12-01T10:00:00', '2026-13-01T10:00:00Z', 'yesterday', 1764550800000]) {
      const r = S.safeParse({ ...base, purchases: [{ sku: 's', at }] });
      expect(r.error?.issues[0]?.path, String(at)).toEqual(['purchases', 0, 'at']);
    }
  });

  it('describes Dates as date-time strings in JSON Schema, on both sides', () => {
    expect(toOpenApiSchema(z.object({ at: z.date() }), 'input')).toMatchObject({ properties: { at: { type: 'string', format: 'date-time' } } });
    expect(toOpenApiSchema(z.object({ at: z.date() }), 'output')).toMatchObject({ properties: { at: { type: 'string', format: 'date-time' } } });
  });
});
