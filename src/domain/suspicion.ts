import * as z from 'zod';
import { ActorSchema } from './common.js';
import { SIGNAL_KINDS } from './signal.js';

/** Where a suspected signal stands: waiting for an agent, confirmed, or dismissed. */
export const SUSPICION_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;

/**
 * Schema of a {@link Suspicion}. The flag is the customer flag a confirmation sets (a dismissal
 * sets none), so a detector's false alarm never labels an innocent customer by itself.
 */
export const SuspicionSchema = z.object({
  /** `sus_1`, `sus_2`, … within the ticket. */
  id: z.string().min(1).max(200),
  kind: z.enum(SIGNAL_KINDS),
  /** The customer flag to set when an agent confirms (e.g. `physical_threat`). */
  flag: z.string().optional(),
  /** Why the rule asks, in its words. */
  reason: z.string(),
  /** The rule that raised it. */
  ruleId: z.string(),
  /** The message whose words raised it. */
  interactionId: z.string().optional(),
  /** The words, and the detector's confidence in them. */
  text: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
  raisedAt: z.date(),
  status: z.enum(SUSPICION_STATUSES),
  /** Who confirmed or dismissed it, when, and what they noted. */
  decision: z.object({ by: ActorSchema, at: z.date(), note: z.string().optional() }).optional(),
});
/**
 * A signal an escalation rule was not sure enough of to act on: the ticket carries it until an
 * agent confirms it (the flag is set) or dismisses it (recorded, nothing else happens).
 */
export interface Suspicion extends z.infer<typeof SuspicionSchema> {}
