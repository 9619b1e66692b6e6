import { describe, expect, it } from 'vitest';
import { defineSlaConfig, ConfigError, ValidationError, type TicketId } from 'omotenashi';
import { createEmailIntake } from 'omotenashi/email';
import { from, message, multipart, part, word } from '../../fixtures/email/build.js';
import { RAW_CASES } from '../../fixtures/email/corpus.js';
import { emailDesk } from './harness.js';

const text = (body: string) => ({ type: 'text/plain', body });

describe('e-mail intake: the corpus of raw messages', () => {
  for (const c of RAW_CASES) {
    it(`${c.id}: ${c.outcome}${c.reason ? ` (${c.reason})` : ''}`, async () => {
      const s = await emailDesk();
      const r = await s.intake.receive(c.raw);
      expect(r.outcome).toBe(c.outcome);
      if (r.outcome === 'ignored') {
        expect(r.reason).toBe(c.reason);
        expect(r.detail.length).toBeGreaterThan(0);
        expect((await s.desk.listTickets()).items).toEqual([]);
        return;
      }
      if (r.outcome !== 'opened') throw new Error(r.outcome);
      const ticket = await s.desk.getTicket(r.ticketId);
      if (c.subject !== undefined) expect(ticket.subject).toBe(c.subject);
      const [first] = await s.desk.listInteractions(r.ticketId);
      expect(first?.channel).toBe('email');
      expect(first?.externalId).toBe(r.messageId);
      for (const words of c.body ?? []) expect(first?.body).toContain(words);
      for (const words of c.bodyNot ?? []) expect(first?.body ?? '').not.toContain(words);
      for (const [i, a] of (c.attachments ?? []).entries()) {
        const got = first?.attachments[i];
        expect(got).toMatchObject({ name: a.name, contentType: a.contentType, ...(a.inline === undefined ? {} : { inline: a.inline }), ...(a.contentId === undefined ? {} : { contentId: a.contentId }) });
        expect(got?.sizeBytes).toBeGreaterThan(0);
        if (a.stored) expect((await s.attachments.get(got?.storageKey as string))?.bytes.length).toBe(got?.sizeBytes);
      }
      const source = (first?.metadata['email'] as { source?: string } | undefined)?.source;
      expect((await s.attachments.get(source as string))?.bytes).toEqual(c.raw);
      if (c.customer !== undefined) {
        const customer = await s.desk.getCustomer(r.customerId);
        expect(customer).toMatchObject({ kind: 'external', displayName: c.customer.name, contacts: [{ channel: 'email', address: c.customer.address }] });
        if (c.customer.locale !== undefined) expect(customer.locale).toBe(c.customer.locale);
      }
    });
  }
});

describe('e-mail intake: threading', () => {
  const first = (id = 'first', sender = 'hanako@example.jp', subject = 'Router drops Wi-Fi') =>
    message([...from(sender, 'Tanaka Hanako'), ['Subject', subject], ['Message-ID', `<${id}@mail.example>`]], text('My router drops the Wi-Fi every evening.'));

  it('a reply to the desk threads by In-Reply-To; the desk sent it with its own Message-ID, In-Reply-To, References and the token', async () => {
    const s = await emailDesk();
    const opened = await s.intake.receive(first());
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const sent = await s.reply(opened.ticketId, 'Please update the firmware.');
    expect(sent.headers['In-Reply-To']).toBe('<first@mail.example>');
    expect(sent.headers['References']).toBe('<first@mail.example>');
    expect(sent.subject).toMatch(new RegExp(`^Re: Router drops Wi-Fi \\[#${opened.ticketId}\\.[a-z2-7]{10}\\]$`));
    const answer = message([...from('hanako@example.jp', 'Tanaka Hanako'), ['Subject', `Re: ${sent.subject}`], ['Message-ID', '<second@mail.example>'], ['In-Reply-To', sent.messageId], ['References', `<first@mail.example> ${sent.messageId}`]], text('It still drops.\n\nOn Tue, 1 Dec 2026 at 10:00, Omotenashi Support <support@desk.example> wrote:\n> Please update the firmware.'));
    const r = await s.intake.receive(answer);
    expect(r).toMatchObject({ outcome: 'appended', ticketId: opened.ticketId, via: 'in-reply-to', customerId: opened.customerId });
    const all = await s.desk.listInteractions(opened.ticketId);
    expect(all.at(-1)).toMatchObject({ direction: 'inbound', body: 'It still drops.', externalId: 'second@mail.example' });
    // The next reply answers the customer's latest message and keeps the whole thread.
    const next = await s.reply(opened.ticketId, 'We will send a new router.');
    expect(next.headers['In-Reply-To']).toBe('<second@mail.example>');
    expect(next.headers['References']).toBe(`<first@mail.example> ${sent.messageId} <second@mail.example>`);
  });

  it('threads by References when In-Reply-To is missing, and through a provider that replaced the Message-ID (SES)', async () => {
    const s = await emailDesk({ providerIds: true });
    const opened = await s.intake.receive(first());
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    await s.reply(opened.ticketId, 'Please update the firmware.');
    const n = (await s.desk.listNotifications({ ticketId: opened.ticketId })).items[0];
    expect(n?.externalAliases?.[0]).toMatch(/amazonses\.com/);
    const viaRefs = message([...from('hanako@example.jp'), ['Subject', 'Re: Router'], ['Message-ID', '<r1@mail.example>'], ['References', `<unknown@elsewhere> ${n?.externalAliases?.[0] as string}`]], text('Done, no change.'));
    expect(await s.intake.receive(viaRefs)).toMatchObject({ outcome: 'appended', ticketId: opened.ticketId, via: 'references' });
  });

  it('threads by a signed token when the mailer dropped every header, in the subject or in a plus address', async () => {
    for (const tokenIn of ['subject', 'address'] as const) {
      const s = await emailDesk({ tokenIn });
      const opened = await s.intake.receive(first());
      if (opened.outcome !== 'opened') throw new Error(opened.outcome);
      const sent = await s.reply(opened.ticketId, 'Please update the firmware.');
      const token = await s.tokens.mint(opened.ticketId);
      const to = tokenIn === 'address' ? `support+${token as string}@desk.example` : 'support@desk.example';
      if (tokenIn === 'address') expect(sent.replyTo).toMatchObject({ address: to });
      const bare = message([['From', 'hanako@example.jp'], ['To', to], ['Subject', tokenIn === 'subject' ? sent.subject : 'Re: Router'], ['Message-ID', `<bare-${tokenIn}@mail.example>`]], text('Thanks!'));
      expect(await s.intake.receive(bare)).toMatchObject({ outcome: 'appended', ticketId: opened.ticketId, via: 'token' });
    }
  });

  it('nobody writes into another customer’s ticket by guessing its number: an unsigned or forged token from a stranger opens a new ticket', async () => {
    const s = await emailDesk();
    const opened = await s.intake.receive(first());
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const guess = message([['From', 'mallory@example.net'], ['To', 'support@desk.example'], ['Subject', `Re: [#${opened.ticketId}] Router`], ['Message-ID', '<g1@mail.example>']], text('Change the delivery address to mine.'));
    const forged = message([['From', 'mallory@example.net'], ['To', `support+${opened.ticketId}.aaaaaaaaaa@desk.example`], ['Subject', 'Re: Router'], ['Message-ID', '<g2@mail.example>']], text('Change it.'));
    for (const raw of [guess, forged]) {
      const r = await s.intake.receive(raw);
      expect(r.outcome).toBe('opened');
      if (r.outcome === 'opened') expect(r.ticketId).not.toBe(opened.ticketId);
    }
    expect((await s.desk.listInteractions(opened.ticketId)).length).toBe(1);
    // The requester's own unsigned token is honoured: she takes part in the ticket.
    const own = message([['From', 'Hanako@Example.JP'], ['To', 'support@desk.example'], ['Subject', `Re: [#${opened.ticketId}] Router`], ['Message-ID', '<own@mail.example>']], text('Any news?'));
    expect(await s.intake.receive(own)).toMatchObject({ outcome: 'appended', ticketId: opened.ticketId, via: 'token' });
  });

  it('a colleague in cc who replies is appended as the author of their message, a customer of their own', async () => {
    const s = await emailDesk();
    const opened = await s.intake.receive(first());
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const sent = await s.reply(opened.ticketId, 'Which model is it?');
    const colleague = message([...from('jiro@example.jp', 'Suzuki Jiro'), ['Cc', 'hanako@example.jp'], ['Subject', `Re: ${sent.subject}`], ['Message-ID', '<cc@mail.example>'], ['In-Reply-To', sent.messageId]], text('It is the AX-3000.'));
    const r = await s.intake.receive(colleague);
    if (r.outcome !== 'appended') throw new Error(r.outcome);
    expect(r.customerId).not.toBe(opened.customerId);
    expect((await s.desk.listInteractions(opened.ticketId)).at(-1)?.author).toMatchObject({ kind: 'customer', id: r.customerId, name: 'Suzuki Jiro' });
  });

  it('a forwarded message opens a ticket for the person who forwarded it, even with References', async () => {
    const s = await emailDesk();
    const opened = await s.intake.receive(first());
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const fwd = message([...from('boss@example.jp', 'Boss'), ['Subject', 'Fwd: Router drops Wi-Fi'], ['Message-ID', '<fwd@mail.example>'], ['References', '<first@mail.example>']], text('Please look at this.\n\n---------- Forwarded message ---------\nFrom: Tanaka Hanako <hanako@example.jp>\n\nMy router drops.'));
    const r = await s.intake.receive(fwd);
    if (r.outcome !== 'opened') throw new Error(r.outcome);
    expect(r.ticketId).not.toBe(opened.ticketId);
    expect((await s.desk.getCustomer(r.customerId)).displayName).toBe('Boss');
  });

  it('a reply to a closed ticket reopens it within the reopen window and opens a linked follow-up after it', async () => {
    const s = await emailDesk();
    const opened = await s.intake.receive(first());
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const sent = await s.reply(opened.ticketId, 'Fixed.');
    const close = async () => {
      await s.desk.resolve(opened.ticketId, { summary: 'Firmware updated' }, { by: { kind: 'agent', id: s.agent.id } });
      await s.desk.confirmResolution(opened.ticketId, { by: { kind: 'customer', id: opened.customerId } });
    };
    await close();
    const again = (n: number) => message([...from('hanako@example.jp'), ['Subject', `Re: ${sent.subject}`], ['Message-ID', `<again${n}@mail.example>`], ['In-Reply-To', sent.messageId]], text('It happened again.'));
    expect(await s.intake.receive(again(1))).toMatchObject({ outcome: 'appended', ticketId: opened.ticketId });
    expect((await s.desk.getTicket(opened.ticketId)).status).not.toBe('closed');
    await close();
    await s.clock.advance('P8D');
    const late = await s.intake.receive(again(2));
    expect(late).toMatchObject({ outcome: 'opened', followUpOf: opened.ticketId });
  });
});

describe('e-mail intake: duplicates, loops and bounces', () => {
  const raw = message([...from('ken@example.com', 'Ken'), ['Subject', 'Help'], ['Message-ID', '<dup@mail.example>']], text('Please help.'));

  it('the same Message-ID delivered twice, one after the other or at once, is one interaction', async () => {
    const s = await emailDesk();
    const a = await s.intake.receive(raw);
    expect(await s.intake.receive(raw)).toMatchObject({ outcome: 'duplicate', ticketId: (a as { ticketId: TicketId }).ticketId });
    const t = await emailDesk();
    const both = await Promise.all([t.intake.receive(raw), t.intake.receive(raw), t.intake.receive(raw)]);
    expect(both.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'opened']);
    expect((await t.desk.listTickets()).items).toHaveLength(1);
    expect((await t.desk.listCustomers()).items).toHaveLength(1);
    // A message without a Message-ID is known by its bytes.
    const noId = message([...from('ken@example.com'), ['Subject', 'No id']], text('x'));
    expect((await t.intake.receive(noId)).outcome).toBe('opened');
    expect((await t.intake.receive(noId)).outcome).toBe('duplicate');
  });

  it('the desk’s own message coming back is a loop; an auto-responder without any header is stopped by the rate cap', async () => {
    const s = await emailDesk({ intake: { rate: { perSender: { count: 3, windowMs: 3_600_000 } } } });
    const opened = await s.intake.receive(raw);
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const sent = await s.reply(opened.ticketId, 'Hello');
    const echo = message([['From', 'ken@example.com'], ['To', 'support@desk.example'], ['Subject', sent.subject], ['Message-ID', sent.messageId]], text('Hello'));
    expect(await s.intake.receive(echo)).toMatchObject({ outcome: 'ignored', reason: 'loop' });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.intake.receive(message([['From', 'ken@example.com'], ['To', 'support@desk.example'], ['Subject', `Re: ${sent.subject}`], ['Message-ID', `<bot${i}@mail.example>`], ['In-Reply-To', sent.messageId]], text('Thank you for your message.')));
      outcomes.push(r.outcome === 'ignored' ? r.reason : r.outcome);
    }
    expect(outcomes).toEqual(['appended', 'appended', 'rate_limited', 'rate_limited']);
    await s.clock.advance('PT2H');
    expect((await s.intake.receive(message([['From', 'ken@example.com'], ['To', 'support@desk.example'], ['Subject', 'Later'], ['Message-ID', '<later@mail.example>']], text('Later question')))).outcome).toBe('opened');
  });

  it('a bounce marks the message failed and the address bouncing, with an event; messages then stop using the address', async () => {
    const s = await emailDesk();
    const opened = await s.intake.receive(raw);
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const sent = await s.reply(opened.ticketId, 'Hello');
    const dsn = message(
      [['From', 'Mail Delivery System <MAILER-DAEMON@mx.example.com>'], ['To', 'support@desk.example'], ['Subject', 'Undelivered Mail Returned to Sender'], ['Message-ID', '<dsn1@mx.example.com>'], ['Auto-Submitted', 'auto-replied']],
      multipart(
        'report',
        [
          part({ type: 'text/plain', body: 'This is the mail system at host mx.example.com.\n\nI\'m sorry to have to inform you that your message could not be delivered.' }),
          part({ type: 'message/delivery-status', encoding: '7bit', body: 'Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; ken@example.com\nOriginal-Recipient: rfc822;ken@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <ken@example.com>: Recipient address rejected: User unknown' }),
          part({ type: 'text/rfc822-headers', encoding: '7bit', body: `From: Omotenashi Support <support@desk.example>\nTo: Ken <ken@example.com>\nSubject: ${sent.subject}\nMessage-ID: ${sent.messageId}` }),
        ],
        '; report-type=delivery-status',
      ),
    );
    const r = await s.intake.receive(dsn);
    expect(r).toMatchObject({ outcome: 'ignored', reason: 'bounce', bounce: { recipient: 'ken@example.com', permanent: true, status: '5.1.1', customerId: opened.customerId } });
    const n = (await s.desk.listNotifications({ ticketId: opened.ticketId })).items[0];
    expect(n).toMatchObject({ status: 'failed' });
    expect((await s.desk.getCustomer(opened.customerId)).contacts[0]).toMatchObject({ address: 'ken@example.com', bouncing: { status: '5.1.1' } });
    expect(s.events.of('notification.bounced')).toHaveLength(1);
    await expect(s.desk.notify({ customerId: opened.customerId, template: 'reply', data: { body: 'x' } })).rejects.toBeInstanceOf(ValidationError);
    // A report about mail the desk never sent changes nothing.
    const stray = message([['From', 'MAILER-DAEMON@mx.example.com'], ['To', 'support@desk.example'], ['Subject', 'Delivery Status Notification (Failure)'], ['Message-ID', '<dsn2@mx.example.com>']], text('Message-ID: <someone-else@mail.example>\n550 5.1.1 user unknown'));
    expect(await s.intake.receive(stray)).toMatchObject({ outcome: 'ignored', reason: 'bounce' });
  });
});

describe('e-mail intake: what the desk does with the message, and bad input', () => {
  it('an appended customer e-mail is a customer message: signals are detected and the next response is due again', async () => {
    const s = await emailDesk({ desk: { sla: defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' } }, next_response: { targets: { normal: 'PT8H' } } } }] }) } });
    const opened = await s.intake.receive(message([...from('ken@example.com', 'Ken'), ['Subject', 'Help'], ['Message-ID', '<sig1@mail.example>']], text('Please help.')));
    if (opened.outcome !== 'opened') throw new Error(opened.outcome);
    const sent = await s.reply(opened.ticketId, 'What is wrong?');
    await s.clock.advance('PT1H');
    const angry = message([...from('ken@example.com'), ['Subject', `Re: ${sent.subject}`], ['Message-ID', '<sig2@mail.example>'], ['In-Reply-To', sent.messageId]], text('This is the third time I write. I want to speak to your manager.'));
    expect((await s.intake.receive(angry)).outcome).toBe('appended');
    const last = (await s.desk.listInteractions(opened.ticketId)).at(-1);
    expect(last?.signals.map((x) => x.kind)).toContain('supervisor_request');
    const ticket = await s.desk.getTicket(opened.ticketId);
    expect(ticket.lastCustomerMessageAt?.toISOString()).toBe(new Date(s.clock.now()).toISOString());
    const next = ticket.sla?.clocks.find((c) => c.metric === 'next_response');
    expect(next?.state).toBe('active');
    expect(next?.dueAt?.getTime()).toBe(s.clock.now() + 8 * 3_600_000);
  });

  it('cuts what is over the limits instead of failing: long text, large attachments, huge messages', async () => {
    const s = await emailDesk({ intake: { limits: { maxBodyChars: 50, maxAttachmentBytes: 100, maxMessageBytes: 50_000 } } });
    const big = message(
      [...from('ken@example.com'), ['Subject', 'x'.repeat(800)], ['Message-ID', '<big1@mail.example>']],
      multipart('mixed', [part({ type: 'text/plain', body: 'word '.repeat(100) }), part({ type: 'application/octet-stream', body: new Uint8Array(500), headers: { 'Content-Disposition': 'attachment; filename="dump.bin"' } })]),
    );
    const r = await s.intake.receive(big);
    if (r.outcome !== 'opened') throw new Error(r.outcome);
    const [i] = await s.desk.listInteractions(r.ticketId);
    expect(i?.body?.length).toBeLessThan(150);
    expect(i?.body).toMatch(/more characters cut/);
    expect(i?.attachments[0]).toMatchObject({ name: 'dump.bin', sizeBytes: 500 });
    expect(i?.attachments[0]?.storageKey).toBeUndefined();
    expect((i?.metadata['email'] as Record<string, unknown>)['attachmentsTooLarge']).toEqual(['dump.bin']);
    expect((await s.desk.getTicket(r.ticketId)).subject).toHaveLength(500);
    expect(await s.intake.receive(new Uint8Array(60_000))).toMatchObject({ outcome: 'ignored', reason: 'too_large' });
  });

  it('refuses what is not a message with a typed error, and a missing desk or address list at creation', async () => {
    const s = await emailDesk();
    await expect(s.intake.receive(42 as never)).rejects.toBeInstanceOf(ValidationError);
    expect(() => createEmailIntake({ desk: s.desk, addresses: [] })).toThrow(ConfigError);
    expect(() => createEmailIntake({ addresses: ['a@b.example'] } as never)).toThrow(ConfigError);
  });

  it('without an attachment store, attachments are metadata only and nothing is kept', async () => {
    const s = await emailDesk({ intake: { attachments: undefined } as never });
    const r = await s.intake.receive(message([...from('ken@example.com'), ['Subject', word('添付', 'iso-2022-jp')], ['Message-ID', '<nostore@mail.example>']], multipart('mixed', [part({ type: 'text/plain', body: 'see file' }), part({ type: 'application/pdf', body: new Uint8Array(10), headers: { 'Content-Disposition': 'attachment; filename="a.pdf"' } })])));
    if (r.outcome !== 'opened') throw new Error(r.outcome);
    const [i] = await s.desk.listInteractions(r.ticketId);
    expect(i?.attachments).toEqual([{ name: 'a.pdf', contentType: 'application/pdf', sizeBytes: 10, inline: false }]);
    expect(s.attachments.size).toBe(0);
  });
});
