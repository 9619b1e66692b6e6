import * as z from 'zod';
import { PRIORITIES, TICKET_STATUSES } from './ticket-enums.js';

const MessageEventSchema = z.object({ at: z.number(), kind: z.literal('message'), author: z.enum(['customer', 'agent', 'bot', 'system']), visibility: z.enum(['public', 'internal']), direction: z.enum(['inbound', 'outbound', 'internal']) });
/** One SLA-relevant event, as folded (the same shape as the SLA engine's history events). */
export const SlaFoldEventSchema = z.union([
  z.object({ at: z.number(), kind: z.literal('status'), to: z.enum(TICKET_STATUSES) }),
  z.object({ at: z.number(), kind: z.literal('priority'), to: z.enum(PRIORITIES) }),
  z.object({ at: z.number(), kind: z.literal('team'), to: z.string().nullable() }),
  z.object({ at: z.number(), kind: z.literal('tags'), to: z.array(z.string()) }),
  z.object({ at: z.number(), kind: z.literal('account'), values: z.record(z.string(), z.unknown()) }),
  MessageEventSchema,
]);

/** The last cycle of one clock, as folded so far. */
export const SlaFoldCycleSchema = z.object({
  /** Start of its first span, epoch ms. */
  start: z.number(),
  outcome: z.enum(['open', 'fulfilled', 'cancelled']),
  stoppedAt: z.number().optional(),
  /** Counting (inside a span) since the last event. */
  running: z.boolean(),
  /** Business ms counted so far. */
  elapsed: z.number(),
  /** For each target the metric can have: the instant the elapsed time reached it. */
  crossings: z.record(z.string(), z.number()),
  /** Whether any stretch of the timeline has overlapped it yet, and that stretch's target. */
  visited: z.boolean(),
  lastTarget: z.number().nullable(),
});

/** One clock (slot, policy, metric) as folded: cycles, completed breaches, the last cycle. */
export const SlaFoldClockSchema = z.object({
  cycles: z.number().int().nonnegative(),
  breachesDone: z.number().int().nonnegative(),
  replied: z.boolean(),
  firstTarget: z.number().nullable(),
  cur: SlaFoldCycleSchema.nullable(),
});

const SegmentSchema = z.object({ status: z.enum(TICKET_STATUSES), priority: z.enum(PRIORITIES), policies: z.record(z.string(), z.string().nullable()) });

const FoldCoreSchema = z.object({
  /** Folded up to this instant (the last event's time). */
  asOf: z.number(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  /** The ticket's team as folded (null: none): OLAs match on it. */
  teamId: z.string().nullable(),
  /** The ticket's tags as folded: policies may match on them. */
  tags: z.array(z.string()).optional(),
  /** The values of the other facts policies read, as folded (by fact path): a tier change switches policy. */
  account: z.record(z.string(), z.unknown()).optional(),
  /** The stretch of the timeline in force since the last boundary (null before creation). */
  seg: SegmentSchema.nullable(),
  /** Per slot: the last instant priority or policy changed (null: never). */
  restartAt: z.record(z.string(), z.number().nullable()),
  clocks: z.record(z.string(), SlaFoldClockSchema),
});

/**
 * The SLA state folded forward event by event and stored with the ticket, so a command advances
 * every clock from its own events alone instead of replaying the ticket's history. `sig` and
 * `facts` say what it was folded under (the configuration, the facts policies read): when either
 * differs, or events arrive at or before `asOf` (another command in the same millisecond, whose
 * events the replay would order differently), the desk replays the history once and folds from there.
 */
export const SlaFoldStateSchema = FoldCoreSchema.extend({
  /** 2 since the team joined the timeline (a state of version 1 is replayed once). */
  v: z.literal(2),
  sig: z.string(),
  facts: z.string(),
});
/** See {@link SlaFoldStateSchema}. */
export interface SlaFoldState extends z.infer<typeof SlaFoldStateSchema> {}
