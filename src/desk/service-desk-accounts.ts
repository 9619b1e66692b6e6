import type { OrganizationId } from '../domain/common.js';
import type { Organization, OrganizationInput, OrganizationPatch } from '../domain/organization.js';
import type { OrganizationQuery, Page } from '../ports/storage.js';
import type { CommandOptions } from './options.js';

/** Organisations: the customer companies (B2B accounts) and the units of your own that customers belong to. */
export interface AccountMethods {
  /**
   * Register an organisation. A customer company (`external`) may list e-mail `domains`, and a
   * customer registered later with an address at one of them joins it by itself. A unit of your
   * own (`internal`) holds internal customers. A `calendar` (a name in the SLA configuration) is
   * the business calendar its tickets' clocks count on.
   * @example
   * const acme = await desk.registerOrganization({ kind: 'external', name: 'ACME Japan', domains: ['acme.co.jp'], tier: 'enterprise', calendar: 'osaka' });
   * @throws ValidationError when a domain belongs to another organisation, the parent or calendar does not exist, or a custom field is wrong.
   */
  registerOrganization(input: OrganizationInput, options?: CommandOptions): Promise<Organization>;
  /** Change an organisation: only the fields given; `null` clears an optional one; `domains` and `tags` replace the old lists. */
  updateOrganization(id: OrganizationId, patch: OrganizationPatch, options?: CommandOptions & { expectedVersion?: number }): Promise<Organization>;
  /** Add a note about an organisation. */
  addOrganizationNote(id: OrganizationId, text: string, options?: CommandOptions): Promise<Organization>;
  /** Read an organisation. @throws NotFoundError */
  getOrganization(id: OrganizationId): Promise<Organization>;
  /** Organisations, one page at a time (of one kind, or the parts of one parent). */
  listOrganizations(query?: OrganizationQuery): Promise<Page<Organization>>;
}
