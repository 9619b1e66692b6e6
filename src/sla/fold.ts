import type { TicketStatus } from '../domain/ticket.js';
import type { SlaFoldState } from '../domain/sla-fold.js';
import type { Condition } from '../rules/condition.js';
import { fnv1a as fnv } from '../internal/digest.js';
import { factValue, withFactValues } from './account.js';
import { calendarFor } from './calendars.js';
import type { SlaHistory, SlaHistoryEvent } from './history.js';
import type { SlaEvaluation, SlaMetricStatus } from './evaluate.js';
import type { ResolvedMetric, ResolvedPolicy, SlaConfig, SlaMetric } from './policy.js';

type Core = Omit<SlaFoldState, 'v' | 'sig' | 'facts'>;
type Clock = Core['clocks'][string];
type Cycle = NonNullable<Clock['cur']>;
type Segment = NonNullable<Core['seg']>;
type MessageEvent = Extract<SlaHistoryEvent, { kind: 'message' }>;

/** What the fold needs besides the state: the configuration and the facts policies are matched on. */
export interface FoldContext {
  readonly config: SlaConfig;
  /** Ticket and customer facts (`ticketFacts(ticket, customer, now)`); status and priority come from the timeline. */
  readonly facts: { readonly ticket: object; readonly customer: object };
}

/** Why the fold cannot continue from a stored state (the desk then replays the history once). */
export class FoldMismatch extends Error {}

const CLOSED: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed']);
const rank = (e: SlaHistoryEvent): number => (e.kind === 'message' ? 1 : 0);

const signatures = new WeakMap<SlaConfig, { sig: string; paths: string[]; foldable: boolean; reads: ReadonlySet<string> }>();
function leavesOf(c: Condition, out: string[]): void {
  if ('all' in c) c.all.forEach((x) => leavesOf(x, out));
  else if ('any' in c) c.any.forEach((x) => leavesOf(x, out));
  else if ('not' in c) leavesOf(c.not, out);
  else out.push(c.fact);
}
/** The facts the timeline supplies (from the ticket's history), left out of the facts' fingerprint. */
const TIMELINE_FACTS: ReadonlySet<string> = new Set(['ticket.status', 'ticket.priority', 'ticket.teamId', 'ticket.tags']);

/** The configuration's signature, the fact paths its policies read, and whether it can be folded (no custom metrics). */
function describe(config: SlaConfig): { sig: string; paths: string[]; foldable: boolean; reads: ReadonlySet<string> } {
  let d = signatures.get(config);
  if (d === undefined) {
    const paths: string[] = [];
    for (const p of config.policies) leavesOf(p.match.source, paths);
    const foldable = config.policies.every((p) => [...p.metrics.values()].every((m) => m.custom === undefined));
    // Team calendars follow the timeline: the fold then needs every handover, whether or not a policy matches on the team.
    if (config.policies.some((p) => [...p.metrics.values()].some((m) => m.byTeam !== undefined))) paths.push('ticket.teamId');
    d = { sig: fnv(JSON.stringify(config.source)), paths: [...new Set(paths)].filter((p) => !TIMELINE_FACTS.has(p)).sort(), foldable, reads: new Set(paths) };
    signatures.set(config, d);
  }
  return d;
}

/** The facts policies read beyond the timeline's own (its status, priority, team and tags): their changes are `account` events. */
export const accountFactPaths = (config: SlaConfig): ReadonlyArray<string> => describe(config).paths;

/** The fingerprint of the facts the policies read, other than the status, priority and team the timeline supplies. */
export function factsFingerprint(ctx: FoldContext): string {
  return fnv(JSON.stringify(describe(ctx.config).paths.map((p) => factValue(ctx.facts, p) ?? null)));
}

/** Whether a configuration's clocks can be folded (custom metrics are always replayed). */
export const isFoldable = (config: SlaConfig): boolean => describe(config).foldable;

/** Every slot and the policies that can hold it. */
function slotsOf(config: SlaConfig): Array<[string, ResolvedPolicy[]]> {
  return [['primary', config.policies.filter((p) => !p.concurrent)], ...config.policies.filter((p) => p.concurrent).map((p): [string, ResolvedPolicy[]] => [p.id, [p]])];
}
const keyOf = (slot: string, policyId: string, metric: string): string => `${slot}|${policyId}|${metric}`;

/** The fold's view of the configuration: each clock's policy, metric config, and every target its metric can have. */
function clockSpecs(config: SlaConfig): Array<{ key: string; slot: string; policy: ResolvedPolicy; metric: SlaMetric; cfg: ResolvedMetric; targets: number[] }> {
  const targets = new Map<string, Set<number>>();
  for (const p of config.policies) for (const [m, cfg] of p.metrics) for (const t of Object.values(cfg.targets)) if (t !== undefined) targets.set(m, (targets.get(m) ?? new Set()).add(t));
  const out = [];
  for (const [slot, policies] of slotsOf(config)) {
    for (const policy of policies) {
      for (const [metric, cfg] of policy.metrics) out.push({ key: keyOf(slot, policy.id, metric), slot, policy, metric: metric as SlaMetric, cfg, targets: [...(targets.get(metric) ?? [])].sort((a, b) => a - b) });
    }
  }
  return out;
}
type Spec = ReturnType<typeof clockSpecs>[number];

const specsCache = new WeakMap<SlaConfig, Spec[]>();
const specsOf = (config: SlaConfig): Spec[] => {
  let s = specsCache.get(config);
  if (s === undefined) specsCache.set(config, (s = clockSpecs(config)));
  return s;
};

function selectPolicies(config: SlaConfig, given: FoldContext['facts'], s: Pick<Core, 'status' | 'priority' | 'teamId' | 'tags' | 'account'>): Record<string, string | null> {
  const facts = withFactValues(given, s.account);
  const ticket = facts.ticket as { tags?: ReadonlyArray<string> };
  const f = { ...facts, ticket: { ...facts.ticket, status: s.status, priority: s.priority, teamId: s.teamId ?? undefined, tags: s.tags ?? ticket.tags ?? [] } };
  const matched = config.policies.filter((p) => p.match(f));
  const out: Record<string, string | null> = {};
  for (const [slot] of slotsOf(config)) out[slot] = (slot === 'primary' ? matched.find((p) => !p.concurrent) : matched.find((p) => p.concurrent && p.id === slot))?.id ?? null;
  return out;
}

const policyById = (config: SlaConfig, id: string | null | undefined): ResolvedPolicy | undefined => (id == null ? undefined : config.policies.find((p) => p.id === id));
/** The metric config that counts a clock's time in a stretch: the stretch's own policy's under `keep`, else the clock's own. */
function cfgIn(config: SlaConfig, spec: Spec, seg: Segment): ResolvedMetric {
  if (spec.cfg.onChange !== 'keep') return spec.cfg;
  return policyById(config, seg.policies[spec.slot])?.metrics.get(spec.metric) ?? spec.cfg;
}
const targetIn = (config: SlaConfig, spec: Spec, seg: Segment): number | null => cfgIn(config, spec, seg).targets[seg.priority] ?? null;

/** Count a running cycle's time over `[a, b)` of one stretch, noting when it reaches each possible target. */
function advance(config: SlaConfig, spec: Spec, cur: Cycle, seg: Segment, teamId: string | null, a: number, b: number): void {
  if (!cur.running || a >= b) return;
  // An OLA (a concurrent policy) counts only while it applies: from when its team takes the ticket.
  if (spec.slot !== 'primary') {
    if (seg.policies[spec.slot] == null) return;
    // Its first stretch while it applies (the handover) is where an OLA cycle starts.
    if (!cur.visited && a > cur.start) cur.start = a;
  }
  cur.visited = true;
  cur.lastTarget = targetIn(config, spec, seg);
  const cfg = cfgIn(config, spec, seg);
  if (cfg.pauseWhile.has(seg.status)) return;
  const calendar = calendarFor(cfg, teamId);
  const ms = calendar.businessTimeBetween(new Date(a), new Date(b));
  for (const x of spec.targets) {
    if (x > cur.elapsed && x <= cur.elapsed + ms && cur.crossings[x] === undefined) cur.crossings[x] = calendar.addBusinessTime(new Date(a), x - cur.elapsed).getTime();
  }
  cur.elapsed += ms;
}

/** A stopped cycle's target: that of the last stretch it counted in, or of the first stretch when it counted in none (as the replay does). */
const closedTarget = (clock: Clock, cur: Cycle): number | null => (cur.visited ? cur.lastTarget : clock.firstTarget);

function open(clock: Clock, at: number): void {
  const prev = clock.cur;
  if (prev !== null) {
    const t = closedTarget(clock, prev);
    if (t !== null && prev.elapsed >= t) clock.breachesDone++;
  }
  clock.cur = { start: at, outcome: 'open', running: true, elapsed: 0, crossings: {}, visited: false, lastTarget: null };
  clock.cycles++;
}

function stop(clock: Clock, at: number, outcome: 'fulfilled' | 'cancelled'): void {
  const cur = clock.cur;
  if (cur === null || cur.outcome !== 'open') return;
  cur.running = false;
  cur.outcome = outcome;
  cur.stoppedAt = at;
}

const qualifies = (cfg: ResolvedMetric, e: MessageEvent): boolean => cfg.fulfilledBy.authors.has(e.author as never) && e.direction !== 'inbound' && (cfg.fulfilledBy.visibility === 'any' || e.visibility === 'public');

/** One event's effect on one clock's cycles (the rules of the replay engine's `cyclesOf`). */
function onEvent(spec: Spec, clock: Clock, e: SlaHistoryEvent, wasStatus: TicketStatus, status: TicketStatus): void {
  const m = spec.metric;
  if (e.kind === 'status') {
    const wasClosed = CLOSED.has(wasStatus);
    const isClosed = CLOSED.has(status);
    if (!wasClosed && isClosed) stop(clock, e.at, m === 'resolution' && e.cancels !== true ? 'fulfilled' : 'cancelled');
    else if (wasClosed && !isClosed) {
      if (m === 'resolution' && clock.cur !== null) {
        clock.cur.outcome = 'open';
        delete clock.cur.stoppedAt;
        clock.cur.running = true;
      } else if (m === 'periodic_update') open(clock, e.at);
    }
    return;
  }
  if (e.kind !== 'message') return;
  if (qualifies(spec.cfg, e)) {
    if (m === 'first_response' || m === 'next_response') stop(clock, e.at, 'fulfilled');
    if (m === 'periodic_update' && clock.cur?.outcome === 'open') {
      stop(clock, e.at, 'fulfilled');
      open(clock, e.at);
    }
    clock.replied = true;
  } else if (m === 'next_response' && e.author === 'customer' && e.visibility === 'public' && clock.replied && !CLOSED.has(status) && clock.cur?.outcome !== 'open') {
    open(clock, e.at);
  }
}

/** Apply the events of one instant `t` to the state before it. */
function applyBatch(base: Core, events: ReadonlyArray<SlaHistoryEvent>, t: number, ctx: FoldContext): Core {
  const { config } = ctx;
  const s: Core = structuredClone(base);
  const specs = specsOf(config);
  if (s.seg !== null) for (const spec of specs) if (s.clocks[spec.key]?.cur) advance(config, spec, s.clocks[spec.key]?.cur as Cycle, s.seg, s.teamId, s.asOf, t);
  s.asOf = t;
  const creation = s.seg === null;
  if (creation) for (const spec of specs) if (spec.metric !== 'next_response') open(s.clocks[spec.key] as Clock, t);
  const sorted = [...events].sort((a, b) => rank(a) - rank(b));
  for (const e of sorted) {
    const was = s.status;
    if (e.kind === 'status') s.status = e.to;
    else if (e.kind === 'priority') s.priority = e.to;
    else if (e.kind === 'team') s.teamId = e.to;
    else if (e.kind === 'tags') s.tags = [...e.to];
    else if (e.kind === 'account') s.account = { ...e.values };
    for (const spec of specs) onEvent(spec, s.clocks[spec.key] as Clock, e, was, s.status);
  }
  const policies = selectPolicies(config, ctx.facts, s);
  const next: Segment = { status: s.status, priority: s.priority, policies };
  if (creation) {
    for (const spec of specs) (s.clocks[spec.key] as Clock).firstTarget = targetIn(config, spec, next);
  } else {
    const pre = s.seg as Segment;
    for (const slot of Object.keys(policies)) {
      if (pre.priority === next.priority && pre.policies[slot] === policies[slot]) continue;
      s.restartAt[slot] = t;
      // Under `restart`, everything before the change stops counting (the replay cuts every span at it).
      for (const spec of specs) {
        if (spec.slot !== slot || spec.cfg.onChange !== 'restart') continue;
        const clock = s.clocks[spec.key] as Clock;
        clock.breachesDone = 0;
        if (clock.cur !== null) Object.assign(clock.cur, { elapsed: 0, crossings: {}, visited: false, lastTarget: null });
      }
    }
  }
  s.seg = next;
  return s;
}

/** A state before a ticket's creation, with every clock at rest. */
function initial(history: Pick<SlaHistory, 'createdAt' | 'status' | 'priority' | 'teamId' | 'tags' | 'account'>, ctx: FoldContext): Core {
  const clocks: Core['clocks'] = {};
  for (const spec of specsOf(ctx.config)) clocks[spec.key] = { cycles: 0, breachesDone: 0, replied: false, firstTarget: null, cur: null };
  const restartAt: Record<string, number | null> = {};
  for (const [slot] of slotsOf(ctx.config)) restartAt[slot] = null;
  return { asOf: history.createdAt, status: history.status, priority: history.priority, teamId: history.teamId ?? null, ...(history.tags === undefined ? {} : { tags: [...history.tags] }), ...(history.account === undefined ? {} : { account: { ...history.account } }), seg: null, restartAt, clocks };
}

/**
 * Fold events into a stored SLA state, or, with `state` null, into a fresh one from the ticket's
 * creation (`events` then being its whole history). Events come in time order, after the state's
 * `asOf`; events of one instant are folded together, ordered as the replay orders them (status
 * and priority changes before messages). Pure.
 * @throws FoldMismatch when the state was folded under another configuration or other facts, or
 * an event is not later than the state (the replay, which sees every event of an instant at once,
 * must decide then).
 */
export function foldSla(state: SlaFoldState | null, history: Pick<SlaHistory, 'createdAt' | 'status' | 'priority' | 'teamId' | 'tags' | 'account'>, all: ReadonlyArray<SlaHistoryEvent>, ctx: FoldContext): SlaFoldState {
  const { sig, reads } = describe(ctx.config);
  // Team and tag changes matter only to policies that read them (and would otherwise cost a replay for nothing).
  const events = reads.has('ticket.tags') && reads.has('ticket.teamId') ? all : all.filter((e) => (e.kind !== 'tags' || reads.has('ticket.tags')) && (e.kind !== 'team' || reads.has('ticket.teamId')));
  const facts = factsFingerprint(ctx);
  if (state !== null) {
    if (state.v !== 2 || state.sig !== sig) throw new FoldMismatch('the SLA configuration changed, or the state was folded by an earlier version');
    if (state.facts !== facts) throw new FoldMismatch('facts the policies read changed');
  }
  let s: Core = state === null ? initial(history, ctx) : { asOf: state.asOf, status: state.status, priority: state.priority, teamId: state.teamId, ...(state.tags === undefined ? {} : { tags: state.tags }), ...(state.account === undefined ? {} : { account: state.account }), seg: state.seg, restartAt: state.restartAt, clocks: state.clocks };
  if (state === null && (events.length === 0 || (events[0] as SlaHistoryEvent).at > history.createdAt)) s = applyBatch(s, [], history.createdAt, ctx);
  let i = 0;
  while (i < events.length) {
    const t = (events[i] as SlaHistoryEvent).at;
    let j = i;
    while (j < events.length && (events[j] as SlaHistoryEvent).at === t) j++;
    if (s.seg !== null && t <= s.asOf) throw new FoldMismatch(`an event at ${new Date(t).toISOString()} is not later than the folded state`);
    s = applyBatch(s, events.slice(i, j), t, ctx);
    i = j;
  }
  return { v: 2, sig, facts, ...s };
}

/**
 * Every clock of a folded state at `now`, as the replay engine reports them (without the
 * explanation ledger). Pure: the state itself is not advanced.
 */
export function foldedEvaluation(state: SlaFoldState, ctx: FoldContext, now: Date): Pick<SlaEvaluation, 'metrics' | 'nextCheckAt'> {
  const { config } = ctx;
  const t = now.getTime();
  const seg = state.seg as Segment;
  const metrics: SlaMetricStatus[] = [];
  for (const [slot] of slotsOf(config)) {
    const policy = policyById(config, seg.policies[slot]);
    if (policy === undefined) continue;
    for (const [metric, cfg] of policy.metrics) {
      const spec = specsOf(config).find((x) => x.key === keyOf(slot, policy.id, metric)) as Spec;
      const clock = state.clocks[spec.key] as Clock;
      if (clock.cycles === 0 || clock.cur === null) continue;
      const cur = structuredClone(clock.cur);
      if (t > state.asOf) advance(config, spec, cur, seg, state.teamId, state.asOf, t);
      const calendar = calendarFor(cfg, state.teamId);
      const target = cur.outcome === 'open' ? targetIn(config, spec, seg) : closedTarget(clock, cur);
      if (target === null) continue;
      const elapsed = cur.elapsed;
      const breachedAt = elapsed >= target ? cur.crossings[target] : undefined;
      const thresholds = cfg.warnings
        .map((w) => ('percent' in w ? Math.round((target * w.percent) / 100) : target - w.beforeMs))
        .filter((x) => x > 0 && x < target)
        .sort((a, b) => a - b);
      const warningsPassed = thresholds.filter((x) => elapsed >= x);
      const running = cur.outcome === 'open';
      const paused = running && cfg.pauseWhile.has(seg.status);
      const counting = running && !paused;
      const state2 = cur.outcome === 'fulfilled' ? 'fulfilled' : cur.outcome === 'cancelled' ? 'cancelled' : elapsed >= target ? 'breached' : warningsPassed.length > 0 ? 'warning' : paused ? 'paused' : 'active';
      const restartAt = cfg.onChange === 'restart' ? (state.restartAt[slot] ?? -Infinity) : -Infinity;
      const dueAt = breachedAt ?? (counting ? calendar.addBusinessTime(now, target - elapsed).getTime() : undefined);
      const upcoming = counting ? [...thresholds, target].filter((x) => x > elapsed) : [];
      const nextCheckAt = upcoming.length > 0 ? calendar.addBusinessTime(now, (upcoming[0] as number) - elapsed).getTime() : undefined;
      metrics.push({
        slot,
        policyId: policy.id,
        metric,
        state: state2,
        paused,
        targetMs: target,
        elapsedMs: elapsed,
        remainingMs: target - elapsed,
        // An OLA handed over this very instant starts now, though nothing has counted yet.
        startedAt: new Date(Math.max(slot !== 'primary' && !cur.visited && running ? Math.max(cur.start, state.asOf) : cur.start, restartAt)),
        ...(dueAt === undefined ? {} : { dueAt: new Date(dueAt) }),
        ...(breachedAt === undefined ? {} : { breachedAt: new Date(breachedAt) }),
        ...(cur.stoppedAt === undefined ? {} : { stoppedAt: new Date(cur.stoppedAt) }),
        warningsPassed,
        cycle: clock.cycles,
        breaches: clock.breachesDone + (breachedAt === undefined ? 0 : 1),
        ...(nextCheckAt === undefined ? {} : { nextCheckAt: new Date(nextCheckAt) }),
        ledger: [],
      });
    }
  }
  const next = metrics.map((m) => m.nextCheckAt?.getTime()).filter((x): x is number => x !== undefined);
  return { metrics, ...(next.length > 0 ? { nextCheckAt: new Date(Math.min(...next)) } : {}) };
}
