import { bench, describe } from 'vitest';
import PostalMime from 'postal-mime';
import { createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk } from 'omotenashi';
import { createEmailIntake, trimReply } from 'omotenashi/email';
import { REPLIES } from '../fixtures/replies/corpus.js';
import { from, message } from '../fixtures/email/build.js';

// Taking in a customer's reply by e-mail (Japanese, ISO-2022-JP subject, quoted history to trim)
// onto a ticket, against two baselines measured in the same run: parsing the message with
// postal-mime alone (what any intake must do), and recording the same text with
// desk.recordInteraction directly (what the desk must do). The intake adds the lookups
// (duplicate, thread, customer), the noise checks and the trimming.
const clock = createManualClock('2026-12-01T09:00:00+09:00');
const desk = createServiceDesk({ storage: createMemoryStorage(), clock, ids: createSequentialIds(6) });
const intake = createEmailIntake({ desk, addresses: ['support@desk.example'], rate: { perSender: { count: 1e9, windowMs: 1 }, perTicket: { count: 1e9, windowMs: 1 } } });
const body = 'いつもお世話になっております。\n再起動しても同じエラーが出ます。\nログを添付します。\n\n田中\n\n2026年12月1日(火) 9:00 Support <support@desk.example>:\n> 再起動をお試しください。\n> よろしくお願いいたします。';
const raw = (n: number) => message([...from('hanako@example.jp', 'Tanaka Hanako'), ['Subject', '=?ISO-2022-JP?B?GyRCJWshPCU/ITwkLDBbJDckXiQ5GyhC?='], ['Message-ID', `<bench-${n}@mail.example>`], ['In-Reply-To', '<bench-0@mail.example>']], { type: 'text/plain', body });
const opened = await intake.receive(raw(0));
if (opened.outcome !== 'opened') throw new Error(opened.outcome);
// The direct baseline writes to a ticket of its own, so both grow alike.
const direct = await desk.openTicket({ requesterId: opened.customerId, subject: 'direct', channel: 'email', description: 'direct' });
let n = 0;

describe('e-mail intake: one threaded reply', () => {
  bench('baseline: PostalMime.parse of the message', async () => {
    await PostalMime.parse(raw(++n));
  });
  bench('baseline: desk.recordInteraction with the text', async () => {
    await desk.recordInteraction(direct.ticket.id, { channel: 'email', author: { kind: 'customer', id: opened.customerId }, body, externalId: `direct-${++n}@mail.example` });
  });
  bench('omotenashi: intake.receive (parse, duplicate and thread lookups, noise, trim, record)', async () => {
    const r = await intake.receive(raw(++n));
    if (r.outcome !== 'appended') throw new Error(r.outcome);
  });
});

const texts = REPLIES.map((r) => r.raw);
describe(`reply trimming: the ${texts.length} replies of the corpus`, () => {
  bench('baseline: splitting into lines and dropping > lines', () => {
    let k = 0;
    for (const t of texts) k += t.split('\n').filter((l) => !l.startsWith('>')).join('\n').length;
    if (k === 0) throw new Error('nothing');
  });
  bench('omotenashi: trimReply', () => {
    let k = 0;
    for (const t of texts) k += trimReply(t).text.length;
    if (k === 0) throw new Error('nothing');
  });
});
