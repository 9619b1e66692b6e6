import * as z from 'zod';
import { TicketTypeSchema } from './ticket.js';

/**
 * The kinds of custom field: free text (one line or long), numbers (whole or with a fixed number
 * of decimals), a yes/no, a calendar date (`YYYY-MM-DD`), one or several values from a list,
 * text checked against a regular expression, and the id of another record.
 */
export const FIELD_TYPES = ['text', 'long_text', 'number', 'decimal', 'boolean', 'date', 'enum', 'multi_enum', 'regex', 'lookup'] as const;
/** One kind of custom field (see {@link FIELD_TYPES}). */
export type FieldType = (typeof FIELD_TYPES)[number];

/** The records a `lookup` field may point at. */
export const LOOKUP_KINDS = ['customer', 'ticket', 'agent', 'team', 'organization'] as const;
/** A record kind a `lookup` field points at. */
export type LookupKind = (typeof LOOKUP_KINDS)[number];

/**
 * When a field must have a value: `never`; `on_open` (a ticket cannot be opened, or a customer
 * registered, without it, nor can it be removed later); `on_resolve` (a ticket cannot be
 * resolved without it: the "disposition" fields agents fill in at the end).
 */
export const FIELD_REQUIREMENTS = ['never', 'on_open', 'on_resolve'] as const;

/** Schema of a {@link FieldDefinitionInput}. */
export const FieldDefinitionSchema = z
  .object({
    /** The key under `customFields` (`plan`, `orderNumber`): letters, digits and `_`, starting with a letter. */
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'use a letter, then letters, digits or "_" (at most 64), e.g. "orderNumber"'),
    /** What agents see as the field's name. */
    label: z.string().trim().min(1).max(200).optional(),
    /** The field's kind. */
    type: z.enum(FIELD_TYPES),
    /** When the field must have a value (default `never`). */
    required: z.enum(FIELD_REQUIREMENTS).default('never'),
    /** The value a new ticket or customer gets when none is given. */
    default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
    /** The allowed values of an `enum` or `multi_enum` field. */
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional(),
    /** The pattern a `regex` field's whole value must match (JavaScript syntax, matched in linear time). */
    pattern: z.string().min(1).max(1000).optional(),
    /** Words for the error when a `regex` value does not match, e.g. "an order number looks like A-1234". */
    hint: z.string().trim().min(1).max(200).optional(),
    /** The smallest allowed `number` or `decimal`. */
    min: z.number().finite().optional(),
    /** The largest allowed `number` or `decimal`. */
    max: z.number().finite().optional(),
    /** Whether a `number` must be whole. */
    integer: z.boolean().optional(),
    /** Digits allowed after the point of a `decimal` (default 2). */
    scale: z.number().int().min(0).max(10).optional(),
    /** The longest `text`, `long_text` or `regex` value (defaults 1,000 and 100,000 characters). */
    maxLength: z.number().int().positive().max(100_000).optional(),
    /** The record kind a `lookup` field holds the id of. */
    lookup: z.enum(LOOKUP_KINDS).optional(),
    /** Ticket fields only: the ticket types the field applies to (all when absent). */
    ticketTypes: z.array(TicketTypeSchema).min(1).optional(),
  })
  .strict();
/** One custom field as written in {@link defineFields}. */
export interface FieldDefinitionInput extends z.input<typeof FieldDefinitionSchema> {}
/** One custom field, checked (see {@link defineFields}). */
export interface FieldDefinition extends z.output<typeof FieldDefinitionSchema> {}

/** Schema of a {@link FieldSetInput}. */
export const FieldSetInputSchema = z
  .object({
    /** The custom fields of tickets. */
    ticket: z.array(FieldDefinitionSchema).max(500).default([]),
    /** The custom fields of customers. */
    customer: z.array(FieldDefinitionSchema).max(500).default([]),
    /** The custom fields of organisations. */
    organization: z.array(FieldDefinitionSchema).max(500).default([]),
    /**
     * What happens to a key no definition names: `keep` it as it is (the default, for data
     * from other systems), or `refuse` it (a typo is caught with the nearest defined key).
     */
    unknown: z.enum(['keep', 'refuse']).default('keep'),
  })
  .strict();
/** The custom field definitions of a desk, as written. */
export interface FieldSetInput extends z.input<typeof FieldSetInputSchema> {}
