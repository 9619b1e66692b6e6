import { describe, expect, it } from 'vitest';
import { createSignalDetector, evaluateSignalDetector, ValidationError, type SignalKind, type SignalScore } from 'omotenashi';
import { CORPUS, DEVELOPMENT, HELD_OUT } from '../fixtures/signals/corpus.js';

// The targets of the issue, enforced on the held-out part (the part never tuned on).
const TARGETS: Record<SignalKind, { precision: number; recall: number }> = {
  legal_threat: { precision: 0.95, recall: 0.9 },
  physical_threat: { precision: 0.95, recall: 0.9 },
  supervisor_request: { precision: 0.95, recall: 0.9 },
  emotion: { precision: 0.9, recall: 0.85 },
  abuse: { precision: 0.9, recall: 0.85 },
  gratitude: { precision: 0.9, recall: 0.85 },
};

describe('signals: measured on the labelled corpus', () => {
  it('has at least 400 sentences, half of each language, every kind in both parts', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(400);
    const en = CORPUS.filter((s) => s.language === 'en').length;
    expect(Math.abs(en - (CORPUS.length - en))).toBeLessThan(CORPUS.length * 0.1);
    expect(HELD_OUT.length / CORPUS.length).toBeGreaterThan(0.3);
    for (const kind of Object.keys(TARGETS) as SignalKind[]) {
      for (const language of ['en', 'ja']) {
        expect(HELD_OUT.filter((s) => s.language === language && s.kinds.includes(kind)).length, `${kind} ${language}`).toBeGreaterThanOrEqual(4);
        expect(DEVELOPMENT.filter((s) => s.language === language && s.kinds.includes(kind)).length, `${kind} ${language}`).toBeGreaterThanOrEqual(4);
      }
    }
    expect(new Set(CORPUS.map((s) => s.text)).size).toBe(CORPUS.length);
  });

  it('meets the precision and recall targets of every kind on the held-out part', async () => {
    const result = await evaluateSignalDetector(createSignalDetector(), HELD_OUT);
    const all = (kind: SignalKind): SignalScore => result.scores.find((s) => s.kind === kind && s.language === '*') as SignalScore;
    const misses = result.mistakes.map((m) => `[${m.expected.join(',')}] got [${m.detected.join(',')}] ${m.text}`).join('\n');
    for (const [kind, target] of Object.entries(TARGETS) as Array<[SignalKind, { precision: number; recall: number }]>) {
      expect(all(kind).precision, `${kind} precision\n${misses}`).toBeGreaterThanOrEqual(target.precision);
      expect(all(kind).recall, `${kind} recall\n${misses}`).toBeGreaterThanOrEqual(target.recall);
    }
  });

  it('reports a confidence that means something: close to the share of detections that are right', async () => {
    const result = await evaluateSignalDetector(createSignalDetector(), HELD_OUT);
    expect(result.expectedCalibrationError).toBeLessThan(0.1);
    for (const bin of result.calibration.filter((b) => b.count >= 10)) expect(Math.abs(bin.accuracy - bin.meanConfidence), `${bin.from}–${bin.to}`).toBeLessThan(0.2);
  });

  it('scores a detector of your own, per kind and language, and names the sentences it gets wrong', async () => {
    const naive = { name: 'naive', detect: (text: string) => (text.includes('sue') ? [{ kind: 'legal_threat' as const, label: 'x', span: [0, 1] as [number, number], text: text[0] ?? '', confidence: 0.6, language: 'en', negated: false }] : []) };
    const result = await evaluateSignalDetector(naive, [
      { text: 'I will sue you', language: 'en', kinds: ['legal_threat'] },
      { text: 'The suede is torn', language: 'en', kinds: [] },
      { text: 'My lawyer will call', language: 'en', kinds: ['legal_threat'] },
    ]);
    expect(result.scores.find((s) => s.kind === 'legal_threat' && s.language === 'en')).toMatchObject({ support: 2, truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5 });
    expect(result.mistakes.map((m) => m.text)).toEqual(['The suede is torn', 'My lawyer will call']);
    expect(result.calibration).toEqual([{ from: 0.6, to: 0.7, count: 2, meanConfidence: 0.6, accuracy: 0.5 }]);
    const strict = await evaluateSignalDetector(naive, [{ text: 'I will sue you', language: 'en', kinds: ['legal_threat'] }], { minConfidence: 0.7 });
    expect(strict.scores.find((s) => s.kind === 'legal_threat' && s.language === '*')?.recall).toBe(0);
    await expect(evaluateSignalDetector(naive, [{ text: 'x', language: 'en', kinds: ['rage' as SignalKind] }])).rejects.toThrow(ValidationError);
  });
});
