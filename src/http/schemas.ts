import * as z from 'zod';
import { ArticleSchema } from '../domain/article.js';
import { OPERATORS } from '../domain/condition.js';
import { AuditEntrySchema } from '../domain/ticket.js';
import type { SlaEvaluation } from '../sla/evaluate.js';
import type { BacklogRow, MetricRow } from '../metrics/aggregate.js';
import type { ArticleMatch } from '../knowledge/search.js';

// Response shapes the desk defines as TypeScript interfaces, as schemas for the OpenAPI
// document. The assignment at the end fails to compile when an interface gains a top-level field
// the schema lacks or changes a type the schema has, so the document does not drift from the code.

const leaf = z.object({ at: z.string(), fact: z.string(), op: z.enum(OPERATORS), value: z.unknown(), actual: z.unknown(), matched: z.boolean() });

/** One clock's ledger interval: the counting ones add up to the elapsed time. */
const LedgerEntrySchema = z.object({ from: z.date(), to: z.date(), kind: z.enum(['counting', 'paused', 'outside_hours', 'holiday']), reason: z.string().optional(), countedMs: z.number() });

/** Schema of an SLA evaluation: the policies in force, every clock, and why each stands where it does. */
export const SlaEvaluationSchema = z.object({
  policies: z.array(z.object({ slot: z.string(), policyId: z.string(), matched: z.array(z.string()), because: z.object({ matched: z.boolean(), leaves: z.array(leaf), matchedLeaves: z.array(leaf) }) })),
  metrics: z.array(
    z.object({
      slot: z.string(),
      policyId: z.string(),
      metric: z.string().describe('first_response, next_response, periodic_update, resolution, or custom:<name>'),
      state: z.enum(['active', 'paused', 'warning', 'breached', 'fulfilled', 'cancelled']),
      paused: z.boolean(),
      targetMs: z.number(),
      elapsedMs: z.number(),
      remainingMs: z.number(),
      startedAt: z.date(),
      dueAt: z.date().optional(),
      breachedAt: z.date().optional(),
      stoppedAt: z.date().optional(),
      warningsPassed: z.array(z.number()),
      cycle: z.number().int(),
      breaches: z.number().int(),
      nextCheckAt: z.date().optional(),
      ledger: z.array(LedgerEntrySchema),
    }),
  ),
  nextCheckAt: z.date().optional(),
});

const summary = z.object({ count: z.number(), mean: z.number(), median: z.number(), p90: z.number() });
const summaryWithBusiness = summary.extend({ business: summary });
const dimensionKey = z.record(z.string(), z.string()).describe('The group: the period and each grouped dimension (`-` for none).');

/** Schema of one row of KPIs from the metrics aggregator. */
export const MetricRowSchema = z.object({
  key: dimensionKey,
  opened: z.number(),
  resolved: z.number(),
  closed: z.number(),
  reopened: z.number(),
  reopenRate: z.number(),
  escalated: z.number(),
  escalationRate: z.number(),
  holdsPerTicket: z.number(),
  transfersPerTicket: z.number(),
  contactsPerTicket: z.number(),
  firstContactResolutionRate: z.number(),
  openedByHour: z.array(z.number()),
  resolutionSketch: z.object({ count: z.number(), sum: z.number(), min: z.number(), max: z.number(), buckets: z.record(z.string(), z.number()) }),
  firstResponse: summaryWithBusiness,
  nextResponse: summaryWithBusiness,
  resolution: summaryWithBusiness,
  handleTime: summary,
  handleTimePerTicket: summary,
  teamTime: summary,
  timeToAssignment: summary,
  reassignments: z.number(),
  sla: z.array(z.object({ policyId: z.string(), metric: z.string(), met: z.number(), late: z.number(), breaches: z.number(), attainment: z.number() })),
  csat: z.object({ count: z.number(), average: z.number(), satisfiedRate: z.number() }),
  nps: z.object({ count: z.number(), score: z.number(), promoters: z.number(), passives: z.number(), detractors: z.number() }),
});

/** Schema of one backlog row: open tickets of one group and how long they have been open. */
export const BacklogRowSchema = z.object({ key: dimensionKey, open: z.number(), age: summary });

/** An audit entry as JSON has it: a change from or to nothing has no `from` or `to`. */
export const AuditEntryJsonSchema = AuditEntrySchema.extend({ changes: z.array(z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() })) });

/** Schema of one knowledge-base search hit. */
export const ArticleMatchSchema = z.object({ article: ArticleSchema, score: z.number(), matched: z.array(z.string()) });

type Loose<T> = T extends Date ? Date : T extends ReadonlyArray<infer U> ? Array<Loose<U>> : T extends object ? { -readonly [K in keyof T]: Loose<T[K]> } : T;
type Fits<Interface, Schema extends z.ZodType> = Loose<Interface> extends z.output<Schema> ? ([Exclude<keyof Interface, keyof z.output<Schema>>] extends [never] ? true : never) : never;
/** Compile-time proof that each interface fits its schema. */
export const _fits: [Fits<SlaEvaluation, typeof SlaEvaluationSchema>, Fits<MetricRow, typeof MetricRowSchema>, Fits<BacklogRow, typeof BacklogRowSchema>, Fits<Omit<ArticleMatch, 'article'>, ReturnType<typeof ArticleMatchSchema.omit<{ article: true }>>>] = [true, true, true, true];
