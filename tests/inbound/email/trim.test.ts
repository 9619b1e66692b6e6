import { describe, expect, it } from 'vitest';
import { trimReply } from '../../../src/inbound/email/trim.js';
import { DEVELOPMENT_REPLIES, HELD_OUT_REPLIES, REPLIES, scoreTrimming } from '../../fixtures/replies/corpus.js';

describe('reply trimming on the labelled corpus', () => {
  it('has a held-out part of the corpus large enough to mean something', () => {
    expect(HELD_OUT_REPLIES.length).toBeGreaterThanOrEqual(12);
    expect(DEVELOPMENT_REPLIES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(REPLIES.map((c) => c.id)).size).toBe(REPLIES.length);
  });

  it('keeps the new text and drops the history on the tuning part', () => {
    const s = scoreTrimming(DEVELOPMENT_REPLIES, trimReply);
    expect(s.misses).toEqual([]);
    expect(s.recall).toBe(1);
  });

  it('keeps the new text and drops the history on the held-out part (thresholds: exact 0.85, line precision 0.95, line recall 0.98)', () => {
    const s = scoreTrimming(HELD_OUT_REPLIES, trimReply);
    expect(s.exact, `missed: ${s.misses.map((m) => m.id).join(', ')}`).toBeGreaterThanOrEqual(0.85);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.98);
  });

  it('never returns nothing: a message that is all quote is kept whole', () => {
    expect(trimReply('> only a quote').text).toBe('> only a quote');
    expect(trimReply('').text).toBe('');
  });
});
