/**
 * examples/email-followups: a desk that e-mails its follow-ups through SMTP. It starts a local
 * SMTP server on 127.0.0.1 (the `smtp-server` package standing in for your mail provider),
 * resolves two customers' tickets, lets an hour pass on a manual clock, and prints the mails
 * that arrived: a CSAT survey in Japanese and one in English, each addressed as the customer's
 * profile says, with a plain-text and an HTML part.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { defineFollowUps, createManualClock, createMemoryStorage, createSequentialIds, createServiceDesk, defineTemplates } from 'omotenashi';
import { createSmtpNotifier } from 'omotenashi/smtp';

/** The messages this desk sends, in English and Japanese. */
export const TEMPLATES = defineTemplates({
  csat_survey: {
    variables: ['recipientName', 'ticketRef', 'ticketSubject', 'surveyId', 'agentName?'],
    locales: {
      en: {
        subject: 'How did we do? ({{ticketRef}})',
        text: 'Dear {{recipientName}},\n\nThank you for contacting us about "{{ticketSubject}}".{{#if agentName}} {{agentName}} was glad to help.{{/if}}\n\nWould you rate our help? It takes ten seconds:\nhttps://help.example.com/survey/{{surveyId|url}}\n\nKind regards,\nExample Support',
        html: '<p>Dear {{recipientName}},</p><p>Thank you for contacting us about “{{ticketSubject}}”.{{#if agentName}} {{agentName}} was glad to help.{{/if}}</p><p><a href="https://help.example.com/survey/{{surveyId|url}}">Rate our help</a> (it takes ten seconds)</p><p>Kind regards,<br>Example Support</p>',
      },
      ja: {
        subject: '【{{ticketRef}}】サポートについてのアンケートのお願い',
        text: '{{recipientName}}\n\nこの度は「{{ticketSubject}}」の件でお問い合わせいただき、誠にありがとうございました。{{#if agentName}}担当の{{agentName}}が対応いたしました。{{/if}}\n\nよろしければ、アンケートにご協力ください（10秒で終わります）。\nhttps://help.example.com/survey/{{surveyId|url}}\n\nExample サポート',
      },
    },
  },
});

/** A local SMTP server that keeps every message it receives. */
async function startMailServer(): Promise<{ port: number; received: ParsedMail[]; close: () => Promise<void> }> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Run the example, writing what happens to `out`. Returns the mails that arrived. */
export async function runEmailFollowUps(out: (line: string) => void = console.log): Promise<ParsedMail[]> {
  const mail = await startMailServer();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true });
  out(`SMTP server listening on 127.0.0.1:${mail.port}`);
  const clock = createManualClock('2026-04-01T14:00:00+09:00');
  const desk = createServiceDesk({
    storage: createMemoryStorage(),
    clock,
    ids: createSequentialIds(3),
    templates: TEMPLATES,
    notifiers: [createSmtpNotifier({ transport, from: { name: 'Example Support', address: 'support@example.com' }, replyTo: 'help@example.com' })],
    followUps: defineFollowUps({ plans: [{ id: 'csat', name: 'CSAT an hour after resolution', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'survey', template: 'csat_survey', questions: ['csat', 'solved'] } }] }),
  });
  const sent = new Promise<void>((resolve) => {
    let n = 0;
    desk.on('notification.sent', () => void (++n === 2 && resolve()));
  });
  desk.on('notification.failed', ({ notification, attempt }) => out(`could not send ${notification.id}: ${attempt.error}`));

  const aiko = await desk.registerAgent({ name: 'Aiko Sato', email: 'aiko@example.com' });
  const tanaka = await desk.registerCustomer({
    kind: 'external',
    displayName: '田中 花子',
    locale: 'ja',
    timeZone: 'Asia/Tokyo',
    addressing: { form: 'formal', familyName: '田中', givenName: '花子', honorific: '様', firstNameUsePermitted: false },
    contacts: [{ channel: 'email', address: 'hanako.tanaka@example.jp' }],
  });
  const john = await desk.registerCustomer({
    kind: 'external',
    displayName: 'John Smith',
    locale: 'en-GB',
    timeZone: 'Europe/London',
    addressing: { form: 'informal', givenName: 'John', familyName: 'Smith', firstNameUsePermitted: true },
    contacts: [{ channel: 'email', address: 'john.smith@example.co.uk' }],
  });
  for (const [customer, subject] of [[tanaka, 'ルーターの接続が切れる'], [john, 'Invoice <shows> the wrong address']] as const) {
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject, channel: 'email', assigneeId: aiko.id });
    await desk.resolve(ticket.id, { summary: 'Answered' });
    out(`${ticket.id} resolved for ${customer.displayName}; a survey is planned for an hour later`);
  }
  await clock.advance('PT1H');
  await sent;
  out(`\n${mail.received.length} messages arrived:`);
  for (const m of mail.received) {
    const to = m.to !== undefined && !Array.isArray(m.to) ? m.to.text : '';
    out(`\n── From: ${m.from?.text}\n   To: ${to}\n   Subject: ${m.subject}\n   Message-ID: ${m.messageId}\n   Parts: text/plain${m.html ? ' + text/html' : ''}\n`);
    out((m.text ?? '').trim().replace(/^/gm, '   │ '));
  }
  await desk.stop();
  transport.close();
  await mail.close();
  return mail.received;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runEmailFollowUps();
}
