import * as z from 'zod';
import { ConfigError } from '../errors.js';
import type { Lexicon } from './lexicon.js';
import { SIGNAL_KINDS, type Signal, type SignalKind } from '../domain/signal.js';
import { deinflect, type InflectionReason } from './deinflect.js';
import { ENGLISH_RULES, JAPANESE_RULES, type SignalRule } from './rules.js';
import { englishNegated, japaneseNegated, quotedOrReported, sentenceDoubt, sentences } from './scope.js';

export { SignalSchema } from '../domain/signal.js';
export type { Signal } from '../domain/signal.js';

/** Where a detection runs, for detectors that care (a classifier may use the locale). */
export interface SignalContext {
  /** The customer's or message's locale, if known. */
  readonly locale?: string;
}

/**
 * The detector port: plug in a classifier of your own (an API call, a model) in place of or
 * beside the built-in rules. MUST return signals with spans inside the text; MAY be async.
 * Measure it with `evaluateSignalDetector` before rules act on it.
 */
export interface SignalDetectorPort {
  /** A short name for error messages. */
  readonly name: string;
  /** Detect signals in a text. */
  detect(text: string, context?: SignalContext): ReadonlyArray<Signal> | Promise<ReadonlyArray<Signal>>;
}

const JA_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LATIN = /[A-Za-z]/;
const WORD = '[\\p{L}\\p{N}]';
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const substringLanguage = (language: string): boolean => /^(?:ja|zh)(?:-|$)/.test(language);

interface Compiled extends SignalRule {
  readonly global?: RegExp;
  readonly japanese: boolean;
}

function compile(rule: SignalRule): Compiled {
  const japanese = substringLanguage(rule.language);
  const global = rule.pattern === undefined ? undefined : new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[gy]/g, '')}g`);
  return { ...rule, japanese, ...(global === undefined ? {} : { global }) };
}

function lexiconRules(lexicon: Lexicon, at: string): SignalRule[] {
  const japanese = substringLanguage(lexicon.language);
  return lexicon.entries.map((e, i) => {
    const where = `${at}.entries[${i}]`;
    if (!(SIGNAL_KINDS as ReadonlyArray<string>).includes(e.kind)) throw new ConfigError(`${where}.kind`, `"${e.kind}" is not a signal kind; use one of ${SIGNAL_KINDS.join(', ')}`);
    if (e.phrases.length === 0 || e.phrases.some((p) => p.trim() === '' || p.trim() === '~')) throw new ConfigError(`${where}.phrases`, 'give at least one non-empty phrase');
    const confidence = e.confidence ?? 0.8;
    if (!(confidence > 0 && confidence <= 1)) throw new ConfigError(`${where}.confidence`, 'a confidence is a number above 0 and at most 1');
    const words = (p: string): string =>
      p
        .trim()
        .split(/\s+/)
        .map((w) => w.split('*').map(escape).join('[\\p{L}\\p{N}*]*'))
        .join('\\s+');
    const lemmas = japanese ? e.phrases.filter((p) => p.endsWith('~')).map((p) => p.slice(0, -1).trim()) : [];
    const literal = e.phrases.filter((p) => !japanese || !p.endsWith('~'));
    const source = japanese ? literal.map((p) => escape(p)).join('|') : `(?<!${WORD})(?:${literal.map(words).join('|')})(?!${WORD})`;
    const unless = e.unless === undefined || e.unless.length === 0 ? undefined : new RegExp(japanese ? e.unless.map(escape).join('|') : `(?<!${WORD})(?:${e.unless.map(words).join('|')})(?!${WORD})`, 'iu');
    return { kind: e.kind, label: e.label, language: lexicon.language, confidence, pattern: literal.length === 0 ? undefined : new RegExp(source, 'iu'), lemmas: lemmas.length === 0 ? undefined : lemmas, unless };
  });
}

/** Every place a Japanese dictionary form appears in `s`, conjugated or not, with the endings walked back. */
function lemmaMatches(s: string, lemma: string): Array<{ start: number; end: number; reasons: ReadonlyArray<InflectionReason> }> {
  const out: Array<{ start: number; end: number; reasons: ReadonlyArray<InflectionReason> }> = [];
  const stem = lemma.length > 1 ? lemma.slice(0, -1) : lemma;
  for (let i = s.indexOf(stem); i >= 0; i = s.indexOf(stem, i + 1)) {
    for (let len = Math.min(s.length - i, stem.length + 12); len >= stem.length; len--) {
      const found = deinflect(s.slice(i, i + len)).find((d) => d.term === lemma);
      if (found !== undefined) {
        out.push({ start: i, end: i + len, reasons: found.reasons });
        break;
      }
    }
  }
  return out;
}

/** The built-in detector: synchronous, so it can also be used outside the desk. */
export interface LexiconSignalDetector extends SignalDetectorPort {
  /** Detect signals in a text, synchronously. */
  detect(text: string, context?: SignalContext): Signal[];
}

/** Options of {@link createSignalDetector}. */
export interface SignalDetectorOptions {
  /** Lexicons to add to the built-in English and Japanese rules (e.g. your product's own words). */
  readonly lexicons?: ReadonlyArray<Lexicon>;
  /** Use only `lexicons`, without the built-in rules. */
  readonly replaceBuiltIn?: boolean;
}

const DetectorOptionsSchema = z
  .object({
    replaceBuiltIn: z.boolean().optional(),
    lexicons: z
      .array(
        z.object({
          language: z.string().min(1).max(35),
          entries: z.array(z.object({ kind: z.string(), label: z.string().min(1).max(100), phrases: z.array(z.string().max(200)).max(1000), confidence: z.number().optional(), unless: z.array(z.string().min(1).max(200)).max(1000).optional() })).max(10_000),
        }),
      )
      .optional(),
  })
  .strict();

interface Hit {
  readonly rule: Compiled;
  readonly start: number;
  readonly end: number;
  readonly negated: boolean;
}

function sentenceHits(rules: ReadonlyArray<Compiled>, s: string): Hit[] {
  const japanese = JA_SCRIPT.test(s);
  const latin = LATIN.test(s);
  const hits: Hit[] = [];
  for (const rule of rules) {
    if (rule.japanese ? !japanese : !latin) continue;
    if (rule.unless?.test(s) === true) continue;
    const spans: Array<{ start: number; end: number; reasons: ReadonlyArray<InflectionReason> }> = [];
    if (rule.global !== undefined) {
      rule.global.lastIndex = 0;
      for (let m = rule.global.exec(s); m !== null; m = rule.global.exec(s)) {
        if (m[0].length === 0) {
          rule.global.lastIndex++;
          continue;
        }
        spans.push({ start: m.index, end: m.index + m[0].length, reasons: [] });
      }
    }
    for (const lemma of rule.lemmas ?? []) spans.push(...lemmaMatches(s, lemma));
    for (const { start, end, reasons } of spans) {
      if (quotedOrReported(s, start, end)) continue;
      const negated = rule.fixed === true ? false : rule.japanese ? reasons.includes('negative') || japaneseNegated(s.slice(end)) : englishNegated(s, start);
      hits.push({ rule, start, end, negated });
    }
  }
  const overridden = new Set(hits.filter((h) => !h.negated).flatMap((h) => h.rule.overrides ?? []));
  return hits.filter((h) => !overridden.has(h.rule.kind));
}

/**
 * The built-in signal detector: English and Japanese rules, extensible with lexicons of your own.
 * It reads a text sentence by sentence: Japanese verbs and adjectives are matched in any
 * conjugation (rule-table deinflection), negation is scoped ("not angry", 「怒っているわけでは
 * ありません」), quoted or reported words are left out ("the agent told me to 'just sue us'"),
 * context words cancel triggers (`kill` + `process`, 「上司」 + 「承認」), and sarcasm cancels
 * gratitude ("thanks for nothing"); information questions weaken threats ("can I take you to court
 * for this?") and counterfactuals weaken threats and emotions ("if this were real I would be
 * furious"). Negated signals are returned with `negated: true` and a lower
 * confidence. A signal's confidence is the share of that rule's matches that were right on the
 * labelled corpus (see docs/signals.md for the measured precision and recall).
 *
 * @example
 * ```ts
 * const detector = createSignalDetector();
 * detector.detect('I am really frustrated. Let me speak to your manager!');
 * // [{ kind: 'emotion', label: 'frustrated', ... }, { kind: 'supervisor_request', ... }]
 * detector.detect('責任者を出してください。消費者センターに相談します。');
 * detector.detect('止まったプロセスを殺すにはどうすればいいですか。'); // []
 * ```
 * @throws ConfigError when an added lexicon is malformed.
 */
export function createSignalDetector(options: SignalDetectorOptions = {}): LexiconSignalDetector {
  const shape = DetectorOptionsSchema.safeParse(options);
  if (!shape.success) throw ConfigError.fromZod('signals', shape.error);
  const rules = [...(options.replaceBuiltIn ? [] : [...ENGLISH_RULES, ...JAPANESE_RULES]), ...(options.lexicons ?? []).flatMap((l, i) => lexiconRules(l, `lexicons[${i}]`))].map(compile);
  return {
    name: 'lexicon',
    detect(text) {
      const norm = text.replace(/[’‘]/g, "'");
      const found: Signal[] = [];
      for (const [from, to] of sentences(norm)) {
        const s = norm.slice(from, to);
        const doubt = sentenceDoubt(s);
        for (const h of sentenceHits(rules, s)) {
          const threat = h.rule.kind === 'legal_threat' || h.rule.kind === 'physical_threat';
          const formed = h.rule.confidence * (threat ? doubt.question : 1) * (threat || h.rule.kind === 'emotion' ? doubt.counterfactual : 1);
          const confidence = h.negated ? formed * 0.3 : formed;
          found.push({ kind: h.rule.kind, label: h.rule.label, span: [from + h.start, from + h.end], text: text.slice(from + h.start, from + h.end), confidence: Math.round(confidence * 100) / 100, language: h.rule.language, negated: h.negated });
        }
      }
      // One signal per place: where matches of one kind overlap, keep the longer.
      found.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
      const kept: Signal[] = [];
      for (const s of found) {
        if (kept.some((k) => k.kind === s.kind && s.span[0] < k.span[1] && k.span[0] < s.span[1])) continue;
        kept.push(s);
      }
      return kept;
    },
  };
}

/** The facts rules can use about an interaction's signals (negated ones left out). */
export interface SignalFacts {
  /** Kinds present, e.g. `['emotion', 'legal_threat']`. */
  readonly kinds: ReadonlyArray<SignalKind>;
  /** Labels present, e.g. `['angry', 'lawyer']`. */
  readonly labels: ReadonlyArray<string>;
  /** The highest confidence of each kind present. */
  readonly confidence: Readonly<Partial<Record<SignalKind, number>>>;
}

/** Summarise signals as facts for the condition language (`signals.kinds contains 'legal_threat'`). */
export function signalFacts(signals: ReadonlyArray<Signal>): SignalFacts {
  const live = signals.filter((s) => !s.negated);
  const confidence: Partial<Record<SignalKind, number>> = {};
  for (const s of live) confidence[s.kind] = Math.max(confidence[s.kind] ?? 0, s.confidence);
  return { kinds: [...new Set(live.map((s) => s.kind))], labels: [...new Set(live.map((s) => s.label))], confidence };
}
