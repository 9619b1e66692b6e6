import type { Customer } from '../domain/customer.js';
import type { Organization } from '../domain/organization.js';
import type { Priority, Ticket, TicketStatus } from '../domain/ticket.js';
import type { ConditionExplanation } from '../rules/condition.js';
import { ticketFacts } from '../rules/facts.js';
import { withFactValues } from './account.js';
import { calendarFor } from './calendars.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import type { SlaHistory } from './history.js';
import type { CustomMetricRules, ResolvedMetric, ResolvedPolicy, SlaConfig, SlaMetric } from './policy.js';

/** The state of one SLA clock. */
export type SlaClockState = 'active' | 'paused' | 'warning' | 'breached' | 'fulfilled' | 'cancelled';

/** One interval of an explanation ledger. The `counting` ones sum to the elapsed time. */
export interface SlaLedgerEntry {
  /** Start, inclusive. */
  readonly from: Date;
  /** End, exclusive. */
  readonly to: Date;
  /** Whether the time counted, and if not, why. */
  readonly kind: 'counting' | 'paused' | 'outside_hours' | 'holiday';
  /** Why it was paused (`status pending_customer`, `ticket resolved`), or the holiday's name. */
  readonly reason?: string;
  /** Business milliseconds counted in it (0 unless `counting`). */
  readonly countedMs: number;
}

/** One metric's clock under one policy. */
export interface SlaMetricStatus {
  /** `primary` for the first matching policy, or the id of a concurrent policy. */
  readonly slot: string;
  /** The policy in force for this clock now. */
  readonly policyId: string;
  /** Which metric: a built-in one, or `custom:<name>`. */
  readonly metric: SlaMetric | `custom:${string}`;
  /** Where the clock stands. */
  readonly state: SlaClockState;
  /** Whether the clock is paused right now (a breached or warning clock can be paused too). */
  readonly paused: boolean;
  /** The target, ms of business time. */
  readonly targetMs: number;
  /** Business time counted so far in this cycle. */
  readonly elapsedMs: number;
  /** Business time left before the breach (negative once breached). */
  readonly remainingMs: number;
  /** When this cycle started. */
  readonly startedAt: Date;
  /** When the target falls due, while the clock runs (or when it was breached). */
  readonly dueAt?: Date;
  /** When the target was breached, if it was. */
  readonly breachedAt?: Date;
  /** When this cycle was fulfilled or cancelled. */
  readonly stoppedAt?: Date;
  /** Warning thresholds (business ms of elapsed time) already passed in this cycle. */
  readonly warningsPassed: ReadonlyArray<number>;
  /** Which cycle this is (next response and periodic update start a new one after each reply). */
  readonly cycle: number;
  /** How many cycles of this metric breached, this one included. */
  readonly breaches: number;
  /** When the next warning or breach falls due, while the clock runs. */
  readonly nextCheckAt?: Date;
  /** Why the elapsed time is what it is: counting, paused, outside hours and holiday intervals (empty with `explain: false`). */
  readonly ledger: ReadonlyArray<SlaLedgerEntry>;
}

/** Everything {@link evaluateSla} found. */
export interface SlaEvaluation {
  /** The policies in force now: the primary one (if any matched) and concurrent ones. */
  readonly policies: ReadonlyArray<{
    readonly slot: string;
    readonly policyId: string;
    /** Every policy whose condition matched now, in order. */
    readonly matched: ReadonlyArray<string>;
    /** Why this policy matched: its condition's leaves with the fact values they saw. */
    readonly because: ConditionExplanation;
  }>;
  /** Every clock. */
  readonly metrics: ReadonlyArray<SlaMetricStatus>;
  /** The earliest `nextCheckAt` of all clocks: when to look again if nothing else happens. */
  readonly nextCheckAt?: Date;
}

interface Segment {
  readonly from: number;
  readonly to: number;
  readonly status: TicketStatus;
  readonly priority: Priority;
  /** The team the ticket was with (null: none). */
  readonly teamId: string | null;
  /** The ticket's tags then. */
  readonly tags: ReadonlyArray<string>;
  /** The other facts policies read, then (by path; undefined: as they are now). */
  readonly account: Readonly<Record<string, unknown>> | undefined;
}

interface Cycle {
  readonly spans: Array<[number, number]>;
  outcome: 'open' | 'fulfilled' | 'cancelled';
  stoppedAt?: number;
  /** Why the clock did not run between spans. */
  gapReason?: string;
}

type EventFacts = { readonly kind: 'created' | 'status' | 'priority' | 'message'; readonly to?: string; readonly author?: string; readonly visibility?: string; readonly direction?: string };

/** The cycles of a custom metric: conditions over the ticket and the event, checked at each event. */
function customCycles(rules: CustomMetricRules, history: SlaHistory, now: number, factsAt: (status: TicketStatus, priority: Priority, event: EventFacts | undefined) => object): Cycle[] {
  const cycles: Cycle[] = [];
  let status = history.status;
  let priority = history.priority;
  let current: Cycle | undefined;
  let paused = false;
  const points: Array<{ at: number; event: EventFacts }> = [{ at: history.createdAt, event: { kind: 'created' } }];
  for (const e of history.events) {
    if (e.at > now) break;
    // Custom metrics read the ticket's team, tags and other facts as they are now.
    if (e.kind === 'team' || e.kind === 'tags' || e.kind === 'account') continue;
    points.push({
      at: e.at,
      event: e.kind === 'message' ? { kind: 'message', author: e.author, visibility: e.visibility, direction: e.direction } : { kind: e.kind, to: e.to },
    });
  }
  for (const { at, event } of points) {
    if (event.kind === 'status') status = event.to as TicketStatus;
    if (event.kind === 'priority') priority = event.to as Priority;
    const facts = factsAt(status, priority, event);
    if (current === undefined || current.outcome !== 'open') {
      if (rules.start(facts)) {
        current = { spans: [[at, now]], outcome: 'open', gapReason: 'paused by the policy' };
        cycles.push(current);
        paused = false;
      }
      continue;
    }
    const last = current.spans[current.spans.length - 1] as [number, number];
    if (rules.stop(facts)) {
      if (!paused) last[1] = at;
      current.outcome = 'fulfilled';
      current.stoppedAt = at;
      continue;
    }
    const pauseNow = rules.pause !== undefined && (rules.resume !== undefined ? rules.pause(facts) : rules.pause(factsAt(status, priority, undefined)));
    const resumeNow = rules.resume !== undefined ? rules.resume(facts) : rules.pause !== undefined && !pauseNow;
    if (!paused && pauseNow) {
      last[1] = at;
      paused = true;
    } else if (paused && resumeNow) {
      current.spans.push([at, now]);
      paused = false;
    }
  }
  return cycles;
}

const CLOSED: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed']);

/** The clocks' cycles of one metric, from the history alone. */
function cyclesOf(metric: SlaMetric, history: SlaHistory, now: number, qualifies: (e: Extract<SlaHistory['events'][number], { kind: 'message' }>) => boolean): Cycle[] {
  const cycles: Cycle[] = [];
  const open = (at: number): Cycle => {
    const c: Cycle = { spans: [[at, now]], outcome: 'open' };
    cycles.push(c);
    return c;
  };
  const stop = (c: Cycle | undefined, at: number, outcome: 'fulfilled' | 'cancelled'): void => {
    if (c === undefined || c.outcome !== 'open') return;
    const last = c.spans[c.spans.length - 1] as [number, number];
    last[1] = at;
    c.outcome = outcome;
    c.stoppedAt = at;
  };
  let status = history.status;
  let current: Cycle | undefined = metric === 'next_response' ? undefined : open(history.createdAt);
  let replied = false;
  for (const e of history.events) {
    if (e.at > now) break;
    if (e.kind === 'status') {
      const wasClosed = CLOSED.has(status);
      status = e.to;
      const isClosed = CLOSED.has(status);
      if (!wasClosed && isClosed) {
        // A merged duplicate was not resolved: its resolution clock is cancelled like the rest.
        if (metric === 'resolution' && e.cancels !== true) stop(current, e.at, 'fulfilled');
        else stop(current, e.at, 'cancelled');
      } else if (wasClosed && !isClosed) {
        if (metric === 'resolution' && current !== undefined) {
          // A reopen resumes the same resolution clock.
          current.outcome = 'open';
          delete current.stoppedAt;
          current.spans.push([e.at, now]);
        } else if (metric === 'periodic_update') current = open(e.at);
      }
    } else if (e.kind === 'message') {
      if (qualifies(e)) {
        if (metric === 'first_response' || metric === 'next_response') stop(current, e.at, 'fulfilled');
        if (metric === 'periodic_update' && current?.outcome === 'open') {
          stop(current, e.at, 'fulfilled');
          current = open(e.at);
        }
        replied = true;
      } else if (metric === 'next_response' && e.author === 'customer' && e.visibility === 'public' && replied && !CLOSED.has(status) && current?.outcome !== 'open') {
        current = open(e.at);
      }
    }
  }
  return cycles;
}

/** The status/priority timeline from creation to now. */
function timeline(history: SlaHistory, now: number): Segment[] {
  const out: Segment[] = [];
  let from = history.createdAt;
  let status = history.status;
  let priority = history.priority;
  let teamId = history.teamId ?? null;
  let tags: ReadonlyArray<string> = history.tags ?? [];
  let account = history.account;
  for (const e of history.events) {
    if (e.at > now) break;
    if (e.kind === 'message') continue;
    if (e.at > from) out.push({ from, to: e.at, status, priority, teamId, tags, account });
    from = Math.max(from, e.at);
    if (e.kind === 'status') status = e.to;
    else if (e.kind === 'priority') priority = e.to;
    else if (e.kind === 'team') teamId = e.to;
    else if (e.kind === 'tags') tags = e.to;
    else account = e.values;
  }
  out.push({ from, to: Math.max(from, now), status, priority, teamId, tags, account });
  return out;
}

/**
 * Evaluate every SLA clock of a ticket at `now` by replaying its history: a pure function of its
 * inputs. Policies are selected per stretch of the history (a priority change can switch policy
 * mid-flight; the metric's `onChange` says what happens to elapsed time).
 *
 * @example
 * ```ts
 * const sla = defineSlaConfig({ policies: [{ id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' } } } }] });
 * const result = evaluateSla({ ticket, customer, history: slaHistory(ticket, audit, interactions), config: sla, now: new Date(desk.clock.now()) });
 * result.metrics[0]?.dueAt;
 * ```
 */
export function evaluateSla(input: {
  ticket: Ticket;
  customer: Customer;
  /** The ticket's organisation, for policies that match on `organization.*`. */
  organization?: Organization | null | undefined;
  history: SlaHistory;
  config: SlaConfig;
  now: Date;
  /** Build each clock's explanation ledger (default true); the desk's per-command pass skips it. */
  explain?: boolean;
}): SlaEvaluation {
  const { config, history } = input;
  const now = input.now.getTime();
  const segments = timeline(history, now);
  const base = ticketFacts(input.ticket, input.customer, input.now, input.organization);
  const selections = new Map<string, ReadonlyArray<ResolvedPolicy>>();
  const matchedAt = (seg: Segment): ReadonlyArray<ResolvedPolicy> => {
    const key = JSON.stringify([seg.status, seg.priority, seg.teamId, seg.tags, seg.account]);
    let hit = selections.get(key);
    if (hit === undefined) {
      const at = withFactValues(base, seg.account);
      const facts = { ...at, ticket: { ...at.ticket, status: seg.status, priority: seg.priority, teamId: seg.teamId ?? undefined, tags: seg.tags } };
      hit = config.policies.filter((p) => p.match(facts));
      selections.set(key, hit);
    }
    return hit;
  };
  const slotPolicy = (slot: string, seg: Segment): ResolvedPolicy | undefined => {
    const m = matchedAt(seg);
    return slot === 'primary' ? m.find((p) => !p.concurrent) : m.find((p) => p.concurrent && p.id === slot);
  };
  const nowSeg = segments[segments.length - 1] as Segment;
  const slots = ['primary', ...config.policies.filter((p) => p.concurrent).map((p) => p.id)];
  const metrics: SlaMetricStatus[] = [];
  const policies: Array<{ slot: string; policyId: string; matched: string[]; because: ConditionExplanation }> = [];

  for (const slot of slots) {
    const current = slotPolicy(slot, nowSeg);
    if (current === undefined) continue;
    policies.push({
      slot,
      policyId: current.id,
      matched: matchedAt(nowSeg).map((p) => p.id),
      because: current.match.explain({ ticket: { ...base.ticket, status: nowSeg.status, priority: nowSeg.priority }, customer: base.customer }),
    });
    const segPolicy = segments.map((s) => slotPolicy(slot, s));
    for (const [metric, cfgNow] of current.metrics) {
      const status = evaluateMetric(slot, current, metric, cfgNow, segments, segPolicy, history, now, base, input.explain ?? true);
      if (status !== null) metrics.push(status);
    }
  }
  const next = metrics.map((m) => m.nextCheckAt?.getTime()).filter((t): t is number => t !== undefined);
  return { policies, metrics, ...(next.length > 0 ? { nextCheckAt: new Date(Math.min(...next)) } : {}) };
}

/** Restart: the clock counts only from the last change of policy or priority. */
function lastChange(segments: ReadonlyArray<Segment>, segPolicy: ReadonlyArray<ResolvedPolicy | undefined>): number {
  let at = -Infinity;
  for (let i = 1; i < segments.length; i++) {
    const a = segments[i - 1] as Segment;
    const b = segments[i] as Segment;
    if (a.priority !== b.priority || segPolicy[i - 1]?.id !== segPolicy[i]?.id) at = b.from;
  }
  return at;
}

/** What measuring a cycle needs to know of the timeline and the metric. */
interface CycleView {
  readonly segments: ReadonlyArray<Segment>;
  readonly restartAt: number;
  readonly unmatched: (i: number) => boolean;
  readonly cfgAt: (i: number) => ResolvedMetric;
  readonly policyId: string;
}

/** A counted piece of a cycle and the calendar it counted on. */
type Counted = { from: number; to: number; calendar: BusinessCalendar };

/** Cut a cycle's spans along the timeline into counting and paused pieces, each on its stretch's metric config and calendar. */
function measureCycle(cycle: Cycle, view: CycleView, withLedger: boolean): { elapsed: number; ledger: SlaLedgerEntry[]; counted: Counted[]; lastSeg: number } {
  const { segments, restartAt, unmatched, cfgAt } = view;
  let elapsed = 0;
  const ledger: SlaLedgerEntry[] = [];
  const counted: Counted[] = [];
  let lastSeg = 0;
  for (const [a0, b] of cycle.spans) {
    const a = Math.max(a0, restartAt);
    if (a >= b) continue;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      const from = Math.max(a, s.from);
      const to = Math.min(b, s.to);
      if (from >= to) continue;
      // An OLA (a concurrent policy) counts only while it applies: from when its team takes the ticket.
      if (unmatched(i)) {
        if (withLedger) ledger.push({ from: new Date(from), to: new Date(to), kind: 'paused', reason: `policy ${view.policyId} does not apply`, countedMs: 0 });
        continue;
      }
      lastSeg = i;
      const cfg = cfgAt(i);
      if (cfg.pauseWhile.has(s.status)) {
        if (withLedger) ledger.push({ from: new Date(from), to: new Date(to), kind: 'paused', reason: `status ${s.status}`, countedMs: 0 });
        continue;
      }
      const calendar = calendarFor(cfg, s.teamId);
      elapsed += calendar.businessTimeBetween(new Date(from), new Date(to));
      counted.push({ from, to, calendar });
      if (withLedger) ledger.push(...ledgerOf(calendar, from, to));
    }
    // Time between spans (resolved, then reopened) is shown as paused.
  }
  return { elapsed, ledger, counted, lastSeg };
}

/** The ledger entries of a counting stretch: open hours count, the rest is outside hours or a holiday. */
function ledgerOf(calendar: BusinessCalendar, from: number, to: number): SlaLedgerEntry[] {
  return calendar.segments(new Date(from), new Date(to)).map((seg): SlaLedgerEntry => {
    const ms = seg.to.getTime() - seg.from.getTime();
    if (seg.kind === 'open') return { from: seg.from, to: seg.to, kind: 'counting', countedMs: ms };
    if (seg.kind === 'holiday') return { from: seg.from, to: seg.to, kind: 'holiday', reason: seg.holiday ?? 'holiday', countedMs: 0 };
    return { from: seg.from, to: seg.to, kind: 'outside_hours', countedMs: 0 };
  });
}

/** The instant the counted pieces reach `target`, or undefined. */
function breachInstant(counted: ReadonlyArray<Counted>, target: number): number | undefined {
  let acc = 0;
  for (const p of counted) {
    const ms = p.calendar.businessTimeBetween(new Date(p.from), new Date(p.to));
    if (acc + ms >= target) return p.calendar.addBusinessTime(new Date(p.from), target - acc).getTime();
    acc += ms;
  }
  return undefined;
}

/** Where an OLA cycle first runs while its policy applies (the handover), or undefined. */
function firstApplied(cycle: Cycle, segments: ReadonlyArray<Segment>, unmatched: (i: number) => boolean, restartAt: number): number | undefined {
  for (const [a0, b] of cycle.spans) {
    const a = Math.max(a0, restartAt);
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      if (!unmatched(i) && Math.max(a, s.from) < Math.min(b, s.to)) return Math.max(a, s.from);
    }
  }
  // Handed over this very instant: the open cycle starts now, though nothing has counted yet.
  const last = segments[segments.length - 1] as Segment;
  const span = cycle.spans[cycle.spans.length - 1];
  if (cycle.outcome === 'open' && span !== undefined && last.from === last.to && !unmatched(segments.length - 1) && last.from >= Math.max(span[0], restartAt) && last.from <= span[1]) return last.from;
  return undefined;
}

function evaluateMetric(
  slot: string,
  policy: ResolvedPolicy,
  metric: SlaMetric | `custom:${string}`,
  cfgNow: ResolvedMetric,
  segments: ReadonlyArray<Segment>,
  segPolicy: ReadonlyArray<ResolvedPolicy | undefined>,
  history: SlaHistory,
  now: number,
  base: ReturnType<typeof ticketFacts>,
  explain: boolean,
): SlaMetricStatus | null {
  const cfgAt = (i: number): ResolvedMetric => (cfgNow.onChange === 'keep' ? (segPolicy[i]?.metrics.get(metric) ?? cfgNow) : cfgNow);
  const targetAt = (i: number): number | undefined => cfgAt(i).targets[(segments[i] as Segment).priority];
  const restartAt = cfgNow.onChange === 'restart' ? lastChange(segments, segPolicy) : -Infinity;
  const qualifies = (e: Extract<SlaHistory['events'][number], { kind: 'message' }>): boolean =>
    cfgNow.fulfilledBy.authors.has(e.author as never) && e.direction !== 'inbound' && (cfgNow.fulfilledBy.visibility === 'any' || e.visibility === 'public');
  const factsAt = (status: TicketStatus, priority: Priority, event: EventFacts | undefined): object => ({
    ticket: { ...base.ticket, status, priority },
    customer: base.customer,
    ...(event === undefined ? {} : { event }),
  });
  const cycles = cfgNow.custom !== undefined ? customCycles(cfgNow.custom, history, now, factsAt) : cyclesOf(metric as SlaMetric, history, now, qualifies);
  if (cycles.length === 0) return null;

  const unmatched = (i: number): boolean => slot !== 'primary' && segPolicy[i] === undefined;
  const view: CycleView = { segments, restartAt, unmatched, cfgAt, policyId: policy.id };
  const measure = (cycle: Cycle, withLedger: boolean) => measureCycle(cycle, view, withLedger);

  let breaches = 0;
  for (const c of cycles.slice(0, -1)) {
    const m = measure(c, false);
    const t = targetAt(m.lastSeg);
    if (t !== undefined && m.elapsed >= t) breaches++;
  }
  const cycle = cycles[cycles.length - 1] as Cycle;
  const { elapsed, ledger, counted, lastSeg } = measure(cycle, explain);
  const nowIndex = segments.length - 1;
  const target = cycle.outcome === 'open' ? targetAt(nowIndex) : targetAt(lastSeg);
  if (target === undefined) return null;
  // Resolved-then-reopened gaps appear in the ledger as paused.
  for (let i = 1; i < cycle.spans.length; i++) {
    const gapFrom = Math.max((cycle.spans[i - 1] as [number, number])[1], restartAt);
    const gapTo = (cycle.spans[i] as [number, number])[0];
    if (explain && gapFrom < gapTo) ledger.push({ from: new Date(gapFrom), to: new Date(gapTo), kind: 'paused', reason: cycle.gapReason ?? 'ticket resolved', countedMs: 0 });
  }
  const lastEnd = (cycle.spans[cycle.spans.length - 1] as [number, number])[1];
  const stoppedEarly = cycle.outcome === 'open' && lastEnd < now;
  if (explain && stoppedEarly) ledger.push({ from: new Date(Math.max(lastEnd, restartAt)), to: new Date(now), kind: 'paused', reason: cycle.gapReason ?? 'paused', countedMs: 0 });
  ledger.sort((x, y) => x.from.getTime() - y.from.getTime());
  const breachedAtMs = elapsed >= target ? breachInstant(counted, target) : undefined;
  if (breachedAtMs !== undefined) breaches++;
  const thresholds = cfgNow.warnings
    .map((w) => ('percent' in w ? Math.round((target * w.percent) / 100) : target - w.beforeMs))
    .filter((t) => t > 0 && t < target)
    .sort((a, b) => a - b);
  const warningsPassed = thresholds.filter((t) => elapsed >= t);
  const nowSeg = segments[nowIndex] as Segment;
  const nowCfg = cfgAt(nowIndex);
  const nowCalendar = calendarFor(nowCfg, nowSeg.teamId);
  const running = cycle.outcome === 'open';
  const paused = running && (nowCfg.pauseWhile.has(nowSeg.status) || stoppedEarly);
  const counting = running && !paused;
  const state =
    cycle.outcome === 'fulfilled' ? 'fulfilled' : cycle.outcome === 'cancelled' ? 'cancelled' : elapsed >= target ? 'breached' : warningsPassed.length > 0 ? 'warning' : paused ? 'paused' : 'active';
  const startedAt = Math.max((cycle.spans[0] as [number, number])[0], slot === 'primary' ? -Infinity : (firstApplied(cycle, segments, unmatched, restartAt) ?? -Infinity), restartAt);
  const dueAt = breachedAtMs ?? (counting ? nowCalendar.addBusinessTime(new Date(now), target - elapsed).getTime() : undefined);
  const upcoming = counting ? [...thresholds, target].filter((t) => t > elapsed) : [];
  const nextCheckAt = upcoming.length > 0 ? nowCalendar.addBusinessTime(new Date(now), (upcoming[0] as number) - elapsed).getTime() : undefined;
  return {
    slot,
    policyId: policy.id,
    metric,
    state,
    paused,
    targetMs: target,
    elapsedMs: elapsed,
    remainingMs: target - elapsed,
    startedAt: new Date(startedAt),
    ...(dueAt === undefined ? {} : { dueAt: new Date(dueAt) }),
    ...(breachedAtMs === undefined ? {} : { breachedAt: new Date(breachedAtMs) }),
    ...(cycle.stoppedAt === undefined ? {} : { stoppedAt: new Date(cycle.stoppedAt) }),
    warningsPassed,
    cycle: cycles.length,
    breaches,
    ...(nextCheckAt === undefined ? {} : { nextCheckAt: new Date(nextCheckAt) }),
    ledger,
  };
}
