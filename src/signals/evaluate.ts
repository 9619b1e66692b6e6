import { SIGNAL_KINDS, type SignalKind } from '../domain/signal.js';
import { ValidationError } from '../errors.js';
import type { SignalDetectorPort } from './detect.js';

/** One sentence of an evaluation corpus, with every signal kind it carries. */
export interface LabelledSentence {
  /** The sentence, as a customer wrote it. */
  readonly text: string;
  /** Its language, e.g. `en` or `ja` (scores are reported per language). */
  readonly language: string;
  /** The kinds it carries; empty for a sentence that signals nothing. */
  readonly kinds: ReadonlyArray<SignalKind>;
}

/** Precision, recall and F1 of one kind, in one language or in all (`language: '*'`). */
export interface SignalScore {
  readonly kind: SignalKind;
  readonly language: string;
  /** Sentences labelled with the kind. */
  readonly support: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** `truePositives / (truePositives + falsePositives)`; 1 when nothing was detected. */
  readonly precision: number;
  /** `truePositives / support`; 1 when the kind has no support. */
  readonly recall: number;
  readonly f1: number;
}

/** Detections whose confidence fell in `[from, to)`, and how many of them were right. */
export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanConfidence: number;
  /** The share of these detections that the labels confirm. */
  readonly accuracy: number;
}

/** A sentence where the detector and the labels disagree. */
export interface SignalMistake {
  readonly text: string;
  readonly language: string;
  readonly expected: ReadonlyArray<SignalKind>;
  readonly detected: ReadonlyArray<SignalKind>;
}

/** What {@link evaluateSignalDetector} measured. */
export interface SignalEvaluation {
  /** Per kind and language, then per kind over all languages (`language: '*'`). */
  readonly scores: ReadonlyArray<SignalScore>;
  /** Reliability of the reported confidence, in bins of 0.1. */
  readonly calibration: ReadonlyArray<CalibrationBin>;
  /** The count-weighted mean gap between confidence and accuracy over the bins. */
  readonly expectedCalibrationError: number;
  readonly mistakes: ReadonlyArray<SignalMistake>;
}

/** Options of {@link evaluateSignalDetector}. */
export interface SignalEvaluationOptions {
  /** A detection counts from this confidence (default 0.5: what the recommended rules act on). */
  readonly minConfidence?: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

function score(kind: SignalKind, language: string, rows: ReadonlyArray<{ expected: ReadonlySet<SignalKind>; detected: ReadonlySet<SignalKind> }>): SignalScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const e = r.expected.has(kind);
    const d = r.detected.has(kind);
    if (e && d) tp++;
    else if (d) fp++;
    else if (e) fn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { kind, language, support: tp + fn, truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

/**
 * Measures a signal detector (the built-in one or your own behind {@link SignalDetectorPort})
 * against labelled sentences: precision, recall and F1 per kind and language, how far the
 * reported confidence is from the share of detections that are right, and the sentences it gets
 * wrong. A sentence's detected kinds are those of its non-negated signals at `minConfidence` or
 * above; a kind's confidence is the highest of its signals.
 *
 * @example
 * ```ts
 * const result = await evaluateSignalDetector(myHostedDetector, [
 *   { text: 'I will sue you', language: 'en', kinds: ['legal_threat'] },
 *   { text: 'How do I kill a stuck process?', language: 'en', kinds: [] },
 * ]);
 * result.scores.find((s) => s.kind === 'legal_threat' && s.language === '*')?.precision;
 * ```
 * @throws ValidationError when a sentence names an unknown kind.
 */
export async function evaluateSignalDetector(detector: SignalDetectorPort, sentences: ReadonlyArray<LabelledSentence>, options: SignalEvaluationOptions = {}): Promise<SignalEvaluation> {
  const min = options.minConfidence ?? 0.5;
  const rows: Array<{ sentence: LabelledSentence; expected: Set<SignalKind>; detected: Set<SignalKind>; confidence: Map<SignalKind, number> }> = [];
  for (const [i, sentence] of sentences.entries()) {
    const unknown = sentence.kinds.find((k) => !(SIGNAL_KINDS as ReadonlyArray<string>).includes(k));
    if (unknown !== undefined) throw new ValidationError('evaluateSignalDetector', [{ path: ['sentences', i, 'kinds'], code: 'invalid_value', message: `"${unknown}" is not a signal kind; use one of ${SIGNAL_KINDS.join(', ')}` }]);
    const confidence = new Map<SignalKind, number>();
    for (const s of await detector.detect(sentence.text, { locale: sentence.language })) {
      if (s.negated || s.confidence < min) continue;
      confidence.set(s.kind, Math.max(confidence.get(s.kind) ?? 0, s.confidence));
    }
    rows.push({ sentence, expected: new Set(sentence.kinds), detected: new Set(confidence.keys()), confidence });
  }
  const languages = [...new Set(sentences.map((s) => s.language))].sort();
  const scores: SignalScore[] = [];
  for (const kind of SIGNAL_KINDS) {
    for (const language of languages) scores.push(score(kind, language, rows.filter((r) => r.sentence.language === language)));
    scores.push(score(kind, '*', rows));
  }
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: 0, sum: 0, right: 0 }));
  for (const r of rows) {
    for (const [kind, c] of r.confidence) {
      const bin = bins[Math.min(9, Math.floor(c * 10))] as (typeof bins)[number];
      bin.count++;
      bin.sum += c;
      if (r.expected.has(kind)) bin.right++;
    }
  }
  const calibration = bins.filter((b) => b.count > 0).map((b) => ({ from: b.from, to: b.to, count: b.count, meanConfidence: b.sum / b.count, accuracy: b.right / b.count }));
  const total = calibration.reduce((n, b) => n + b.count, 0);
  const expectedCalibrationError = total === 0 ? 0 : calibration.reduce((n, b) => n + (b.count / total) * Math.abs(b.meanConfidence - b.accuracy), 0);
  const same = (a: ReadonlySet<SignalKind>, b: ReadonlySet<SignalKind>): boolean => a.size === b.size && [...a].every((k) => b.has(k));
  const mistakes = rows
    .filter((r) => !same(r.expected, r.detected))
    .map((r) => ({ text: r.sentence.text, language: r.sentence.language, expected: [...r.expected].sort(), detected: [...r.detected].sort() }));
  return { scores, calibration, expectedCalibrationError, mistakes };
}
