/**
 * Japanese deinflection by rule tables: a conjugated verb or adjective (て/た/ない/ます, polite,
 * potential, passive, causative, volitional, imperative, conditional, たい, ている) is walked
 * back to its dictionary form, the way learners' dictionaries do it, without a dictionary. Every
 * candidate is returned; the caller checks which of them is a word it knows.
 */

/** A word class a rule reads or yields. */
type WordClass = 'v1' | 'v5' | 'vs' | 'vk' | 'adj' | 'masu' | 'te' | 'ta' | 'stem' | 'end';

/** Why a form was walked back: what the removed ending meant. */
export type InflectionReason =
  | 'negative'
  | 'polite'
  | 'past'
  | 'te'
  | 'progressive'
  | 'potential'
  | 'passive'
  | 'causative'
  | 'volitional'
  | 'imperative'
  | 'conditional'
  | 'desire'
  | 'stem'
  | 'adverbial'
  | 'completion'
  | 'benefactive';

interface Rule {
  readonly from: string;
  readonly to: string;
  /** Classes the inflected form must be able to have (chains: 訴えられて is a て-form of a ichidan verb). */
  readonly inflected: ReadonlyArray<WordClass>;
  readonly base: WordClass;
  readonly reason: InflectionReason;
}

// Godan rows: dictionary ending, then the a, i, e, o rows, then the て and た forms.
const GODAN: ReadonlyArray<readonly [string, string, string, string, string, string, string]> = [
  ['う', 'わ', 'い', 'え', 'お', 'って', 'った'],
  ['く', 'か', 'き', 'け', 'こ', 'いて', 'いた'],
  ['ぐ', 'が', 'ぎ', 'げ', 'ご', 'いで', 'いだ'],
  ['す', 'さ', 'し', 'せ', 'そ', 'して', 'した'],
  ['つ', 'た', 'ち', 'て', 'と', 'って', 'った'],
  ['ぬ', 'な', 'に', 'ね', 'の', 'んで', 'んだ'],
  ['ぶ', 'ば', 'び', 'べ', 'ぼ', 'んで', 'んだ'],
  ['む', 'ま', 'み', 'め', 'も', 'んで', 'んだ'],
  ['る', 'ら', 'り', 'れ', 'ろ', 'って', 'った'],
];

const r = (from: string, to: string, inflected: ReadonlyArray<WordClass>, base: WordClass, reason: InflectionReason): Rule => ({ from, to, inflected, base, reason });
/** Endings of one word class, each back to the same dictionary ending (or one chosen per ending). */
const table = (to: string | ((from: string) => string), base: WordClass, rows: ReadonlyArray<readonly [string, InflectionReason, ReadonlyArray<WordClass>]>): Rule[] =>
  rows.map(([from, reason, inflected]) => r(from, typeof to === 'string' ? to : to(from), inflected, base, reason));

function godanRules(): Rule[] {
  const rules: Rule[] = [];
  for (const [u, a, i, e, o, te, ta] of GODAN) {
    rules.push(
      r(`${a}ない`, u, ['adj'], 'v5', 'negative'),
      r(`${a}ず`, u, ['end'], 'v5', 'negative'),
      r(`${a}ん`, u, ['end'], 'v5', 'negative'),
      r(`${i}ます`, u, ['masu'], 'v5', 'polite'),
      r(`${i}たい`, u, ['adj'], 'v5', 'desire'),
      r(i, u, ['stem'], 'v5', 'stem'),
      r(te, u, ['te'], 'v5', 'te'),
      r(ta, u, ['ta'], 'v5', 'past'),
      r(`${ta}ら`, u, ['end'], 'v5', 'conditional'),
      r(`${ta}り`, u, ['end'], 'v5', 'past'),
      r(`${e}る`, u, ['v1'], 'v5', 'potential'),
      r(`${a}れる`, u, ['v1'], 'v5', 'passive'),
      r(`${a}せる`, u, ['v1'], 'v5', 'causative'),
      r(`${o}う`, u, ['end'], 'v5', 'volitional'),
      r(e, u, ['end'], 'v5', 'imperative'),
      r(`${e}ば`, u, ['end'], 'v5', 'conditional'),
    );
  }
  rules.push(r('行って', '行く', ['te'], 'v5', 'te'), r('行った', '行く', ['ta'], 'v5', 'past'), r('いって', 'いく', ['te'], 'v5', 'te'), r('いった', 'いく', ['ta'], 'v5', 'past'));
  return rules;
}

function ichidanAndIrregularRules(): Rule[] {
  const rules: Rule[] = [];
  rules.push(...table('る', 'v1', [
    ['ない', 'negative', ['adj']],
    ['ず', 'negative', ['end']],
    ['ます', 'polite', ['masu']],
    ['たい', 'desire', ['adj']],
    ['て', 'te', ['te']],
    ['た', 'past', ['ta']],
    ['たら', 'conditional', ['end']],
    ['られる', 'potential', ['v1']],
    ['れる', 'potential', ['v1']],
    ['させる', 'causative', ['v1']],
    ['よう', 'volitional', ['end']],
    ['ろ', 'imperative', ['end']],
    ['よ', 'imperative', ['end']],
    ['れば', 'conditional', ['end']],
    ['', 'stem', ['stem']],
  ] as const));
  rules.push(...table('する', 'vs', [
    ['しない', 'negative', ['adj']],
    ['します', 'polite', ['masu']],
    ['したい', 'desire', ['adj']],
    ['して', 'te', ['te']],
    ['した', 'past', ['ta']],
    ['される', 'passive', ['v1']],
    ['させる', 'causative', ['v1']],
    ['できる', 'potential', ['v1']],
    ['しよう', 'volitional', ['end']],
    ['しろ', 'imperative', ['end']],
    ['すれば', 'conditional', ['end']],
    ['し', 'stem', ['stem']],
  ] as const));
  rules.push(...table((from) => (from.startsWith('来') ? '来る' : 'くる'), 'vk', [
    ['こない', 'negative', ['adj']],
    ['きます', 'polite', ['masu']],
    ['きて', 'te', ['te']],
    ['きた', 'past', ['ta']],
    ['こよう', 'volitional', ['end']],
    ['こい', 'imperative', ['end']],
    ['来ない', 'negative', ['adj']],
    ['来ます', 'polite', ['masu']],
    ['来て', 'te', ['te']],
    ['来た', 'past', ['ta']],
    ['来い', 'imperative', ['end']],
  ] as const));
  return rules;
}

function adjectiveAndAuxiliaryRules(): Rule[] {
  return [
    r('く', 'い', ['end'], 'adj', 'adverbial'),
    r('くて', 'い', ['te'], 'adj', 'te'),
    r('かった', 'い', ['ta'], 'adj', 'past'),
    r('くない', 'い', ['adj'], 'adj', 'negative'),
    r('ければ', 'い', ['end'], 'adj', 'conditional'),
    r('そう', 'い', ['end'], 'adj', 'stem'),
    r('さ', 'い', ['end'], 'adj', 'stem'),
    r('くありません', 'い', ['end'], 'adj', 'negative'),
    r('いです', 'い', ['end'], 'adj', 'polite'),
    r('かったです', 'い', ['end'], 'adj', 'past'),
    // The polite ます forms chain back to ます, the progressive and auxiliaries to the て-form.
    r('ました', 'ます', ['end'], 'masu', 'past'),
    r('ません', 'ます', ['end'], 'masu', 'negative'),
    r('ませんでした', 'ます', ['end'], 'masu', 'negative'),
    r('ましょう', 'ます', ['end'], 'masu', 'volitional'),
    r('まして', 'ます', ['te'], 'masu', 'te'),
    r('ている', 'て', ['v1'], 'te', 'progressive'),
    r('てる', 'て', ['v1'], 'te', 'progressive'),
    r('ておる', 'て', ['v5'], 'te', 'progressive'),
    r('でいる', 'で', ['v1'], 'te', 'progressive'),
    r('でる', 'で', ['v1'], 'te', 'progressive'),
    r('てしまう', 'て', ['v5'], 'te', 'completion'),
    r('でしまう', 'で', ['v5'], 'te', 'completion'),
    r('ちゃう', 'て', ['v5'], 'te', 'completion'),
    r('じゃう', 'で', ['v5'], 'te', 'completion'),
    r('でおる', 'で', ['v5'], 'te', 'progressive'),
    r('てやる', 'て', ['v5'], 'te', 'benefactive'),
    r('でやる', 'で', ['v5'], 'te', 'benefactive'),
    r('てくる', 'て', ['vk'], 'te', 'te'),
    r('ていく', 'て', ['v5'], 'te', 'te'),
    r('ておく', 'て', ['v5'], 'te', 'te'),
    r('とく', 'て', ['v5'], 'te', 'te'),
  ];
}

const RULES = [...godanRules(), ...ichidanAndIrregularRules(), ...adjectiveAndAuxiliaryRules()];
const MAX_DEPTH = 6;

/** One way a word may be its dictionary form conjugated. */
export interface Deinflection {
  /** The candidate dictionary form (or an intermediate form on the way to it). */
  readonly term: string;
  /** The endings walked back, outermost first: `訴えられて` → passive after te. */
  readonly reasons: ReadonlyArray<InflectionReason>;
}

/**
 * Every candidate dictionary form of a Japanese word, the word itself first. Candidates are
 * guesses: `殺して` gives `殺す` (and `殺する`), and the caller keeps those it knows.
 *
 * @example
 * ```ts
 * deinflect('訴えてやる').some((d) => d.term === '訴える'); // true
 * deinflect('つながらない').find((d) => d.term === 'つながる')?.reasons; // ['negative']
 * ```
 */
export function deinflect(word: string): ReadonlyArray<Deinflection> {
  const known = MEMO.get(word);
  if (known !== undefined) return known;
  const out = walk(word);
  // Customers' words repeat, and detection and search both walk them: a bounded memo (cleared whole, not LRU: cheap).
  if (MEMO.size >= 20_000) MEMO.clear();
  MEMO.set(word, out);
  return out;
}

const MEMO = new Map<string, ReadonlyArray<Deinflection>>();

function walk(word: string): Deinflection[] {
  const out: Deinflection[] = [{ term: word, reasons: [] }];
  const seen = new Set<string>([`${word}|*`]);
  const queue: Array<{ term: string; reasons: InflectionReason[]; classes: ReadonlyArray<WordClass> | null }> = [{ term: word, reasons: [], classes: null }];
  for (let q = 0; q < queue.length; q++) {
    const cur = queue[q] as (typeof queue)[number];
    if (cur.reasons.length >= MAX_DEPTH) continue;
    for (const rule of RULES) {
      if (!cur.term.endsWith(rule.from) || cur.term.length - rule.from.length + rule.to.length < 2) continue;
      if (cur.classes !== null && !rule.inflected.some((c) => cur.classes?.includes(c))) continue;
      if (rule.from === '' && cur.classes !== null && !cur.classes.includes('stem')) continue;
      if (rule.from === '' && cur.reasons.length > 0) continue;
      const term = cur.term.slice(0, cur.term.length - rule.from.length) + rule.to;
      const key = `${term}|${rule.base}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const reasons = [...cur.reasons, rule.reason];
      out.push({ term, reasons });
      queue.push({ term, reasons, classes: [rule.base] });
    }
  }
  return out;
}
