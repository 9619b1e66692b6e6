import { ConfigError } from '../errors.js';
import { FieldSetInputSchema, type FieldDefinition, type FieldSetInput } from '../domain/field.js';
import type { FactSchema, FactType } from '../rules/facts.js';
import { compileLinearRegex, type LinearRegex } from '../rules/regex.js';
import { checkCustomFields, checkValue, type FieldLookup, type FieldWrite } from './check.js';
import type { JsonValue } from '../domain/common.js';

export { DESK_FIELD_KEYS } from './check.js';

/** The custom fields of one kind of record, by key, with their compiled patterns. */
export interface FieldTable {
  /** Every definition, by key, in the order given. */
  readonly byKey: ReadonlyMap<string, FieldDefinition>;
  /** The compiled whole-value pattern of each `regex` field. */
  readonly patterns: ReadonlyMap<string, LinearRegex>;
}

/**
 * The custom field definitions of a desk, checked: pass it as `createServiceDesk({ fields })`.
 * `facts` extends the condition language's fact schema so SLA policies, escalation rules and
 * routing see each field with its type.
 */
export interface FieldSet {
  /** Marks a checked set. */
  readonly kind: 'field-set';
  /** The ticket fields. */
  readonly ticket: FieldTable;
  /** The customer fields. */
  readonly customer: FieldTable;
  /** The organisation fields. */
  readonly organization: FieldTable;
  /** Whether keys no definition names are kept or refused. */
  readonly unknown: 'keep' | 'refuse';
  /** `ticket.customFields.<key>`, `customer.customFields.<key>` and `organization.customFields.<key>` with each field's fact type. */
  readonly facts: FactSchema;
  /**
   * Check a write's custom fields against this set (see {@link checkCustomFields}): the desk
   * calls it, so a desk without fields carries none of the checking code.
   */
  check(target: FieldTarget, given: Readonly<Record<string, JsonValue | null>>, write: FieldWrite, subject: string): { values: Record<string, JsonValue>; lookups: FieldLookup[] };
}

/**
 * The facts conditions may read, as the definers that take `{ fields, facts }` work it out:
 * `facts` when given, else `base` with the custom fields of `fields`, else nothing (the
 * definer's own default).
 */
export function factsWithFields(base: FactSchema, given: { readonly fields?: FieldSet | undefined; readonly facts?: FactSchema | undefined }): FactSchema | undefined {
  return given.facts ?? (given.fields === undefined ? undefined : { ...base, ...given.fields.facts });
}

function factType(def: FieldDefinition): FactType {
  switch (def.type) {
    case 'number':
    case 'decimal':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', values: def.options ?? [] };
    case 'multi_enum':
      return { type: 'array', items: 'string', values: def.options ?? [] };
    default:
      return { type: 'string' };
  }
}

/** What each type allows beside the common properties; anything else is a mistake worth naming. */
const ALLOWED: Record<FieldDefinition['type'], ReadonlyArray<keyof FieldDefinition>> = {
  text: ['maxLength'],
  long_text: ['maxLength'],
  number: ['min', 'max', 'integer'],
  decimal: ['min', 'max', 'scale'],
  boolean: [],
  date: [],
  enum: ['options'],
  multi_enum: ['options'],
  regex: ['pattern', 'hint', 'maxLength'],
  lookup: ['lookup'],
};
const COMMON: ReadonlyArray<string> = ['key', 'label', 'type', 'required', 'default', 'ticketTypes'];

/** The records custom fields are defined for. */
export type FieldTarget = 'ticket' | 'customer' | 'organization';

function checkDefinition(def: FieldDefinition, at: string, target: FieldTarget, patterns: Map<string, LinearRegex>): void {
  for (const prop of Object.keys(def)) {
    if (!COMMON.includes(prop) && !ALLOWED[def.type].includes(prop as keyof FieldDefinition)) {
      throw new ConfigError(`${at}.${prop}`, `a ${def.type} field has no "${prop}"${ALLOWED[def.type].length > 0 ? ` (it takes ${ALLOWED[def.type].join(', ')})` : ''}`);
    }
  }
  if ((def.type === 'enum' || def.type === 'multi_enum') && def.options === undefined) throw new ConfigError(`${at}.options`, `a ${def.type} field lists its values, e.g. options: ["basic", "pro"]`);
  if (def.options !== undefined && new Set(def.options).size !== def.options.length) throw new ConfigError(`${at}.options`, 'a value is listed twice');
  if (def.type === 'regex') {
    if (def.pattern === undefined) throw new ConfigError(`${at}.pattern`, 'a regex field names the pattern its values match, e.g. pattern: "A-\\\\d{4}"');
    try {
      patterns.set(def.key, compileLinearRegex(`^(?:${def.pattern})$`));
    } catch (error) {
      throw new ConfigError(`${at}.pattern`, error instanceof Error ? error.message : String(error));
    }
  }
  if (def.type === 'lookup' && def.lookup === undefined) throw new ConfigError(`${at}.lookup`, `a lookup field names the record kind it points at: one of customer, ticket, agent, team, organization`);
  if (def.min !== undefined && def.max !== undefined && def.min > def.max) throw new ConfigError(`${at}.min`, `min ${def.min} is above max ${def.max}`);
  if (target !== 'ticket' && def.ticketTypes !== undefined) throw new ConfigError(`${at}.ticketTypes`, 'only ticket fields apply per ticket type');
  if (target !== 'ticket' && def.required === 'on_resolve') throw new ConfigError(`${at}.required`, `${target === 'customer' ? 'customers' : 'organisations'} are not resolved: use "on_open" (required when registered) or "never"`);
  if (def.default !== undefined) {
    const table: FieldTable = { byKey: new Map([[def.key, def]]), patterns };
    const problem = checkValue(def, def.default, table);
    if (typeof problem === 'string') throw new ConfigError(`${at}.default`, problem);
  }
}

function tableOf(defs: ReadonlyArray<FieldDefinition>, target: FieldTarget): FieldTable {
  const byKey = new Map<string, FieldDefinition>();
  const patterns = new Map<string, LinearRegex>();
  defs.forEach((def, i) => {
    const at = `fields.${target}[${i}]`;
    if (byKey.has(def.key)) throw new ConfigError(`${at}.key`, `the ${target} field "${def.key}" is defined twice`);
    checkDefinition(def, at, target, patterns);
    byKey.set(def.key, def);
  });
  return { byKey, patterns };
}

/**
 * Define the custom fields of tickets, customers and organisations, as data: their types, when they are
 * required, their defaults, and (for tickets) the ticket types they apply to. The desk validates
 * every write against them, with errors naming the field.
 *
 * @example
 * const fields = defineFields({
 *   ticket: [
 *     { key: 'orderNumber', type: 'regex', pattern: 'A-\\d{4}', hint: 'an order number looks like A-1234', ticketTypes: ['order', 'return_refund'] },
 *     { key: 'plan', type: 'enum', options: ['basic', 'pro'], required: 'on_open' },
 *     { key: 'rootCause', type: 'enum', options: ['bug', 'usage', 'billing'], required: 'on_resolve' },
 *   ],
 * });
 * const desk = createServiceDesk({ storage, fields });
 * @throws ConfigError naming the definition and the fix.
 */
export function defineFields(input: FieldSetInput): FieldSet {
  const parsed = FieldSetInputSchema.safeParse(input);
  if (!parsed.success) throw ConfigError.fromZod('fields', parsed.error);
  const ticket = tableOf(parsed.data.ticket, 'ticket');
  const customer = tableOf(parsed.data.customer, 'customer');
  const organization = tableOf(parsed.data.organization, 'organization');
  const facts: Record<string, FactType> = {};
  for (const def of ticket.byKey.values()) facts[`ticket.customFields.${def.key}`] = factType(def);
  for (const def of customer.byKey.values()) facts[`customer.customFields.${def.key}`] = factType(def);
  for (const def of organization.byKey.values()) facts[`organization.customFields.${def.key}`] = factType(def);
  const set: FieldSet = Object.freeze({
    kind: 'field-set' as const,
    ticket,
    customer,
    organization,
    unknown: parsed.data.unknown,
    facts: Object.freeze(facts),
    check: (target: FieldTarget, given: Readonly<Record<string, JsonValue | null>>, write: FieldWrite, subject: string) => checkCustomFields(set, target, given, write, subject),
  });
  return set;
}
