import { defineCatalog as compileCatalog, type Catalog, type ProductInput } from '../../domain/catalog.js';
import { defineSuggestions, isSuggestionConfig, type SuggestionConfig, type SuggestionConfigInput } from '../../suggestions/config.js';
import { withDeskParts, type DeskFeature } from '../feature.js';
import { createOfferRuntime } from '../offers.js';

/** A catalog as `createServiceDesk({ catalog })` takes it: from {@link defineCatalog}. */
export type CatalogSetup = Catalog & DeskFeature<'offers'>;

/** The suggestion settings of a desk with a catalog: the defaults, or the given ones checked. */
function suggestionsOf(given: SuggestionConfigInput | SuggestionConfig | undefined): SuggestionConfig {
  return given === undefined ? defineSuggestions() : isSuggestionConfig(given) ? given : defineSuggestions(given);
}

/** The suggestion code a desk with a catalog runs: its settings and the runtime that scores, offers and records answers. */
export const OFFER_PARTS = { suggestionsOf, createOfferRuntime };

/** See {@link OFFER_PARTS}. */
export type OfferParts = typeof OFFER_PARTS;

/**
 * Validate the products and services a desk may suggest: skus, families and ranks (upgrades),
 * add-ons, complements and attributes, indexed so no suggestion scans the whole catalog. The
 * result works with `suggest` and the catalog's own look-ups, and is what
 * `createServiceDesk({ catalog })` takes (it enables `suggestOffers`).
 *
 * @example
 * ```ts
 * const catalog = defineCatalog([
 *   { sku: 'nw-pb', name: 'Norwegian Wood (paperback)', category: 'books', price: { amountMinor: 990, currency: 'JPY' }, family: 'book:norwegian-wood', rank: 1, attributes: { genre: 'literary', author: 'Murakami' } },
 *   { sku: 'nw-hc', name: 'Norwegian Wood (hardcover)', category: 'books', price: { amountMinor: 2400, currency: 'JPY' }, family: 'book:norwegian-wood', rank: 2, attributes: { genre: 'literary', author: 'Murakami' } },
 * ]);
 * catalog.upgradesOf('nw-pb').map((p) => p.sku); // ['nw-hc']
 * ```
 * @throws ConfigError naming the product and field: a duplicate sku, a family without a rank,
 * two members of a family with one rank, or a relation to an unknown sku.
 */
export function defineCatalog(input: ReadonlyArray<ProductInput>): CatalogSetup {
  return withDeskParts(compileCatalog(input), 'offers', OFFER_PARTS);
}
