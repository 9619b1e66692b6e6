import { describe, expect, it } from 'vitest';
import { createSignalDetector, ENGLISH_RULES, JAPANESE_RULES, type SignalKind } from 'omotenashi';
import { englishNegated, japaneseNegated, quotedOrReported, sentences } from '../../src/signals/scope.js';

const detector = createSignalDetector();
const live = (text: string) => detector.detect(text).filter((s) => !s.negated);

// One sentence per built-in rule that it alone must catch, and the label it reports.
const EXAMPLES: ReadonlyArray<readonly [string, SignalKind, string]> = [
  ['I am sick and tired of this', 'emotion', 'frustrated'],
  ['I am absolutely fuming', 'emotion', 'angry'],
  ['Gutted, honestly.', 'emotion', 'upset'],
  ['We are not happy with the service', 'emotion', 'upset'],
  ['I am worried about my order', 'emotion', 'stressed'],
  ['This is absurd', 'emotion', 'exasperated'],
  ['That is the third time I have asked', 'emotion', 'exasperated'],
  ['Still not working after the fix', 'emotion', 'exasperated'],
  ['Hello?! Anyone there', 'emotion', 'exasperated'],
  ['Oh great, it broke again', 'emotion', 'sarcasm'],
  ['I want to talk to your supervisor', 'supervisor_request', 'supervisor'],
  ['Please put me through to a manager', 'supervisor_request', 'supervisor'],
  ['Get me someone in charge', 'supervisor_request', 'supervisor'],
  ['Your manager, please.', 'supervisor_request', 'supervisor'],
  ['Please escalate my complaint', 'supervisor_request', 'escalation'],
  ['My solicitor will write to you', 'legal_threat', 'lawyer'],
  ['We will file a class action', 'legal_threat', 'lawsuit'],
  ['I am reporting you to the ombudsman', 'legal_threat', 'regulator'],
  ['I will hurt you', 'physical_threat', 'violence'],
  ['I will bring a knife next time', 'physical_threat', 'weapon'],
  ['I know where you live', 'physical_threat', 'indirect'],
  ['You absolute clown', 'abuse', 'insult'],
  ['You are useless', 'abuse', 'insult'],
  ['What a load of crap', 'abuse', 'profanity'],
  ['Shut up', 'abuse', 'dismissive'],
  ['Much appreciated', 'gratitude', 'thanks'],
  ['もううんざりです', 'emotion', 'frustrated'],
  ['本当に怒ってます', 'emotion', 'angry'],
  ['到底納得できません', 'emotion', 'angry'],
  ['がっかりしました', 'emotion', 'upset'],
  ['本当に困りました', 'emotion', 'upset'],
  ['心配で仕方ありません', 'emotion', 'stressed'],
  ['いつになったら直るんですか', 'emotion', 'exasperated'],
  ['さすがですね、また壊れました', 'emotion', 'sarcasm'],
  ['上長の方に代わってください', 'supervisor_request', 'supervisor'],
  ['訴えさせていただきます', 'legal_threat', 'lawsuit'],
  ['弁護士を立てます', 'legal_threat', 'lawyer'],
  ['消費者庁に申し立てます', 'legal_threat', 'regulator'],
  ['殴りに行きます', 'physical_threat', 'violence'],
  ['覚悟しとけ', 'physical_threat', 'indirect'],
  ['無能すぎる', 'abuse', 'insult'],
  ['くそ、またか', 'abuse', 'profanity'],
  ['おかげさまで直りました', 'gratitude', 'thanks'],
];

describe('signals: the built-in rule tables', () => {
  it.each(EXAMPLES)('%s → %s (%s)', (text, kind, label) => {
    expect(live(text).some((s) => s.kind === kind && s.label === label), JSON.stringify(detector.detect(text))).toBe(true);
  });

  it('every built-in rule label has an example above', () => {
    const labels = new Set([...ENGLISH_RULES, ...JAPANESE_RULES].map((r) => `${r.language} ${r.kind} ${r.label}`));
    const covered = new Set(EXAMPLES.map(([text, kind, label]) => `${/[぀-ヿ一-鿿]/u.test(text) ? 'ja' : 'en'} ${kind} ${label}`));
    expect([...labels].filter((l) => !covered.has(l))).toEqual([]);
  });

  it('every rule’s confidence is a probability, and readings of context are below explicit words', () => {
    for (const r of [...ENGLISH_RULES, ...JAPANESE_RULES]) expect(r.confidence > 0 && r.confidence < 1, r.label).toBe(true);
    const max = (label: string) => Math.max(...[...ENGLISH_RULES, ...JAPANESE_RULES].filter((r) => r.label === label).map((r) => r.confidence));
    expect(max('indirect')).toBeLessThan(max('violence'));
    expect(max('indirect')).toBeLessThan(0.9);
  });

  it.each<[string, string]>([
    ['How do I kill a stuck process?', 'kill + process'],
    ['Please kill the job that has been running since Monday', 'kill + job'],
    ['Is there a manager role that can approve refunds?', 'manager + role'],
    ['We are running a stress test tonight', 'stress + test'],
    ['Our legal team needs the DPA', 'our legal team'],
    ['応答しないタスクを殺す方法を教えてください', '殺す + タスク'],
    ['経費精算は上司の承認が必要ですか', '上司 + 承認'],
    ['ストレステストでタイムアウトします', 'ストレス + テスト'],
    ['不安定な接続が続きます', '不安 inside 不安定'],
    ['残念ながら参加できません', '残念ながら, a set phrase'],
  ])('context cancels the trigger: %s (%s)', (text) => {
    expect(live(text)).toEqual([]);
  });
});

describe('signals: scope', () => {
  it('splits sentences in both scripts', () => {
    const text = 'Fine. Not fine! 大丈夫です。ダメです？ok';
    expect(sentences(text).map(([a, b]) => text.slice(a, b).trim())).toEqual(['Fine.', 'Not fine!', '大丈夫です。', 'ダメです？', 'ok']);
  });

  it('English negation reaches four words back, stops at a clause or a new subject, and passes reporting verbs', () => {
    const at = (s: string, w: string) => englishNegated(s, s.indexOf(w));
    expect(at('I am not angry', 'angry')).toBe(true);
    expect(at('I am not going to sue anyone', 'sue')).toBe(true);
    expect(at("If this isn't resolved I'll take legal action", 'legal')).toBe(false);
    expect(at('Not the delivery, but I am angry', 'angry')).toBe(false);
    expect(at('I never said I was unhappy', 'unhappy')).toBe(true);
    expect(at('No I really truly honestly am angry', 'angry')).toBe(false);
  });

  it('Japanese negation reads what follows, and leaves conditionals and 辞さない alone', () => {
    expect(japaneseNegated('はありません')).toBe(true);
    expect(japaneseNegated('いるわけではありません')).toBe(true);
    expect(japaneseNegated('るつもりはありません')).toBe(true);
    expect(japaneseNegated('しかありません')).toBe(false);
    expect(japaneseNegated('さないなら、弁護士に')).toBe(false);
    expect(japaneseNegated('も辞さない考えです')).toBe(false);
    expect(japaneseNegated('で仕方ありません')).toBe(false);
    expect(live('特に不満はありません')).toEqual([]);
    expect(live('怒っていないです')).toEqual([]);
    expect(live('不満しかありません').map((s) => s.kind)).toEqual(['emotion']);
  });

  it('quoted and reported words are somebody else’s', () => {
    const q = (s: string, w: string) => quotedOrReported(s, s.indexOf(w), s.indexOf(w) + w.length);
    expect(q('The agent told me to "just sue us then"', 'sue')).toBe(true);
    expect(q('My friend said I should call a lawyer', 'lawyer')).toBe(true);
    expect(q('前の担当者に「訴えればいい」と言われました', '訴え')).toBe(true);
    expect(q('友人に弁護士に相談したらと言われました', '弁護士')).toBe(true);
    expect(q('I will call a lawyer', 'lawyer')).toBe(false);
    expect(live('The agent told me to "just sue us then"')).toEqual([]);
  });

  it('an information question weakens a threat below the confidence to act; a counterfactual weakens emotions too', () => {
    const conf = (text: string, kind: string) => Math.max(0, ...detector.detect(text).filter((s) => s.kind === kind && !s.negated).map((s) => s.confidence));
    expect(conf('I will take you to court.', 'legal_threat')).toBeGreaterThanOrEqual(0.9);
    expect(conf('Can I take you to court for this?', 'legal_threat')).toBeLessThan(0.9);
    expect(conf('Can I take you to court for this?', 'legal_threat')).toBeGreaterThanOrEqual(0.5);
    expect(conf('訴える方法はありますか？', 'legal_threat')).toBeLessThan(0.9);
    expect(conf('訴えます。', 'legal_threat')).toBeGreaterThanOrEqual(0.9);
    expect(conf('If this were a real outage I would be furious.', 'emotion')).toBeLessThan(0.5);
    expect(conf('I am furious.', 'emotion')).toBeGreaterThan(0.9);
    // A request put as a question is still a request.
    expect(conf('Can I talk to your manager?', 'supervisor_request')).toBeGreaterThan(0.9);
  });

  it('sarcasm cancels gratitude in its sentence, not in the next one', () => {
    expect(live('Thanks for nothing.').map((s) => s.kind)).toEqual(['emotion']);
    expect(live('Thanks for nothing. Thank you, Sarah, though.').map((s) => s.kind).sort()).toEqual(['emotion', 'gratitude']);
    expect(live('ありがとうございます、おかげで丸一日無駄になりました。').map((s) => s.kind)).toEqual(['emotion']);
  });

  it('a lexicon of your own takes Japanese dictionary forms and words that cancel it', () => {
    const custom = createSignalDetector({
      replaceBuiltIn: true,
      lexicons: [
        { language: 'ja', entries: [{ kind: 'legal_threat', label: 'chargeback', phrases: ['チャージバック', '返金を求める~'], unless: ['方法'] }] },
        { language: 'en', entries: [{ kind: 'legal_threat', label: 'chargeback', phrases: ['chargeback*'], unless: ['how do'] }] },
      ],
    });
    expect(custom.detect('カード会社に返金を求めました').map((s) => s.text)).toEqual(['返金を求めました']);
    expect(custom.detect('チャージバックの方法は？')).toEqual([]);
    expect(custom.detect('I filed a chargeback').map((s) => s.label)).toEqual(['chargeback']);
    expect(custom.detect('How do chargebacks work?')).toEqual([]);
  });
});
