import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as omotenashi from 'omotenashi';

describe('docs/concepts.md errors table', () => {
  it('lists every error class with its code, as the code table has them', () => {
    const doc = readFileSync(new URL('../docs/concepts.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## Errors'));
    const rows = [...table.matchAll(/^\| `(\w+)` \| `(\w+)` \|/gm)].map((m) => [m[1], m[2]]);
    const classes = Object.entries(omotenashi).filter(([, v]) => typeof v === 'function' && v.prototype instanceof omotenashi.OmotenashiError) as Array<[string, new (...a: never[]) => omotenashi.OmotenashiError]>;
    // One row per class and code; a class may carry several codes (HttpError), each in the table once.
    const expected = classes.flatMap(([name]) => {
      const codes = Object.values(omotenashi.ERROR_CODES).filter((c) => table.includes(`| \`${name}\` | \`${c}\``));
      return codes.length === 0 ? [[name, `(no row for ${name})`]] : codes.map((code) => [name, code]);
    });
    expect(rows.sort()).toEqual(expected.sort());
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(Object.values(omotenashi.ERROR_CODES)));
  });
});
