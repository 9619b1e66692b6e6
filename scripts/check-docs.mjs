// After `npm run docs`: the reference stays readable. Each domain record's page lists its fields
// with their TSDoc (records are interfaces over their schemas, so signatures name them), and the
// ServiceDesk page names types instead of spelling every record out in every signature.
import { readFileSync, statSync } from 'node:fs';

const api = new URL('../docs/api/', import.meta.url).pathname;
const text = (file) => readFileSync(`${api}${file}`, 'utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const records = {
  Ticket: ['subject', 'The channel the ticket arrived on'],
  OpenTicketInput: ['requesterId', 'More about the first message'],
  Interaction: ['visibility', 'What was agreed with the customer'],
  InteractionInput: ['channel', 'After an agent'],
  ExternalCustomer: ['displayName', 'contacts'],
  InternalCustomerInput: ['department', 'displayName'],
  FollowUp: ['dueAt', 'status'],
  Survey: ['questions', 'answer'],
  NotificationRecord: ['attempts', 'status'],
  Offer: ['sku', 'price'],
  Article: ['title', 'status'],
  RequestRecord: ['fingerprint', 'A digest of the request'],
};
let failed = 0;
for (const [name, needles] of Object.entries(records)) {
  let page;
  try {
    page = text(`interfaces/index.${name}.html`);
  } catch {
    console.log(`MISSING interfaces/index.${name}.html: make ${name} an interface over its schema`);
    failed++;
    continue;
  }
  const missing = needles.filter((n) => !page.includes(n));
  if (missing.length > 0) {
    console.log(`FIELDS ${name}: the page lacks ${missing.join(', ')}`);
    failed++;
  }
}
const desk = statSync(`${api}interfaces/index.ServiceDesk.html`).size;
const limit = 1024 * 1024;
console.log(`${desk <= limit ? 'ok  ' : 'OVER'} ServiceDesk page: ${(desk / 1024).toFixed(0)} KB (limit ${limit / 1024} KB)`);
if (desk > limit) failed++;
console.log(`${Object.keys(records).length - failed} of ${Object.keys(records).length} record pages list their fields with TSDoc`);
if (failed > 0) process.exit(1);
