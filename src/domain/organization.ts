import * as z from 'zod';
import { ActorSchema, JsonValueSchema, OrganizationIdSchema } from './common.js';

/**
 * What an organisation is: `external`, a company (B2B account) whose people are customers, or
 * `internal`, a unit of your own organisation (a department, a plant, a branch) whose people are
 * the internal customers the source texts speak of.
 */
export const ORGANIZATION_KINDS = ['external', 'internal'] as const;

/** An e-mail domain, lower case, without `@` (`example.co.jp`). */
export const DomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'write a domain such as "example.co.jp" (no "@", no scheme)');

const editable = {
  /** The name people know it by. */
  name: z.string().trim().min(1, 'an organisation needs a name').max(200),
  /**
   * E-mail domains of its people: a customer registered with an address at one of them joins
   * the organisation by itself. A domain belongs to one organisation.
   */
  domains: z.array(DomainSchema).max(50).default([]),
  /** The service tier its people are served at (`gold`, `enterprise`), seen by conditions as `organization.tier`. */
  tier: z.string().trim().min(1).max(100).optional(),
  /** The organisation it is part of (a department of a company, a team of a department). */
  parentId: OrganizationIdSchema.optional(),
  /** The business calendar its tickets' SLA clocks count on (a name in the SLA configuration), before the policy's own. */
  calendar: z.string().trim().min(1).max(100).optional(),
  /** Labels for reporting and conditions. */
  tags: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  /** Values of the organisation custom fields (see `defineFields({ organization })`). */
  customFields: z.record(z.string(), JsonValueSchema).default({}),
};

/** Schema of an {@link OrganizationInput}. */
export const OrganizationInputSchema = z
  .object({
    id: OrganizationIdSchema.optional(),
    /** A customer company (`external`) or a unit of your own (`internal`). */
    kind: z.enum(ORGANIZATION_KINDS),
    ...editable,
  })
  .strict();
/** Input of `registerOrganization`. */
export interface OrganizationInput extends z.input<typeof OrganizationInputSchema> {}

/** Schema of an {@link OrganizationPatch}: the fields to change; `null` clears an optional one. */
export const OrganizationPatchSchema = z
  .object({
    name: editable.name,
    domains: z.array(DomainSchema).max(50),
    tier: editable.tier.unwrap().nullable(),
    parentId: OrganizationIdSchema.nullable(),
    calendar: editable.calendar.unwrap().nullable(),
    tags: z.array(z.string().trim().min(1).max(100)).max(100),
    customFields: z.record(z.string(), JsonValueSchema),
  })
  .partial()
  .strict();
/** Input of `updateOrganization`. */
export interface OrganizationPatch extends z.input<typeof OrganizationPatchSchema> {}

/** Schema of a stored {@link Organization}. */
export const OrganizationSchema = z.object({
  id: OrganizationIdSchema,
  version: z.number().int().positive(),
  kind: z.enum(ORGANIZATION_KINDS),
  ...editable,
  /** Notes about the organisation, newest last. */
  notes: z.array(z.object({ text: z.string().trim().min(1), author: ActorSchema, at: z.date() })),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** An organisation: a customer company, or a department or unit of your own. */
export interface Organization extends z.infer<typeof OrganizationSchema> {}

/** The lookup key an organisation holds for each of its e-mail domains. */
export const domainKey = (domain: string): string => `domain:${domain.toLowerCase()}`;
