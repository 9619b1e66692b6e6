import { describe, expect, it } from 'vitest';
import { HELPDESK_SYNONYMS, groupSimilar } from 'omotenashi';
import { DEVELOPMENT_SUBJECTS, HELD_OUT_SUBJECTS, SUBJECTS, scoreGrouping } from '../fixtures/recurring/corpus.js';

describe('recurring problems: grouping measured on labelled subjects', () => {
  it('has at least 100 subjects in both languages, with whole problems held out', () => {
    expect(SUBJECTS.length).toBeGreaterThanOrEqual(100);
    expect(SUBJECTS.filter((s) => /[぀-ヿ]/u.test(s.subject)).length).toBeGreaterThan(SUBJECTS.length / 3);
    const dev = new Set(DEVELOPMENT_SUBJECTS.map((s) => s.group).filter((g) => g !== null));
    const held = new Set(HELD_OUT_SUBJECTS.map((s) => s.group).filter((g) => g !== null));
    expect([...held].filter((g) => dev.has(g))).toEqual([]);
    expect(held.size).toBeGreaterThanOrEqual(5);
  });

  it('puts reports of one problem together and keeps others apart, on the held-out problems', () => {
    const groups = groupSimilar(HELD_OUT_SUBJECTS.map((s) => ({ text: s.subject, tags: [] })));
    const score = scoreGrouping(HELD_OUT_SUBJECTS, groups);
    const shown = groups.map((g) => g.map((i) => HELD_OUT_SUBJECTS[i]?.subject).join(' | ')).join('\n');
    expect(score.purity, shown).toBeGreaterThanOrEqual(0.9);
    expect(score.pairRecall, shown).toBeGreaterThanOrEqual(0.85);
    expect(score.pairPrecision, shown).toBeGreaterThanOrEqual(0.85);
  });

  it('groups across languages through shared meanings, and takes synonyms of your own', () => {
    const groups = groupSimilar([
      { text: "Can't log in", tags: [] },
      { text: 'ログインできない', tags: [] },
      { text: 'Kettle lid cracked', tags: [] },
    ]);
    expect(groups).toEqual([[0, 1], [2]]);
    const custom = groupSimilar(
      [
        { text: 'Flux capacitor overheats', tags: [] },
        { text: 'フラックスキャパシタが熱くなる', tags: [] },
      ],
      { synonyms: [...HELPDESK_SYNONYMS, ['flux capacitor', 'フラックスキャパシタ'], ['overheat', '熱くなる', '熱い']] },
    );
    expect(custom).toEqual([[0, 1]]);
  });

  it('scores a grouping: purity, pair recall and pair precision', () => {
    const labelled = [
      { subject: 'a', group: 'x' },
      { subject: 'b', group: 'x' },
      { subject: 'c', group: 'y' },
      { subject: 'd', group: null },
    ];
    expect(scoreGrouping(labelled, [[0, 1], [2], [3]])).toEqual({ subjects: 4, purity: 1, pairRecall: 1, pairPrecision: 1 });
    expect(scoreGrouping(labelled, [[0, 1, 2, 3]])).toMatchObject({ purity: 0.5, pairRecall: 1, pairPrecision: 1 / 6 });
    expect(scoreGrouping(labelled, [[0], [1], [2], [3]])).toMatchObject({ purity: 1, pairRecall: 0 });
  });
});
