/**
 * The inbound e-mail round trip, over real SMTP on 127.0.0.1: a customer's mail opens a ticket,
 * an agent's answer goes out through the SMTP notifier, the customer's reply (sent by a real SMTP
 * client, nodemailer) threads onto the same ticket, an out-of-office auto-reply is ignored, and a
 * bounce marks the address. `main.ts` prints it; the tests assert on it.
 */
import type { AddressInfo } from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { createInProcessScheduler, createManualClock, createMemoryAttachmentStore, createMemoryStorage, createSequentialIds, createServiceDesk, defineTemplates, type ServiceDesk } from 'omotenashi';
import { createEmailIntake, createThreadTokens, type EmailIntakeResult } from 'omotenashi/email';
import { createSmtpNotifier } from 'omotenashi/smtp';

const templates = defineTemplates({
  reply: {
    variables: ['recipientName', 'ticketSubject', 'body'],
    locales: { ja: { subject: 'Re: {{ticketSubject}}', text: '{{recipientName}}\n\n{{body}}\n\nおもてなしサポート 相田' }, en: { subject: 'Re: {{ticketSubject}}', text: 'Dear {{recipientName}},\n\n{{body}}\n\nOmotenashi Support' } },
  },
});

/** One mail a server received, as raw bytes with a few headers read off it. */
interface Delivery {
  readonly raw: Uint8Array;
  readonly messageId: string;
  readonly subject: string;
  readonly inReplyTo: string | undefined;
}

/** An SMTP server on 127.0.0.1 that hands every message to `onMessage` and answers 451 if that throws. */
async function startServer(onMessage: (raw: Uint8Array) => Promise<void>): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        onMessage(new Uint8Array(Buffer.concat(chunks))).then(
          () => callback(),
          (e: unknown) => callback(Object.assign(new Error(`try again later: ${String(e)}`), { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What happened, step by step. */
export interface InboundTranscript {
  readonly desk: ServiceDesk;
  readonly results: ReadonlyArray<{ step: string; result: EmailIntakeResult }>;
  readonly customerMailbox: ReadonlyArray<Delivery>;
  readonly ticketId: string;
}

/** Run the round trip and return what each step came to. Closes its servers before it returns. */
export async function runInboundFlow(): Promise<InboundTranscript> {
  const clock = createManualClock('2026-12-01T09:00:00+09:00');
  const tokens = createThreadTokens('demo-secret-change-me-0123456789abcdef');
  const mailbox: Delivery[] = [];
  const results: Array<{ step: string; result: EmailIntakeResult }> = [];
  let pendingStep = '';
  let intake: ReturnType<typeof createEmailIntake> | undefined;
  const customerServer = await startServer(async (raw) => {
    const mail = await PostalMime.parse(raw);
    mailbox.push({ raw, messageId: mail.messageId ?? '', subject: mail.subject ?? '', inReplyTo: mail.inReplyTo });
  });
  const deskServer = await startServer(async (raw) => {
    results.push({ step: pendingStep, result: await (intake as NonNullable<typeof intake>).receive(raw) });
  });
  const outbound = nodemailer.createTransport({ host: '127.0.0.1', port: customerServer.port, secure: false, ignoreTLS: true });
  const customerClient = nodemailer.createTransport({ host: '127.0.0.1', port: deskServer.port, secure: false, ignoreTLS: true });
  try {
    const smtp = createSmtpNotifier({ transport: outbound, from: { name: 'おもてなしサポート', address: 'support@desk.example' }, tokens });
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock, scheduler: createInProcessScheduler({ clock }), ids: createSequentialIds(), templates, notifiers: [smtp] });
    intake = createEmailIntake({ desk, addresses: ['support@desk.example'], tokens, attachments: createMemoryAttachmentStore() });
    const agent = await desk.registerAgent({ name: '相田', email: 'aida@desk.example' });
    const send = async (step: string, mail: SendMailOptions): Promise<EmailIntakeResult> => {
      pendingStep = step;
      await customerClient.sendMail({ from: '田中 花子 <hanako@example.jp>', to: 'support@desk.example', ...mail });
      return (results.at(-1) as { result: EmailIntakeResult }).result;
    };

    const opened = await send('a customer writes', { subject: 'ルーターのWi-Fiが毎晩切れます', text: 'お世話になっております。\n毎晩21時ごろにWi-Fiが切れます。\n対処法を教えてください。\n\n田中' });
    if (opened.outcome !== 'opened') throw new Error(`expected a new ticket, got ${opened.outcome}`);
    await desk.recordInteraction(opened.ticketId, { channel: 'email', author: { kind: 'agent', id: agent.id, name: agent.name }, body: 'ファームウェアを最新版に更新していただけますでしょうか。' });
    await desk.notify({ customerId: opened.customerId, ticketId: opened.ticketId, template: 'reply', data: { body: 'ファームウェアを最新版に更新していただけますでしょうか。' }, urgent: true, key: 'reply-1' });
    await clock.advance('PT1S');
    const answer = mailbox.at(-1) as Delivery;
    await send('the customer replies', {
      subject: `Re: ${answer.subject}`,
      inReplyTo: answer.messageId,
      references: [answer.messageId],
      text: `更新しましたが、まだ切れます。\n\n2026年12月1日(火) 9:00 おもてなしサポート <support@desk.example>:\n> ファームウェアを最新版に更新していただけますでしょうか。`,
    });
    await send('an out-of-office auto-reply', { subject: '不在のお知らせ', headers: { 'Auto-Submitted': 'auto-replied' }, text: '12月3日まで不在にしております。' });
    await send('a bounce from the mail server', {
      from: 'Mail Delivery System <MAILER-DAEMON@mx.example.jp>',
      subject: 'Undelivered Mail Returned to Sender',
      text: `This is the mail system at host mx.example.jp.\n\nYour message could not be delivered.\n\nFinal-Recipient: rfc822; hanako@example.jp\nAction: failed\nStatus: 5.1.1\n\nMessage-ID: ${answer.messageId}`,
    });
    return { desk, results, customerMailbox: mailbox, ticketId: opened.ticketId };
  } finally {
    outbound.close();
    customerClient.close();
    await customerServer.close();
    await deskServer.close();
  }
}
