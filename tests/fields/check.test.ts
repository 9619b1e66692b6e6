import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError, checkCustomFields, checkValue, defineFields, TICKET_TYPES, type FieldDefinition } from 'omotenashi';

const set = defineFields({
  ticket: [
    { key: 'amount', type: 'decimal', scale: 2 },
    { key: 'count', type: 'number', integer: true, min: 0, max: 1000 },
    { key: 'day', type: 'date' },
    { key: 'code', type: 'regex', pattern: '[A-Z]{2}-\\d{3}' },
    { key: 'tags', type: 'multi_enum', options: ['a', 'b', 'c'] },
    { key: 'plan', type: 'enum', options: ['basic', 'pro'], required: 'on_open', ticketTypes: ['order', 'complaint'] },
    { key: 'note', type: 'text', maxLength: 20 },
  ],
});
const def = (key: string): FieldDefinition => set.ticket.byKey.get(key) as FieldDefinition;
const ok = (key: string, v: unknown) => checkValue(def(key), v, set.ticket);

describe('custom field checks (properties)', () => {
  it('accepts every decimal with at most `scale` digits after the point, as a number or a string, and refuses more', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, '0')}`;
        const asNumber = ok('amount', Number(text));
        const asString = ok('amount', text);
        expect(asNumber).toEqual({ value: Number(text) });
        expect(asString).toEqual({ value: Number(text) });
        expect(typeof ok('amount', `${text}1`) === 'string' || Number(`${text}1`) === Number(text)).toBe(true);
      }),
    );
  });

  it('accepts exactly the real calendar dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        expect(typeof ok('day', s) !== 'string').toBe(real);
      }),
    );
  });

  it('normalises to a fixed point: a checked value checks to itself', () => {
    const values = fc.oneof(
      fc.tuple(fc.constant('count'), fc.integer({ min: -5, max: 1005 })),
      fc.tuple(fc.constant('tags'), fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 6 })),
      fc.tuple(fc.constant('note'), fc.string({ maxLength: 30 })),
      fc.tuple(fc.constant('code'), fc.stringMatching(/^[A-Z]{2}-\d{3}$/)),
      fc.tuple(fc.constant('code'), fc.string({ maxLength: 8 })),
    );
    fc.assert(
      fc.property(values, ([key, v]) => {
        const first = ok(key, v);
        if (typeof first === 'string') return;
        expect(ok(key, first.value)).toEqual(first);
      }),
    );
  });

  it('opening a ticket of any type either carries every required field that applies, or is refused naming the missing one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_TYPES), fc.option(fc.constantFrom('basic', 'pro'), { nil: undefined }), (type, plan) => {
        const given = plan === undefined ? {} : { plan };
        const applies = type === 'order' || type === 'complaint';
        try {
          const r = checkCustomFields(set, 'ticket', given, { stage: 'create', ticketType: type }, 'open');
          if (applies) expect(r.values['plan']).toBe(plan);
          else expect(plan).toBeUndefined();
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          const paths = (e as ValidationError).issues.map((i) => i.path.join('.'));
          expect(paths).toEqual(['customFields.plan']);
          expect(applies ? plan === undefined : plan !== undefined).toBe(true);
        }
      }),
    );
  });
});
