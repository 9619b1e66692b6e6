import type { BusinessCalendar } from '../calendar/calendar.js';
import { toLocal } from '../calendar/local.js';
import type { Survey } from '../domain/followup.js';
import type { Customer } from '../domain/customer.js';
import { createValueLedger, type CustomerValueTrack, type LifetimeValueRow, type RetentionQuery, type RetentionRow, type ValueGroup } from './value.js';
import { addToSketch, emptySketch, mergeSketches, summarise, type DurationSketch, type DurationSummary } from './sketch.js';

export { stateOf, ticketHistory, type TicketState } from './state.js';
import type { TicketState } from './state.js';

/** The dimensions metrics can be grouped by. */
export type MetricDimension = 'agent' | 'team' | 'channel' | 'customerKind' | 'type' | 'priority' | 'organization';
const DIMENSIONS: ReadonlyArray<MetricDimension> = ['agent', 'team', 'channel', 'customerKind', 'type', 'priority', 'organization'];

/** One cell of partial aggregates: one day and one combination of dimensions. */
export interface MetricCell {
  opened: number;
  resolved: number;
  closed: number;
  reopened: number;
  escalated: number;
  holds: number;
  transfers: number;
  contacts: number;
  firstContactResolutions: number;
  /** Tickets handed from one agent to another. */
  reassignments: number;
  /** Tickets opened per local hour of the day (24 counts). */
  openedByHour: number[];
  firstResponse: DurationSketch;
  firstResponseBusiness: DurationSketch;
  nextResponse: DurationSketch;
  nextResponseBusiness: DurationSketch;
  resolution: DurationSketch;
  resolutionBusiness: DurationSketch;
  /** From opening to the first agent assigned (routing or by hand). */
  assignment: DurationSketch;
  /** Handle time of each interaction that logged one (a call's, a meeting's duration). */
  handleTime?: DurationSketch;
  /** Handle time of each resolved ticket: all of its interactions' durations. */
  handleTimePerTicket?: DurationSketch;
  /** Each stint of a ticket with a team: from taking it to handing it on, resolving or closing it (credited to that team). */
  teamTime?: DurationSketch;
  /** `policy|metric` → cycles met in time, met late, and breaches. */
  sla: Record<string, { met: number; late: number; breaches: number }>;
  csat: { count: number; sum: number; satisfied: number };
  nps: { count: number; promoters: number; passives: number; detractors: number };
}

const emptyCell = (): MetricCell => ({
  opened: 0,
  resolved: 0,
  closed: 0,
  reopened: 0,
  escalated: 0,
  holds: 0,
  transfers: 0,
  contacts: 0,
  firstContactResolutions: 0,
  reassignments: 0,
  openedByHour: Array.from({ length: 24 }, () => 0),
  firstResponse: emptySketch(),
  firstResponseBusiness: emptySketch(),
  nextResponse: emptySketch(),
  nextResponseBusiness: emptySketch(),
  resolution: emptySketch(),
  resolutionBusiness: emptySketch(),
  assignment: emptySketch(),
  sla: {},
  csat: { count: 0, sum: 0, satisfied: 0 },
  nps: { count: 0, promoters: 0, passives: 0, detractors: 0 },
});

/** What the aggregator remembers of one ticket between its versions. */
export interface TicketTrack {
  state: TicketState;
  /** The first unanswered customer message after the first response, epoch ms. */
  awaitingSince?: number | undefined;
  escalated: boolean;
  /** Whether an agent was ever assigned (time to assignment is counted once). */
  assigned?: boolean;
  /** `slot.metric` → the cycle in which the clock breached. */
  breachedCycle: Record<string, number>;
  /** Since when the ticket's current team has had it (its stint so far). */
  teamSince?: number | undefined;
}

/** Per customer: the retention and lifetime-value signals. */
export interface CustomerMetrics {
  tickets: number;
  complaints: number;
  contacts: number;
  /** The latest CSAT scores, oldest first: `[answeredAt, score]`, at most 10. */
  csat: Array<[number, number]>;
  lastContactAt: number;
}

/**
 * Partial aggregates: mergeable between workers (cells and customers add up; tickets are kept
 * by their latest version) and plain JSON, so they can be stored or shipped.
 */
export interface MetricsPartial {
  cells: Record<string, MetricCell>;
  customers: Record<string, CustomerMetrics>;
  tickets: Record<string, TicketTrack>;
  /** Each customer's purchases by month, for lifetime value and retention (absent in partials kept before). */
  values?: Record<string, CustomerValueTrack>;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** The calendar for business-time figures (without one they equal calendar time). */
  readonly calendar?: BusinessCalendar | undefined;
  /** The zone days are counted in (default the calendar's, else UTC). */
  readonly timeZone?: string | undefined;
  /** CSAT at or above counts as satisfied (default 4). */
  readonly satisfiedAt?: number | undefined;
}

const OPEN = new Set(['new', 'open', 'pending_customer', 'on_hold']);
const parseClock = (v: string | undefined): { policy: string; state: string; cycle: number } | undefined => {
  if (v === undefined) return undefined;
  const m = /^(.*):([a-z_]+)#(\d+)$/.exec(v);
  return m === null ? undefined : { policy: m[1] as string, state: m[2] as string, cycle: Number(m[3]) };
};

/** A metrics aggregator: feed it ticket versions and answered surveys, read KPIs grouped any way. */
export interface MetricsAggregator {
  /** Take in a version of a ticket (versions at or below one already seen are ignored). Constant work. */
  observe(state: TicketState): void;
  /** Take in an answered survey: credited to the agent, team, type and priority it recorded, and the ticket's channel and customer kind. */
  observeSurvey(survey: Survey, ticket: Pick<TicketState, 'channel' | 'requesterKind' | 'type' | 'priority' | 'organizationId'>): void;
  /** Add another aggregator's partial aggregates (e.g. another worker's). */
  merge(partial: MetricsPartial): void;
  /** The partial aggregates (a copy). */
  partial(): MetricsPartial;
  /** KPIs grouped by the given dimensions and period. */
  report(query?: MetricsQuery): MetricRow[];
  /** Open tickets now and how old they are, grouped. */
  backlog(now: number, groupBy?: ReadonlyArray<MetricDimension>): BacklogRow[];
  /** Retention and lifetime-value signals for one customer. */
  customer(customerId: string): CustomerSignals | undefined;
  /** Take in a customer record as it is now: their purchases count towards lifetime value and retention (observing it again counts nothing twice). */
  observeCustomer(customer: Customer): void;
  /** Customer lifetime value (what customers bought, per currency), overall or per customer, organisation or segment. */
  lifetimeValue(groupBy?: ValueGroup): LifetimeValueRow[];
  /** Customer retention per month, quarter or year: of those who bought in the period before, how many bought again. */
  retention(query?: RetentionQuery): RetentionRow[];
}

/** A query of {@link MetricsAggregator.report}. */
export interface MetricsQuery {
  /** Dimensions to group by (default none: one row per period). */
  readonly groupBy?: ReadonlyArray<MetricDimension>;
  /** `day`, `week` (from Monday), `month` or `all` (default). */
  readonly period?: 'day' | 'week' | 'month' | 'all';
  /** First day to include, `YYYY-MM-DD` in the aggregator's zone. */
  readonly from?: string;
  /** Last day to include. */
  readonly to?: string;
}

/** One row of KPIs. */
export interface MetricRow {
  /** The group: the period and each grouped dimension (`-` for none, e.g. no team). */
  readonly key: Readonly<Partial<Record<MetricDimension | 'period', string>>>;
  readonly opened: number;
  readonly resolved: number;
  readonly closed: number;
  readonly reopened: number;
  /** Reopens per resolution. */
  readonly reopenRate: number;
  readonly escalated: number;
  /** Escalated tickets per opened ticket. */
  readonly escalationRate: number;
  readonly holdsPerTicket: number;
  readonly transfersPerTicket: number;
  readonly contactsPerTicket: number;
  /** Closed tickets resolved at the first contact (one contact, no transfer, reopen or escalation), per closed ticket. */
  readonly firstContactResolutionRate: number;
  /** Tickets opened per local hour of the day. */
  readonly openedByHour: ReadonlyArray<number>;
  /** The resolution-time sketch, for distributions. */
  readonly resolutionSketch: Readonly<DurationSketch>;
  readonly firstResponse: DurationSummary & { readonly business: DurationSummary };
  readonly nextResponse: DurationSummary & { readonly business: DurationSummary };
  readonly resolution: DurationSummary & { readonly business: DurationSummary };
  /** Handle time per interaction that logged one (`durationMs`: calls, meetings, work logged). */
  readonly handleTime: DurationSummary;
  /** Handle time per resolved ticket: the sum of its interactions' durations. */
  readonly handleTimePerTicket: DurationSummary;
  /** Group ownership time: each stint of a ticket with a team, to handing it on or resolving it (group by `team` for time per team). */
  readonly teamTime: DurationSummary;
  /** From opening to the first agent assigned, by routing or by hand. */
  readonly timeToAssignment: DurationSummary;
  /** Tickets handed from one agent to another. */
  readonly reassignments: number;
  /** SLA attainment per policy and metric: cycles met in time per cycle met or breached. */
  readonly sla: ReadonlyArray<{ readonly policyId: string; readonly metric: string; readonly met: number; readonly late: number; readonly breaches: number; readonly attainment: number }>;
  readonly csat: { readonly count: number; readonly average: number; readonly satisfiedRate: number };
  /** NPS: % promoters − % detractors. */
  readonly nps: { readonly count: number; readonly score: number; readonly promoters: number; readonly passives: number; readonly detractors: number };
}

/** Open tickets of one group. */
export interface BacklogRow {
  readonly key: Readonly<Partial<Record<MetricDimension, string>>>;
  readonly open: number;
  /** How long they have been open, ms. */
  readonly age: DurationSummary;
}

/** Retention and lifetime-value signals of a customer, for suggestions and follow-ups. */
export interface CustomerSignals {
  readonly tickets: number;
  readonly complaints: number;
  readonly contacts: number;
  /** The latest CSAT scores, oldest first. */
  readonly csat: ReadonlyArray<number>;
  /** Latest half of the scores minus the earlier half (positive: getting happier). */
  readonly csatTrend: number;
  readonly lastContactAt: Date | undefined;
}

/** Add the aggregates of `x` into `into`. */
function addCell(into: MetricCell, x: Readonly<MetricCell>): void {
  for (const f of ['opened', 'resolved', 'closed', 'reopened', 'escalated', 'holds', 'transfers', 'contacts', 'firstContactResolutions', 'reassignments'] as const) into[f] += x[f];
  x.openedByHour.forEach((n, h) => (into.openedByHour[h] = (into.openedByHour[h] ?? 0) + n));
  for (const f of ['firstResponse', 'firstResponseBusiness', 'nextResponse', 'nextResponseBusiness', 'resolution', 'resolutionBusiness', 'assignment'] as const) mergeSketches(into[f], x[f]);
  // Cells kept before handle time was measured have none.
  for (const f of ['handleTime', 'handleTimePerTicket', 'teamTime'] as const) if (x[f] !== undefined) mergeSketches((into[f] ??= emptySketch()), x[f]);
  for (const [slot, s] of Object.entries(x.sla)) {
    const mine = (into.sla[slot] ??= { met: 0, late: 0, breaches: 0 });
    mine.met += s.met;
    mine.late += s.late;
    mine.breaches += s.breaches;
  }
  into.csat.count += x.csat.count;
  into.csat.sum += x.csat.sum;
  into.csat.satisfied += x.csat.satisfied;
  for (const f of ['count', 'promoters', 'passives', 'detractors'] as const) into.nps[f] += x.nps[f];
}

const rate = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

/** The aggregates and the helpers that key them: cells by day and dimensions, customers, tickets. */
function metricsState(options: MetricsOptions) {
const zone = options.timeZone ?? options.calendar?.timeZone ?? 'UTC';
const value = createValueLedger(zone);
const satisfiedAt = options.satisfiedAt ?? 4;
const calendar = options.calendar;
// Maps inside (hundreds of thousands of tickets); plain records only in `partial()`.
const data = { cells: new Map<string, MetricCell>(), customers: new Map<string, CustomerMetrics>(), tickets: new Map<string, TicketTrack & { dims?: string; key?: string; cell?: MetricCell }>() };
const days = new Map<number, string>();

// Zone offsets change on quarter-hour boundaries at most, so the day is cached per quarter hour.
const dayOf = (t: number): string => {
  const q = Math.floor(t / 900_000);
  let d = days.get(q);
  if (d === undefined) {
    const l = toLocal(zone, t);
    d = `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
    days.set(q, d);
  }
  return d;
};
const business = (a: number, b: number): number => (calendar === undefined ? b - a : calendar.businessTimeBetween(new Date(a), new Date(b)));
// The organisation comes last, so cells stored before organisations existed read as none ('-').
const cellKey = (day: string, s: Pick<TicketState, 'assigneeId' | 'teamId' | 'channel' | 'requesterKind' | 'type' | 'priority' | 'organizationId'>): string =>
  [day, s.assigneeId ?? '-', s.teamId ?? '-', s.channel, s.requesterKind, s.type, s.priority, s.organizationId ?? '-'].join('|');
const cell = (key: string): MetricCell => {
  let c = data.cells.get(key);
  if (c === undefined) data.cells.set(key, (c = emptyCell()));
  return c;
};
const customer = (id: string): CustomerMetrics => {
  let c = data.customers.get(id);
  if (c === undefined) data.customers.set(id, (c = { tickets: 0, complaints: 0, contacts: 0, csat: [], lastContactAt: 0 }));
  return c;
};
const sameDims = (a: TicketState, b: TicketState): boolean =>
  a.assigneeId === b.assigneeId && a.teamId === b.teamId && a.channel === b.channel && a.requesterKind === b.requesterKind && a.type === b.type && a.priority === b.priority && a.organizationId === b.organizationId;
  return { data, cell, customer, dayOf, cellKey, business, zone, satisfiedAt, value, sameDims };
}
type MetricsState = ReturnType<typeof metricsState>;

/** Group ownership time: a team's stint ends when it hands the ticket on or the work is done, and is credited to its cell. */
function ownership(st: MetricsState, t: TicketTrack, prev: TicketState | undefined, next: TicketState): void {
  const { cell, dayOf, cellKey } = st;
  const done = (x: TicketState): boolean => x.status === 'resolved' || x.status === 'closed';
  if (prev !== undefined && prev.teamId !== undefined && t.teamSince !== undefined && !done(prev) && (next.teamId !== prev.teamId || done(next))) {
    const stint = cell(dayOf(next.at) + cellKey('', prev));
    addToSketch((stint.teamTime ??= emptySketch()), next.at - t.teamSince);
    t.teamSince = undefined;
  }
  if (next.teamId !== undefined && !done(next) && (prev === undefined || next.teamId !== prev.teamId || done(prev))) t.teamSince = next.at;
}

/** Fold one ticket version into the aggregates (an older or repeated version changes nothing). */
function observeTicket(st: MetricsState, next: TicketState): void {
  const { data, cell, customer, dayOf, cellKey, business, zone, sameDims } = st;
  const track = data.tickets.get(next.id);
  const prev = track?.state;
  if (prev !== undefined && next.version <= prev.version) return;
  const t = track ?? { state: next, escalated: false, breachedCycle: {} };
  const dims = prev !== undefined && t.dims !== undefined && sameDims(prev, next) ? t.dims : cellKey('', next);
  const day = dayOf(next.at);
  // Consecutive versions of a ticket mostly land in the same cell: keep it at hand.
  let c: MetricCell;
  if (t.cell !== undefined && t.dims === dims && t.key === day) c = t.cell;
  else {
    c = cell(day + dims);
    t.cell = c;
    t.key = day;
  }
  t.dims = dims;
  const who = customer(next.requesterId);
  if (prev === undefined) {
    c.opened++;
    const hour = Math.floor(toLocal(zone, next.createdAt).timeOfDayMs / 3_600_000);
    c.openedByHour[hour] = (c.openedByHour[hour] ?? 0) + 1;
    who.tickets++;
    if (next.type === 'complaint') who.complaints++;
  }
  const was = prev?.counters;
  const contacts = Math.max(0, next.counters.contacts - (was?.contacts ?? 0));
  c.contacts += contacts;
  if (contacts > 0) {
    who.contacts += contacts;
    who.lastContactAt = Math.max(who.lastContactAt, next.lastCustomerMessageAt ?? next.at);
  }
  c.holds += Math.max(0, next.counters.holds - (was?.holds ?? 0));
  c.transfers += Math.max(0, next.counters.transfers - (was?.transfers ?? 0));
  c.reopened += Math.max(0, next.counters.reopens - (was?.reopens ?? 0));
  const handled = (next.counters.handleMs ?? 0) - (was?.handleMs ?? 0);
  if (handled > 0) addToSketch((c.handleTime ??= emptySketch()), handled);
  if (next.assigneeId !== undefined && !t.assigned) {
    t.assigned = true;
    addToSketch(c.assignment, next.at - next.createdAt);
  }
  if (prev?.assigneeId !== undefined && next.assigneeId !== undefined && next.assigneeId !== prev.assigneeId) c.reassignments++;
  if (prev?.firstAgentReplyAt === undefined && next.firstAgentReplyAt !== undefined) {
    addToSketch(c.firstResponse, next.firstAgentReplyAt - next.createdAt);
    addToSketch(c.firstResponseBusiness, business(next.createdAt, next.firstAgentReplyAt));
  }
  const reply = next.lastAgentReplyAt;
  if (reply !== undefined && reply !== prev?.lastAgentReplyAt && t.awaitingSince !== undefined && reply >= t.awaitingSince) {
    addToSketch(c.nextResponse, reply - t.awaitingSince);
    addToSketch(c.nextResponseBusiness, business(t.awaitingSince, reply));
    t.awaitingSince = undefined;
  }
  const msg = next.lastCustomerMessageAt;
  if (msg !== undefined && msg !== prev?.lastCustomerMessageAt && t.awaitingSince === undefined && next.firstAgentReplyAt !== undefined && next.firstAgentReplyAt <= msg && (reply === undefined || msg > reply)) {
    t.awaitingSince = msg;
  }
  ownership(st, t, prev, next);
  if (next.status === 'resolved' && prev?.status !== 'resolved') {
    c.resolved++;
    addToSketch(c.resolution, next.at - next.createdAt);
    addToSketch(c.resolutionBusiness, business(next.createdAt, next.at));
    if ((next.counters.handleMs ?? 0) > 0) addToSketch((c.handleTimePerTicket ??= emptySketch()), next.counters.handleMs ?? 0);
  }
  if (next.status === 'closed' && prev?.status !== 'closed') {
    c.closed++;
    if (next.counters.contacts <= 1 && next.counters.transfers === 0 && next.counters.reopens === 0 && next.escalationLevel === 0) c.firstContactResolutions++;
  }
  if (next.escalationLevel > 0 && !t.escalated) {
    c.escalated++;
    t.escalated = true;
  }
  for (const key in next.sla) {
    const value = next.sla[key] as string;
    if (value === prev?.sla[key]) continue;
    const now = parseClock(value);
    const before = parseClock(prev?.sla[key]);
    if (now === undefined) continue;
    const changed = before === undefined || before.state !== now.state || before.cycle !== now.cycle;
    if (!changed) continue;
    const slot = `${now.policy}|${key.slice(key.indexOf('.') + 1)}`;
    const s = (c.sla[slot] ??= { met: 0, late: 0, breaches: 0 });
    if (now.state === 'breached') {
      s.breaches++;
      t.breachedCycle[key] = now.cycle;
    } else if (now.state === 'fulfilled') {
      if (t.breachedCycle[key] === now.cycle) s.late++;
      else s.met++;
    }
  }
  t.state = next;
  data.tickets.set(next.id, t);
}

/** Fold an answered survey into its cell and its customer's scores. */
function observeSurvey(st: MetricsState, survey: Survey, ticket: Pick<TicketState, 'channel' | 'requesterKind' | 'type' | 'priority' | 'organizationId'>): void {
  const { cell, customer, dayOf, cellKey, satisfiedAt } = st;
  const a = survey.answer;
  if (a === undefined || survey.answeredAt === undefined) return;
  const at = survey.answeredAt.getTime();
  const c = cell(cellKey(dayOf(at), { assigneeId: survey.assigneeId, teamId: survey.teamId, channel: ticket.channel, requesterKind: ticket.requesterKind, type: survey.ticketType ?? ticket.type, priority: survey.ticketPriority ?? ticket.priority, organizationId: ticket.organizationId }));
  if (a.csat !== undefined) {
    c.csat.count++;
    c.csat.sum += a.csat;
    if (a.csat >= satisfiedAt) c.csat.satisfied++;
    const who = customer(survey.customerId);
    who.csat.push([at, a.csat]);
    who.csat.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    if (who.csat.length > 10) who.csat.shift();
  }
  if (a.nps !== undefined) {
    c.nps.count++;
    if (a.nps >= 9) c.nps.promoters++;
    else if (a.nps >= 7) c.nps.passives++;
    else c.nps.detractors++;
  }
}

/** Merge another worker's partial aggregates in. */
function mergePartial(st: MetricsState, other: MetricsPartial): void {
  const { data, cell, customer, value } = st;
  const o = structuredClone(other);
  for (const [k, x] of Object.entries(o.cells)) addCell(cell(k), x);
  for (const [id, x] of Object.entries(o.customers)) {
    const c = customer(id);
    c.tickets += x.tickets;
    c.complaints += x.complaints;
    c.contacts += x.contacts;
    c.lastContactAt = Math.max(c.lastContactAt, x.lastContactAt);
    c.csat = [...c.csat, ...x.csat].sort((p, q) => p[0] - q[0] || p[1] - q[1]).slice(-10);
  }
  for (const [id, t] of Object.entries(o.tickets)) {
    const mine = data.tickets.get(id);
    if (mine === undefined || t.state.version > mine.state.version) data.tickets.set(id, t);
  }
  if (o.values !== undefined) value.merge(o.values);
}

/** The period a local day belongs to. */
const periodOf = (day: string, period: MetricsQuery['period']): string => {
  if (period === 'day') return day;
  if (period === 'month') return day.slice(0, 7);
  if (period === 'week') {
    const d = new Date(`${day}T00:00:00Z`);
    const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
    return monday.toISOString().slice(0, 10);
  }
  return 'all';
};

/** The report rows: cells grouped by period and the dimensions asked for. */
function reportOf(st: MetricsState, query: MetricsQuery = {}): MetricRow[] {
  const { data } = st;
  const groupBy = query.groupBy ?? [];
  const groups = new Map<string, { key: Record<string, string>; cell: MetricCell }>();
  for (const [k, x] of data.cells) {
    const [day, agent, team, channel, customerKind, type, priority, organization = '-'] = k.split('|') as [string, string, string, string, string, string, string, string?];
    if ((query.from !== undefined && day < query.from) || (query.to !== undefined && day > query.to)) continue;
    const values: Record<MetricDimension, string> = { agent, team, channel, customerKind, type, priority, organization };
    const key: Record<string, string> = { period: periodOf(day, query.period) };
    for (const d of DIMENSIONS) if (groupBy.includes(d)) key[d] = values[d];
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, cell: emptyCell() }));
    addCell(g.cell, x);
  }
  return [...groups.values()]
    .sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1))
    .map(({ key, cell: c }) => ({
      key,
      opened: c.opened,
      resolved: c.resolved,
      closed: c.closed,
      reopened: c.reopened,
      reopenRate: rate(c.reopened, c.resolved),
      escalated: c.escalated,
      escalationRate: rate(c.escalated, c.opened),
      holdsPerTicket: rate(c.holds, c.opened),
      transfersPerTicket: rate(c.transfers, c.opened),
      contactsPerTicket: rate(c.contacts, c.opened),
      firstContactResolutionRate: rate(c.firstContactResolutions, c.closed),
      openedByHour: c.openedByHour,
      resolutionSketch: c.resolution,
      firstResponse: { ...summarise(c.firstResponse), business: summarise(c.firstResponseBusiness) },
      timeToAssignment: summarise(c.assignment),
      reassignments: c.reassignments,
      nextResponse: { ...summarise(c.nextResponse), business: summarise(c.nextResponseBusiness) },
      resolution: { ...summarise(c.resolution), business: summarise(c.resolutionBusiness) },
      handleTime: summarise(c.handleTime ?? emptySketch()),
      handleTimePerTicket: summarise(c.handleTimePerTicket ?? emptySketch()),
      teamTime: summarise(c.teamTime ?? emptySketch()),
      sla: Object.entries(c.sla)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([slot, s]) => {
          const [policyId, metric] = slot.split('|') as [string, string];
          return { policyId, metric, ...s, attainment: rate(s.met, s.met + s.breaches) };
        }),
      csat: { count: c.csat.count, average: rate(c.csat.sum, c.csat.count), satisfiedRate: rate(c.csat.satisfied, c.csat.count) },
      nps: { count: c.nps.count, score: c.nps.count === 0 ? 0 : Math.round(((c.nps.promoters - c.nps.detractors) / c.nps.count) * 1000) / 10, promoters: c.nps.promoters, passives: c.nps.passives, detractors: c.nps.detractors },
    }));
}

/** The open tickets now, by age, grouped by the dimensions asked for. */
function backlogOf(st: MetricsState, now: number, groupBy: ReadonlyArray<MetricDimension> = []): BacklogRow[] {
  const { data } = st;
  const groups = new Map<string, { key: Record<string, string>; ages: DurationSketch }>();
  for (const { state: s } of data.tickets.values()) {
    if (!OPEN.has(s.status)) continue;
    const values: Record<MetricDimension, string> = { agent: s.assigneeId ?? '-', team: s.teamId ?? '-', channel: s.channel, customerKind: s.requesterKind, type: s.type, priority: s.priority, organization: s.organizationId ?? '-' };
    const key: Record<string, string> = {};
    for (const d of DIMENSIONS) if (groupBy.includes(d)) key[d] = values[d];
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, ages: emptySketch() }));
    addToSketch(g.ages, now - s.createdAt);
  }
  return [...groups.values()].sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1)).map((g) => ({ key: g.key, open: g.ages.count, age: summarise(g.ages) }));
}

/**
 * Service metrics computed incrementally: each ticket version and answered survey updates small
 * partial aggregates (counts and mergeable duration sketches per day and combination of agent,
 * team, channel, customer kind, type and priority) with constant work, so several workers'
 * partials can be merged. The same versions give the same numbers whether they arrive live from
 * the desk's events ({@link attachMetrics}) or are rebuilt from storage ({@link recomputeMetrics}).
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ calendar: tokyoHours });
 * const detach = attachMetrics(desk, metrics);
 * // ... later
 * metrics.report({ groupBy: ['team'], period: 'month' });
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): MetricsAggregator {
  const st = metricsState(options);
  const { data, value } = st;
  return {
    observe: (next) => observeTicket(st, next),
    observeSurvey: (survey, ticket) => observeSurvey(st, survey, ticket),
    merge: (other) => mergePartial(st, other),
    partial: () =>
      structuredClone({
        cells: Object.fromEntries(data.cells),
        customers: Object.fromEntries(data.customers),
        tickets: Object.fromEntries([...data.tickets].map(([id, { state, awaitingSince, escalated, breachedCycle, teamSince }]) => [id, { state, ...(awaitingSince === undefined ? {} : { awaitingSince }), escalated, breachedCycle, ...(teamSince === undefined ? {} : { teamSince }) }])),
        values: value.entries(),
      }),
    observeCustomer: value.observeCustomer,
    lifetimeValue: value.lifetimeValue,
    retention: value.retention,
    report: (query) => reportOf(st, query),
    backlog: (now, groupBy) => backlogOf(st, now, groupBy),
    customer(id) {
      const c = data.customers.get(id);
      if (c === undefined) return undefined;
      const scores = c.csat.map(([, s]) => s);
      const half = Math.floor(scores.length / 2);
      const avg = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((p, q) => p + q, 0) / xs.length);
      return {
        tickets: c.tickets,
        complaints: c.complaints,
        contacts: c.contacts,
        csat: scores,
        csatTrend: scores.length < 2 ? 0 : Math.round((avg(scores.slice(half)) - avg(scores.slice(0, half))) * 100) / 100,
        lastContactAt: c.lastContactAt === 0 ? undefined : new Date(c.lastContactAt),
      };
    },
  };
}
