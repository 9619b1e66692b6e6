// The quick start in a CommonJS project (no top-level await there: the steps run in main()).
const { createManualClock, createMemoryStorage, createServiceDesk } = require('omotenashi');

async function main() {
  const clock = createManualClock('2026-04-01T09:00:00+09:00');
  const desk = createServiceDesk({ storage: createMemoryStorage(), clock });
  const hanako = await desk.registerCustomer({ kind: 'external', displayName: 'Tanaka Hanako', contacts: [{ channel: 'email', address: 'hanako@example.jp' }] });
  const { ticket } = await desk.openTicket({ requesterId: hanako.id, subject: 'Router keeps dropping Wi-Fi', channel: 'email' });
  await desk.resolve(ticket.id, { summary: 'Firmware 2.1 fixes the drop' });
  await clock.advance('P4D');
  console.log((await desk.getTicket(ticket.id)).closure?.reason); // "auto_closed"
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
