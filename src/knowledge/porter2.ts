/**
 * The Porter2 ("English") stemmer of the Snowball project, by its published definition, written
 * out so the core keeps its three runtime dependencies. A differential test checks it against the
 * Snowball project's own JavaScript build, word by word.
 */

const EXCEPTIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  skis: 'ski',
  skies: 'sky',
  dying: 'die',
  lying: 'lie',
  tying: 'tie',
  idly: 'idl',
  gently: 'gentl',
  ugly: 'ugli',
  early: 'earli',
  only: 'onli',
  singly: 'singl',
  sky: 'sky',
  news: 'news',
  howe: 'howe',
  atlas: 'atlas',
  cosmos: 'cosmos',
  bias: 'bias',
  andes: 'andes',
}));
const AFTER_1A = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed']);

const isVowel = (c: string | undefined): boolean => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y';

/** R1 and R2: the regions after the first non-vowel that follows a vowel (R2: within R1). */
function regions(w: string): [number, number] {
  const after = (from: number): number => {
    for (let i = from + 1; i < w.length; i++) if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    return w.length;
  };
  const special = /^(?:gener|commun|arsen)/.exec(w);
  const r1 = special === null ? after(0) : special[0].length;
  return [r1, after(r1)];
}

/** A short syllable ends at `end` (exclusive): vowel + non-vowel (not w, x, Y) after a non-vowel, or vowel + non-vowel at the start. */
function shortSyllableAt(w: string, end: number): boolean {
  const c = w[end - 1];
  const v = w[end - 2];
  if (end === 2) return isVowel(v) && !isVowel(c);
  return end >= 3 && !isVowel(w[end - 3]) && isVowel(v) && !isVowel(c) && c !== 'w' && c !== 'x' && c !== 'Y';
}

const isShortWord = (w: string, r1: number): boolean => r1 >= w.length && shortSyllableAt(w, w.length);

/** The longest of `suffixes` that `w` ends with. */
function longest(w: string, suffixes: ReadonlyArray<string>): string | undefined {
  let best: string | undefined;
  for (const s of suffixes) if (w.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
  return best;
}

function step1a(w: string): string {
  const s = longest(w, ['sses', 'ied', 'ies', 's', 'us', 'ss']);
  if (s === 'sses') return `${w.slice(0, -4)}ss`;
  if (s === 'ied' || s === 'ies') return w.length > 4 ? `${w.slice(0, -3)}i` : `${w.slice(0, -3)}ie`;
  if (s === 's') {
    const stem = w.slice(0, -1);
    for (let i = 0; i < stem.length - 1; i++) if (isVowel(stem[i])) return stem;
  }
  return w;
}

function step1b(w: string, r1: number): string {
  const s = longest(w, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
  if (s === undefined) return w;
  if (s === 'eed' || s === 'eedly') return w.length - s.length >= r1 ? `${w.slice(0, -s.length)}ee` : w;
  const stem = w.slice(0, -s.length);
  if (![...stem].some(isVowel)) return w;
  if (/(?:at|bl|iz)$/.test(stem)) return `${stem}e`;
  if (/(?:bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(stem)) return stem.slice(0, -1);
  return isShortWord(stem, r1) ? `${stem}e` : stem;
}

const step1c = (w: string): string => (w.length > 2 && (w.endsWith('y') || w.endsWith('Y')) && !isVowel(w[w.length - 2]) ? `${w.slice(0, -1)}i` : w);

const STEP2: ReadonlyArray<readonly [string, string]> = [
  ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['entli', 'ent'], ['izer', 'ize'], ['ization', 'ize'],
  ['ational', 'ate'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['alli', 'al'], ['fulness', 'ful'],
  ['ousli', 'ous'], ['ousness', 'ous'], ['iveness', 'ive'], ['iviti', 'ive'], ['biliti', 'ble'], ['bli', 'ble'], ['ogi', 'og'],
  ['fulli', 'ful'], ['lessli', 'less'], ['li', ''],
];
const STEP2_MAP = new Map(STEP2);

function step2(w: string, r1: number): string {
  const s = longest(w, STEP2.map(([k]) => k));
  if (s === undefined || w.length - s.length < r1) return w;
  const stem = w.slice(0, -s.length);
  if (s === 'ogi' && !stem.endsWith('l')) return w;
  if (s === 'li' && !/[cdeghkmnrt]$/.test(stem)) return w;
  return stem + (STEP2_MAP.get(s) as string);
}

const STEP3: ReadonlyArray<readonly [string, string]> = [['tional', 'tion'], ['ational', 'ate'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''], ['ative', '']];
const STEP3_MAP = new Map(STEP3);

function step3(w: string, r1: number, r2: number): string {
  const s = longest(w, STEP3.map(([k]) => k));
  if (s === undefined || w.length - s.length < r1) return w;
  if (s === 'ative' && w.length - s.length < r2) return w;
  return w.slice(0, -s.length) + (STEP3_MAP.get(s) as string);
}

const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion'];

function step4(w: string, r2: number): string {
  const s = longest(w, STEP4);
  if (s === undefined || w.length - s.length < r2) return w;
  const stem = w.slice(0, -s.length);
  if (s === 'ion' && !/[st]$/.test(stem)) return w;
  return stem;
}

function step5(w: string, r1: number, r2: number): string {
  const at = w.length - 1;
  if (w.endsWith('e')) {
    if (at >= r2 || (at >= r1 && !shortSyllableAt(w, at))) return w.slice(0, -1);
    return w;
  }
  if (w.endsWith('ll') && at >= r2) return w.slice(0, -1);
  return w;
}

/**
 * The Porter2 stem of one lower-case English word: "dropping", "drops" and "dropped" give
 * "drop"; "connection" and "connected" give "connect"; "generously" gives "generous".
 *
 * @example
 * ```ts
 * porter2('dropping'); // 'drop'
 * porter2('happily'); // 'happili'
 * ```
 */
export function porter2(word: string): string {
  if (word.length <= 2) return word;
  const exception = EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  let w = word.startsWith("'") ? word.slice(1) : word;
  if (w.startsWith('y')) w = `Y${w.slice(1)}`;
  w = w.replace(/([aeiouy])y/g, '$1Y');
  const [r1, r2] = regions(w);
  w = w.replace(/'(?:s'?)?$/, '');
  w = step1a(w);
  if (AFTER_1A.has(w)) return w;
  w = step1b(w, r1);
  w = step1c(w);
  w = step2(w, r1);
  w = step3(w, r1, r2);
  w = step4(w, r2);
  w = step5(w, r1, r2);
  return w.replace(/Y/g, 'y');
}
