import { terms } from './text.js';

/**
 * Phrases that mean one thing in customers' reports, in English and Japanese: each list is one
 * meaning ("crashes", 「落ちる」, 「強制終了」). Reports that share a meaning are grouped even
 * when they share no word. English phrases match as stemmed words in order; Japanese phrases as
 * text, and a Japanese verb in its dictionary form matches any of its conjugations.
 */
export const HELPDESK_SYNONYMS: ReadonlyArray<ReadonlyArray<string>> = [
  ['log in', 'login', 'sign in', 'signin', 'log on', 'ログイン', 'サインイン'],
  ['password', 'passcode', 'パスワード'],
  ['drop', 'disconnect', 'cut out', 'keeps dropping', 'lost connection', '切れる', '切断', 'つながらない', '繋がらない', '接続が切れ'],
  ['wifi', 'wi fi', 'wireless', 'wlan', 'internet', '無線', 'ネット'],
  ['reboot', 'restart', 'power cycle', '再起動', 'リブート'],
  ['router', 'modem', 'ルーター', 'モデム'],
  ['charged twice', 'billed twice', 'double charge', 'double billed', 'duplicate charge', 'duplicate payment', '二重請求', '二重に請求', '二重に引き落と', '2回引き落と', '二回引き落と'],
  ['refund', 'money back', '返金', '払い戻し'],
  ['crash', 'freez', 'closes by itself', 'force close', 'quits unexpectedly', '落ちる', 'クラッシュ', '強制終了', 'フリーズ'],
  ['app', 'application', 'アプリ'],
  ['package', 'parcel', 'delivery', 'delivered', 'shipment', 'courier', 'order', '配送', '配達', '荷物', '注文'],
  ['late', 'delayed', 'not arrived', "hasn't arrived", 'not delivered', 'still waiting', '遅れ', '遅延', 'まだ届'],
  ['not received', 'never arrives', 'never came', 'not arriving', "didn't get", 'not getting', '届かない', '届きません', '届いていない', '来ない', '来ません', '来なくなった'],
  ['email', 'e mail', 'mail', 'メール'],
  ['reset', '再設定', 'リセット'],
  ['cancel', 'unsubscribe', 'terminate', '解約', 'キャンセル', '退会'],
  ['subscription', 'plan', 'membership', 'サブスクリプション', 'サブスク', '定期購入', 'プラン'],
  ['invoice', 'receipt', '請求書', '領収書', 'インボイス'],
  ['slow', 'take forever', 'lag', 'sluggish', '遅い', '遅く', '重い', '時間がかかる'],
  ['website', 'site', 'page', 'web', 'サイト', 'ページ', 'ホームページ'],
  ['broken', 'damaged', 'cracked', 'smashed', 'shattered', 'defective', '壊れ', '破損', '割れ', '不良品'],
  ['notification', 'alert', 'push', '通知', 'プッシュ'],
  ['export', 'エクスポート', '書き出し'],
  ['battery', 'バッテリー', '電池'],
  ['drain', 'dies quickly', 'runs out', 'dies fast', '減りが早', 'すぐなくなる', '消耗'],
  ['declined', 'rejected', 'payment failed', "can't pay", 'unable to pay', '決済ができ', '支払いに失敗', '支払いができ', 'カードが使えない', '決済に失敗'],
  ['pay', 'payment', 'checkout', 'card', '支払', '決済', 'カード'],
  ['address', '住所', '配送先', '届け先'],
  ['2fa', 'two factor', 'verification code', 'otp', 'one time code', 'authentication code', 'sms code', '認証コード', '二段階認証', '2段階認証', 'ワンタイム', '確認コード'],
  ['printer', 'プリンター', 'プリンタ'],
  ['offline', 'オフライン'],
];

const CJK = /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}]/u;
const DICTIONARY_FORM = /[うくぐすつぬぶむる]$/u;

interface Phrase {
  readonly meaning: number;
  readonly english?: ReadonlyArray<string>;
  readonly japanese?: string;
}

/** The meanings of a text: the synonym lists it has a phrase of. */
export function meaningsOf(text: string, words: ReadonlyArray<string>, phrases: ReadonlyArray<Phrase>): number[] {
  const normal = text.normalize('NFKC').toLowerCase();
  const out = new Set<number>();
  for (const p of phrases) {
    if (out.has(p.meaning)) continue;
    if (p.japanese !== undefined) {
      if (normal.includes(p.japanese) || (DICTIONARY_FORM.test(p.japanese) && words.includes(`~${p.japanese}`))) out.add(p.meaning);
      continue;
    }
    const seq = p.english as ReadonlyArray<string>;
    for (let i = 0; i + seq.length <= words.length; i++) {
      if (seq.every((w, j) => words[i + j] === w || (w.length >= 4 && (words[i + j] as string).startsWith(w)))) {
        out.add(p.meaning);
        break;
      }
    }
  }
  return [...out];
}

/** Compile synonym lists for {@link meaningsOf}. */
export function compileSynonyms(lists: ReadonlyArray<ReadonlyArray<string>>): Phrase[] {
  return lists.flatMap((list, meaning) =>
    list.map((phrase): Phrase => (CJK.test(phrase) ? { meaning, japanese: phrase.normalize('NFKC').toLowerCase() } : { meaning, english: terms(phrase.replace(/['’]/g, ''), 'en').filter((w) => !w.startsWith('~')) })),
  );
}

/** Something to group: its text and tags. */
export interface Groupable {
  readonly text: string;
  readonly tags: ReadonlyArray<string>;
}

/** Options of {@link groupSimilar}. */
export interface GroupingOptions {
  /** How alike a report must be to a group (cosine of IDF-weighted features, 0–1; default 0.35). */
  readonly similarity?: number | undefined;
  /** Synonym lists (default {@link HELPDESK_SYNONYMS}). */
  readonly synonyms?: ReadonlyArray<ReadonlyArray<string>> | undefined;
  readonly locale?: string | undefined;
}

type Vector = Map<string, number>;

function cosine(a: Vector, b: Vector, na: number, nb: number): number {
  if (na === 0 || nb === 0) return 0;
  let dot = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) dot += v * w;
  }
  return dot / (na * nb);
}

const norm = (v: Vector): number => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));

/**
 * Group reports that say the same thing: each report's words (stemmed, Japanese bigrams and
 * dictionary forms), meanings (synonym lists) and tags, weighted by how rare they are in the
 * batch; a report joins the group it is most like (cosine to the group's centroid) from
 * `similarity`, in order, and groups that end up alike are merged. Returns groups of indexes.
 */
export function groupSimilar(items: ReadonlyArray<Groupable>, options: GroupingOptions = {}): number[][] {
  const threshold = options.similarity ?? 0.35;
  const phrases = compileSynonyms(options.synonyms ?? HELPDESK_SYNONYMS);
  const features = items.map((it) => {
    const text = it.text.replace(/[#№]?\d[\d-]*/g, ' ');
    const words = terms(text, options.locale ?? 'ja');
    return new Set([...words, ...meaningsOf(text, words, phrases).map((m) => `=${m}`), ...it.tags.map((t) => `#${t.toLowerCase()}`)]);
  });
  const df = new Map<string, number>();
  for (const f of features) for (const k of f) df.set(k, (df.get(k) ?? 0) + 1);
  const n = items.length;
  const vectors = features.map((f) => {
    const v: Vector = new Map();
    for (const k of f) v.set(k, (k.startsWith('=') ? 3 : k.startsWith('~') ? 0.5 : 1) * Math.log(1 + n / (df.get(k) ?? 1)));
    return v;
  });
  interface Group {
    members: number[];
    sum: Vector;
    norm: number;
    alive: boolean;
  }
  const groups: Group[] = [];
  // Only groups that share a feature can be alike: an inverted index keeps the search near-linear.
  const byFeature = new Map<string, Set<Group>>();
  const add = (g: Group, i: number, v: Vector): void => {
    g.members.push(i);
    for (const [k, w] of v) {
      g.sum.set(k, (g.sum.get(k) ?? 0) + w);
      let set = byFeature.get(k);
      if (set === undefined) byFeature.set(k, (set = new Set()));
      set.add(g);
    }
    g.norm = norm(g.sum);
  };
  const nearest = (v: Vector, nv: number, skip?: Group): [Group | undefined, number] => {
    let best: Group | undefined;
    let score = 0;
    const seen = new Set<Group>();
    for (const k of v.keys()) {
      for (const g of byFeature.get(k) ?? []) {
        if (g === skip || !g.alive || seen.has(g)) continue;
        seen.add(g);
        const s = cosine(v, g.sum, nv, g.norm);
        if (s > score || (s === score && best !== undefined && g.members[0] as number < (best.members[0] as number))) [best, score] = [g, s];
      }
    }
    return [best, score];
  };
  vectors.forEach((v, i) => {
    const nv = norm(v);
    let [best, score] = nv === 0 ? [undefined, 0] : nearest(v, nv);
    if (best === undefined || score < threshold) {
      best = { members: [], sum: new Map(), norm: 0, alive: true };
      groups.push(best);
    }
    add(best, i, v);
  });
  // Groups that grew alike (an early report came before its group's words settled) merge.
  for (let pass = 0, merged = true; merged && pass < 4; pass++) {
    merged = false;
    for (const g of groups) {
      if (!g.alive || g.norm === 0) continue;
      for (let [other, score] = nearest(g.sum, g.norm, g); other !== undefined && score >= threshold; [other, score] = nearest(g.sum, g.norm, g)) {
        const [keep, gone] = (other.members[0] as number) < (g.members[0] as number) ? [other, g] : [g, other];
        gone.alive = false;
        for (const i of gone.members) add(keep, i, vectors[i] as Vector);
        keep.members.sort((x, y) => x - y);
        merged = true;
        if (keep !== g) break;
      }
    }
  }
  return groups.filter((g) => g.alive).map((g) => g.members);
}
