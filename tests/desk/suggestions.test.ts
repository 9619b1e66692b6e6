import { describe, expect, it } from 'vitest';
import { defineFollowUps, createSignalDetector, ConfigError, createInProcessScheduler, createMemoryStorage, createSequentialIds, createServiceDesk, defineCatalog, defineTemplates, type SuggestionConfigInput } from 'omotenashi';
import { createManualClock, createRecordingNotifier, recordEvents } from 'omotenashi/testing';

const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const catalog = defineCatalog([
  { sku: 'basic', name: 'Basic', category: 'plans', price: USD(1000), family: 'plan', rank: 1, features: ['email support'], limits: { seats: 10 }, addOns: ['storage'] },
  { sku: 'pro', name: 'Pro', category: 'plans', price: USD(3000), family: 'plan', rank: 2, features: ['email support', 'sso'], limits: { seats: 50 } },
  { sku: 'storage', name: 'Extra storage', category: 'add-ons', price: USD(500) },
]);

async function setup(suggestions: SuggestionConfigInput = {}) {
  const clock = createManualClock('2026-04-01T10:00:00+09:00');
  const notifier = createRecordingNotifier();
  const templates = defineTemplates({
    survey: { variables: ['recipientName', 'surveyId'], locales: { en: { subject: 'How did we do?', text: 'Dear {{recipientName}}: https://help.example.com/s/{{surveyId|url}}' } } },
    thanks: { variables: ['recipientName', 'offerName?', 'offerPercent?'], locales: { en: { subject: 'Thank you', text: 'Dear {{recipientName}}, thank you.{{#if offerName}} You may like {{offerName}}{{#if offerPercent}} ({{offerPercent}}% off){{/if}}.{{/if}}' } } },
  });
  const desk = createServiceDesk({ signals: createSignalDetector(),
    storage: createMemoryStorage(),
    clock,
    scheduler: createInProcessScheduler({ clock }),
    ids: createSequentialIds(3),
    catalog,
    suggestions: { discounts: { tiers: [{ id: 'loyal', minLifetimeValueMinor: 50_000, percent: 25 }], cap: { percent: 10 } }, ...suggestions },
    templates,
    notifiers: [notifier],
    followUps: defineFollowUps({ plans: [{ id: 'csat', name: 'CSAT', trigger: { on: 'ticket_resolved' }, timing: { delay: 'PT1H' }, action: { type: 'survey', template: 'survey', questions: ['csat'] } }, { id: 'thanks', name: 'Thanks, with an offer', trigger: { on: 'ticket_closed' }, timing: { delay: 'P1D' }, action: { type: 'message', template: 'thanks', includeOffer: true } }] }),
  });
  const events = recordEvents(desk);
  const acme = await desk.registerCustomer({
    kind: 'external',
    displayName: 'ACME Corp.',
    lifetimeValue: USD(80_000),
    consent: { marketing: true },
    contacts: [{ channel: 'email', address: 'it@acme.example' }],
    purchases: [{ sku: 'basic', at: new Date('2026-02-01T00:00:00Z') }],
    customFields: { usage: { seats: 10 } },
  });
  return { clock, desk, events, acme, notifier };
}

describe('desk: suggestions', () => {
  it('after a happy resolution the agent gets an upgrade with its reasons and the capped discount, recorded as an offer', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.acme.id, subject: 'Can we add more seats? We need SSO too', channel: 'email' });
    await s.desk.resolve(ticket.id, { summary: 'Explained seat management' });
    const result = await s.desk.suggestOffers({ ticketId: ticket.id });
    expect(result.withheld).toBeNull();
    expect(result.suggestions[0]?.product.sku).toBe('pro');
    expect(result.suggestions[0]?.reasons).toEqual(expect.arrayContaining(['a step up from Basic', 'asked about sso, which Pro has', 'uses 10 of 10 seats; Pro allows 50']));
    expect(result.offers[0]).toMatchObject({ sku: 'pro', kind: 'upsell', status: 'offered', ticketId: ticket.id, discount: { tierId: 'loyal', percent: 10, amountOffMinor: 300, capped: true } });
    expect(s.events.of('suggestion.offered')[0]?.offers.map((o) => o.sku)).toEqual(result.offers.map((o) => o.sku));
    expect((await s.desk.listOffers({ customerId: s.acme.id })).items).toHaveLength(result.offers.length);
  });

  it('offers nothing while a complaint is open, and says why', async () => {
    const s = await setup();
    await s.desk.openTicket({ requesterId: s.acme.id, subject: 'Outage again', channel: 'phone', type: 'complaint' });
    const result = await s.desk.suggestOffers({ customerId: s.acme.id });
    expect(result).toMatchObject({ suggestions: [], offers: [], withheld: { reason: 'complaint_open', detail: '1 complaint is still open: the relationship comes first' } });
    expect((await s.desk.listOffers({})).items).toHaveLength(0);
  });

  it('offers nothing after negative signals in the latest interaction', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.acme.id, subject: 'Login', channel: 'email' });
    await s.desk.recordInteraction(ticket.id, { channel: 'email', author: { kind: 'customer', id: s.acme.id }, body: 'This is ridiculous, I am furious.' });
    expect((await s.desk.suggestOffers({ ticketId: ticket.id })).withheld?.reason).toBe('negative_signals');
  });

  it('offers nothing for two weeks after a low survey score', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.acme.id, subject: 'Slow exports', channel: 'email' });
    await s.desk.resolve(ticket.id, { summary: 'Tuned' });
    await s.clock.advance('PT1H');
    const [survey] = (await s.desk.listSurveys({ ticketId: ticket.id })).items;
    await s.desk.answerSurvey(survey!.id, { csat: 1 });
    expect((await s.desk.suggestOffers({ customerId: s.acme.id })).withheld).toMatchObject({ reason: 'low_score' });
    await s.clock.advance('P15D');
    expect((await s.desk.suggestOffers({ customerId: s.acme.id })).withheld).toBeNull();
  });

  it('keeps to the frequency cap and does not re-offer a product within its cooldown', async () => {
    const s = await setup({ guardrails: { frequency: { max: 2, per: 'P30D' } } });
    const first = await s.desk.suggestOffers({ customerId: s.acme.id }, { limit: 1 });
    await s.clock.advance('P1D');
    const second = await s.desk.suggestOffers({ customerId: s.acme.id }, { limit: 1 });
    expect(first.offers.map((o) => o.sku)).toEqual(['pro']);
    expect(second.offers.map((o) => o.sku)).toEqual(['storage']);
    await s.clock.advance('P1D');
    expect((await s.desk.suggestOffers({ customerId: s.acme.id })).withheld?.reason).toBe('frequency_cap');
    const preview = await s.desk.suggestOffers({ customerId: s.acme.id }, { record: false });
    expect(preview.offers).toEqual([]);
  });

  it('records answers, keeps acceptance rates, and refuses changing an answer', async () => {
    const s = await setup();
    const { offers } = await s.desk.suggestOffers({ customerId: s.acme.id });
    const accepted = await s.desk.answerOffer(offers[0]!.id, 'accepted', { by: { kind: 'customer', id: s.acme.id } });
    expect(accepted).toMatchObject({ status: 'accepted', answeredBy: { kind: 'customer' } });
    expect(await s.desk.answerOffer(offers[0]!.id, 'accepted')).toMatchObject({ version: 2 });
    await expect(s.desk.answerOffer(offers[0]!.id, 'rejected')).rejects.toThrow(/already accepted/);
    await s.desk.answerOffer(offers[1]!.id, 'rejected');
    expect(s.events.of('suggestion.answered')).toHaveLength(2);
    const stats = await s.desk.offerStats();
    expect(stats).toEqual([
      { kind: offers[0]!.kind, sku: offers[0]!.sku, answered: 1, accepted: 1, rate: 1 },
      { kind: offers[1]!.kind, sku: offers[1]!.sku, answered: 1, accepted: 0, rate: 0 },
    ]);
    await expect(s.desk.answerOffer('ofr:nope', 'accepted')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.desk.suggestOffers({ customerId: s.acme.id, limit: 1 } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('a follow-up can carry the top suggestion; without a catalog the desk says what is missing', async () => {
    const s = await setup();
    const { ticket } = await s.desk.openTicket({ requesterId: s.acme.id, subject: 'Invoice copy', channel: 'email' });
    await s.desk.resolve(ticket.id, { summary: 'Sent' });
    await s.desk.confirmResolution(ticket.id, { by: { kind: 'customer', id: s.acme.id } });
    await s.clock.advance('P1D');
    await s.clock.advance('PT1M');
    expect(s.notifier.sent.find((m) => m.template === 'thanks')?.rendered?.text).toBe('Dear ACME Corp., thank you. You may like Pro (10% off).');
    expect((await s.desk.listOffers({ customerId: s.acme.id })).items.map((o) => o.sku)).toEqual(['pro']);
    expect(() => createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage(), notifiers: [s.notifier], followUps: defineFollowUps({ plans: [{ id: 'x', name: 'x', trigger: { on: 'ticket_closed' }, action: { type: 'message', template: 't', includeOffer: true } }] }) })).toThrow(/includeOffer/);
    await expect(createServiceDesk({ signals: createSignalDetector(), storage: createMemoryStorage() }).suggestOffers({ customerId: s.acme.id })).rejects.toBeInstanceOf(ConfigError);
  });
});
