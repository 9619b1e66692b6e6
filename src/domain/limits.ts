/**
 * The size limits on what the desk accepts, by field name wherever the field appears in a
 * command's arguments (a ticket's `subject`, an interaction's `body`, a `note` in any options).
 * They keep one careless integration from storing megabytes per record or nesting JSON deep
 * enough to overflow the stack. See the "Limits" table in docs/concepts.md for the reasons.
 */
export const LIMITS = {
  /** Characters of a ticket subject or an article title. */
  subject: 500,
  /** Characters of a message body, an article body or a customer's feedback. */
  body: 100_000,
  /** Characters of a note, a resolution summary, a reason and the like. */
  note: 10_000,
  /** Characters of a name (a customer's display name, an agent, a team, a plan). */
  name: 200,
  /** Characters of an id, a key or a source id. */
  id: 200,
  /** Characters of a tag. */
  tag: 100,
  /** Characters of any other string, including those inside custom fields, metadata and data. */
  text: 10_000,
  /** Items in any one array (tags, contacts, purchases, items of an order...). */
  items: 1_000,
  /** Keys of any one object (custom fields, metadata, template data...). */
  keys: 200,
  /** How deep objects and arrays may nest inside one argument. */
  depth: 32,
  /** Serialised size, in characters of JSON, of one argument as a whole. */
  argument: 1_000_000,
} as const;

/** Which limit applies to a string under each field name; any other string has {@link LIMITS}.text. */
export const FIELD_LIMITS: Readonly<Record<string, number>> = {
  subject: LIMITS.subject,
  title: LIMITS.subject,
  body: LIMITS.body,
  text: LIMITS.body,
  summary: LIMITS.note,
  note: LIMITS.note,
  reason: LIMITS.note,
  waitingOn: LIMITS.note,
  displayName: LIMITS.name,
  name: LIMITS.name,
  department: LIMITS.name,
  organisation: LIMITS.name,
  role: LIMITS.name,
  id: LIMITS.id,
  key: LIMITS.id,
  sourceId: LIMITS.id,
  orderId: LIMITS.id,
  sku: LIMITS.id,
  tag: LIMITS.tag,
  tags: LIMITS.tag,
};
