import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { defineFollowUps, ConfigError, DeliveryError, createMemoryStorage, createServiceDesk, createSequentialIds, defineTemplates, type Notification } from 'omotenashi';
import { createManualClock, defineNotifierConformanceSuite } from 'omotenashi/testing';
import { createSmtpNotifier } from 'omotenashi/smtp';

/** A local SMTP server on 127.0.0.1 that parses every message it receives. */
async function startMailbox() {
  const received: ParsedMail[] = [];
  let rejectNext: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejectNext !== undefined) {
        const code = rejectNext;
        rejectNext = undefined;
        const error = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (e: Error) => callback(e),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
  return {
    received,
    transport,
    rejectNext: (code: number) => void (rejectNext = code),
    close: async () => {
      transport.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const text = (mail: ParsedMail | undefined): string => (mail?.text ?? '').trim();

const templates = defineTemplates({
  survey: {
    variables: ['recipientName', 'ticketRef', 'surveyId'],
    locales: {
      en: { subject: 'How did we do with {{ticketRef}}?', text: 'Dear {{recipientName}},\n\nPlease rate our help: https://help.example.com/s/{{surveyId}}', html: '<p>Dear {{recipientName}},</p><p><a href="https://help.example.com/s/{{surveyId}}">Rate our help</a></p>' },
      ja: { subject: '【{{ticketRef}}】アンケートのお願い', text: '{{recipientName}}\n\nご対応の評価をお願いいたします：https://help.example.com/s/{{surveyId}}' },
    },
  },
});

describe('SMTP notifier, end to end against a local SMTP server', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('delivers a Japanese message with subject, plain text and HTML, addressed as the profile says', async () => {
    const box = await startMailbox();
    close = box.close;
    const smtp = createSmtpNotifier({ transport: box.transport, from: { name: 'おもてなしサポート', address: 'support@omotenashi.example' }, replyTo: 'help@omotenashi.example', templates });
    const n: Notification = {
      to: { kind: 'customer', id: 'cus_1', name: '田中様', address: 'hanako@example.jp' },
      channel: 'email',
      template: 'survey',
      data: { ticketRef: 'tkt_0001', surveyId: 's1' },
      locale: 'ja-JP',
      idempotencyKey: 'fu:csat:cus_1:tkt_0001',
    };
    const { externalId } = await smtp.send(n);
    expect(box.received).toHaveLength(1);
    const mail = box.received[0];
    expect(mail?.subject).toBe('【tkt_0001】アンケートのお願い');
    expect(mail?.to && 'value' in mail.to ? mail.to.value[0] : undefined).toEqual({ name: '田中様', address: 'hanako@example.jp' });
    expect(mail?.from?.value[0]).toEqual({ name: 'おもてなしサポート', address: 'support@omotenashi.example' });
    expect(mail?.replyTo?.value[0]?.address).toBe('help@omotenashi.example');
    expect(text(mail)).toBe('田中様\n\nご対応の評価をお願いいたします：https://help.example.com/s/s1');
    expect(mail?.html).toContain('<p>田中様</p>');
    expect(mail?.messageId).toBe(externalId);
    expect(mail?.headers.get('x-omotenashi-idempotency-key')).toBe('fu:csat:cus_1:tkt_0001');
    expect(mail?.headers.get('content-language')).toBe('ja');
  });

  it('a hostile customer name cannot inject markup or headers', async () => {
    const box = await startMailbox();
    close = box.close;
    const smtp = createSmtpNotifier({ transport: box.transport, from: 'support@omotenashi.example', templates });
    const hostile = '<script>alert(1)</script>\r\nBcc: victim@example.com';
    await smtp.send({ to: { kind: 'customer', id: 'c', name: hostile, address: 'x@example.com' }, channel: 'email', template: 'survey', data: { ticketRef: 't<b>1</b>', surveyId: '"><img src=x onerror=alert(1)>' }, locale: 'en', idempotencyKey: 'k-hostile' });
    const mail = box.received[0];
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).not.toContain('<img');
    expect(mail?.html).toContain('&lt;script&gt;');
    expect(mail?.bcc).toBeUndefined();
    expect(mail?.subject).toBe('How did we do with t<b>1</b>?');
  });

  it('the same idempotency key gives the same Message-ID, so a re-send after a crash shows once', async () => {
    const box = await startMailbox();
    close = box.close;
    const smtp = createSmtpNotifier({ transport: box.transport, from: 'support@omotenashi.example', templates });
    const n: Notification = { to: { kind: 'customer', id: 'c', name: 'Ms Tanaka', address: 'x@example.com' }, channel: 'email', template: 'survey', data: { ticketRef: 't1', surveyId: 's1' }, locale: 'en', idempotencyKey: 'same' };
    await smtp.send(n);
    await smtp.send(n);
    await smtp.send({ ...n, idempotencyKey: 'other' });
    expect(box.received.map((m) => m.messageId)).toEqual([box.received[0]?.messageId, box.received[0]?.messageId, expect.not.stringMatching(new RegExp(`^${box.received[0]?.messageId}$`))]);
  });

  it('a 5xx refusal is permanent; a 4xx or a lost connection may pass later', async () => {
    const box = await startMailbox();
    close = box.close;
    const smtp = createSmtpNotifier({ transport: box.transport, from: 'support@omotenashi.example', templates });
    const n: Notification = { to: { kind: 'customer', id: 'c', name: 'Ms Tanaka', address: 'x@example.com' }, channel: 'email', template: 'survey', data: { ticketRef: 't1', surveyId: 's1' }, locale: 'en', idempotencyKey: 'k' };
    box.rejectNext(550);
    expect(await smtp.send(n).catch((e: unknown) => e)).toMatchObject({ code: 'DELIVERY_FAILED', retryable: false, status: 550 });
    box.rejectNext(451);
    expect(await smtp.send(n).catch((e: unknown) => e)).toMatchObject({ retryable: true, status: 451 });
    const nowhere = createSmtpNotifier({ transport: nodemailer.createTransport({ host: '127.0.0.1', port: 1, connectionTimeout: 2000 }), from: 'support@omotenashi.example', templates });
    const lost = await nowhere.send(n).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(DeliveryError);
    expect(lost).toMatchObject({ retryable: true });
  });

  it('without templates or rendered text the message is refused for good; bad options fail early', async () => {
    const smtp = createSmtpNotifier({ transport: { sendMail: () => Promise.resolve({ messageId: 'x' }) }, from: 'support@omotenashi.example' });
    const error = await smtp.send({ to: { kind: 'customer', id: 'c', name: 'n', address: 'x@example.com' }, channel: 'email', template: 'survey', data: {}, locale: 'en', idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false });
    expect(String((error as Error).message)).toMatch(/templates/);
    expect(() => createSmtpNotifier({ transport: {} as never, from: 'support@omotenashi.example' })).toThrow(ConfigError);
    expect(() => createSmtpNotifier({ transport: { sendMail: () => Promise.resolve({}) }, from: 'nobody' })).toThrow(/sender/);
  });

  it('through the desk: a follow-up survey arrives in the customer\'s mailbox in Japanese', async () => {
    const box = await startMailbox();
    close = box.close;
    const clock = createManualClock('2026-04-01T10:00:00+09:00');
    const desk = createServiceDesk({
      storage: createMemoryStorage(),
      clock,
      ids: createSequentialIds(),
      templates,
      notifiers: [createSmtpNotifier({ transport: box.transport, from: 'support@omotenashi.example' })],
      followUps: defineFollowUps({ plans: [{ id: 'csat', name: 'CSAT', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'survey', template: 'survey', questions: ['csat'] } }] }),
    });
    const c = await desk.registerCustomer({ kind: 'external', displayName: '田中 花子', locale: 'ja', timeZone: 'Asia/Tokyo', addressing: { form: 'formal', familyName: '田中', honorific: '様', firstNameUsePermitted: false }, contacts: [{ channel: 'email', address: 'hanako@example.jp' }] });
    const { ticket } = await desk.openTicket({ requesterId: c.id, subject: 'ルーターが切れる', channel: 'email' });
    await desk.resolve(ticket.id, { summary: 'ファームウェア更新' });
    const missing = desk.notify({ customerId: c.id, template: 'survey', data: { ticketRef: ticket.id } });
    await expect(missing).rejects.toMatchObject({ code: 'TEMPLATE_RENDER_FAILED', variable: 'surveyId' });
    expect((await desk.listNotifications({})).items).toHaveLength(0);
    await clock.advance('PT1H');
    for (let i = 0; i < 200 && box.received.length === 0; i++) await new Promise<void>((r) => setImmediate(r));
    await desk.stop();
    expect(box.received).toHaveLength(1);
    const [survey] = (await desk.listSurveys({ ticketId: ticket.id })).items;
    expect(box.received[0]?.subject).toBe(`【${ticket.id}】アンケートのお願い`);
    expect(text(box.received[0])).toBe(`田中様\n\nご対応の評価をお願いいたします：https://help.example.com/s/${survey?.id}`);
    expect(() =>
      createServiceDesk({
        storage: createMemoryStorage(),
        templates: defineTemplates({ survey: { variables: ['surveyUrl'], locales: { en: { subject: 's', text: '{{surveyUrl}}' } } } }),
        notifiers: [createSmtpNotifier({ transport: box.transport, from: 'support@omotenashi.example' })],
        followUps: defineFollowUps({ plans: [{ id: 'csat', name: 'CSAT', trigger: { on: 'ticket_resolved' }, action: { type: 'survey', template: 'survey', questions: ['csat'] } }] }),
      }),
    ).toThrow(/needs "surveyUrl", which this plan's messages do not carry/);
  });
});

defineNotifierConformanceSuite({
  name: 'SMTP notifier conformance (local SMTP server)',
  create: async () => {
    const box = await startMailbox();
    const notifier = createSmtpNotifier({ transport: box.transport, from: 'support@omotenashi.example' });
    return {
      notifier,
      probe: {
        delivered: async () => box.received.map((m) => ({ address: m.to && 'value' in m.to ? (m.to.value[0]?.address ?? '') : '', idempotencyKey: m.headers.get('x-omotenashi-idempotency-key') as string | undefined, text: text(m) })),
        failNext: () => box.rejectNext(550),
      },
      destroy: box.close,
    };
  },
});
