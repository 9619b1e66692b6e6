import { deinflect } from '../signals/deinflect.js';
import { porter2 } from './porter2.js';

/**
 * Turning customer and article text into search terms, for English and Japanese alike: words
 * come from `Intl.Segmenter` (no whitespace assumptions); Latin words are lower-cased and stemmed
 * with Porter2; runs of Japanese characters become overlapping character bigrams (so ルーター
 * matches even where the dictionary splits it), with particles as boundaries, and a conjugated
 * verb or adjective also gives its dictionary forms (`~つながる` from つながらない and
 * つながりません alike).
 */

const STOP = new Set(
  'a an and are as at be been but by can could do does for from had has have hello hi how i if in into is it its me my no not of on or our please so that the their them there these they this to was we were what when where which who why will with would you your thanks thank regards dear'.split(' '),
);

const CJK = /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}ー々]/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;
// Particles and inflection endings end a run of Japanese characters (its bigrams); the dictionary
// forms of conjugated words are read from the text itself, since the segmenter splits verbs
// unevenly (つ|ながら|ない).
const JA_PARTICLES = new Set('が を に は で と も へ や の か ね よ な だ から まで より ので けど って こと もの ため よう これ それ この その どう ここ そこ まだ もう また すぐ とても ずっと'.split(' '));
const JA_ENDINGS = new Set('た て い し す れ ます ま せん ません です でし でした した して します しま ない なく なかっ ください くださ ござい ござ おり する され れる られる ている いる ある なる'.split(' '));
const DICTIONARY_ENDING = /[うくぐすつぬぶむるい]$/u;

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (s === undefined) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}

/**
 * The English stem of a word: Porter2 (the Snowball English stemmer), after a possessive `'s`.
 * "drops", "dropping" and "dropped" meet at "drop"; "connection" and "connected" at "connect".
 */
export function stem(word: string): string {
  return porter2(word.toLowerCase().replace(/['’]s$/, ''));
}

/** Candidate dictionary forms of a conjugated word (junk readings included: they are consistent, and rarely shared). */
function candidates(word: string, minLength: number): string[] {
  return deinflect(word)
    .filter((d) => d.reasons.length > 0 && d.term.length >= minLength && d.term !== `${word}る` && DICTIONARY_ENDING.test(d.term))
    .map((d) => `~${d.term}`);
}

/**
 * The dictionary forms of the verbs and adjectives in a run of Japanese: a kanji stem with its
 * kana ending (届かない → 届く, 落ちました → 落ちる), and words in hiragana alone (つながらない →
 * つながる); the longest reading that walks back wins.
 */
function baseForms(text: string): string[] {
  const out = new Set<string>();
  const take = (word: string, shortest: number, minLength: number): void => {
    if (DICTIONARY_ENDING.test(word) && word.length >= minLength) out.add(`~${word}`);
    for (let len = word.length; len >= shortest; len--) {
      const found = candidates(word.slice(0, len), minLength);
      if (found.length === 0) continue;
      for (const c of found) out.add(c);
      return;
    }
  };
  // Kanji with their kana endings, alone and joined to the next (繰り + 返します → 繰り返します).
  const units = [...text.matchAll(/([\p{Script=Han}々]+)(\p{Script=Hiragana}{1,10})/gu)];
  units.forEach((m, i) => {
    take(m[0], (m[1] as string).length + 1, 2);
    const next = units[i + 1];
    if (next !== undefined && next.index === (m.index as number) + m[0].length && (m[2] as string).length <= 2 && !JA_PARTICLES.has(m[2] as string)) take(m[0] + next[0], m[0].length + (next[1] as string).length + 1, 3);
  });
  for (const m of text.matchAll(/(?<![\p{Script=Han}々\p{Script=Hiragana}])\p{Script=Hiragana}{3,12}/gu)) {
    take(m[0], 3, 3);
    if (JA_PARTICLES.has(m[0][0] as string)) take(m[0].slice(1), 3, 3);
  }
  return [...out];
}

/**
 * The search terms of a text, in order (repeats kept, for term frequencies). `locale` picks the
 * segmenter's dictionary (default `ja`, whose ICU rules segment English words too).
 *
 * @example
 * ```ts
 * terms('Router reboots every night'); // ['router', 'reboot', 'everi', 'night']
 * terms('ルーターが毎晩再起動します'); // ['ルー', 'ータ', 'ター', '毎晩', '晩再', '再起', '起動', ...]
 * terms('つながらない').includes('~つながる'); // true
 * ```
 */
export function terms(text: string, locale = 'ja'): string[] {
  const out: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    run = '';
  };
  const normal = text.normalize('NFKC');
  for (const seg of segmenter(locale).segment(normal)) {
    if (seg.isWordLike !== true) {
      flush();
      continue;
    }
    const word = seg.segment.toLowerCase();
    if (CJK.test(word)) {
      if (HIRAGANA_ONLY.test(word) && (JA_PARTICLES.has(word) || JA_ENDINGS.has(word))) {
        flush();
        continue;
      }
      run += word;
      continue;
    }
    flush();
    if (STOP.has(word) || /^\d{1,2}$/.test(word)) continue;
    out.push(stem(word));
  }
  flush();
  if (CJK.test(normal)) out.push(...baseForms(normal));
  return out;
}
