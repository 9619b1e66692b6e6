import * as z from 'zod';
import { JsonValueSchema } from './common.js';

/** The id of one version of an SLA policy: the policy's id and the fingerprint of its content (`standard@k3x9q1`). */
export const slaPolicyVersionId = (policyId: string, fingerprint: string): string => `${policyId}@${fingerprint}`;

/**
 * Schema of an {@link SlaPolicyVersion}: one version of an SLA policy as the desk first saw it.
 * Versions are written once and never change.
 */
export const SlaPolicyVersionSchema = z.object({
  /** `<policyId>@<fingerprint>` (see {@link slaPolicyVersionId}). */
  id: z.string().min(1),
  /** Record version (always 1: a policy version is never rewritten). */
  version: z.number().int().positive(),
  /** The policy's id in the SLA configuration. */
  policyId: z.string().min(1),
  /** The fingerprint of what the policy says (match, metrics, custom metrics, concurrency), not its name or place. */
  fingerprint: z.string().min(1),
  /** The policy as it was given (JSON), so a ticket that started under it can be evaluated on it after the configuration changed. */
  source: z.record(z.string(), JsonValueSchema),
  /** When a ticket first ran on this version. */
  createdAt: z.date(),
  /** Same as `createdAt`. */
  updatedAt: z.date(),
});
/**
 * One version of an SLA policy, stored the first time a ticket runs on it. Tickets keep the
 * version they started on (see the policy's `onEdit`), so an edit of a policy changes only the
 * tickets that start after it, unless the edit says otherwise.
 */
export interface SlaPolicyVersion extends z.infer<typeof SlaPolicyVersionSchema> {}
