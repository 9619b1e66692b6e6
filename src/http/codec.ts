import * as z from 'zod';

// z.date() in a domain schema becomes this at the edge: an ISO 8601 instant with an offset in
// JSON, a Date inside. Refinements on the domain schema see Dates, as they always did.
const isoInstant = z.codec(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with an offset, e.g. "2026-04-01T09:00:00Z"' }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

type Def = Record<string, unknown> & { type: string };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const clone = (s: z.ZodType, def: Def): z.ZodType => (s as unknown as { clone(d: Def): z.ZodType }).clone(def);

const cache = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The JSON form of a domain schema: the same schema with every `z.date()` reading an ISO 8601
 * string, so a request body parses straight into the domain's types (Dates inside) and the
 * domain keeps `Date`. Schemas without dates come back as they are.
 *
 * @example
 * ```ts
 * const body = jsonSchemaOf(OpenTicketInputSchema).parse(await request.json());
 * ```
 */
export function jsonSchemaOf<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>> {
  return convert(schema) as z.ZodType<z.output<S>>;
}

function convert(s: z.ZodType): z.ZodType {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const out = rebuild(s);
  cache.set(s, out);
  return out;
}

function rebuild(s: z.ZodType): z.ZodType {
  const d = defOf(s);
  const swap = (fields: Record<string, z.ZodType | ReadonlyArray<z.ZodType> | undefined>): z.ZodType => {
    let changed = false;
    const next: Def = { ...d };
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      const c = Array.isArray(v) ? v.map(convert) : convert(v as z.ZodType);
      changed ||= Array.isArray(v) ? (c as z.ZodType[]).some((x, i) => x !== v[i]) : c !== v;
      next[k] = c;
    }
    return changed ? clone(s, next) : s;
  };
  switch (d.type) {
    case 'date':
      return isoInstant;
    case 'object': {
      const shape = d['shape'] as Record<string, z.ZodType>;
      const next: Record<string, z.ZodType> = {};
      let changed = false;
      for (const [k, v] of Object.entries(shape)) {
        next[k] = convert(v);
        changed ||= next[k] !== v;
      }
      const catchall = d['catchall'] as z.ZodType | undefined;
      const rest = catchall === undefined ? undefined : convert(catchall);
      return changed || rest !== catchall ? clone(s, { ...d, shape: next, ...(rest === undefined ? {} : { catchall: rest }) }) : s;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return swap({ innerType: d['innerType'] as z.ZodType });
    case 'array':
      return swap({ element: d['element'] as z.ZodType });
    case 'union':
      return swap({ options: d['options'] as z.ZodType[] });
    case 'intersection':
      return swap({ left: d['left'] as z.ZodType, right: d['right'] as z.ZodType });
    case 'record':
      return swap({ keyType: d['keyType'] as z.ZodType, valueType: d['valueType'] as z.ZodType });
    case 'tuple':
      return swap({ items: d['items'] as z.ZodType[], rest: (d['rest'] as z.ZodType | null) ?? undefined });
    case 'pipe':
      // A codec already says how it reads JSON.
      if (typeof d['reverseTransform'] === 'function') return s;
      return swap({ in: d['in'] as z.ZodType, out: d['out'] as z.ZodType });
    default:
      // Strings, numbers, enums, literals, lazies (JSON values) and transforms carry no Date.
      return s;
  }
}

/**
 * The `override` of `z.toJSONSchema` for schemas at the edge: a Date is a `date-time` string
 * (without the full calendar regex of an ISO instant, which is noise in a document).
 */
export function datesAsStrings(ctx: { zodSchema: unknown; jsonSchema: unknown }): void {
  const js = ctx.jsonSchema as Record<string, unknown>;
  if (defOf(ctx.zodSchema as z.ZodType).type === 'date') {
    js['type'] = 'string';
    js['format'] = 'date-time';
  }
  if (js['format'] === 'date-time') delete js['pattern'];
}

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 uses) of a schema at the edge: Dates are ISO 8601
 * strings (`format: date-time`), `io` picks the request side (`input`: defaults optional) or the
 * response side (`output`).
 */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(io === 'input' ? convert(schema) : schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: datesAsStrings,
  }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}
