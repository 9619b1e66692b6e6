import * as z from 'zod';
import {
  ActorSchema,
  ChannelSchema,
  CustomerIdSchema,
  JsonValueSchema,
  LocalDateSchema,
  LocaleSchema,
  LocalTimeSchema,
  MoneySchema,
  OrganizationIdSchema,
  TimeZoneSchema,
  isRealDate,
} from './common.js';
import { normalizeEmail } from './address.js';

/**
 * How to address the customer. Formal by default; first-name use only once the customer has
 * permitted it ("ask before using it", from the source texts).
 */
export const AddressingSchema = z.object({
  /** Formal ("Dear Ms Tanaka", 「田中様」) or informal register. */
  form: z.enum(['formal', 'informal']).default('formal'),
  /** Honorific or title used with the family name: "Ms", "Dr", "様", "さん". */
  honorific: z.string().min(1).max(40).optional(),
  /** Given name, used only when `firstNameUsePermitted` is true. */
  givenName: z.string().trim().min(1).max(200).optional(),
  /** Family name, used with the honorific in formal address. */
  familyName: z.string().trim().min(1).max(200).optional(),
  /** Whether the customer said the desk may use their first name. */
  firstNameUsePermitted: z.boolean().default(false),
});
/** How to address a customer. */
export interface Addressing extends z.infer<typeof AddressingSchema> {}

const PostalAddressSchema = z.object({
  lines: z.array(z.string().trim().min(1)).min(1, 'a postal address needs at least one line'),
  locality: z.string().trim().min(1).optional(),
  region: z.string().trim().min(1).optional(),
  postalCode: z.string().trim().min(1).max(20).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "JP"'),
});

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number: "+", country code and number, no spaces (e.g. "+81312345678")');

/**
 * A contact point on one channel, validated per channel on entry: a real e-mail address, an
 * E.164 phone number, a chat or social handle, a postal address.
 */
export const ContactPointSchema = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('email'),
    /** Stored normalised (see {@link normalizeEmail}): lower case, NFC, an IDN domain in ASCII. */
    address: z.string().transform(normalizeEmail).pipe(z.email('must be a valid e-mail address such as "name@example.com"')),
    label: z.string().optional(),
    verified: z.boolean().default(false),
    /**
     * Set when mail to the address bounced permanently (a delivery status notification): the
     * desk stops choosing it for follow-ups and messages until the contact is given again.
     */
    bouncing: z.object({ at: z.date(), status: z.string().optional(), diagnostic: z.string().max(2000).optional() }).optional(),
  }),
  z.object({ channel: z.literal('phone'), number: e164, label: z.string().optional(), verified: z.boolean().default(false) }),
  z.object({ channel: z.literal('sms'), number: e164, label: z.string().optional(), verified: z.boolean().default(false) }),
  z.object({ channel: z.literal('chat'), handle: z.string().trim().min(1), label: z.string().optional(), verified: z.boolean().default(false) }),
  z.object({
    channel: z.literal('social'),
    network: z.string().trim().min(1),
    handle: z.string().trim().min(1),
    label: z.string().optional(),
    verified: z.boolean().default(false),
  }),
  z.object({ channel: z.literal('postal'), address: PostalAddressSchema, label: z.string().optional(), verified: z.boolean().default(false) }),
]);
/** A contact point on one channel. */
export type ContactPoint = z.infer<typeof ContactPointSchema>;

/** What `findCustomerByContact` looks a customer up by: an e-mail address or an E.164 number. */
export const ContactLookupSchema = z.union([
  z.object({ email: z.string().transform(normalizeEmail).pipe(z.email('must be an e-mail address such as "name@example.com"')) }).strict(),
  z.object({ phone: e164 }).strict(),
]);
/** Input of `findCustomerByContact`. */
export type ContactLookup = z.input<typeof ContactLookupSchema>;

/** A birthday: `YYYY-MM-DD`, or `--MM-DD` when the year is unknown (29 February allowed). */
export const BirthdaySchema = z.string().refine(
  (v) => {
    const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (full) return isRealDate(Number(full[1]), Number(full[2]), Number(full[3]));
    const md = /^--(\d{2})-(\d{2})$/.exec(v);
    return md !== null && isRealDate(2000, Number(md[1]), Number(md[2]));
  },
  { error: (iss) => `"${String(iss.input)}" is not a birthday: use "YYYY-MM-DD", or "--MM-DD" when the year is unknown` },
);

/** A dated anniversary worth remembering (wedding, first order, contract renewal). */
export const AnniversarySchema = z.object({ label: z.string().trim().min(1).max(100), date: LocalDateSchema });
/** A dated anniversary. */
export interface Anniversary extends z.infer<typeof AnniversarySchema> {}

/** Contact consent: marketing opt-in, channels opted out of, and quiet hours in the customer's zone. */
export const ConsentSchema = z.object({
  /** Opted in to marketing contact (offers, upsell). Off until the customer says yes. */
  marketing: z.boolean().default(false),
  /**
   * Agrees to service follow-ups and relationship touches (check-ins, surveys, greetings). On by
   * default; turning it off cancels pending follow-ups.
   */
  followUps: z.boolean().default(true),
  /** Channels the customer asked not to be contacted on (follow-ups and offers respect them). */
  optedOutChannels: z.array(ChannelSchema).default([]),
  /** Local hours in which no non-urgent contact is made, e.g. `{ start: '21:00', end: '09:00' }`. */
  quietHours: z.object({ start: LocalTimeSchema, end: LocalTimeSchema }).optional(),
});
/** Contact consent. */
export interface Consent extends z.infer<typeof ConsentSchema> {}

/**
 * Well-known flag kinds that prepare the next agent. Any other lower-case kind is accepted too
 * (`'prefers_callback'`, `'press'`).
 */
export const KNOWN_FLAG_KINDS = ['vip', 'abusive', 'legal_threat', 'physical_threat', 'fraud_risk', 'vulnerable', 'do_not_contact'] as const;

/** Schema of a flag kind: one of {@link KNOWN_FLAG_KINDS} or another snake_case word. */
export const FlagKindSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a snake_case word such as "vip" or "legal_threat"');

/** A flag on a customer, with who set it, when and why, so whoever handles them next is prepared. */
export const CustomerFlagSchema = z.object({
  kind: FlagKindSchema,
  reason: z.string().trim().min(1, 'say why the customer is flagged'),
  author: ActorSchema,
  at: z.date(),
  /** The ticket that led to the flag, if any. */
  ticketId: z.string().optional(),
  /** When the flag lapses by itself; absent means until cleared. */
  expiresAt: z.date().optional(),
  /** Set when the flag was cleared. Cleared flags are kept for the record. */
  clearedAt: z.date().optional(),
  clearedBy: ActorSchema.optional(),
});
/** A flag on a customer. */
export interface CustomerFlag extends z.infer<typeof CustomerFlagSchema> {}

/** A note about the customer visible to every agent. */
export const CustomerNoteSchema = z.object({ text: z.string().trim().min(1), author: ActorSchema, at: z.date() });
/** A note about the customer. */
export interface CustomerNote extends z.infer<typeof CustomerNoteSchema> {}

/** One line of purchase or product history. */
export const PurchaseSchema = z.object({
  sku: z.string().min(1),
  at: z.date(),
  orderId: z.string().min(1).optional(),
  quantity: z.number().int().positive().default(1),
  amount: MoneySchema.optional(),
});
/** One line of purchase history. */
export interface Purchase extends z.infer<typeof PurchaseSchema> {}

const profileFields = {
  displayName: z.string().trim().min(1, 'a customer needs a display name').max(200),
  addressing: AddressingSchema.default({ form: 'formal', firstNameUsePermitted: false }),
  contacts: z.array(ContactPointSchema).default([]),
  preferredChannel: ChannelSchema.optional(),
  locale: LocaleSchema.default('en'),
  timeZone: TimeZoneSchema.default('UTC'),
  /** The business calendar this customer's SLA clocks count on (a name in the SLA configuration), before their organisation's and the policy's (see `CALENDAR_ORDER`). */
  calendar: z.string().trim().min(1).max(100).optional(),
  birthday: BirthdaySchema.optional(),
  customerSince: LocalDateSchema.optional(),
  anniversaries: z.array(AnniversarySchema).default([]),
  consent: ConsentSchema.default({ marketing: false, followUps: true, optedOutChannels: [] }),
  purchases: z.array(PurchaseSchema).default([]),
  tags: z.array(z.string().trim().min(1).max(100)).default([]),
  customFields: z.record(z.string(), JsonValueSchema).default({}),
  /**
   * The organisations the customer belongs to: their company, or the department of your own an
   * internal customer works in (the first is the one their tickets are for unless told otherwise).
   */
  organizationIds: z.array(OrganizationIdSchema).max(20).optional(),
};

const internalFields = {
  kind: z.literal('internal'),
  /** Department that depends on the team's output (e.g. packaging for the documentation team). */
  department: z.string().trim().min(1, 'an internal customer needs a department'),
  role: z.string().trim().min(1).optional(),
  employeeId: z.string().trim().min(1).optional(),
  costCentre: z.string().trim().min(1).optional(),
};

const externalFields = {
  kind: z.literal('external'),
  organisation: z.string().trim().min(1).optional(),
  tier: z.string().trim().min(1).optional(),
  segment: z.string().trim().min(1).optional(),
  lifetimeValue: MoneySchema.optional(),
};

const contactChecks = (
  c: { contacts: ReadonlyArray<ContactPoint>; preferredChannel?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void => {
  const needsContact = new Set(['email', 'phone', 'sms', 'chat', 'social', 'postal']);
  if (c.preferredChannel && needsContact.has(c.preferredChannel) && !c.contacts.some((p) => p.channel === c.preferredChannel)) {
    ctx.addIssue({
      code: 'custom',
      path: ['preferredChannel'],
      message: `preferred channel "${c.preferredChannel}" has no contact point; add one to contacts or pick another channel`,
    });
  }
};

/**
 * What a caller supplies to register a customer: the profile plus the internal or external
 * part. Defaults fill the rest (formal address, no marketing consent, UTC, `en`).
 */
export const CustomerInputSchema = z
  .discriminatedUnion('kind', [
    z.object({ id: CustomerIdSchema.optional(), ...profileFields, ...internalFields }),
    z.object({ id: CustomerIdSchema.optional(), ...profileFields, ...externalFields }),
  ])
  .superRefine(contactChecks);
/** Input of `registerCustomer` for an internal customer. */
export interface InternalCustomerInput extends z.input<(typeof CustomerInputSchema)['options'][0]> {}
/** Input of `registerCustomer` for an external customer. */
export interface ExternalCustomerInput extends z.input<(typeof CustomerInputSchema)['options'][1]> {}
/** Input of `registerCustomer`. */
export type CustomerInput = InternalCustomerInput | ExternalCustomerInput;

const storedFields = {
  id: CustomerIdSchema,
  version: z.number().int().positive(),
  flags: z.array(CustomerFlagSchema),
  notes: z.array(CustomerNoteSchema),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Present once the customer's personal data was erased (`desk.eraseCustomer`): when, by whom and why. */
  erasure: z.object({ at: z.date(), by: ActorSchema, reason: z.string() }).optional(),
};

/** Schema of a stored customer (what the desk and storage hand back). */
export const CustomerSchema = z.discriminatedUnion('kind', [
  z.object({ ...profileFields, ...internalFields, ...storedFields }),
  z.object({ ...profileFields, ...externalFields, ...storedFields }),
]);
/** An internal customer: a department, colleague or stakeholder who depends on the team's output. */
export interface InternalCustomer extends z.infer<(typeof CustomerSchema)['options'][0]> {}
/** An external customer: a person or company buying the product. */
export interface ExternalCustomer extends z.infer<(typeof CustomerSchema)['options'][1]> {}
/**
 * A customer: internal (a department, colleague or stakeholder who depends on the team's
 * output) or external (a person or company buying the product), with one shared profile.
 */
export type Customer = InternalCustomer | ExternalCustomer;

/**
 * A partial update of a customer's profile. `kind` cannot change; arrays replace the old
 * ones whole. Flags and notes have their own commands.
 */
export const CustomerPatchSchema = z
  .object({
    displayName: profileFields.displayName,
    addressing: AddressingSchema,
    contacts: z.array(ContactPointSchema),
    preferredChannel: ChannelSchema.nullable(),
    locale: LocaleSchema,
    timeZone: TimeZoneSchema,
    calendar: z.string().trim().min(1).max(100).nullable(),
    birthday: BirthdaySchema.nullable(),
    customerSince: LocalDateSchema.nullable(),
    anniversaries: z.array(AnniversarySchema),
    consent: ConsentSchema,
    purchases: z.array(PurchaseSchema),
    tags: z.array(z.string().trim().min(1).max(100)),
    customFields: z.record(z.string(), JsonValueSchema),
    organizationIds: z.array(OrganizationIdSchema).max(20),
    department: internalFields.department,
    role: z.string().trim().min(1).nullable(),
    employeeId: z.string().trim().min(1).nullable(),
    costCentre: z.string().trim().min(1).nullable(),
    organisation: z.string().trim().min(1).nullable(),
    tier: z.string().trim().min(1).nullable(),
    segment: z.string().trim().min(1).nullable(),
    lifetimeValue: MoneySchema.nullable(),
  })
  .partial()
  .strict();
/** Input of `updateCustomer`: only the fields to change; `null` clears an optional field. */
export interface CustomerPatch extends z.input<typeof CustomerPatchSchema> {}

/** Fields of a patch that exist only on internal or only on external customers. */
export const INTERNAL_ONLY_FIELDS = ['department', 'role', 'employeeId', 'costCentre'] as const;
/** Fields of a patch that exist only on external customers. */
export const EXTERNAL_ONLY_FIELDS = ['organisation', 'tier', 'segment', 'lifetimeValue'] as const;

/** Re-check the cross-field rules of a customer after a patch (preferred channel has a contact). */
export const CustomerInvariantSchema = z
  .object({ contacts: z.array(ContactPointSchema), preferredChannel: ChannelSchema.optional() })
  .superRefine(contactChecks);

/**
 * The flags of a customer that are in force at `now`: not cleared, not expired.
 */
export function activeFlags(customer: Pick<Customer, 'flags'>, now: Date): CustomerFlag[] {
  const t = now.getTime();
  return customer.flags.filter((f) => f.clearedAt === undefined && (f.expiresAt === undefined || f.expiresAt.getTime() > t));
}

const JAPANESE_HONORIFIC = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * How to address the customer, following their profile: informal with the given name only where
 * first-name use was permitted, otherwise the family name with the honorific (placed after the
 * name for Japanese honorifics such as 様), else the display name. With a Japanese `locale`
 * (`ja`, `ja-JP`) the name takes 様 (さん when informal) unless it already has a Japanese honorific.
 *
 * @example
 * ```ts
 * salutationName(tanaka); // "Ms Tanaka"
 * salutationName(tanaka, 'ja'); // "田中様"
 * salutationName(johnWhoSaidCallMeJohn); // "John"
 * ```
 */
export function salutationName(customer: Pick<Customer, 'addressing' | 'displayName'>, locale?: string): string {
  const a = customer.addressing;
  const ja = locale !== undefined && /^ja(-|$)/i.test(locale);
  if (a.form === 'informal' && a.firstNameUsePermitted && a.givenName) return ja ? `${a.givenName}さん` : a.givenName;
  if (a.familyName && a.honorific && JAPANESE_HONORIFIC.test(a.honorific)) return `${a.familyName}${a.honorific}`;
  if (ja) return `${a.familyName ?? customer.displayName}様`;
  if (a.familyName && a.honorific) return `${a.honorific} ${a.familyName}`;
  if (a.familyName) return a.familyName;
  return customer.displayName;
}
