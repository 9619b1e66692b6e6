import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileLinearRegex } from '../../src/rules/regex.js';

const RUNS = Number(process.env['REGEX_RUNS'] ?? 3000);

const { re } = fc.letrec((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', '.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-c1]', '[\\d_]', '\\b', '\\B', '^', '$', '\\.', '\\u0061', 'あ', '😀', '[^]', '[]'),
    tie('re').map((r) => `(${r as string})`),
    tie('re').map((r) => `(?:${r as string})`),
  ),
  piece: fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?')).map(([a, q]) => `${a as string}${q}`),
  seq: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((xs) => xs.join('')),
  re: fc.oneof({ depthSize: 'small' }, tie('seq'), fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a as string}|${b as string}`)),
}));
const text = fc.array(fc.constantFrom('a', 'b', 'c', '1', ' ', '_', '\n', '.', 'あ', '😀', '\uD800'), { maxLength: 14 }).map((xs) => xs.join(''));

const valid = (src: string): boolean => {
  try {
    new RegExp(src, 'u');
    return true;
  } catch {
    return false;
  }
};

describe('linear-time regex', () => {
  it('agrees with RegExp (u flag) on every pattern of the subset', () => {
    fc.assert(
      fc.property(re as fc.Arbitrary<string>, fc.array(text, { minLength: 1, maxLength: 5 }), (src, texts) => {
        fc.pre(valid(src));
        // The reference is a backtracking engine: groups under unbounded quantifiers nested three
        // deep can take it minutes on 14 characters (a seed found one). Ours is linear regardless.
        fc.pre((src.match(/\)(?:[*+]|\{\d*,\})/g) ?? []).length <= 2);
        const mine = compileLinearRegex(src);
        const theirs = new RegExp(src, 'u');
        for (const t of texts) {
          // V8 tries \B inside a surrogate pair (/\B/u.exec('a😀a').index is 2); positions between code points are what count.
          if (src.includes('\\B') && /[\uD800-\uDFFF]/.test(t)) continue;
          expect([src, t, mine.test(t)]).toEqual([src, t, theirs.test(t)]);
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('matches catastrophic patterns in one pass over the text', () => {
    const evil = compileLinearRegex('(a+)+$');
    expect(evil.test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(evil.test('a'.repeat(50))).toBe(true);
    expect(compileLinearRegex('(a|aa)*b').test('a'.repeat(10_000))).toBe(false);
    expect(compileLinearRegex('^(\\w+\\s?)*$').test(`${'word '.repeat(5000)}!`)).toBe(false);
  });

  it('refuses what needs backtracking, and programs too large, with a ConfigError', () => {
    for (const src of ['(a)\\1', '(?<x>a)\\k<x>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '\\p{L}', 'a{20000}', '(a{100}){200}']) {
      expect(() => compileLinearRegex(src), src).toThrow(ConfigError);
    }
    expect(() => compileLinearRegex('(unclosed')).toThrow(/not a valid regular expression/);
  });

  it('reads escapes, classes and astral characters as RegExp does', () => {
    const cases: Array<[string, string, boolean]> = [
      ['^\\u{1F600}$', '😀', true],
      ['^\\uD83D\\uDE00$', '😀', true],
      ['^.$', '😀', true],
      ['^[😀-😂]$', '😁', true],
      ['\\x41\\cJ', 'A\n', true],
      ['^[\\b]$', '\b', true],
      ['(?<year>\\d{4})-\\d{2}', 'on 2026-12', true],
      ['^[^\\s]+$', 'no spaces', false],
      ['\\bcat\\b', 'concatenate', false],
      ['\\Bcat\\B', 'concatenate', true],
    ];
    for (const [src, t, want] of cases) {
      expect([src, compileLinearRegex(src).test(t)]).toEqual([src, want]);
      expect(new RegExp(src, 'u').test(t)).toBe(want);
    }
  });
});
