import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { porter2, stem } from 'omotenashi';

// The Snowball project's own JavaScript build of the English stemmer is the reference.
const require = createRequire(import.meta.url);
const snowball = (require('snowball-stemmers') as { newStemmer(language: string): { stem(word: string): string } }).newStemmer('english');

function vocabulary(): string[] {
  const words = new Set<string>();
  const files = [
    ...readdirSync(new URL('../../docs/', import.meta.url)).filter((f) => f.endsWith('.md')).map((f) => new URL(`../../docs/${f}`, import.meta.url)),
    new URL('../../README.md', import.meta.url),
    new URL('../fixtures/signals/en.tsv', import.meta.url),
  ];
  for (const file of files) for (const m of readFileSync(file, 'utf8').toLowerCase().matchAll(/[a-z]+(?:'[a-z]+)?/g)) words.add(m[0]);
  return [...words];
}

describe('Porter2', () => {
  it('stems as the published examples say', () => {
    const cases: Array<[string, string]> = [
      ['dropping', 'drop'], ['dropped', 'drop'], ['drops', 'drop'], ['connection', 'connect'], ['generously', 'generous'],
      ['happily', 'happili'], ['skies', 'sky'], ['dying', 'die'], ['news', 'news'], ['proceed', 'proceed'], ['consign', 'consign'],
      ['consigned', 'consign'], ['knightly', 'knight'], ['generate', 'generat'], ['communication', 'communic'], ['arsenal', 'arsenal'],
      ['cried', 'cri'], ['ties', 'tie'], ['gas', 'gas'], ['kiwis', 'kiwi'], ['hoping', 'hope'], ['hopping', 'hop'], ['yelling', 'yell'],
    ];
    for (const [word, want] of cases) expect(porter2(word), word).toBe(want);
  });

  it('agrees with the Snowball reference on every word of the docs, the README and the signals corpus', () => {
    const words = vocabulary();
    expect(words.length).toBeGreaterThan(2000);
    const differ = words.filter((w) => porter2(w) !== snowball.stem(w));
    expect(differ).toEqual([]);
  });

  it('property: agrees with the Snowball reference on any lower-case word', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^'?[a-z]{1,14}(?:'s?)?$/), (word) => {
        expect(porter2(word)).toBe(snowball.stem(word));
      }),
      { numRuns: Number(process.env.STEMMER_RUNS ?? 3000) },
    );
  });

  it('the search stem lower-cases and drops a possessive first', () => {
    expect(stem("Router's")).toBe('router');
    expect(stem('REBOOTING')).toBe('reboot');
    expect(stem('constructor')).toBe('constructor');
  });
});
