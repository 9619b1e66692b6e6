import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { DurationSchema, toMillis } from '../domain/common.js';
import type { SlaClockSnapshot } from '../domain/ticket.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import { EscalationActionSchema, type EscalationRuleInput } from './rules.js';

const AnchorSchema = z.union([
  z.object({ percent: z.number().gt(0).max(1000) }).strict(),
  z.object({ beforeBreach: DurationSchema }).strict(),
  z.object({ afterBreach: DurationSchema }).strict(),
  z.object({ after: DurationSchema }).strict(),
]);

/** Schema of an {@link EscalationLadderInput}. */
export const EscalationLadderSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'use letters, digits, "_" or "-"'),
    /** The SLA clock the ladder climbs: a metric (`resolution`, `first_response`, ... or `custom:<name>`). */
    metric: z.string().min(1),
    /** The clock's slot: `primary` (default) or a concurrent policy's id. */
    slot: z.string().min(1).default('primary'),
    levels: z
      .array(
        z
          .object({
            /**
             * When: at a percentage of the target, an offset before or after the breach (business
             * time on the clock's calendar), or an absolute delay since the clock started.
             */
            at: AnchorSchema,
            actions: z.array(EscalationActionSchema).min(1),
            /** Urgent levels notify at once; others wait for the recipient's working hours (with the notifier). */
            urgent: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1, 'a ladder needs at least one level'),
  })
  .strict();
/**
 * An escalation ladder: levels anchored to an SLA clock, each with actions whose targets are
 * resolved when the level fires. Each level fires once per clock cycle.
 *
 * @example
 * ```ts
 * { id: 'resolution', metric: 'resolution', levels: [
 *   { at: { percent: 75 }, actions: [{ type: 'notify', recipients: [{ role: 'assignee' }], template: 'sla-75' }] },
 *   { at: { beforeBreach: 'PT30M' }, actions: [{ type: 'escalate', to: 'next_level' }] },
 *   { at: { afterBreach: 'PT1H' }, actions: [{ type: 'escalate', to: 'manager' }], urgent: true },
 * ] }
 * ```
 */
export type EscalationLadderInput = z.input<typeof EscalationLadderSchema>;

/** The id prefix of rules generated from ladder levels (reserved: users' rules may not use it). */
export const LADDER_RULE_PREFIX = 'ladder.';

/** A ladder level ready to schedule: where it sits on the clock. */
export interface LadderLevel {
  /** The rule id the level runs as: `ladder.<id>.<n>`. */
  readonly ruleId: string;
  readonly ladderId: string;
  readonly metric: string;
  readonly slot: string;
  readonly anchor: { readonly kind: 'percent' | 'beforeBreach' | 'afterBreach'; readonly value: number } | { readonly kind: 'after'; readonly ms: number };
}

/** Validate ladders and turn each level into a rule (mode `every`, once per clock cycle) plus its anchor. */
export function compileLadders(ladders: ReadonlyArray<EscalationLadderInput>): { rules: EscalationRuleInput[]; levels: LadderLevel[] } {
  const parsed = z.array(EscalationLadderSchema).safeParse(ladders);
  if (!parsed.success) throw ConfigError.fromZod('escalationLadders', parsed.error);
  const rules: EscalationRuleInput[] = [];
  const levels: LadderLevel[] = [];
  const seen = new Set<string>();
  parsed.data.forEach((ladder, i) => {
    if (seen.has(ladder.id)) throw new ConfigError(`escalationLadders[${i}].id`, `ladder id "${ladder.id}" is used twice`);
    seen.add(ladder.id);
    ladder.levels.forEach((level, n) => {
      const at = `escalationLadders[${i}].levels[${n}].at`;
      const a = level.at;
      const anchor: LadderLevel['anchor'] =
        'percent' in a
          ? { kind: 'percent', value: a.percent }
          : 'beforeBreach' in a
            ? { kind: 'beforeBreach', value: toMillis(a.beforeBreach, `${at}.beforeBreach`) }
            : 'afterBreach' in a
              ? { kind: 'afterBreach', value: toMillis(a.afterBreach, `${at}.afterBreach`) }
              : { kind: 'after', ms: toMillis(a.after, `${at}.after`) };
      const ruleId = `${LADDER_RULE_PREFIX}${ladder.id}.${n}`;
      const condition =
        anchor.kind === 'after'
          ? { fact: 'sla.sinceStartMs', op: 'gte' as const, value: anchor.ms }
          : anchor.kind === 'percent'
            ? { fact: 'sla.percentUsed', op: 'gte' as const, value: anchor.value }
            : anchor.kind === 'beforeBreach'
              ? { fact: 'sla.remainingMs', op: 'lte' as const, value: anchor.value }
              : { fact: 'sla.overdueMs', op: 'gte' as const, value: anchor.value };
      // An urgent level's notifications go out at once, whatever the recipient's hours.
      const actions = level.actions.map((a) => (a.type === 'notify' && level.urgent ? { ...a, urgent: true } : a));
      rules.push({ id: ruleId, name: `Ladder "${ladder.id}", level ${n + 1}`, trigger: { on: 'time', after: 0, since: 'created' }, condition, actions, mode: 'every' });
      levels.push({ ruleId, ladderId: ladder.id, metric: ladder.metric, slot: ladder.slot, anchor });
    });
  });
  return { rules, levels };
}

/** The business-time threshold of a level on a clock (ms of elapsed time), or null for absolute delays. */
export function levelThreshold(level: LadderLevel, clock: SlaClockSnapshot): number | null {
  switch (level.anchor.kind) {
    case 'percent':
      return Math.round((clock.targetMs * level.anchor.value) / 100);
    case 'beforeBreach':
      return Math.max(0, clock.targetMs - level.anchor.value);
    case 'afterBreach':
      return clock.targetMs + level.anchor.value;
    case 'after':
      return null;
  }
}

/**
 * When a ladder level falls due on a clock (epoch ms), or null when it cannot while nothing else
 * happens (the clock is paused, stopped, or already past it in this cycle is handled by the caller).
 */
export function levelDueAt(level: LadderLevel, clock: SlaClockSnapshot, evaluatedAt: Date, calendar: BusinessCalendar): number | null {
  if (clock.state === 'fulfilled' || clock.state === 'cancelled') return null;
  if (level.anchor.kind === 'after') return clock.startedAt === undefined ? null : clock.startedAt.getTime() + level.anchor.ms;
  if (clock.paused) return null;
  const threshold = levelThreshold(level, clock) as number;
  return calendar.addBusinessTime(evaluatedAt, Math.max(0, threshold - clock.elapsedMs)).getTime();
}

/** The facts a ladder level's condition reads about its clock, at `now`. */
export function clockFacts(clock: SlaClockSnapshot, now: number): { elapsedMs: number; targetMs: number; percentUsed: number; remainingMs: number; overdueMs: number; sinceStartMs: number } {
  return {
    elapsedMs: clock.elapsedMs,
    targetMs: clock.targetMs,
    percentUsed: (clock.elapsedMs / clock.targetMs) * 100,
    remainingMs: clock.targetMs - clock.elapsedMs,
    overdueMs: clock.elapsedMs - clock.targetMs,
    sinceStartMs: clock.startedAt === undefined ? 0 : now - clock.startedAt.getTime(),
  };
}
