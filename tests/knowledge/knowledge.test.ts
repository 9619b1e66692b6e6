import { describe, expect, it } from 'vitest';
import { createArticleIndex, recurringProblems, terms, type Article } from 'omotenashi';
import { makeArticle } from 'omotenashi/testing';

const T0 = new Date('2026-04-01T00:00:00Z');
const article = (id: string, over: Partial<Article>): Article => makeArticle({ id, title: 'Untitled', body: 'Nothing here.', createdAt: T0, ...over });

const ARTICLES = [
  article('kb-reboot-en', { title: 'Router reboots every night', body: 'Update the firmware to 2.1: the scheduled maintenance reboot was enabled by default. Settings > Maintenance > turn off nightly reboot.', tags: ['router', 'firmware'] }),
  article('kb-invoice-en', { title: 'Wrong address on an invoice', body: 'Change the billing address in your account, then ask for a corrected invoice.', tags: ['billing'] }),
  article('kb-kettle-en', { title: 'Kettle lid cracked on delivery', body: 'We send a replacement by express and collect the broken kettle.', tags: ['returns'] }),
  article('kb-reboot-ja', { title: 'ルーターが毎晩再起動する', body: 'ファームウェアを 2.1 に更新してください。メンテナンス設定の「夜間の再起動」をオフにします。', tags: ['ルーター'], locale: 'ja' }),
  article('kb-invoice-ja', { title: '請求書の宛先が間違っている', body: 'アカウントの請求先住所を変更し、請求書の再発行をご依頼ください。', tags: ['請求'], locale: 'ja' }),
  article('kb-draft', { title: 'Router reboot draft', body: 'Router reboots router reboots.', status: 'draft' }),
];

describe('knowledge: terms', () => {
  it('segments English and Japanese without assuming whitespace', () => {
    expect(terms('Router reboots every night', 'en')).toEqual(['router', 'reboot', 'everi', 'night']);
    expect(terms('Rebooting, rebooted: the routers!', 'en')).toEqual(['reboot', 'reboot', 'router']);
    expect(terms('ルーターが毎晩再起動します').filter((t) => !t.startsWith('~'))).toEqual(['ルー', 'ータ', 'ター', '毎晩', '晩再', '再起', '起動']);
    expect(terms('ルーターが毎晩再起動します')).toContain('~毎晩再起動する');
    expect(terms('請求書の宛先')).toEqual(['請求', '求書', '宛先']);
    expect(terms('Wi-Fiにつながらない')).toContain('~つながる');
    expect(terms('Wi-Fiにつながりません')).toContain('~つながる');
    expect(terms('アプリが落ちました')).toContain('~落ちる');
    expect(terms('荷物が届かない')).toContain('~届く');
  });
});

describe('knowledge: article suggestions', () => {
  const index = createArticleIndex(ARTICLES);

  it('finds the right article for an English question, and never a draft', () => {
    const found = index.search('My router keeps rebooting at night', { locale: 'en' });
    expect(found[0]?.article.id).toBe('kb-reboot-en');
    expect(found[0]?.matched).toEqual(expect.arrayContaining(['router', 'reboot', 'night']));
    expect(found.map((m) => m.article.id)).not.toContain('kb-draft');
    expect(index.search('invoice shows the wrong address', { locale: 'en' })[0]?.article.id).toBe('kb-invoice-en');
  });

  it('finds the right article for a Japanese question', () => {
    expect(index.search('毎晩ルーターが勝手に再起動してしまいます', { locale: 'ja-JP' })[0]?.article.id).toBe('kb-reboot-ja');
    expect(index.search('請求書の宛先を直したい', { locale: 'ja' })[0]?.article.id).toBe('kb-invoice-ja');
    expect(index.search('請求書の宛先を直したい', { locale: 'ja' }).every((m) => m.article.locale === 'ja')).toBe(true);
  });

  it('meets word forms: "drops" finds dropping connections, つながらない finds つながりません', () => {
    const idx = createArticleIndex([
      article('kb-drop', { title: 'Wi-Fi keeps dropping', body: 'If the connection dropped after the update, move the router away from the microwave.', locale: 'en' }),
      article('kb-other', { title: 'Change the invoice address', body: 'Open billing settings.', locale: 'en' }),
      article('kb-tsunagaranai', { title: 'Wi-Fiにつながりません', body: 'ルーターの電源を入れ直してください。', locale: 'ja' }),
      article('kb-seikyu', { title: '請求書の宛先を変える', body: '設定から変更できます。', locale: 'ja' }),
    ]);
    expect(idx.search('my wifi connection drops', { locale: 'en' })[0]?.article.id).toBe('kb-drop');
    expect(idx.search('my wifi connection drops', { locale: 'en' })[0]?.matched).toContain('drop');
    expect(idx.search('つながらない', { locale: 'ja' })[0]?.article.id).toBe('kb-tsunagaranai');
    expect(idx.search('ずっとつながらなくて困っています', { locale: 'ja' })[0]?.article.id).toBe('kb-tsunagaranai');
  });

  it('ranks by relevance, filters by product, leaves out what was unhelpful, and updates in place', () => {
    const idx = createArticleIndex(ARTICLES);
    expect(idx.search('router', { locale: 'en', exclude: ['kb-reboot-en'] })).toEqual([]);
    expect(idx.search('kettle', { locale: 'en', product: 'KETTLE-S' })).toEqual([]);
    idx.upsert(article('kb-kettle-en', { title: 'Kettle lid cracked on delivery', body: 'Replacement by express.', product: 'KETTLE-S' }));
    expect(idx.search('kettle', { locale: 'en', product: 'KETTLE-S' })[0]?.article.id).toBe('kb-kettle-en');
    idx.upsert(article('kb-kettle-en', { status: 'archived' }));
    expect(idx.search('kettle', { locale: 'en' })).toEqual([]);
    expect(idx.size).toBe(4);
  });

  it('helpfulness feedback lifts an article among equals', () => {
    const a = article('a', { title: 'Reset the router', body: 'Hold the button.' });
    const b = article('b', { title: 'Reset the router', body: 'Hold the button.' });
    expect(createArticleIndex([a, b]).search('reset router', { locale: 'en' }).map((m) => m.article.id)).toEqual(['a', 'b']);
    expect(createArticleIndex([a, { ...b, helpful: 9 }]).search('reset router', { locale: 'en' }).map((m) => m.article.id)).toEqual(['b', 'a']);
  });
});

describe('knowledge: recurring problems', () => {
  const day = (d: number) => new Date(T0.getTime() + d * 86_400_000);
  let n = 0;
  const t = (subject: string, d: number, tags: string[] = []) => ({ id: `tkt_${String(++n).padStart(3, '0')}`, subject, tags, createdAt: day(d) });
  const tickets = [
    t('Router reboots every night', 2, ['router']),
    t('Router keeps rebooting at night', 20, ['router']),
    t('router reboots at night again', 40, ['router']),
    t('Router reboot every night #4411', 45, ['router']),
    t('Nightly router reboot', 50, ['router']),
    t('Routers reboot at night', 55, ['router']),
    t('Invoice 1042 has the wrong address', 41),
    t('Invoice 2210 wrong address', 47),
    t('Wrong address on invoice 3391', 52),
    t('Invoice wrong address', 10),
    t('Invoice wrong address', 12),
    t('Invoice has wrong address', 14),
    t('Invoice wrong address again', 16),
    t('ルーターが毎晩再起動する', 44),
    t('毎晩ルーターが再起動します', 48),
    t('ルーターが夜に再起動', 53),
    t('Password reset email never arrives', 54),
  ];

  it('groups tickets that say the same thing, counts them and gives the trend', () => {
    const report = recurringProblems(tickets, { now: day(58), window: 'P30D' });
    // The Japanese reports of the nightly reboot join the English ones: they share meanings (router, reboot).
    expect(report.map((p) => [p.count, p.previousCount, p.trend])).toEqual([
      [7, 2, 'rising'],
      [3, 4, 'falling'],
    ]);
    expect(report[0]).toMatchObject({ label: 'Router reboots every night', tags: ['router'] });
    expect(report[0]?.terms).toEqual(expect.arrayContaining(['router', 'reboot', 'night']));
    expect(report[0]?.ticketIds).toEqual(['tkt_006', 'tkt_016', 'tkt_005', 'tkt_015', 'tkt_004', 'tkt_014', 'tkt_003']);
    expect(report[1]?.label).toBe('Invoice wrong address');
    expect(report.map((p) => p.label)).not.toContain('Password reset email never arrives');
  });

  it('is deterministic whatever the input order', () => {
    const a = recurringProblems(tickets, { now: day(58) });
    const b = recurringProblems([...tickets].reverse(), { now: day(58) });
    expect(b).toEqual(a);
  });
});
