export { SIGNAL_KINDS } from '../domain/signal.js';
export type { SignalKind } from '../domain/signal.js';
import type { SignalKind } from '../domain/signal.js';

/**
 * One entry of a lexicon you add to the detector: phrases that signal something. English (and
 * other space-separated) phrases match whole words, case insensitively; `*` inside or at the end
 * of a word matches any letters (`frustrat*`, `f*ck`). Japanese phrases match as substrings; a
 * Japanese phrase ending in `~` is a dictionary form matched in any conjugation (`怒る~` finds
 * 怒っています, 怒ってる, 怒りました).
 */
export interface LexiconEntry {
  /** What the phrases signal. */
  readonly kind: SignalKind;
  /** A finer label, e.g. `angry`, `chargeback`, `消費者センター`. */
  readonly label: string;
  /** The phrases. */
  readonly phrases: ReadonlyArray<string>;
  /** How sure a match is, 0–1 (default 0.8). Measure it: see `evaluateSignalDetector`. */
  readonly confidence?: number;
  /** Words that, in the same sentence, show the phrase means something else (`kill` + `process`). */
  readonly unless?: ReadonlyArray<string>;
}

/** A lexicon for one language. */
export interface Lexicon {
  /** `ja` or `zh` (substring matching), or another language (word matching). */
  readonly language: string;
  /** The entries. */
  readonly entries: ReadonlyArray<LexiconEntry>;
}
