import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { ENGLISH_LEXICON, JAPANESE_LEXICON, type Lexicon, type SignalKind } from './lexicon.js';
import { SIGNAL_KINDS, type Signal } from '../domain/signal.js';

export { SignalSchema } from '../domain/signal.js';
export type { Signal } from '../domain/signal.js';

/** Where a detection runs, for detectors that care (a classifier may use the locale). */
export interface SignalContext {
  /** The customer's or message's locale, if known. */
  readonly locale?: string;
}

/**
 * The detector port: plug in a classifier of your own (an API call, a model) in place of or
 * beside the built-in lexicons. MUST return signals with spans inside the text; MAY be async.
 */
export interface SignalDetectorPort {
  /** A short name for error messages. */
  readonly name: string;
  /** Detect signals in a text. */
  detect(text: string, context?: SignalContext): ReadonlyArray<Signal> | Promise<ReadonlyArray<Signal>>;
}

const EN_NEGATORS = /\b(?:not|never|no|nothing|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|cannot|couldn't|without|hardly)\b(?:\s+\S+){0,3}\s*$/iu;
const JA_NEGATION_AFTER = /^[^。！？!?\n]{0,6}?(?:ない|ません|なし|無い|ず)/u;
const JA_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const WORD = '[\\p{L}\\p{N}]';

interface Compiled {
  readonly kind: SignalKind;
  readonly label: string;
  readonly confidence: number;
  readonly language: string;
  readonly regex?: RegExp;
  readonly substrings?: ReadonlyArray<string>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileLexicon(lexicon: Lexicon, at: string): Compiled[] {
  const substring = lexicon.language === 'ja' || lexicon.language.startsWith('ja-') || lexicon.language === 'zh' || lexicon.language.startsWith('zh-');
  return lexicon.entries.map((e, i) => {
    const where = `${at}.entries[${i}]`;
    if (!(SIGNAL_KINDS as ReadonlyArray<string>).includes(e.kind)) throw new ConfigError(`${where}.kind`, `"${e.kind}" is not a signal kind; use one of ${SIGNAL_KINDS.join(', ')}`);
    if (e.phrases.length === 0 || e.phrases.some((p) => p.trim() === '')) throw new ConfigError(`${where}.phrases`, 'give at least one non-empty phrase');
    const confidence = e.confidence ?? 0.8;
    if (!(confidence > 0 && confidence <= 1)) throw new ConfigError(`${where}.confidence`, 'a confidence is a number above 0 and at most 1');
    if (substring) return { kind: e.kind, label: e.label, confidence, language: lexicon.language, substrings: e.phrases };
    // Whole words; `*` inside or at the end of a word stands for any letters, or for the
    // asterisks people censor words with ("f*ck" matches "fuck" and "f*ck"; "frustrat*").
    const alternatives = e.phrases.map((p) =>
      p
        .trim()
        .split(/\s+/)
        .map((w) => w.split('*').map(escape).join('[\\p{L}\\p{N}*]*'))
        .join('\\s+'),
    );
    return { kind: e.kind, label: e.label, confidence, language: lexicon.language, regex: new RegExp(`(?<!${WORD})(?:${alternatives.join('|')})(?!${WORD})`, 'giu') };
  });
}

/** The built-in detector: synchronous, so it can also be used outside the desk. */
export interface LexiconSignalDetector extends SignalDetectorPort {
  /** Detect signals in a text, synchronously. */
  detect(text: string, context?: SignalContext): Signal[];
}

/** Options of {@link createSignalDetector}. */
export interface SignalDetectorOptions {
  /** Lexicons to add to the built-in English and Japanese ones (e.g. your product's own words). */
  readonly lexicons?: ReadonlyArray<Lexicon>;
  /** Use only `lexicons`, without the built-in ones. */
  readonly replaceBuiltIn?: boolean;
}

const DetectorOptionsSchema = z
  .object({
    replaceBuiltIn: z.boolean().optional(),
    lexicons: z
      .array(z.object({ language: z.string().min(1).max(35), entries: z.array(z.object({ kind: z.string(), label: z.string().min(1).max(100), phrases: z.array(z.string().max(200)).max(1000), confidence: z.number().optional() })).max(10_000) }))
      .optional(),
  })
  .strict();

/**
 * The built-in signal detector: English and Japanese lexicons, extensible. English matches whole
 * words, Japanese matches substrings (no whitespace assumptions). Negation is handled where it is
 * cheap: a negator shortly before an English match ("not angry"), or a negative ending shortly
 * after a Japanese one (「不満はありません」); negated signals are returned with `negated: true`
 * and a lower confidence. Shouting (capitals, "!!") raises the confidence of emotions.
 *
 * @example
 * ```ts
 * const detector = createSignalDetector();
 * detector.detect('I am really frustrated. Let me speak to your manager!');
 * // [{ kind: 'emotion', label: 'frustrated', ... }, { kind: 'supervisor_request', ... }]
 * detector.detect('責任者を出してください。消費者センターに相談します。');
 * ```
 * @throws ConfigError when an added lexicon is malformed.
 */
export function createSignalDetector(options: SignalDetectorOptions = {}): LexiconSignalDetector {
  const shape = DetectorOptionsSchema.safeParse(options);
  if (!shape.success) throw ConfigError.fromZod('signals', shape.error);
  const lexicons = [...(options.replaceBuiltIn ? [] : [ENGLISH_LEXICON, JAPANESE_LEXICON]), ...(options.lexicons ?? [])];
  const compiled = lexicons.flatMap((l, i) => compileLexicon(l, `lexicons[${i}]`));
  return {
    name: 'lexicon',
    detect(text) {
      const found: Signal[] = [];
      const shouting = /!{2,}/.test(text) || (text.replace(/[^A-Za-z]/g, '').length >= 8 && text === text.toUpperCase() && /[A-Z]/.test(text));
      const hasJapanese = JA_SCRIPT.test(text);
      const push = (c: Compiled, start: number, end: number): void => {
        const negated = c.substrings ? JA_NEGATION_AFTER.test(text.slice(end)) : EN_NEGATORS.test(text.slice(Math.max(0, start - 40), start));
        let confidence = c.confidence;
        if (negated) confidence *= 0.3;
        else if (shouting && c.kind === 'emotion') confidence = Math.min(1, confidence + 0.1);
        found.push({ kind: c.kind, label: c.label, span: [start, end], text: text.slice(start, end), confidence: Math.round(confidence * 100) / 100, language: c.language, negated });
      };
      for (const c of compiled) {
        if (c.regex) {
          c.regex.lastIndex = 0;
          for (let m = c.regex.exec(text); m !== null; m = c.regex.exec(text)) push(c, m.index, m.index + m[0].length);
        } else if (hasJapanese && c.substrings) {
          for (const phrase of c.substrings) {
            for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + phrase.length)) push(c, i, i + phrase.length);
          }
        }
      }
      // One signal per place: where phrases overlap (困って / 困ってい), keep the longer match.
      found.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
      const kept: Signal[] = [];
      for (const s of found) {
        const last = kept[kept.length - 1];
        if (last !== undefined && last.kind === s.kind && s.span[0] < last.span[1]) continue;
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
