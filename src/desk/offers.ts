import type { Actor, CustomerId, JsonValue } from '../domain/common.js';
import type { Catalog } from '../domain/catalog.js';
import type { Customer } from '../domain/customer.js';
import type { Offer } from '../domain/offer.js';
import type { Ticket } from '../domain/ticket.js';
import { deskEvent } from '../events.js';
import { listAll, type StoragePort } from '../ports/storage.js';
import type { Signal } from '../signals/detect.js';
import type { SuggestionConfig } from '../suggestions/config.js';
import { acceptanceStats, suggest, type SuggestionContext, type SuggestionScorer, type SuggestResult } from '../suggestions/engine.js';
import { nothing, type Addition } from './effects.js';

const OPEN = ['new', 'open', 'pending_customer', 'on_hold'] as const;


/** What the desk's suggestions need to know about the moment of an offer. */
export interface OfferOccasion {
  readonly customer: Customer;
  readonly ticket?: Ticket | undefined;
  readonly justOrdered?: ReadonlyArray<string> | undefined;
  readonly orderAmountMinor?: number | undefined;
}

/** The template variables an offer adds to a follow-up message. */
export function offerData(offer: Offer, name: string): Record<string, JsonValue> {
  return {
    offerId: offer.id,
    offerSku: offer.sku,
    offerName: name,
    offerKind: offer.kind,
    offerPriceMinor: offer.price.amountMinor,
    offerCurrency: offer.price.currency,
    ...(offer.discount?.percent === undefined ? {} : { offerPercent: offer.discount.percent }),
    ...(offer.discount?.points === undefined ? {} : { offerPoints: offer.discount.points }),
  };
}

/**
 * The desk's side of suggestions: gathers what the pure engine needs from storage (open
 * complaints, the latest signals, low survey scores, earlier offers, acceptance rates), records
 * the offers made, and records the customer's answers.
 */
export function createOfferRuntime(deps: { storage: StoragePort; catalog: Catalog; config: SuggestionConfig; scorers: ReadonlyArray<SuggestionScorer> | undefined }) {
  const { storage, catalog, config } = deps;
  /**
   * Acceptance counts over every offer, read from storage each time they are needed, so every
   * process on one database ranks with the same counts.
   */
  async function stats(now: number): Promise<Map<string, { answered: number; accepted: number }>> {
    const offers = await listAll(storage, 'offer');
    return acceptanceStats(offers, now, config.ignoreAfterMs);
  }

  /** The customer's words on the ticket (or on their latest ticket), and the signals in the last of them. */
  async function customerWords(customerId: CustomerId, ticket: Ticket | undefined): Promise<{ text: string; signals: ReadonlyArray<Signal> }> {
    const latest = ticket ?? (await storage.list('ticket', { requesterId: customerId, order: 'desc', limit: 1 })).items[0];
    if (latest === undefined) return { text: '', signals: [] };
    const theirs = (await storage.history('interaction', latest.id)).filter((i) => i.author.kind === 'customer');
    return { text: theirs.map((i) => `${i.summary ?? ''} ${i.body ?? ''}`).join(' '), signals: theirs[theirs.length - 1]?.signals ?? [] };
  }

  /** Everything the engine needs about the customer right now. */
  async function context(occasion: OfferOccasion, now: number): Promise<SuggestionContext> {
    const { customer, ticket } = occasion;
    const [complaints, words, surveys, recentOffers, acceptanceNow] = await Promise.all([
      storage.list('ticket', { requesterId: customer.id, type: 'complaint', status: [...OPEN], limit: 1 }),
      customerWords(customer.id, ticket),
      listAll(storage, 'survey', { customerId: customer.id, status: 'answered' }),
      listAll(storage, 'offer', { customerId: customer.id }),
      stats(now),
    ]);
    const lowAt = surveys.filter((s) => s.low === true && s.answeredAt !== undefined).reduce<number | undefined>((m, s) => Math.max(m ?? 0, (s.answeredAt as Date).getTime()), undefined);
    return {
      ...(ticket === undefined ? {} : { ticket: { id: ticket.id, subject: ticket.subject, tags: ticket.tags, text: words.text } }),
      justOrdered: occasion.justOrdered,
      orderAmountMinor: occasion.orderAmountMinor,
      openComplaints: complaints.items.length,
      latestSignals: words.signals,
      lastLowScoreAt: lowAt === undefined ? undefined : new Date(lowAt),
      recentOffers,
      acceptance: acceptanceNow,
    };
  }

  /**
   * Suggest for the occasion and, when `record` is set, write each suggestion as an offer (id
   * `ofr:<customer>:<sku>:<time>`) with a `suggestion.offered` event, into `into`.
   */
  async function offer(occasion: OfferOccasion, now: Date, actor: Actor, options: { limit?: number | undefined; record: boolean }, into: Addition = nothing()): Promise<{ result: SuggestResult; offers: Offer[]; addition: Addition }> {
    const t = now.getTime();
    const ctx = await context(occasion, t);
    const result = suggest({ customer: occasion.customer, catalog, now: t, context: ctx, config, scorers: deps.scorers, limit: options.limit });
    const offers: Offer[] = result.suggestions.map((s) => ({
      id: `ofr:${occasion.customer.id}:${s.product.sku}:${t}`,
      version: 1,
      customerId: occasion.customer.id,
      ...(occasion.ticket === undefined ? {} : { ticketId: occasion.ticket.id }),
      sku: s.product.sku,
      kind: s.kind,
      score: s.score,
      price: s.product.price,
      reasons: [...s.reasons],
      evidence: [...s.evidence],
      ...(s.discount === undefined ? {} : { discount: s.discount }),
      status: 'offered',
      offeredAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    if (options.record && offers.length > 0) {
      for (const o of offers) into.puts.push({ kind: 'offer', record: o, expectedVersion: null });
      into.events.push(deskEvent('suggestion.offered', { customer: occasion.customer, offers, ticketId: occasion.ticket?.id, at: now, actor }));
    }
    return { result, offers, addition: into };
  }

  /** Record the customer's answer to an offer. */
  function answer(found: Offer, status: 'accepted' | 'rejected' | 'ignored', now: Date, actor: Actor): { record: Offer; addition: Addition } {
    const record: Offer = { ...found, version: found.version + 1, status, answeredAt: now, answeredBy: actor, updatedAt: now };
    return { record, addition: { puts: [{ kind: 'offer', record, expectedVersion: found.version }], events: [deskEvent('suggestion.answered', { offer: record, at: now, actor })], effects: [] } };
  }

  return { offer, answer, stats, name: (sku: string) => catalog.get(sku)?.name ?? sku };
}

/** The suggestion part of a desk (see {@link createOfferRuntime}). */
export type OfferRuntime = ReturnType<typeof createOfferRuntime>;
