import { bench, describe } from 'vitest';
import { createSignalDetector, groupSimilar, terms } from 'omotenashi';
import { CORPUS } from '../fixtures/signals/corpus.js';
import { SUBJECTS } from '../fixtures/recurring/corpus.js';

// Reading 592 customer sentences and 200 e-mails of about 600 characters (English and Japanese)
// for signals. Baseline: a flat lexicon, the way the detector of earlier versions worked — one
// regular expression per entry over the whole text, English by words, Japanese by substrings.
const EN_WORDS = ['frustrat\\w*', 'fed up', 'angry', 'furious', 'upset', 'disappointed', 'unacceptable', 'ridiculous', 'supervisor', 'your manager', 'lawyer\\w*', 'attorney\\w*', 'sue', 'lawsuit', 'small claims', 'ombudsman', 'kill you', 'hurt you', 'idiot\\w*', 'stupid', 'useless', 'fuck\\w*', 'shit\\w*', 'thank you', 'thanks', 'grateful'];
const JA_WORDS = ['イライラ', 'うんざり', '不満', 'がっかり', '残念', '困って', '怒って', '腹が立', '許せない', '上司', '責任者', '上の人', '訴える', '訴えます', '訴訟', '裁判', '弁護士', '消費者センター', '殺す', '殴る', 'バカ', '役立たず', 'クソ', 'ありがとう', '感謝', '助かりました'];
const flat = [...EN_WORDS.map((w) => new RegExp(`\\b(?:${w})\\b`, 'giu')), ...JA_WORDS.map((w) => new RegExp(w, 'gu'))];
const flatDetect = (text: string): number => {
  let n = 0;
  for (const r of flat) {
    r.lastIndex = 0;
    while (r.exec(text) !== null) n++;
  }
  return n;
};

const sentences = CORPUS.map((s) => s.text);
const emails = Array.from({ length: 200 }, (_, i) => {
  const pick = sentences.filter((_, j) => j % 200 === i % 200 || j % 37 === i % 37);
  let text = '';
  while (text.length < 600) text += `${pick[text.length % pick.length]} `;
  return text;
});
const detector = createSignalDetector();

describe('signals: 592 sentences and 200 e-mails of ~600 characters', () => {
  bench('baseline: a flat lexicon (one regex per entry over the text)', () => {
    let n = 0;
    for (const t of sentences) n += flatDetect(t);
    for (const t of emails) n += flatDetect(t);
    if (n === 0) throw new Error('nothing found');
  });
  bench('omotenashi: createSignalDetector (sentences, deinflection, scope, context)', () => {
    let n = 0;
    for (const t of sentences) n += detector.detect(t).length;
    for (const t of emails) n += detector.detect(t).length;
    if (n === 0) throw new Error('nothing found');
  });
});

// Grouping 3,000 ticket subjects into recurring problems. Baseline: only reading their terms (the
// part any grouping must do), so the ratio is what the grouping itself adds.
const subjects = Array.from({ length: 3000 }, (_, i) => ({ text: `${SUBJECTS[i % SUBJECTS.length]?.subject ?? ''} #${i}`, tags: [] }));

describe('recurring problems: 3,000 subjects', () => {
  bench('baseline: terms of every subject', () => {
    let n = 0;
    for (const s of subjects) n += terms(s.text).length;
    if (n === 0) throw new Error('no terms');
  });
  bench('omotenashi: groupSimilar (terms, meanings, IDF, inverted index, merge)', () => {
    if (groupSimilar(subjects).length === 0) throw new Error('no groups');
  });
});
