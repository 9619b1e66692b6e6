import { createInProcessScheduler, createMemoryAttachmentStore, createMemoryStorage, createSequentialIds, createServiceDesk, createSignalDetector, defineTemplates, type ServiceDeskOptions } from 'omotenashi';
import { createManualClock, recordEvents } from 'omotenashi/testing';
import { createEmailIntake, createThreadTokens, type EmailIntakeOptions } from 'omotenashi/email';
import { createSmtpNotifier, type SmtpMail, type SmtpTransport } from 'omotenashi/smtp';

export const SECRET = 'test-secret-for-thread-tokens-0123456789';

/** Templates for the desk's replies. */
export const templates = defineTemplates({
  reply: {
    variables: ['recipientName', 'ticketRef', 'ticketSubject', 'body'],
    locales: {
      en: { subject: 'Re: {{ticketSubject}}', text: 'Dear {{recipientName}},\n\n{{body}}\n\nOmotenashi Support' },
      ja: { subject: 'Re: {{ticketSubject}}', text: '{{recipientName}}\n\n{{body}}\n\nおもてなしサポート' },
    },
  },
});

/** A transport that keeps what it is given (and can report a provider's own Message-ID, as SES does). */
export function captureTransport(providerIds = false): SmtpTransport & { sent: SmtpMail[] } {
  const sent: SmtpMail[] = [];
  return {
    sent,
    sendMail(mail) {
      sent.push(mail);
      return Promise.resolve({ messageId: providerIds ? `<0100019${sent.length}abc@email.amazonses.com>` : mail.messageId, accepted: [mail.to.address], rejected: [] });
    },
  };
}

/** A desk with the SMTP notifier on a capturing transport, and an e-mail intake with tokens and a memory attachment store. */
export async function emailDesk(options: { intake?: Partial<EmailIntakeOptions>; desk?: Partial<ServiceDeskOptions>; tokenIn?: 'subject' | 'address' | 'both'; providerIds?: boolean } = {}) {
  const clock = createManualClock('2026-12-01T09:00:00+09:00');
  const storage = createMemoryStorage();
  const scheduler = createInProcessScheduler({ clock });
  const transport = captureTransport(options.providerIds);
  const tokens = createThreadTokens(SECRET);
  const smtp = createSmtpNotifier({ transport, from: { name: 'Omotenashi Support', address: 'support@desk.example' }, tokens, tokenIn: options.tokenIn ?? 'subject' });
  const desk = createServiceDesk({ storage, clock, scheduler, ids: createSequentialIds(), templates, notifiers: [smtp], signals: createSignalDetector(), ...options.desk });
  const events = recordEvents(desk);
  const attachments = createMemoryAttachmentStore();
  const intake = createEmailIntake({ desk, addresses: ['support@desk.example'], tokens, attachments, ...options.intake });
  const agent = await desk.registerAgent({ name: 'Aiko', email: 'aiko@desk.example' });
  /** An agent's answer on a ticket, e-mailed to the requester, and delivered. */
  async function reply(ticketId: string, body: string): Promise<SmtpMail> {
    const ticket = await desk.getTicket(ticketId as never);
    await desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'agent', id: agent.id }, body });
    const before = transport.sent.length;
    await desk.notify({ customerId: ticket.requesterId, ticketId: ticket.id, template: 'reply', data: { body }, urgent: true, key: `reply:${ticketId}:${before}` });
    await clock.advance('PT1S');
    const mail = transport.sent[before];
    if (mail === undefined) throw new Error('the reply was not sent');
    return mail;
  }
  return { clock, storage, desk, events, intake, transport, tokens, attachments, agent, reply };
}
