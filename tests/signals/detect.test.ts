import { describe, expect, it } from 'vitest';
import { ConfigError, createSignalDetector, signalFacts, type SignalKind } from 'omotenashi';

const detector = createSignalDetector();
const kinds = (text: string) => [...new Set(detector.detect(text).filter((s) => !s.negated).map((s) => s.kind))].sort();

describe('signals: a table of English and Japanese sentences', () => {
  it.each<[string, SignalKind[]]>([
    // English, true positives
    ['I am really frustrated with this service.', ['emotion']],
    ["I'm so stressed, the launch is tomorrow", ['emotion']],
    ['This is completely unacceptable!!', ['emotion']],
    ['Let me speak to your manager.', ['supervisor_request']],
    ['I want a supervisor, now.', ['supervisor_request']],
    ['My lawyer will hear about this.', ['legal_threat']],
    ["I'm going to sue you.", ['legal_threat']],
    ["I'll see you in court", ['legal_threat']],
    ["If this happens again I'll come down there and smash your windows", ['physical_threat']],
    ['You are an idiot and this product is useless', ['abuse']],
    ['What the f*ck is going on', ['abuse']],
    ['Thank you so much, that fixed it!', ['gratitude']],
    ['Frustrated. Angry. I want your manager and my lawyer.', ['emotion', 'legal_threat', 'supervisor_request']],
    // English, false positives that must not fire
    ['Please kill the process and restart the router', []],
    ['Can you manage the account settings for me?', []],
    ['The lawn mower is broken', []],
    ['I suede-cleaned the shoes', []],
    ['I am not angry, just curious', []],
    ["I'm not frustrated at all", []],
    ['We never said we would sue anyone', []],
    // Japanese, true positives
    ['もうイライラします。何度電話すればいいんですか。', ['emotion']],
    ['対応にとても不満です。', ['emotion']],
    ['責任者を出してください。', ['supervisor_request']],
    ['上司と話させてください', ['supervisor_request']],
    ['弁護士に相談します。', ['legal_threat']],
    ['消費者センターに連絡します', ['legal_threat']],
    ['訴えますよ', ['legal_threat']],
    ['ぶっ殺すぞ', ['physical_threat']],
    ['バカじゃないの？役立たず！', ['abuse']],
    ['ご対応ありがとうございました。助かりました。', ['gratitude']],
    ['怒っています。責任者を出して。消費者センターに言います。', ['emotion', 'legal_threat', 'supervisor_request']],
    // Japanese, negations and neutral text
    ['特に不満はありません', []],
    ['怒っていないです', []],
    ['ルーターの設定方法を教えてください', []],
    ['配送状況を確認したいです', []],
  ])('%s', (text, expected) => {
    expect(kinds(text)).toEqual([...expected].sort());
  });
});

describe('signals: details', () => {
  it('known limitation: a word with two senses fires, with the lower confidence its entry gives', () => {
    const [s] = detector.detect('The stressed syllable is the second one');
    expect(s).toMatchObject({ kind: 'emotion', label: 'stressed' });
    expect(s?.confidence).toBeLessThan(0.9);
  });

  it('reports spans, labels, language and confidence', () => {
    const [s] = detector.detect('Honestly I am FURIOUS');
    expect(s).toMatchObject({ kind: 'emotion', label: 'angry', span: [14, 21], text: 'FURIOUS', language: 'en', negated: false });
    const ja = detector.detect('対応に不満があります。弁護士に相談します。');
    expect(ja.map((x) => [x.kind, x.text, x.span])).toEqual([
      ['emotion', '不満', [3, 5]],
      ['legal_threat', '弁護士', [11, 14]],
    ]);
  });

  it('keeps negated matches, marked and with less confidence', () => {
    const [s] = detector.detect('I am not angry');
    expect(s).toMatchObject({ kind: 'emotion', negated: true });
    expect(s?.confidence).toBeLessThan(0.5);
  });

  it('shouting is itself a sign of exasperation', () => {
    expect(detector.detect('I am frustrated').map((s) => s.label)).toEqual(['frustrated']);
    expect(detector.detect('I AM FRUSTRATED!!').map((s) => s.label)).toEqual(['frustrated', 'exasperated']);
    expect(kinds('WHY IS THIS STILL NOT WORKING')).toEqual(['emotion']);
  });

  it('takes the user’s own lexicons, and can replace the built-in ones', () => {
    const custom = createSignalDetector({ lexicons: [{ language: 'en', entries: [{ kind: 'legal_threat', label: 'chargeback', phrases: ['chargeback*', 'dispute the charge'] }] }] });
    expect(custom.detect('I will file a chargeback').map((s) => s.label)).toEqual(['chargeback']);
    expect(custom.detect('I am angry').map((s) => s.kind)).toEqual(['emotion']);
    const only = createSignalDetector({ replaceBuiltIn: true, lexicons: [{ language: 'ja', entries: [{ kind: 'emotion', label: 'angry', phrases: ['激おこ'] }] }] });
    expect(only.detect('激おこです').map((s) => s.label)).toEqual(['angry']);
    expect(only.detect('I am angry')).toEqual([]);
    expect(() => createSignalDetector({ lexicons: [{ language: 'en', entries: [{ kind: 'rage' as never, label: 'x', phrases: ['x'] }] }] })).toThrow(ConfigError);
    expect(() => createSignalDetector({ lexicons: [{ language: 'en', entries: [{ kind: 'emotion', label: 'x', phrases: [] }] }] })).toThrow(/at least one non-empty phrase/);
  });

  it('summarises signals as facts for rules, leaving negated ones out', () => {
    const facts = signalFacts(detector.detect('I am not angry but I will call my lawyer'));
    expect(facts.kinds).toEqual(['legal_threat']);
    expect(facts.labels).toEqual(['lawyer']);
    expect(facts.confidence.legal_threat).toBeGreaterThan(0.9);
  });
});
