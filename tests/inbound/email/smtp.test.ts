import { describe, expect, it } from 'vitest';
import { runInboundFlow } from '../../../examples/inbound-email/flow.js';

describe('e-mail intake end to end over real SMTP on 127.0.0.1 (the example:inbound flow)', () => {
  it('opens, threads the reply, ignores the out-of-office, and marks the bounce', async () => {
    const t = await runInboundFlow();
    expect(t.results.map((r) => r.result.outcome)).toEqual(['opened', 'appended', 'ignored', 'ignored']);
    expect(t.results[1]?.result).toMatchObject({ ticketId: t.ticketId, via: 'in-reply-to' });
    expect(t.results[2]?.result).toMatchObject({ reason: 'auto_reply' });
    expect(t.results[3]?.result).toMatchObject({ reason: 'bounce', bounce: { recipient: 'hanako@example.jp', permanent: true, status: '5.1.1' } });
    const sent = t.customerMailbox[0];
    expect(sent?.inReplyTo).toBe(`<${(await t.desk.listInteractions(t.ticketId as never))[0]?.externalId}>`);
    const interactions = await t.desk.listInteractions(t.ticketId as never);
    expect(interactions.map((i) => i.direction)).toEqual(['inbound', 'outbound', 'inbound']);
    expect(interactions[2]?.body).toBe('更新しましたが、まだ切れます。');
    const customer = await t.desk.getCustomer((await t.desk.getTicket(t.ticketId as never)).requesterId);
    expect(customer.contacts[0]).toMatchObject({ address: 'hanako@example.jp', bouncing: { status: '5.1.1' } });
    expect((await t.desk.listNotifications({ ticketId: t.ticketId as never })).items[0]?.status).toBe('failed');
  });
});
