/**
 * examples/inbound-email: `npm run example:inbound`. Two SMTP servers on 127.0.0.1 stand in for
 * the desk's inbound mailbox and the customer's: a customer's mail opens a ticket, the agent's
 * answer goes out through the SMTP notifier, the customer's reply threads back onto the ticket,
 * an out-of-office reply is ignored, and a bounce marks the address.
 */
import { runInboundFlow } from './flow.js';

const t = await runInboundFlow();
for (const { step, result } of t.results) {
  const what =
    result.outcome === 'ignored'
      ? `ignored (${result.reason}: ${result.detail})`
      : result.outcome === 'appended'
        ? `appended to ${result.ticketId} (threaded by ${result.via})`
        : result.outcome === 'opened'
          ? `opened ${result.ticketId} for ${result.customerId}`
          : `duplicate of a message on ${result.ticketId ?? 'no ticket'}`;
  console.log(`✉ ${step}: ${what}`);
}
console.log(`\nThe desk's answer went out as ${t.customerMailbox[0]?.messageId}, subject "${t.customerMailbox[0]?.subject}".`);
console.log(`\nTicket ${t.ticketId}, as the agent sees it:`);
for (const i of await t.desk.listInteractions(t.ticketId as never)) console.log(`  ${i.direction === 'inbound' ? '←' : '→'} ${i.author.name ?? i.author.kind}: ${(i.body ?? '').replace(/\n/g, ' ⏎ ')}`);
const customer = await t.desk.getCustomer((await t.desk.getTicket(t.ticketId as never)).requesterId);
console.log(`\n${customer.displayName}'s address: ${customer.contacts.map((c) => ('address' in c ? `${String(c.address)}${'bouncing' in c && c.bouncing ? ` (bouncing since ${c.bouncing.at.toISOString()})` : ''}` : '')).join(', ')}`);
