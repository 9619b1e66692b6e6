import * as z from 'zod';

/** What a signal says about an interaction. */
export const SIGNAL_KINDS = ['emotion', 'supervisor_request', 'legal_threat', 'physical_threat', 'abuse', 'gratitude'] as const;
/** A kind of signal. */
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** Schema of a {@link Signal}. */
export const SignalSchema = z.object({
  kind: z.enum(SIGNAL_KINDS),
  label: z.string(),
  /** `[start, end)` character offsets of the match in the text. */
  span: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** The matched text. */
  text: z.string(),
  confidence: z.number().min(0).max(1),
  language: z.string(),
  /** True when the match sits in a negation ("not angry", 「怒っていない」). */
  negated: z.boolean(),
});
/** Something an interaction says: an emotion, a request for a supervisor, a threat, abuse, gratitude. */
export interface Signal extends z.infer<typeof SignalSchema> {}

