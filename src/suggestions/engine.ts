import type { JsonValue } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import { activeFlags } from '../domain/customer.js';
import { attributeValues, type Catalog, type Product } from '../domain/catalog.js';
import type { Evidence, Offer, OfferDiscount, SuggestionKind } from '../domain/offer.js';
import type { Signal } from '../signals/detect.js';
import { defineSuggestions, type SuggestionConfig } from './config.js';

/** One ranked suggestion, with why. */
export interface Suggestion {
  readonly kind: SuggestionKind;
  readonly product: Product;
  /** Higher is better; comparable within one call. */
  readonly score: number;
  /** Why, in words an agent can say ("a step up from the paperback you bought"). */
  readonly reasons: ReadonlyArray<string>;
  /** What it rests on: owned and ordered products, the ticket, usage, acceptance. */
  readonly evidence: ReadonlyArray<Evidence>;
  /** A discount or bonus the customer's commitment tier earns, within the cap. */
  readonly discount?: OfferDiscount | undefined;
}

/** Why nothing is offered. */
export type WithholdReason =
  | 'do_not_contact'
  | 'marketing_opt_out'
  | 'internal_customer'
  | 'complaint_open'
  | 'low_score'
  | 'negative_signals'
  | 'frequency_cap'
  | 'nothing_relevant';

/** Accepted and answered offers per kind and product (see {@link acceptanceStats}). */
export type AcceptanceStats = ReadonlyMap<string, { readonly answered: number; readonly accepted: number }>;

/** The key of a product and kind in {@link AcceptanceStats}. */
export const acceptanceKey = (kind: SuggestionKind, sku: string): string => `${kind}:${sku}`;

/** What the engine knows beyond the customer's profile. */
export interface SuggestionContext {
  /** The ticket just resolved: its subject, tags and words show needs ("is there SSO?", a plan limit). */
  readonly ticket?: { readonly id: string; readonly subject: string; readonly tags: ReadonlyArray<string>; readonly text?: string | undefined } | undefined;
  /** Skus ordered just now (never suggested back). */
  readonly justOrdered?: ReadonlyArray<string> | undefined;
  /** The amount of that order, minor units (for tiers with `minPurchaseMinor`). */
  readonly orderAmountMinor?: number | undefined;
  /** How many complaints of the customer's are open. */
  readonly openComplaints?: number | undefined;
  /** Signals in the customer's latest interaction. */
  readonly latestSignals?: ReadonlyArray<Signal> | undefined;
  /** When the customer last gave a low survey score. */
  readonly lastLowScoreAt?: Date | undefined;
  /** Offers made to the customer before (for the frequency cap and product cooldown). */
  readonly recentOffers?: ReadonlyArray<Pick<Offer, 'sku' | 'offeredAt' | 'status'>> | undefined;
  /** Acceptance rates so far. */
  readonly acceptance?: AcceptanceStats | undefined;
}

/** A candidate being scored. */
export interface Candidate {
  readonly kind: SuggestionKind;
  readonly product: Product;
  /** The owned or ordered product it was found from. */
  readonly from: Product;
}

/** What scorers see besides the candidate. */
export interface ScoringContext {
  readonly customer: Customer;
  readonly context: SuggestionContext;
  readonly config: SuggestionConfig;
  readonly now: number;
  /** The ticket's subject, tags and text, lower-cased, for matching features. */
  readonly ticketText: string;
}

/** A pluggable scorer: a boost (may be negative) with its reason, or null when it has nothing to say. */
export interface SuggestionScorer {
  /** A stable id. */
  readonly id: string;
  /** Score one candidate. */
  score(candidate: Candidate, ctx: ScoringContext): { readonly boost: number; readonly reason: string; readonly evidence: Evidence } | null;
}

const norm = (s: string): string => s.toLowerCase().replace(/[_\-\s]+/g, ' ').trim();

/** A customer asking about a feature the candidate has and their product lacks (premium-feature questions). */
export const featureInterestScorer: SuggestionScorer = {
  id: 'feature-interest',
  score({ product, from }, ctx) {
    if (ctx.ticketText === '') return null;
    const had = new Set(from.features.map(norm));
    const asked = product.features.find((f) => !had.has(norm(f)) && ctx.ticketText.includes(norm(f)));
    if (asked === undefined) return null;
    return { boost: 0.3, reason: `asked about ${asked}, which ${product.name} has`, evidence: { type: 'ticket', sku: product.sku, detail: `ticket ${ctx.context.ticket?.id ?? ''} mentions "${asked}"` } };
  },
};

/**
 * A customer close to a plan limit (seats, projects): usage from `customer.customFields.usage`
 * (`{ seats: 9 }`) against the owned product's `limits`, or a ticket tagged `plan_limit`.
 */
export const limitPressureScorer: SuggestionScorer = {
  id: 'limit-pressure',
  score({ product, from }, ctx) {
    let best: { boost: number; reason: string; evidence: Evidence } | null = null;
    let used: Readonly<Record<string, JsonValue>> | undefined;
    for (const key in from.limits) {
      const limit = from.limits[key] as number;
      const higher = product.limits[key];
      if (higher === undefined || higher <= limit) continue;
      if (used === undefined) {
        const usage = ctx.customer.customFields['usage'];
        used = typeof usage === 'object' && usage !== null && !Array.isArray(usage) ? usage : {};
      }
      const u = used[key];
      const ratio = typeof u === 'number' && limit > 0 ? u / limit : ctx.context.ticket?.tags.includes('plan_limit') ? 1 : 0;
      if (ratio < 0.8) continue;
      const boost = 0.2 + 0.3 * Math.min(1, ratio);
      if (best === null || boost > best.boost) {
        best = {
          boost,
          reason: typeof u === 'number' ? `uses ${u} of ${limit} ${key}; ${product.name} allows ${higher}` : `hit the ${key} limit of ${from.name}; ${product.name} allows ${higher}`,
          evidence: { type: 'usage', sku: from.sku, detail: typeof u === 'number' ? `${key}: ${u}/${limit}` : `ticket tagged plan_limit` },
        };
      }
    }
    return best;
  },
};

/** Products and kinds customers accept more (or less) often than not, once there are enough answers. */
export const acceptanceScorer: SuggestionScorer = {
  id: 'acceptance',
  score({ product, kind }, ctx) {
    const stats = ctx.context.acceptance;
    if (stats === undefined || stats.size === 0) return null;
    const s = stats.get(acceptanceKey(kind, product.sku));
    if (s === undefined || s.answered < ctx.config.acceptanceMinSamples) return null;
    const rate = s.accepted / s.answered;
    return { boost: Math.round((rate - 0.5) * 0.4 * 10_000) / 10_000, reason: `${Math.round(rate * 100)}% of customers accepted this ${kind.replace('_', '-')}`, evidence: { type: 'acceptance', sku: product.sku, detail: `${s.accepted}/${s.answered} accepted` } };
  },
};

/** The scorers used when none are given. */
export const DEFAULT_SCORERS: ReadonlyArray<SuggestionScorer> = [featureInterestScorer, limitPressureScorer, acceptanceScorer];

const NEGATIVE_KINDS = new Set(['emotion', 'supervisor_request', 'legal_threat', 'physical_threat', 'abuse']);
const KIND_ORDER: Readonly<Record<SuggestionKind, number>> = { upsell: 0, add_on: 1, cross_sell: 2 };
const DAY = 86_400_000;

/** Input of {@link suggest}. */
export interface SuggestInput {
  readonly customer: Customer;
  readonly catalog: Catalog;
  readonly now: Date | number;
  /** How many suggestions at most (default: the settings' limit). */
  readonly limit?: number | undefined;
  readonly context?: SuggestionContext | undefined;
  /** Validated settings (default: `defineSuggestions()`). */
  readonly config?: SuggestionConfig | undefined;
  /** Scorers (default {@link DEFAULT_SCORERS}). */
  readonly scorers?: ReadonlyArray<SuggestionScorer> | undefined;
}

/** What {@link suggest} returns: ranked suggestions, or why there are none. */
export interface SuggestResult {
  readonly suggestions: ReadonlyArray<Suggestion>;
  /** Why nothing is offered (a guardrail, or nothing relevant); null when there are suggestions. */
  readonly withheld: { readonly reason: WithholdReason; readonly detail: string } | null;
}

/** The guardrail that stops offers to this customer now, if any. */
export function guardrail(customer: Customer, context: SuggestionContext, config: SuggestionConfig, now: number): { reason: WithholdReason; detail: string } | null {
  if (activeFlags(customer, new Date(now)).some((f) => f.kind === 'do_not_contact')) return { reason: 'do_not_contact', detail: 'the customer is flagged do_not_contact' };
  if (config.requireMarketingConsent && !customer.consent.marketing) return { reason: 'marketing_opt_out', detail: 'the customer has not agreed to marketing contact' };
  if (customer.kind === 'internal' && !config.internalCustomers) return { reason: 'internal_customer', detail: `${customer.displayName} is an internal customer (offers to internal customers are off)` };
  if ((context.openComplaints ?? 0) > 0) return { reason: 'complaint_open', detail: `${context.openComplaints} complaint${context.openComplaints === 1 ? ' is' : 's are'} still open: the relationship comes first` };
  const low = context.lastLowScoreAt?.getTime();
  if (low !== undefined && now - low < config.lowScoreDays * DAY) {
    return { reason: 'low_score', detail: `a low survey score ${Math.floor((now - low) / DAY)} day(s) ago (no offers for ${config.lowScoreDays} days after one)` };
  }
  if (config.negativeSignals) {
    const negative = (context.latestSignals ?? []).filter((s) => !s.negated && NEGATIVE_KINDS.has(s.kind));
    if (negative.length > 0) return { reason: 'negative_signals', detail: `the latest interaction shows ${[...new Set(negative.map((s) => s.label))].join(', ')}` };
  }
  const occasions = new Set((context.recentOffers ?? []).filter((o) => now - o.offeredAt.getTime() < config.frequency.perMs).map((o) => o.offeredAt.getTime()));
  if (occasions.size >= config.frequency.max) return { reason: 'frequency_cap', detail: `already ${occasions.size} offer occasion(s) in the frequency window (at most ${config.frequency.max})` };
  return null;
}

/** The discount the customer's commitment earns on a product, within the cap; undefined when no tier is reached. */
export function discountFor(customer: Customer, product: Product, context: SuggestionContext, config: SuggestionConfig, now: number): OfferDiscount | undefined {
  if (config.tiers.length === 0) return undefined;
  const currency = product.price.currency;
  const ltv =
    customer.kind === 'external' && customer.lifetimeValue !== undefined && customer.lifetimeValue.currency === currency
      ? customer.lifetimeValue.amountMinor
      : customer.purchases.reduce((sum, p) => sum + (p.amount !== undefined && p.amount.currency === currency ? p.amount.amountMinor : 0), 0);
  const since = customer.customerSince === undefined ? undefined : Date.parse(`${customer.customerSince}T00:00:00Z`);
  const tenureDays = since === undefined ? 0 : Math.floor((now - since) / DAY);
  const reached = config.tiers.filter(
    (t) =>
      (t.minLifetimeValueMinor === undefined || ltv >= t.minLifetimeValueMinor) &&
      (t.minPurchaseMinor === undefined || (context.orderAmountMinor ?? 0) >= t.minPurchaseMinor) &&
      (t.minTenureDays === undefined || tenureDays >= t.minTenureDays),
  );
  let best: (typeof reached)[number] | undefined;
  for (const t of reached) if (best === undefined || (t.percent ?? 0) > (best.percent ?? 0) || ((t.percent ?? 0) === (best.percent ?? 0) && (t.points ?? 0) > (best.points ?? 0))) best = t;
  if (best === undefined) return undefined;
  let capped = false;
  const out: { tierId: string; percent?: number; amountOffMinor?: number; points?: number; capped: boolean } = { tierId: best.id, capped: false };
  if (best.percent !== undefined) {
    const percent = Math.min(best.percent, config.cap.percent);
    capped ||= percent < best.percent;
    let off = Math.floor((product.price.amountMinor * percent) / 100);
    if (config.cap.amountMinor !== undefined && off > config.cap.amountMinor) {
      off = config.cap.amountMinor;
      capped = true;
    }
    out.percent = product.price.amountMinor === 0 ? 0 : Math.round((off / product.price.amountMinor) * 10_000) / 100;
    out.amountOffMinor = off;
  }
  if (best.points !== undefined) {
    out.points = Math.min(best.points, config.cap.points);
    capped ||= out.points < best.points;
  }
  out.capped = capped;
  return out;
}

/** Why a candidate was found; turned into words only for the suggestions returned. */
type Why =
  | { readonly t: 'family' | 'upgrade' | 'add_on' | 'complement'; readonly from: Product }
  | { readonly t: 'attribute'; readonly from: Product; readonly same: string; readonly value: string; readonly different: string; readonly theirs: ReadonlyArray<string> };

const say = (w: Why): string => {
  switch (w.t) {
    case 'family':
      return `a step up from ${w.from.name}`;
    case 'upgrade':
      return `the upgrade path from ${w.from.name}`;
    case 'add_on':
      return `an add-on for ${w.from.name}`;
    case 'complement':
      return `goes with ${w.from.name}`;
    case 'attribute':
      return `same ${w.same} (${w.value}) as ${w.from.name}, another ${w.different} (${w.theirs.join(', ')})`;
  }
};

interface Working {
  kind: SuggestionKind;
  product: Product;
  from: Product;
  base: number;
  /** Every path that found it, with the evidence of its source. */
  whys: Array<{ why: Why; evidence: Evidence }>;
  score: number;
  boosts: Array<{ readonly reason: string; readonly evidence: Evidence }> | null;
}

/** One thing a suggestion can build on, with how much it weighs. */
type Source = { product: Product; weight: number; evidence: Evidence };

/** What the suggestions build on: what was just ordered, then what the customer owns (recent ones weigh more), at most 50. */
function sourcesOf(input: SuggestInput, now: number): { sources: Source[]; seen: Set<string> } {
  const { customer, catalog } = input;
  const ordered = new Set(input.context?.justOrdered ?? []);
  const sources: Source[] = [];
  const seen = new Set<string>();
  for (const sku of ordered) {
    const p = catalog.get(sku);
    if (p !== undefined && !seen.has(sku)) {
      seen.add(sku);
      sources.push({ product: p, weight: 1, evidence: { type: 'ordered', sku, detail: `just ordered ${p.name}` } });
    }
  }
  const purchases = [...customer.purchases].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const purchase of purchases) {
    if (seen.has(purchase.sku)) continue;
    seen.add(purchase.sku);
    const p = catalog.get(purchase.sku);
    if (p === undefined) continue;
    const ageDays = Math.max(0, (now - purchase.at.getTime()) / DAY);
    sources.push({ product: p, weight: 0.6 + 0.4 * Math.exp(-ageDays / 90), evidence: { type: 'owned', sku: p.sku, detail: `bought ${p.name} on ${purchase.at.toISOString().slice(0, 10)}` } });
    if (sources.length >= 50) break;
  }
  return { sources, seen };
}

/** A scored candidate as the suggestion the caller gets: its reasons, evidence and discount. */
function toSuggestion(w: Working, customer: SuggestInput['customer'], context: NonNullable<SuggestInput['context']>, config: SuggestionConfig, now: number): Suggestion {
  const reasons: string[] = [];
  const evidence: Evidence[] = [];
  for (const { why, evidence: e } of w.whys) {
    const text = say(why);
    if (!reasons.includes(text)) reasons.push(text);
    if (!evidence.some((x) => x.sku === e.sku && x.type === e.type)) evidence.push(e);
  }
  for (const b of w.boosts ?? []) {
    reasons.push(b.reason);
    evidence.push(b.evidence);
  }
  const discount = discountFor(customer, w.product, context, config, now);
  return { kind: w.kind, product: w.product, score: w.score, reasons, evidence, ...(discount === undefined ? {} : { discount }) };
}

/**
 * Ranked upsell, cross-sell and add-on suggestions for a customer, with reasons, evidence and
 * any discount their commitment earns; or, when a guardrail holds, none and why. Pure: the same
 * input gives the same ranking (ties broken by kind, then sku).
 *
 * Candidates come from what the customer owns and just ordered, through the catalog's indexes:
 * higher ranks in the family and upgrade paths (upsell), add-ons, complements and attribute
 * pairs such as same genre, another author (cross-sell). Never what they own or just ordered,
 * another edition of a book they have, an unavailable product, or one offered within the cooldown.
 *
 * @example
 * ```ts
 * const { suggestions, withheld } = suggest({ customer, catalog, now: clock.now(), context: { justOrdered: ['nw-pb'] } });
 * // suggestions[0]: { kind: 'upsell', product: { sku: 'nw-hc', ... }, reasons: ['a step up from Norwegian Wood (paperback)'] }
 * ```
 */
export function suggest(input: SuggestInput): SuggestResult {
  const config = input.config ?? defineSuggestions();
  const context = input.context ?? {};
  const now = typeof input.now === 'number' ? input.now : input.now.getTime();
  const { customer, catalog } = input;
  const stop = guardrail(customer, context, config, now);
  if (stop !== null) return { suggestions: [], withheld: stop };

  const { sources, seen } = sourcesOf(input, now);
  if (sources.length === 0) return { suggestions: [], withheld: { reason: 'nothing_relevant', detail: 'no purchase or order of a catalog product to build on' } };

  const owned = seen;
  const ownedFamilies = new Map<string, number>();
  for (const s of sources) if (s.product.family !== undefined) ownedFamilies.set(s.product.family, Math.max(ownedFamilies.get(s.product.family) ?? -1, s.product.rank as number));
  const cooling = new Set((context.recentOffers ?? []).filter((o) => now - o.offeredAt.getTime() < config.productCooldownMs).map((o) => o.sku));
  const excluded = (p: Product): boolean =>
    !p.available || owned.has(p.sku) || cooling.has(p.sku) || (p.family !== undefined && ownedFamilies.has(p.family) && (p.rank as number) <= (ownedFamilies.get(p.family) as number));

  const found = new Map<string, Working>();
  const add = (kind: SuggestionKind, product: Product, from: (typeof sources)[number], base: number, why: Why): void => {
    if (excluded(product)) return;
    const score = base * from.weight;
    const w = found.get(product.sku);
    if (w === undefined) {
      found.set(product.sku, { kind, product, from: from.product, base: score, whys: [{ why, evidence: from.evidence }], score: 0, boosts: null });
      return;
    }
    w.whys.push({ why, evidence: from.evidence });
    if (score > w.base || (score === w.base && KIND_ORDER[kind] < KIND_ORDER[w.kind])) {
      w.kind = kind;
      w.base = score;
      w.from = from.product;
    }
  };

  for (const src of sources) {
    const p = src.product;
    let step = 0;
    for (const u of catalog.upgradesOf(p.sku)) {
      const inFamily = u.family !== undefined && u.family === p.family;
      add('upsell', u, src, inFamily ? Math.max(0.3, 0.9 - 0.15 * step++) : 0.85, { t: inFamily ? 'family' : 'upgrade', from: p });
    }
    for (const a of catalog.addOnsOf(p.sku)) add('add_on', a, src, 0.75, { t: 'add_on', from: p });
    for (const c of catalog.complementsOf(p.sku)) add('cross_sell', c, src, 0.6, { t: 'complement', from: p });
    for (const pair of config.attributePairs) {
      const mine = attributeValues(p, pair.different);
      if (mine.length === 0) continue;
      for (const value of attributeValues(p, pair.same)) {
        const members = catalog.withAttribute(pair.same, value);
        const n = Math.min(members.length, config.attributeScanLimit);
        for (let i = 0; i < n; i++) {
          const m = members[i] as Product;
          if (m.sku === p.sku || (m.family !== undefined && m.family === p.family)) continue;
          const theirs = attributeValues(m, pair.different);
          if (theirs.length === 0 || theirs.some((v) => mine.includes(v))) continue;
          add('cross_sell', m, src, 0.5, { t: 'attribute', from: p, same: pair.same, value, different: pair.different, theirs });
        }
      }
    }
  }
  if (found.size === 0) return { suggestions: [], withheld: { reason: 'nothing_relevant', detail: 'nothing in the catalog builds on what the customer has' } };

  const scorers = input.scorers ?? DEFAULT_SCORERS;
  const t = context.ticket;
  const ctx: ScoringContext = { customer, context, config, now, ticketText: t === undefined ? '' : norm(`${t.subject} ${t.tags.join(' ')} ${t.text ?? ''}`) };
  const limit = input.limit ?? config.limit;
  const before = (a: Working, b: Working): boolean =>
    a.score > b.score || (a.score === b.score && (KIND_ORDER[a.kind] < KIND_ORDER[b.kind] || (a.kind === b.kind && a.product.sku < b.product.sku)));
  // Keep only the best `limit` while scoring: no sort of every candidate.
  const best: Working[] = [];
  for (const w of found.values()) {
    let score = w.base + Math.min(0.15, 0.05 * (w.whys.length - 1));
    for (const scorer of scorers) {
      const r = scorer.score({ kind: w.kind, product: w.product, from: w.from }, ctx);
      if (r === null) continue;
      score += r.boost;
      (w.boosts ??= []).push({ reason: r.reason, evidence: r.evidence });
    }
    w.score = Math.round(score * 10_000) / 10_000;
    if (best.length === limit && !before(w, best[best.length - 1] as Working)) continue;
    let i = best.length;
    while (i > 0 && before(w, best[i - 1] as Working)) i--;
    best.splice(i, 0, w);
    if (best.length > limit) best.pop();
  }
  const top = best.map((w) => toSuggestion(w, customer, context, config, now));
  return { suggestions: top, withheld: null };
}

/**
 * Acceptance counts per kind and product from stored offers: accepted, rejected and ignored
 * count as answered, and so does an offer left unanswered past `ignoreAfterMs`.
 */
export function acceptanceStats(offers: Iterable<Pick<Offer, 'kind' | 'sku' | 'status' | 'offeredAt'>>, now: number, ignoreAfterMs: number): Map<string, { answered: number; accepted: number }> {
  const out = new Map<string, { answered: number; accepted: number }>();
  for (const o of offers) {
    const answered = o.status !== 'offered' || now - o.offeredAt.getTime() >= ignoreAfterMs;
    if (!answered) continue;
    const key = acceptanceKey(o.kind, o.sku);
    const s = out.get(key) ?? { answered: 0, accepted: 0 };
    s.answered++;
    if (o.status === 'accepted') s.accepted++;
    out.set(key, s);
  }
  return out;
}
