import { describe, expect, it } from 'vitest';
import { defineKnowledgeBase, createMemoryStorage, createSequentialIds, createServiceDesk } from 'omotenashi';
import { createManualClock, recordEvents } from 'omotenashi/testing';

async function setup() {
  const clock = createManualClock('2026-04-01T10:00:00+09:00');
  const desk = createServiceDesk({ knowledge: defineKnowledgeBase(), storage: createMemoryStorage(), clock, ids: createSequentialIds(3) });
  const events = recordEvents(desk);
  const aiko = await desk.registerAgent({ name: 'Aiko' });
  const sato = await desk.registerCustomer({ kind: 'external', displayName: 'Sato Kenji', locale: 'ja-JP', contacts: [{ channel: 'email', address: 'sato@example.jp' }] });
  const john = await desk.registerCustomer({ kind: 'external', displayName: 'John Smith', locale: 'en-GB', contacts: [{ channel: 'email', address: 'john@example.co.uk' }] });
  return { clock, desk, events, aiko, sato, john };
}

describe('desk: knowledge base', () => {
  it('drafts an article from a resolved ticket, publishes it, and suggests it for a new ticket in Japanese', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.sato.id, subject: 'ルーターが毎晩再起動する', channel: 'email', description: '毎晩2時ごろにルーターが再起動します。', tags: ['router'] });
    await expect(s.desk.draftArticleFromTicket(ticket.id)).rejects.toThrow(/resolve it first/);
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: s.aiko.id }, body: 'メンテナンス設定の「夜間の再起動」をオフにしてください。' });
    await s.desk.resolve(ticket.id, { summary: 'ファームウェア 2.1 に更新' });
    const draft = await s.desk.draftArticleFromTicket(ticket.id);
    expect(draft).toMatchObject({ id: `kb:${ticket.id}`, status: 'draft', title: 'ルーターが毎晩再起動する', tags: ['router'], locale: 'ja-JP', ticketIds: [ticket.id] });
    expect(draft.body).toBe('問題\n毎晩2時ごろにルーターが再起動します。\n\n解決方法\nファームウェア 2.1 に更新\nメンテナンス設定の「夜間の再起動」をオフにしてください。');
    expect((await s.desk.draftArticleFromTicket(ticket.id)).version).toBe(1);
    const { ticket: next } = await s.desk.openTicket({ requesterId: s.sato.id, subject: '夜中にルーターが勝手に再起動します', channel: 'email' });
    expect(await s.desk.suggestArticles({ ticketId: next.id })).toEqual([]);
    const published = await s.desk.publishArticle(draft.id);
    expect(published.publishedAt).toEqual(s.clock.date());
    const found = await s.desk.suggestArticles({ ticketId: next.id });
    expect(found.map((m) => m.article.id)).toEqual([draft.id]);
    expect(s.events.names().filter((n) => n.startsWith('article.'))).toEqual(['article.created', 'article.published']);
  });

  it('searches English questions, records helpfulness, and leaves out what did not help that ticket', async () => {
    const s = await setup();
    const reboot = await s.desk.createArticle({ title: 'Router reboots every night', body: 'Turn off the nightly maintenance reboot, then update the firmware.', tags: ['router'], locale: 'en' });
    const reset = await s.desk.createArticle({ title: 'Reset the router to factory settings', body: 'Hold the reset button for ten seconds.', tags: ['router'], locale: 'en' });
    await s.desk.publishArticle(reboot.id);
    await s.desk.publishArticle(reset.id);
    const { ticket } = await s.desk.openTicket({ requesterId: s.john.id, subject: 'Router restarts at night', channel: 'email', description: 'My router reboots every night around 2am.' });
    expect((await s.desk.suggestArticles({ ticketId: ticket.id })).map((m) => m.article.id)).toEqual([reboot.id, reset.id]);
    const after = await s.desk.recordArticleFeedback(reboot.id, { helpful: false, ticketId: ticket.id });
    expect(after).toMatchObject({ notHelpful: 1, ticketIds: [ticket.id] });
    expect((await s.desk.suggestArticles({ ticketId: ticket.id })).map((m) => m.article.id)).toEqual([reset.id]);
    expect((await s.desk.suggestArticles({ text: 'nightly reboot', locale: 'en' }))[0]?.article.id).toBe(reboot.id);
    await s.desk.archiveArticle(reset.id);
    expect(await s.desk.suggestArticles({ text: 'factory reset', locale: 'en' })).toEqual([]);
    const edited = await s.desk.updateArticle(reboot.id, { title: 'Router reboots every night (firmware 2.1)', product: 'ROUTER-X2' }, { expectedVersion: after.version });
    expect(edited).toMatchObject({ product: 'ROUTER-X2', helpful: 0 });
    await expect(s.desk.updateArticle(reboot.id, { title: 'x' }, { expectedVersion: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await s.desk.suggestArticles({ text: 'firmware', locale: 'en' }, { product: 'ROUTER-X2' }))[0]?.article.id).toBe(reboot.id);
    expect((await s.desk.listArticles({ status: 'published' })).items.map((a) => a.id)).toEqual([reboot.id]);
    await expect(s.desk.createArticle({ title: '', body: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('reports the problems customers keep reporting', async () => {
    const s = await setup();
    for (const [subject, days] of [['Invoice has the wrong address', 0], ['Wrong address on invoice 1042', 3], ['Invoice wrong address', 6], ['Kettle lid cracked', 7]] as const) {
      await s.clock.advance(`P${days === 0 ? 0 : 1}D`);
      await s.desk.openTicket({ requesterId: s.john.id, subject, channel: 'email' });
    }
    const report = await s.desk.recurringProblems({ window: 'P7D' });
    expect(report.map((p) => [p.label, p.count, p.trend])).toEqual([['Invoice has the wrong address', 3, 'new']]);
  });
});
