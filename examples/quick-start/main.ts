import { createManualClock, createMemoryStorage, createServiceDesk } from 'omotenashi';

const clock = createManualClock('2026-04-01T09:00:00+09:00');
const desk = createServiceDesk({ storage: createMemoryStorage(), clock });
desk.on('ticket.status_changed', ({ ticket, from, to }) => console.log(`${ticket.subject}: ${from} → ${to}`));

const hanako = await desk.registerCustomer({
  kind: 'external',
  displayName: 'Tanaka Hanako',
  contacts: [{ channel: 'email', address: 'hanako@example.jp' }],
  timeZone: 'Asia/Tokyo',
});
const aiko = await desk.registerAgent({ name: 'Aiko', languages: ['ja', 'en'] });

const { ticket } = await desk.openTicket({
  requesterId: hanako.id,
  subject: 'Router keeps dropping Wi-Fi',
  channel: 'email',
  description: 'Since Monday the connection drops every hour.',
  sourceId: '<msg-1@example.jp>', // a re-delivered e-mail will not open a second ticket
});
await desk.assign(ticket.id, { agentId: aiko.id });
await desk.resolve(ticket.id, { summary: 'Firmware 2.1 fixes the drop' }, { by: { kind: 'agent', id: aiko.id } });
await clock.advance('P4D'); // no word from the customer within the quiet period: auto-closed
console.log((await desk.getTicket(ticket.id)).closure?.reason); // "auto_closed"
