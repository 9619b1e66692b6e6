import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deinflect } from 'omotenashi';

const has = (word: string, base: string): boolean => deinflect(word).some((d) => d.term === base);
const reasonsOf = (word: string, base: string) => deinflect(word).find((d) => d.term === base)?.reasons;

// An independent conjugator for the property: dictionary form and class to a surface form.
const ROWS: Record<string, { a: string; i: string; e: string; o: string; te: string; ta: string }> = {
  う: { a: 'わ', i: 'い', e: 'え', o: 'お', te: 'って', ta: 'った' },
  く: { a: 'か', i: 'き', e: 'け', o: 'こ', te: 'いて', ta: 'いた' },
  ぐ: { a: 'が', i: 'ぎ', e: 'げ', o: 'ご', te: 'いで', ta: 'いだ' },
  す: { a: 'さ', i: 'し', e: 'せ', o: 'そ', te: 'して', ta: 'した' },
  つ: { a: 'た', i: 'ち', e: 'て', o: 'と', te: 'って', ta: 'った' },
  ぬ: { a: 'な', i: 'に', e: 'ね', o: 'の', te: 'んで', ta: 'んだ' },
  ぶ: { a: 'ば', i: 'び', e: 'べ', o: 'ぼ', te: 'んで', ta: 'んだ' },
  む: { a: 'ま', i: 'み', e: 'め', o: 'も', te: 'んで', ta: 'んだ' },
  る: { a: 'ら', i: 'り', e: 'れ', o: 'ろ', te: 'って', ta: 'った' },
};
const GODAN = ['買う', '書く', '急ぐ', '殺す', '待つ', '死ぬ', '呼ぶ', '読む', '怒る', '困る', '殴る', 'つながる', '壊す', '乗り込む', '訴う'];
const ICHIDAN = ['訴える', '食べる', '突き止める', '止める', '答える', '忘れる'];
const ADJECTIVES = ['高い', '遅い', '悪い', '腹立たしい'];
const FORMS = ['ない', 'なかった', 'ます', 'ました', 'ません', 'ませんでした', 'て', 'た', 'ている', 'ています', 'ていない', 'ていません', 'ておりました', 'てる', 'てやる', 'てしまった', 'たい', 'たくない', 'られる', 'させる', 'よう', 'ば', '命令'] as const;

function conjugateGodan(verb: string, form: (typeof FORMS)[number]): string {
  const stem = verb.slice(0, -1);
  const row = ROWS[verb.slice(-1)] as (typeof ROWS)[string];
  const te = stem + row.te;
  switch (form) {
    case 'ない': return `${stem + row.a}ない`;
    case 'なかった': return `${stem + row.a}なかった`;
    case 'ます': case 'ました': case 'ません': case 'ませんでした': return stem + row.i + form;
    case 'て': return te;
    case 'た': return stem + row.ta;
    case 'ている': case 'ています': case 'ていない': case 'ていません': case 'てる': case 'てやる': case 'ておりました': return te.slice(0, -1) + te.slice(-1) + form.slice(1);
    case 'てしまった': return `${te}しまった`;
    case 'たい': return `${stem + row.i}たい`;
    case 'たくない': return `${stem + row.i}たくない`;
    case 'られる': return `${stem + row.a}れる`;
    case 'させる': return `${stem + row.a}せる`;
    case 'よう': return `${stem + row.o}う`;
    case 'ば': return `${stem + row.e}ば`;
    case '命令': return stem + row.e;
  }
}

function conjugateIchidan(verb: string, form: (typeof FORMS)[number]): string {
  const stem = verb.slice(0, -1);
  if (form === '命令') return `${stem}ろ`;
  if (form === 'ば') return `${stem}れば`;
  if (form === 'てしまった') return `${stem}てしまった`;
  return stem + form;
}

describe('Japanese deinflection', () => {
  it('walks the forms customers write back to the dictionary form', () => {
    expect(has('訴えてやる', '訴える')).toBe(true);
    expect(has('訴えられても'.slice(0, 5), '訴える')).toBe(true);
    expect(has('殺してやる', '殺す')).toBe(true);
    expect(has('殺されたい', '殺す')).toBe(true);
    expect(has('怒っています', '怒る')).toBe(true);
    expect(has('困っております', '困る')).toBe(true);
    expect(has('腹が立ちました', '腹が立つ')).toBe(true);
    expect(has('つながりません', 'つながる')).toBe(true);
    expect(has('行って', '行く')).toBe(true);
    expect(has('来ない', '来る')).toBe(true);
    expect(has('遅かった', '遅い')).toBe(true);
    expect(has('待ってろ', '待つ')).toBe(true);
  });

  it('says which endings it removed, so a negative form can be told from a plain one', () => {
    expect(reasonsOf('つながらない', 'つながる')).toEqual(['negative']);
    expect(reasonsOf('怒っていない', '怒る')).toEqual(['negative', 'progressive', 'te']);
    expect(reasonsOf('訴えます', '訴える')).toEqual(['polite']);
    expect(reasonsOf('殺されたい', '殺す')).toEqual(['desire', 'passive']);
    expect(deinflect('怒る')[0]).toEqual({ term: '怒る', reasons: [] });
  });

  it('does not invent the words it is given: unrelated words do not reach a known base', () => {
    expect(has('殺虫剤', '殺す')).toBe(false);
    expect(has('訴訟', '訴える')).toBe(false);
    expect(has('怒り', '怒る')).toBe(true); // the masu-stem, also the noun: the detector's rules decide
    expect(has('困難', '困る')).toBe(false);
  });

  it('property: every conjugation of godan and ichidan verbs and of adjectives walks back to its dictionary form', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GODAN), fc.constantFrom(...FORMS), (verb, form) => {
        expect(has(conjugateGodan(verb, form), verb), `${conjugateGodan(verb, form)} → ${verb}`).toBe(true);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...ICHIDAN), fc.constantFrom(...FORMS), (verb, form) => {
        expect(has(conjugateIchidan(verb, form), verb), `${conjugateIchidan(verb, form)} → ${verb}`).toBe(true);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...ADJECTIVES), fc.constantFrom('くない', 'かった', 'くて', 'く', 'ければ', 'くなかった', 'くありません', 'いです'), (adj, ending) => {
        const word = ending === 'いです' ? `${adj.slice(0, -1)}いです` : adj.slice(0, -1) + ending;
        expect(has(word, adj), `${word} → ${adj}`).toBe(true);
      }),
    );
  });

  it('stays small on long input: the walk is bounded', () => {
    const long = 'ていない'.repeat(200);
    expect(deinflect(long).length).toBeLessThan(1000);
  });
});
