/**
 * Turning customer and article text into search terms, for English and Japanese alike: words
 * come from `Intl.Segmenter` (no whitespace assumptions); Latin words are lower-cased and lightly
 * stemmed; runs of Japanese characters become overlapping character bigrams (so ルーター matches
 * even where the dictionary splits it, and つながらない meets つながりません), with particles and
 * endings such as が, を and ません as boundaries.
 */

const STOP = new Set(
  'a an and are as at be been but by can could do does for from had has have hello hi how i if in into is it its me my no not of on or our please so that the their them there these they this to was we were what when where which who why will with would you your thanks thank regards dear'.split(' '),
);

const CJK = /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}ー々]/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;
// Particles and endings that carry no topic: they end a run of Japanese characters. Other words
// written in hiragana alone (つながらない, "won't connect") stay in the run.
const JA_STOP = new Set('が を に は で と も へ や の か ね よ な だ た て い し す れ ます ま せん ません です でし でした した して します しま ない なく なかっ ください くださ から まで より ので けど って ござい ござ おり する され れる られる ている いる ある なる こと もの ため よう これ それ この その どう ここ そこ'.split(' '));

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
 * A light English stem: plurals, -ing and -ed endings, a doubled final consonant and a final
 * silent e, so "drops", "dropping" and "dropped" meet at "drop", and "update", "updates",
 * "updating" and "updated" at "updat".
 */
export function stem(word: string): string {
  let w = word;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('eed')) w = w.slice(0, -1);
  else if (w.length > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  if (w.length > 4 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** "dropp" → "drop", "runn" → "run"; double l, s and z stay ("fall", "miss", "buzz"). */
const undouble = (w: string): string => (/([b-df-hj-km-np-rtv-y])\1$/.test(w) ? w.slice(0, -1) : w);

/**
 * The search terms of a text, in order (repeats kept, for term frequencies). `locale` picks the
 * segmenter's dictionary (default `ja`, whose ICU rules segment English words too).
 *
 * @example
 * ```ts
 * terms('Router reboots every night'); // ['router', 'reboot', 'every', 'night']
 * terms('ルーターが毎晩再起動します'); // ['ルー', 'ータ', 'ター', '毎晩', '晩再', '再起', '起動']
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
  for (const seg of segmenter(locale).segment(text.normalize('NFKC'))) {
    if (seg.isWordLike !== true) {
      flush();
      continue;
    }
    const word = seg.segment.toLowerCase();
    if (CJK.test(word)) {
      if (HIRAGANA_ONLY.test(word) && JA_STOP.has(word)) {
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
  return out;
}
