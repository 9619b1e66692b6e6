import { describe, expect, it } from 'vitest';
import { trimReply } from '../../../src/inbound/email/trim.js';
import { fnv1a } from '../../fixtures/hash.js';
import { REPLIES, type ReplyCase } from '../../fixtures/replies/corpus.js';

const heldOut = (c: ReplyCase): boolean => fnv1a(c.id) % 5 < 2;
const lines = (s: string): string[] => s.split('\n').map((x) => x.trim()).filter((x) => x !== '');

/** Exact matches, and line precision and recall of the kept text against the expected new text. */
function score(cases: ReadonlyArray<ReplyCase>) {
  let exact = 0;
  let kept = 0;
  let keptRight = 0;
  let wanted = 0;
  let wantedKept = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const got = trimReply(c.raw).text;
    if (got === c.expected) exact++;
    else misses.push(c.id);
    const g = lines(got);
    const e = new Set(lines(c.expected));
    kept += g.length;
    keptRight += g.filter((x) => e.has(x)).length;
    wanted += e.size;
    wantedKept += [...e].filter((x) => g.includes(x)).length;
  }
  return { exact: exact / cases.length, precision: keptRight / kept, recall: wantedKept / wanted, misses };
}

describe('reply trimming on the labelled corpus', () => {
  const dev = REPLIES.filter((c) => !heldOut(c));
  const held = REPLIES.filter(heldOut);

  it('has a held-out part of the corpus large enough to mean something', () => {
    expect(held.length).toBeGreaterThanOrEqual(12);
    expect(dev.length).toBeGreaterThanOrEqual(20);
    expect(new Set(REPLIES.map((c) => c.id)).size).toBe(REPLIES.length);
  });

  it('keeps the new text and drops the history on the tuning part', () => {
    const s = score(dev);
    expect(s.misses).toEqual([]);
    expect(s.recall).toBe(1);
  });

  it('keeps the new text and drops the history on the held-out part (thresholds: exact 0.85, line precision 0.95, line recall 0.98)', () => {
    const s = score(held);
    expect(s.exact, `missed: ${s.misses.join(', ')}`).toBeGreaterThanOrEqual(0.85);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.98);
  });

  it('never returns nothing: a message that is all quote is kept whole', () => {
    expect(trimReply('> only a quote').text).toBe('> only a quote');
    expect(trimReply('').text).toBe('');
  });
});
