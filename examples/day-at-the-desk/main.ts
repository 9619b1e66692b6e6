/**
 * A day at the desk: a scripted day on the in-memory storage with a manual clock. Internal and
 * external customers on several channels, a complaint handled in the four steps, a hold with
 * consent, a declined hold, a transfer, a resolution confirmed by the customer, a reopen, an
 * auto-close, and a re-delivered e-mail that does not open a second ticket. Then follow-ups:
 * CSAT surveys after resolutions (one per ticket, after the customer's quiet hours), a
 * post-purchase check-in call, feedback routed to product, and birthday greetings in each
 * customer's own time zone.
 */
import { defineKnowledgeBase, defineRouting, defineFollowUps, defineEscalationRules, defineSlaConfig,
  createConsoleNotifier,
  createManualClock,
  createMemoryStorage,
  createSequentialIds,
  attachMetrics,
  createBusinessCalendar,
  createMetrics,
  createServiceDesk,
  createSignalDetector,
  defineCatalog,
  renderReport,
  salutationName,
  type Actor,
  type EscalationRuleInput,
  type OrganizationId,
  type ServiceDesk,
  type StoragePort,
  type FollowUpConfigInput,
  type SlaConfigInput,
  type SuggestionConfigInput,
} from 'omotenashi';
import { printTimeline, type Names } from './timeline.js';

const weekday: Array<[string, string]> = [['09:00', '12:00'], ['13:00', '18:00']];
const TOKYO_HOURS = { timeZone: 'Asia/Tokyo', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday }, holidays: [{ date: '2026-04-29', name: '昭和の日' }] };
/** Office hours in Tokyo: the SLA calendar, and business time in the metrics. */
const TOKYO_OFFICE = createBusinessCalendar(TOKYO_HOURS);

/** The desk's SLAs: a 24/7 premium policy for gold customers, Tokyo business hours for everyone else. */
export const SLA: SlaConfigInput = {
  calendars: {
    tokyo: TOKYO_HOURS,
    // A customer company in London is served on its own hours: its organisation names this calendar.
    london: { timeZone: 'Europe/London', weekly: { mon: [['09:00', '17:30']], tue: [['09:00', '17:30']], wed: [['09:00', '17:30']], thu: [['09:00', '17:30']], fri: [['09:00', '17:30']] } },
  },
  policies: [
    {
      id: 'premium-24x7',
      name: 'Premium, around the clock',
      match: { all: [{ fact: 'customer.tier', op: 'eq', value: 'gold' }, { fact: 'ticket.type', op: 'nin', value: ['feedback', 'follow_up'] }] },
      metrics: { first_response: { targets: { normal: 'PT1H', high: 'PT30M', urgent: 'PT15M' } }, resolution: { targets: { normal: 'P1D', high: 'PT12H', urgent: 'PT4H' } } },
    },
    {
      id: 'standard-tokyo',
      name: 'Standard, Tokyo business hours',
      match: { all: [{ fact: 'ticket.requesterKind', op: 'eq', value: 'external' }, { fact: 'ticket.type', op: 'nin', value: ['feedback', 'follow_up'] }] },
      metrics: {
        first_response: { targets: { low: 'PT8H', normal: 'PT1H', high: 'PT1H', urgent: 'PT30M' }, calendar: 'tokyo', warnings: [{ percent: 75 }] },
        next_response: { targets: { low: 'PT8H', normal: 'PT1H', high: 'PT1H', urgent: 'PT30M' }, calendar: 'tokyo' },
        resolution: { targets: { low: 'P5D', normal: 'PT16H', high: 'PT8H', urgent: 'PT4H' }, calendar: 'tokyo' },
      },
    },
  ],
};

/** The desk's escalation rules: angry customers to a supervisor, legal threats to legal. */
export const ESCALATION: EscalationRuleInput[] = [
  {
    id: 'angry-to-supervisor',
    name: 'An angry customer, or one who asks for someone senior, goes to a supervisor',
    trigger: { on: 'signal.detected' },
    condition: { any: [{ fact: 'signals.labels', op: 'contains', value: 'angry' }, { fact: 'signals.kinds', op: 'contains', value: 'supervisor_request' }] },
    actions: [{ type: 'escalate', to: 'supervisor' }, { type: 'set_priority', priority: 'high' }],
  },
  {
    id: 'legal-threat',
    name: 'A legal threat goes to the legal team and flags the customer',
    trigger: { on: 'signal.detected' },
    condition: { fact: 'signals.kinds', op: 'contains', value: 'legal_threat' },
    actions: [{ type: 'route_to_team', function: 'legal' }, { type: 'flag_customer', kind: 'legal_threat', reason: 'threatened legal action' }],
  },
];

/** What the shop sells, for suggestions after a happy resolution. */
export const CATALOG = defineCatalog([
  { sku: 'ROUTER-X2', name: 'Router X2', category: 'network', price: { amountMinor: 24_800, currency: 'JPY' }, family: 'router', rank: 1, features: ['wifi 6'], addOns: ['CARE-2Y'] },
  { sku: 'ROUTER-X3-MESH', name: 'Router X3 Mesh (whole-home Wi-Fi)', category: 'network', price: { amountMinor: 39_800, currency: 'JPY' }, family: 'router', rank: 2, features: ['wifi 6', 'mesh', 'auto update'] },
  { sku: 'CARE-2Y', name: 'Two-year care plan', category: 'services', price: { amountMinor: 3_300, currency: 'JPY' } },
  { sku: 'LAN-CAT6', name: 'Cat 6 LAN cable (2 m)', category: 'accessories', price: { amountMinor: 980, currency: 'JPY' }, complements: ['ROUTER-X2', 'ROUTER-X3-MESH'] },
  { sku: 'KETTLE-S', name: 'Kettle S', category: 'kitchen', price: { amountMinor: 6_800, currency: 'JPY' }, family: 'kettle', rank: 1 },
  { sku: 'KETTLE-PRO', name: 'Kettle Pro (temperature control)', category: 'kitchen', price: { amountMinor: 12_800, currency: 'JPY' }, family: 'kettle', rank: 2 },
]);

/** Suggestion settings: loyal customers get a little back, never more than the cap. */
export const SUGGESTIONS: SuggestionConfigInput = {
  discounts: { tiers: [{ id: 'loyal', minTenureDays: 365, percent: 5, points: 500 }, { id: 'big-order', minPurchaseMinor: 20_000, points: 300 }], cap: { percent: 10, points: 1000 } },
};

/** The desk's follow-ups: a survey after each resolution, a check-in call after a router order, birthday greetings. */
export const FOLLOW_UPS: FollowUpConfigInput = {
  fatigue: { max: 3, per: 'P30D' },
  feedbackRoutes: { product: 'team_product' },
  plans: [
    {
      id: 'csat',
      name: 'How did we do?',
      trigger: { on: 'ticket_resolved' },
      audience: 'external',
      timing: { delay: 'PT1H' },
      channels: ['email', 'sms'],
      action: { type: 'survey', questions: ['csat', 'solved'] },
    },
    {
      id: 'router-check-in',
      name: 'Post-purchase check-in call',
      trigger: { on: 'order_placed', skus: ['ROUTER-X2'] },
      timing: { delay: 'P2D', at: '10:00' },
      channels: ['phone'],
      action: { type: 'task', subject: 'Check-in call: is the new router working well?', teamId: 'team_front' },
    },
    {
      id: 'birthday',
      name: 'Birthday greeting',
      purpose: 'relationship',
      trigger: { on: 'birthday' },
      timing: { at: '09:00' },
      channels: ['email', 'preferred'],
      action: { type: 'message', template: 'birthday_greeting' },
    },
  ],
};

export async function runDay(out: (line: string) => void = console.log, hooks: { readonly onDesk?: (desk: ServiceDesk) => void } = {}): Promise<{ desk: ServiceDesk; storage: StoragePort; report: string }> {
  const TZ = 'Asia/Tokyo';
  const clock = createManualClock('2026-04-01T09:00:00+09:00');
  const storage = createMemoryStorage();
  const notifier = createConsoleNotifier({ write: (line) => out(`       ${line}`) });
  const desk = createServiceDesk({ knowledge: defineKnowledgeBase(),
    storage,
    clock,
    ids: createSequentialIds(3),
    signals: createSignalDetector(),
    lifecycle: { autoCloseAfter: 'P3D', reopenWindow: 'P7D' },
    sla: defineSlaConfig(SLA),
    escalation: defineEscalationRules(ESCALATION),
    followUps: defineFollowUps(FOLLOW_UPS),
    notifiers: [notifier],
    catalog: CATALOG,
    suggestions: SUGGESTIONS,
    // Tickets for a team find their agent: the front desk's router questions need the network skill.
    routing: defineRouting({ skills: [{ when: { fact: 'ticket.subject', op: 'contains', value: 'Router' }, skill: 'network', level: 2 }] }),
  });
  hooks.onDesk?.(desk);
  const metrics = createMetrics({ calendar: TOKYO_OFFICE });
  attachMetrics(desk, metrics);
  const names: Names = new Map();
  const at = (hhmm: string, day = '2026-04-01') => clock.set(new Date(`${day}T${hhmm}:00+09:00`));

  // The people
  const front = await desk.registerTeam({ id: 'team_front', name: 'Front desk' });
  const product = await desk.registerTeam({ id: 'team_product', name: 'Product', function: 'product' });
  const billing = await desk.registerTeam({ name: 'Billing', function: 'billing' });
  const docs = await desk.registerTeam({ name: 'Documentation', function: 'documentation' });
  const night = await desk.registerTeam({ name: 'Night shift', kind: 'third_party', provider: { name: 'CallCo Manila' } });
  const legalTeam = await desk.registerTeam({ name: 'Legal', function: 'legal' });
  const mori = await desk.registerAgent({ name: 'Mori', role: 'manager', teamIds: [front.id] });
  const kato = await desk.registerAgent({ name: 'Kato', role: 'supervisor', managerId: mori.id, teamIds: [front.id] });
  const aiko = await desk.registerAgent({ name: 'Aiko', managerId: kato.id, teamIds: [front.id], languages: ['ja', 'en'], channels: ['phone', 'email', 'chat'], skills: ['network:3'] });
  const ben = await desk.registerAgent({ name: 'Ben', teamIds: [billing.id], languages: ['en'] });
  const yui = await desk.registerAgent({ name: 'Yui', teamIds: [docs.id], languages: ['ja'] });
  const yamada = await desk.registerAgent({ name: 'Yamada', role: 'senior', teamIds: [legalTeam.id] });
  await desk.updateTeam(legalTeam.id, { leadId: yamada.id });
  const tanaka = await desk.registerCustomer({
    kind: 'external',
    displayName: 'Tanaka Hanako',
    addressing: { form: 'formal', honorific: '様', familyName: '田中', givenName: '花子' },
    contacts: [{ channel: 'phone', number: '+81312345678' }, { channel: 'email', address: 'hanako@example.jp' }],
    preferredChannel: 'phone',
    locale: 'ja-JP',
    timeZone: TZ,
    tier: 'gold',
    customerSince: '2019-06-01',
    birthday: '--04-04',
  });
  // A customer company: people who write from @example.co.uk join it, and its tickets' clocks count on London hours.
  await desk.registerOrganization({ id: 'org_smith' as OrganizationId, kind: 'external', name: 'Smith & Daughters Ltd', domains: ['example.co.uk'], calendar: 'london' });
  const john = await desk.registerCustomer({
    kind: 'external',
    displayName: 'John Smith',
    addressing: { form: 'informal', givenName: 'John', familyName: 'Smith', firstNameUsePermitted: true },
    contacts: [{ channel: 'chat', handle: 'john.s' }, { channel: 'email', address: 'john@example.co.uk' }],
    locale: 'en-GB',
    timeZone: 'Europe/London',
    organisation: 'Smith & Daughters Ltd',
    birthday: '1988-04-05',
    consent: { marketing: false, followUps: true, optedOutChannels: [], quietHours: { start: '21:00', end: '08:00' } },
  });
  const packaging = await desk.registerCustomer({ kind: 'internal', displayName: 'Packaging department', department: 'packaging', costCentre: 'CC-410' });
  const yamamoto = await desk.registerCustomer({ kind: 'external', displayName: 'Yamamoto Taro', contacts: [{ channel: 'chat', handle: 'taro.y' }], locale: 'ja-JP', timeZone: TZ, consent: { marketing: true }, purchases: [{ sku: 'KETTLE-S', at: new Date('2026-02-11T00:00:00Z') }] });
  const sato = await desk.registerCustomer({
    kind: 'external',
    displayName: 'Sato Kenji',
    addressing: { form: 'formal', honorific: '様', familyName: '佐藤' },
    contacts: [{ channel: 'email', address: 'kenji.sato@example.jp' }, { channel: 'phone', number: '+81355501234' }],
    preferredChannel: 'email',
    locale: 'ja-JP',
    timeZone: TZ,
    tier: 'silver',
    customerSince: '2021-09-15',
    consent: { marketing: true },
  });
  for (const r of [front, product, billing, docs, night, legalTeam, mori, kato, aiko, ben, yui, yamada]) names.set(r.id, r.name);
  for (const c of [tanaka, john, packaging, sato, yamamoto]) names.set(c.id, c.displayName);
  const as = (agent: { id: string; name: string }): { by: Actor } => ({ by: { kind: 'agent', id: agent.id, name: agent.name } });

  out('A day at the omotenashi desk (Tokyo time)');
  out(`Today: ${[aiko, kato, ben, yui].map((a) => a.name).join(', ')} on shift; ${night.name} run by ${night.provider?.name}.`);
  printTimeline(desk, names, TZ, out);

  // 09:00 A complaint by phone, handled in the four steps.
  const { ticket: kettle } = await desk.openTicket({
    requesterId: tanaka.id,
    subject: 'Kettle arrived broken',
    type: 'complaint',
    channel: 'phone',
    description: '届いたケトルの蓋が割れていました。とても残念です。',
    assigneeId: aiko.id,
    teamId: front.id,
  }, as(aiko));
  await at('09:04');
  await desk.recordInteraction(kettle.id, { channel: 'phone', author: as(aiko).by, complaintStep: 'understand', summary: `Listened to ${salutationName(tanaka)} without interrupting: lid cracked in the box, gift for her mother on Friday.` });
  await at('09:06');
  await desk.recordInteraction(kettle.id, { channel: 'phone', author: as(aiko).by, complaintStep: 'repeat_back', summary: 'So the lid was already cracked when you opened the box, and you need a whole kettle by Friday — is that right?' });
  await at('09:07');
  await desk.hold(kettle.id, { reason: 'Checking replacement stock with the warehouse', waitingOn: 'warehouse', consent: { granted: true, note: 'はい、待ちます' } }, as(aiko));
  await at('09:11');
  await desk.resume(kettle.id, as(aiko));
  await desk.recordInteraction(kettle.id, {
    channel: 'phone',
    author: as(aiko).by,
    summary: 'A new kettle ships today by express; a courier collects the broken one.',
    agreed: ['replacement delivered Thursday', 'courier pickup on delivery', 'no charge'],
  });
  await at('09:15');
  await desk.resolve(kettle.id, { summary: 'Replacement shipped by express; pickup arranged' }, as(aiko));
  await desk.recordInteraction(kettle.id, { channel: 'phone', author: as(aiko).by, complaintStep: 'thank', summary: 'Thanked Tanaka-sama for telling us and for her patience.' });
  await at('09:20');
  await desk.recordInteraction(kettle.id, { channel: 'email', author: as(aiko).by, body: '田中様　お電話ありがとうございました。交換品の発送伝票をお送りします。', attachments: [{ name: 'tracking.pdf', contentType: 'application/pdf' }] });

  // 10:30 Live chat: a declined hold, then a transfer with consent.
  await at('10:30');
  const { ticket: invoice } = await desk.openTicket({ requesterId: john.id, subject: 'Charged twice for order 1042', type: 'inquiry', channel: 'chat', description: 'Hi, my card was charged twice for order 1042.' });
  const london = (d: Date | undefined) => d?.toLocaleString('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit' }) ?? '—';
  const firstDue = invoice.sla?.clocks.find((c) => c.metric === 'first_response')?.dueAt;
  out(`       ▣ John writes for Smith & Daughters Ltd (he joined it by his @example.co.uk address): ${invoice.id}'s first response is due ${london(firstDue)} London time, on the company's calendar`);
  await desk.assign(invoice.id, { agentId: aiko.id, teamId: front.id }, as(aiko));
  await at('10:32');
  await desk.hold(invoice.id, { reason: 'Ask billing about the double charge', consent: { granted: false, note: "I'd rather not wait, sorry" } }, as(aiko));
  await desk.transfer(invoice.id, { to: { agentId: ben.id, teamId: billing.id }, consent: { granted: true, note: 'Yes, put me through to billing' }, reason: 'Refunds are handled by billing' }, as(aiko));
  await at('10:41');
  await desk.recordInteraction(invoice.id, { channel: 'chat', author: as(ben).by, body: 'John, I can see the duplicate charge. I have refunded it; it shows in 3–5 days.' });
  await desk.resolve(invoice.id, { summary: 'Duplicate charge refunded' }, as(ben));

  // 11:00 An internal customer at the counter.
  await at('11:00');
  const { ticket: manual } = await desk.openTicket({ requesterId: packaging.id, subject: 'Manual for the new gift box', type: 'support', channel: 'in_person', description: 'We need the folding instructions in Japanese and English by next week.' });
  await desk.assign(manual.id, { agentId: yui.id, teamId: docs.id }, as(yui));

  // 12:00 Sato-sama buys a new router online; the shop tells the desk.
  await at('12:00');
  await desk.orderPlaced({ customerId: sato.id, orderId: 'WEB-20931', items: [{ sku: 'ROUTER-X2', amount: { amountMinor: 24_800, currency: 'JPY' } }] });

  // 13:00 The mail server delivers John's follow-up e-mail twice.
  await at('13:00');
  const mail = { requesterId: john.id, subject: 'Receipt for the refund?', channel: 'email' as const, description: 'Could you send me a receipt for the refund?', sourceId: '<8841@example.co.uk>' };
  const first = await desk.openTicket(mail);
  const again = await desk.openTicket(mail);
  out(`13:00  ✉ The same e-mail arrives twice: ${again.created ? 'a second ticket was opened (bug!)' : `no second ticket, still ${again.ticket.id}`}`);
  // The receipt question belongs with the refund: merged, John is told where it goes on, and his e-mail reads on the refund ticket.
  await desk.mergeTickets(first.ticket.id, invoice.id, { ...as(ben), reason: 'the receipt is part of the refund', tell: 'John, I have added your question to the refund conversation and will send the receipt there.' });

  // 15:00 Tanaka-sama confirms the resolution.
  await at('15:00');
  await desk.recordInteraction(kettle.id, {
    channel: 'email',
    author: { kind: 'customer', id: tanaka.id },
    body: '発送伝票を受け取りました。ご丁寧な対応ありがとうございました。',
    confirmsResolution: true,
  });
  // 16:30 An e-mail late in the day: the first-response clock runs in Tokyo business hours.
  await at('16:30');
  const { ticket: router } = await desk.openTicket({ requesterId: sato.id, subject: 'Router reboots every night', channel: 'email', teamId: front.id, description: '毎晩ルーターが再起動します。' });
  const routed = await desk.explainRouting(router.id);
  out(`       why ${routed?.agentId === undefined ? 'nobody' : names.get(routed.agentId) ?? routed.agentId}: ${(routed?.candidates ?? []).map((c) => `${names.get(c.agentId) ?? c.agentId} ${c.reason === 'chosen' ? 'chosen' : `(${c.detail})`}`).join(', ')}`);
  await at('17:25');
  await desk.recordInteraction(router.id, {
    channel: 'email',
    author: as(aiko).by,
    body: '佐藤様　お問い合わせありがとうございます。シリアル番号をお知らせいただけますか。',
    setStatus: 'pending_customer',
  });

  // Next morning: John writes again, the refund has not arrived; the resolved ticket reopens.
  await at('09:30', '2026-04-02');
  await desk.recordInteraction(invoice.id, { channel: 'email', author: { kind: 'customer', id: john.id }, body: 'The second charge is still pending on my statement.' });
  await desk.setPriority(invoice.id, 'high', { ...as(ben), reason: 'Second contact about money' });
  await at('10:05', '2026-04-02');
  await desk.recordInteraction(invoice.id, { channel: 'email', author: as(ben).by, body: 'The bank releases pending charges within 24 hours; I have attached the refund confirmation.' });
  await desk.resolve(invoice.id, { summary: 'Refund confirmation sent; pending charge explained' }, as(ben));
  // Sato-sama answers; nobody picks it up within the hour: the next-response target is missed.
  await at('10:15', '2026-04-02');
  await desk.recordInteraction(router.id, { channel: 'email', author: { kind: 'customer', id: sato.id }, body: 'シリアル番号は RX-2231-0042 です。' });
  await at('11:40', '2026-04-02');
  await desk.recordInteraction(router.id, { channel: 'email', author: as(aiko).by, body: '大変お待たせしました。ファームウェア 2.1 で解消します。' });
  await desk.resolve(router.id, { summary: 'Firmware 2.1 fixes the nightly reboot' }, as(aiko));
  // A happy resolution: Aiko asks the desk what might help Sato-sama further.
  const forSato = await desk.suggestOffers({ ticketId: router.id }, { ...as(aiko), limit: 2 });
  for (const s of forSato.suggestions) {
    const d = s.discount;
    const extra = d === undefined ? '' : ` — ${[d.percent === undefined ? '' : `${d.percent}% off`, d.points === undefined ? '' : `${d.points} points`].filter(Boolean).join(' and ')} (${d.tierId} tier${d.capped ? ', capped' : ''})`;
    out(`11:40  🛍 Offer for ${names.get(sato.id)}: ${s.kind} ${s.product.name}, because ${s.reasons.join('; ')}${extra}`);
  }
  // 14:00 A chat turns heated; the escalation rules act on the customer's words.
  await at('14:00', '2026-04-02');
  const { ticket: billingRow } = await desk.openTicket({ requesterId: yamamoto.id, subject: 'Billed for a cancelled plan', channel: 'chat', type: 'complaint', description: '解約したのにまだ請求されています。', assigneeId: aiko.id, teamId: front.id }, as(aiko));
  await at('14:05', '2026-04-02');
  await desk.recordInteraction(billingRow.id, { channel: 'chat', author: { kind: 'customer', id: yamamoto.id }, body: '本当に腹が立ちます。責任者を出してください。' });
  await at('14:20', '2026-04-02');
  await desk.recordInteraction(billingRow.id, { channel: 'chat', author: { kind: 'customer', id: yamamoto.id }, body: 'このままなら弁護士に相談して訴えます。' });
  const forYamamoto = await desk.suggestOffers({ customerId: yamamoto.id }, as(aiko));
  out(`14:20  🛍 No offer for ${names.get(yamamoto.id)}: ${forYamamoto.withheld?.detail ?? 'none'}`);
  await at('16:00', '2026-04-02');
  await desk.resolve(manual.id, { summary: 'Bilingual folding instructions delivered to packaging' }, as(yui));
  // 16:30 Tanaka-sama answers yesterday's survey, with a suggestion for the product team.
  await at('16:30', '2026-04-02');
  const [kettleSurvey] = (await desk.listSurveys({ ticketId: kettle.id })).items;
  if (kettleSurvey !== undefined) {
    await desk.answerSurvey(kettleSurvey.id, { csat: 5, reason: '丁寧で早い対応でした', solved: true, suggestion: 'ケトルの箱にもう少し緩衝材を入れてほしいです。' });
    const suggestion = (await desk.getSurvey(kettleSurvey.id)).answer?.suggestion;
    if (suggestion !== undefined) {
      const fb = await desk.recordFeedback({ customerId: tanaka.id, department: 'product', text: suggestion, aboutTicketId: kettle.id, channel: 'email', sourceId: kettleSurvey.id });
      out(`16:30  💡 Her suggestion goes to ${names.get(fb.teamId ?? '')} as feedback ticket ${fb.id}: “${suggestion}”`);
    }
  }


  // Three quiet days later: no word from John or from packaging.
  await clock.advance('P4D');

  out('\nAt the end of the week');
  for (const t of [kettle, invoice, manual, first.ticket, router]) {
    const now = await desk.getTicket(t.id);
    const c = now.counters;
    out(
      `  ${now.id}  ${now.status.padEnd(7)} ${now.closure?.reason.padEnd(22) ?? ''} ${names.get(now.requesterId)?.padEnd(21)} ` +
        `holds ${c.holds} (declined ${c.declinedHolds}) · transfers ${c.transfers} · reopens ${c.reopens} · contacts ${c.contacts} · channels ${now.channels.join('+')}`,
    );
  }
  const explained = await desk.explainSla(router.id);
  const resolution = explained.metrics.find((m) => m.metric === 'resolution');
  if (resolution !== undefined) {
    const hhmm = (d: Date) => d.toLocaleString('en-GB', { timeZone: TZ, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const mins = (ms: number) => `${Math.floor(ms / 3_600_000)} h ${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')} min`;
    out(`\nWhy ${router.id}'s resolution clock stands at ${mins(resolution.elapsedMs)} of ${mins(resolution.targetMs)} (${resolution.policyId}, ${resolution.state}):`);
    for (const e of resolution.ledger) {
      const what = e.kind === 'counting' ? `counting  ${mins(e.countedMs)}` : e.kind === 'paused' ? `paused    (${e.reason})` : e.kind === 'holiday' ? `holiday   (${e.reason})` : 'outside business hours';
      out(`  ${hhmm(e.from).padEnd(10)} → ${hhmm(e.to).padEnd(10)}  ${what}`);
    }
  }

  const trail = (await desk.getAuditTrail(kettle.id)).filter((e) => e.action !== 'sla');
  out(`\nAudit trail of ${kettle.id} (${trail.length} changes; SLA entries left out):`);
  for (const e of trail) {
    const changed = e.changes.map((c) => c.field).filter((f) => !f.startsWith('complaintSteps') && f !== 'statusChangedAt' && !f.startsWith('sla'));
    out(`  v${String(e.version).padEnd(3)} ${e.action.padEnd(20)} by ${(e.actor.name ?? names.get(e.actor.id ?? '') ?? e.actor.kind).padEnd(14)} ${changed.join(', ')}`);
  }
  const [week] = metrics.report();
  if (week !== undefined) {
    out(`\nThe week in numbers: ${week.opened} opened, ${week.resolved} resolved; first response median ${Math.round(week.firstResponse.median / 60_000)} min, ${Math.round(week.firstResponse.business.median / 60_000)} business min; CSAT ${week.csat.average} (${week.csat.count}); reopen rate ${Math.round(week.reopenRate * 100)}%; escalation rate ${Math.round(week.escalationRate * 100)}%.`);
  }
  const report = renderReport({
    title: 'A week at the omotenashi desk',
    generatedAt: clock.date(),
    timeZone: TZ,
    metrics,
    recurring: await desk.recurringProblems({ window: 'P7D', minCount: 2, limit: 5 }),
    slaTimeline: { ticketId: router.id, subject: router.subject, evaluation: await desk.explainSla(router.id) },
    // Routing's default capacity is 10 open tickets an agent.
    agents: [mori, kato, aiko, ben, yui, yamada].map((a) => ({ id: a.id, name: a.name, capacity: 10 })),
  });
  await desk.stop();
  return { desk, storage, report };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { report } = await runDay();
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  mkdirSync('reports', { recursive: true });
  const path = resolve('reports', 'day-at-the-desk.html');
  writeFileSync(path, report);
  console.log(`\nThe report: ${path}`);
}
