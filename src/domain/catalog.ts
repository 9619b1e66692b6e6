import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { MoneySchema } from './common.js';

const SkuSchema = z.string().trim().min(1, 'a product needs a sku').max(100);

/**
 * Schema of a product or service in the catalog. Families rank their members (paperback <
 * hardcover < collector's edition; basic < pro < enterprise); upgrade paths, add-ons and
 * complements name other skus; attributes (genre, author, brand) drive "same genre, another
 * author" cross-sells; features and limits let signal scorers match a customer's needs.
 */
export const ProductSchema = z.object({
  sku: SkuSchema,
  name: z.string().trim().min(1, 'a product needs a name').max(300),
  category: z.string().trim().min(1, 'a product needs a category').max(100),
  /** The list price in integer minor units. */
  price: MoneySchema.refine((m) => m.amountMinor >= 0, { message: 'a price cannot be negative', path: ['amountMinor'] }),
  /** The family it ranks in (`book:norwegian-wood`, `plan`). */
  family: z.string().trim().min(1).max(100).optional(),
  /** Its rank within the family: higher is the step up. Required with `family`. */
  rank: z.number().int().nonnegative().optional(),
  /** Skus this product upgrades to (besides higher ranks in its family). */
  upgradesTo: z.array(SkuSchema).default([]),
  /** Skus sold as add-ons for this product (an extended warranty, extra storage). */
  addOns: z.array(SkuSchema).default([]),
  /** Skus that go with it (a case for a phone, a descaler for a kettle). */
  complements: z.array(SkuSchema).default([]),
  /** Attributes such as `{ genre: 'mystery', author: 'Christie' }`; a list for several values. */
  attributes: z.record(z.string().min(1), z.union([z.string().min(1), z.array(z.string().min(1))])).default({}),
  /** Features it offers, matched against what customers ask about (`sso`, `audit_log`). */
  features: z.array(z.string().trim().min(1)).default([]),
  /** Plan limits, e.g. `{ seats: 10, projects: 50 }`, compared with the customer's usage. */
  limits: z.record(z.string().min(1), z.number().nonnegative()).default({}),
  /** Whether it can be offered now. */
  available: z.boolean().default(true),
});
/** A product or service. */
export interface Product extends z.infer<typeof ProductSchema> {}
/** A product as written in configuration (defaults optional). */
export interface ProductInput extends z.input<typeof ProductSchema> {}

/** A validated catalog with the indexes the suggestion engine reads (no full scan per call). */
export interface Catalog {
  /** Marks a catalog made by {@link defineCatalog}. */
  readonly kind: 'catalog';
  /** Every product, in the order given. */
  readonly products: ReadonlyArray<Product>;
  /** The product with this sku, if any. */
  get(sku: string): Product | undefined;
  /** The members of a family, lowest rank first. */
  family(name: string): ReadonlyArray<Product>;
  /** The products whose attribute `key` has `value`. */
  withAttribute(key: string, value: string): ReadonlyArray<Product>;
  /** The add-ons sold for `sku`. */
  addOnsOf(sku: string): ReadonlyArray<Product>;
  /** The products `sku` upgrades to: higher ranks in its family, then its upgrade paths. */
  upgradesOf(sku: string): ReadonlyArray<Product>;
  /** The complements of `sku` (both directions: a case complements a phone, and the phone the case). */
  complementsOf(sku: string): ReadonlyArray<Product>;
}

const valuesOf = (v: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/**
 * Validate a catalog and build its indexes: by sku, by family (ordered by rank), by attribute
 * value, and the upgrade, add-on and complement relations in both directions where they apply.
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
export function defineCatalog(input: ReadonlyArray<ProductInput>): Catalog {
  const products: Product[] = [];
  const bySku = new Map<string, Product>();
  if (!Array.isArray(input)) throw new ConfigError('catalog', 'expected a list of products, e.g. defineCatalog([{ sku, name, category, price }])');
  input.forEach((raw, i) => {
    const parsed = ProductSchema.safeParse(raw);
    if (!parsed.success) throw ConfigError.fromZod(`catalog[${i}]`, parsed.error);
    const p = parsed.data;
    if (bySku.has(p.sku)) throw new ConfigError(`catalog[${i}].sku`, `"${p.sku}" appears twice: skus are unique`);
    if (p.family !== undefined && p.rank === undefined) throw new ConfigError(`catalog[${i}].rank`, `"${p.sku}" is in family "${p.family}": give its rank (higher is the step up)`);
    bySku.set(p.sku, p);
    products.push(p);
  });
  const families = new Map<string, Product[]>();
  const attributes = new Map<string, Product[]>();
  const addOns = new Map<string, Product[]>();
  const upgrades = new Map<string, Product[]>();
  const complements = new Map<string, Product[]>();
  const push = (m: Map<string, Product[]>, k: string, p: Product): void => {
    const list = m.get(k);
    if (list === undefined) m.set(k, [p]);
    else if (!list.includes(p)) list.push(p);
  };
  products.forEach((p, i) => {
    for (const field of ['upgradesTo', 'addOns', 'complements'] as const) {
      for (const target of p[field]) {
        if (!bySku.has(target)) throw new ConfigError(`catalog[${i}].${field}`, `"${p.sku}" names "${target}", which is not in the catalog`);
        if (target === p.sku) throw new ConfigError(`catalog[${i}].${field}`, `"${p.sku}" names itself`);
      }
    }
    if (p.family !== undefined) push(families, p.family, p);
    for (const [key, value] of Object.entries(p.attributes)) for (const v of valuesOf(value)) push(attributes, `${key}\u0000${v}`, p);
    for (const a of p.addOns) push(addOns, p.sku, bySku.get(a) as Product);
    for (const c of p.complements) {
      push(complements, p.sku, bySku.get(c) as Product);
      push(complements, c, p);
    }
  });
  for (const [name, members] of families) {
    members.sort((a, b) => (a.rank as number) - (b.rank as number));
    for (let k = 1; k < members.length; k++) {
      if (members[k]?.rank === members[k - 1]?.rank) throw new ConfigError(`catalog.${name}`, `"${members[k - 1]?.sku}" and "${members[k]?.sku}" share rank ${members[k]?.rank} in family "${name}": ranks order a family`);
    }
  }
  for (const p of products) {
    const higher = p.family === undefined ? [] : (families.get(p.family) ?? []).filter((m) => (m.rank as number) > (p.rank as number));
    for (const u of [...higher, ...p.upgradesTo.map((s) => bySku.get(s) as Product)]) push(upgrades, p.sku, u);
  }
  const none: ReadonlyArray<Product> = Object.freeze([]);
  return {
    kind: 'catalog',
    products,
    get: (sku) => bySku.get(sku),
    family: (name) => families.get(name) ?? none,
    withAttribute: (key, value) => attributes.get(`${key}\u0000${value}`) ?? none,
    addOnsOf: (sku) => addOns.get(sku) ?? none,
    upgradesOf: (sku) => upgrades.get(sku) ?? none,
    complementsOf: (sku) => complements.get(sku) ?? none,
  };
}

/** The values of a product's attribute, as a list. */
export function attributeValues(product: Product, key: string): ReadonlyArray<string> {
  return valuesOf(product.attributes[key]);
}
