export { SIGNAL_KINDS } from '../domain/signal.js';
import type { SignalKind } from '../domain/signal.js';
export type { SignalKind } from '../domain/signal.js';

/**
 * One lexicon entry: phrases that signal something. English phrases match whole words, case
 * insensitively; a trailing `*` matches any word ending (`frustrat*`). Japanese phrases match as
 * substrings (Japanese has no spaces between words).
 */
export interface LexiconEntry {
  /** What the phrases signal. */
  readonly kind: SignalKind;
  /** A finer label, e.g. `angry`, `frustrated`, `lawyer`, `消費者センター`. */
  readonly label: string;
  /** The phrases. */
  readonly phrases: ReadonlyArray<string>;
  /** How sure a match is, 0–1 (default 0.8). Ambiguous words get less. */
  readonly confidence?: number;
}

/** A lexicon for one language. */
export interface Lexicon {
  /** `en` (word matching) or `ja` (substring matching); other languages use word matching. */
  readonly language: string;
  /** The entries. */
  readonly entries: ReadonlyArray<LexiconEntry>;
}

/** The built-in English lexicon. */
export const ENGLISH_LEXICON: Lexicon = {
  language: 'en',
  entries: [
    { kind: 'emotion', label: 'frustrated', phrases: ['frustrat*', 'fed up', 'sick of', 'sick and tired'] },
    { kind: 'emotion', label: 'stressed', phrases: ['stressed', 'stressful', 'stress', 'overwhelmed', 'anxious', 'worried'] , confidence: 0.7 },
    { kind: 'emotion', label: 'upset', phrases: ['upset', 'disappointed', 'disappointing', 'unhappy', 'let down'] },
    { kind: 'emotion', label: 'angry', phrases: ['angry', 'furious', 'livid', 'outraged', 'annoyed', 'infuriat*', 'unacceptable', 'ridiculous', 'disgrace*'] },
    { kind: 'supervisor_request', label: 'supervisor', phrases: ['supervisor', 'your manager', 'a manager', 'the manager', 'someone in charge', 'someone more senior', 'speak to someone else', 'talk to someone else', 'escalate this'], confidence: 0.85 },
    { kind: 'legal_threat', label: 'lawyer', phrases: ['lawyer*', 'attorney*', 'solicitor*', 'legal action', 'legal advice'], confidence: 0.9 },
    { kind: 'legal_threat', label: 'lawsuit', phrases: ['sue', 'suing', 'lawsuit', 'take you to court', 'small claims', 'see you in court'], confidence: 0.9 },
    { kind: 'legal_threat', label: 'regulator', phrases: ['ombudsman', 'trading standards', 'consumer protection', 'report you to'], confidence: 0.75 },
    { kind: 'physical_threat', label: 'violence', phrases: ['kill you', 'hurt you', 'beat you', 'punch you', 'smash your', 'burn down', 'come down there and'], confidence: 0.9 },
    { kind: 'physical_threat', label: 'weapon', phrases: ['bring a gun', 'my gun', 'a knife'], confidence: 0.8 },
    { kind: 'abuse', label: 'insult', phrases: ['idiot*', 'stupid', 'moron*', 'imbecile*', 'useless', 'incompetent', 'pathetic'], confidence: 0.75 },
    { kind: 'abuse', label: 'profanity', phrases: ['fuck*', 'f*ck*', 'shit*', 'bullshit', 'bastard*', 'asshole*', 'damn', 'crap'], confidence: 0.85 },
    { kind: 'abuse', label: 'dismissive', phrases: ['shut up'], confidence: 0.8 },
    { kind: 'gratitude', label: 'thanks', phrases: ['thank you', 'thanks', 'thank u', 'thx', 'much appreciated', 'appreciate it', 'grateful', 'cheers'], confidence: 0.85 },
  ],
};

/** The built-in Japanese lexicon (substring matching). */
export const JAPANESE_LEXICON: Lexicon = {
  language: 'ja',
  entries: [
    { kind: 'emotion', label: 'frustrated', phrases: ['イライラ', 'いらいら', 'うんざり', 'いい加減にして'] },
    { kind: 'emotion', label: 'upset', phrases: ['不満', 'がっかり', '残念', '困って', '困ってい'], confidence: 0.7 },
    { kind: 'emotion', label: 'angry', phrases: ['怒り', '怒って', '腹が立', '腹立たし', '頭にくる', '頭に来', 'ふざけるな', 'ふざけないで', '許せない'] },
    { kind: 'emotion', label: 'stressed', phrases: ['ストレス', '不安', '心配'], confidence: 0.65 },
    { kind: 'supervisor_request', label: 'supervisor', phrases: ['上司', '責任者', '上の人', '店長を', '担当者を変えて', '偉い人'], confidence: 0.85 },
    { kind: 'legal_threat', label: 'lawsuit', phrases: ['訴える', '訴えます', '訴訟', '裁判', '法的措置', '法的手段'], confidence: 0.9 },
    { kind: 'legal_threat', label: 'lawyer', phrases: ['弁護士'], confidence: 0.85 },
    { kind: 'legal_threat', label: 'regulator', phrases: ['消費者センター', '消費生活センター', '国民生活センター', '警察に'], confidence: 0.8 },
    { kind: 'physical_threat', label: 'violence', phrases: ['殺す', 'ぶっ殺', '殴る', 'ぶん殴', '火をつけ', '覚えてろ', '覚えておけ'], confidence: 0.9 },
    { kind: 'abuse', label: 'insult', phrases: ['バカ', 'ばか', '馬鹿', 'アホ', 'あほ', '役立たず', '無能', 'クズ'], confidence: 0.8 },
    { kind: 'abuse', label: 'profanity', phrases: ['クソ', 'くそ', 'ちくしょう', '畜生'], confidence: 0.75 },
    { kind: 'gratitude', label: 'thanks', phrases: ['ありがとう', '有難う', '感謝', '助かりました', '助かります', 'お礼申し上げ'], confidence: 0.85 },
  ],
};
