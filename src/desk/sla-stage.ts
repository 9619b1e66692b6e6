import { jobKey } from '../domain/job.js';
import type { AuditEntry, SlaPins, SlaSnapshot, Ticket } from '../domain/ticket.js';
import { clampBreaches, pinnedConfig, pinsAfter, pinsNow } from '../sla/versions.js';
import { createPolicyVersions } from './sla-versions.js';
import type { SlaFoldState } from '../domain/sla-fold.js';
import { ticketFacts } from '../rules/facts.js';
import { FoldMismatch, accountFactPaths, foldSla, foldedEvaluation, isFoldable, type FoldContext } from '../sla/fold.js';
import { accountLogNow } from '../sla/account.js';
import type { Interaction } from '../domain/interaction.js';
import type { DeskEvent } from '../events.js';
import type { DecisionContext } from '../lifecycle/engine.js';
import { evaluateSla, type SlaEvaluation } from '../sla/evaluate.js';
import { slaHistory, type AccountLog } from '../sla/history.js';
import type { SlaConfig } from '../sla/policy.js';
import { accountCalendarOf, withAccountCalendar, withTeamCalendars } from '../sla/calendars.js';
import type { Customer } from '../domain/customer.js';
import type { Organization } from '../domain/organization.js';
import { slaAuditChanges, slaEvents, snapshotChanged, toSnapshot } from '../sla/snapshot.js';
import { ladderChanges } from '../escalation/timers.js';
import type { LadderLevel } from '../escalation/ladders.js';
import type { Put } from '../ports/storage.js';
import type { Effect } from './effects.js';
import { organizationOf, type Reader } from './runtime.js';
import { bind, type Settled } from './pipeline.js';

/**
 * A cheap check that a stored value is a folded state of this version (the full schema,
 * `SlaFoldStateSchema`, costs more than the fold): anything damaged beyond it fails inside the
 * fold, which then replays.
 */
const looksFolded = (v: unknown): v is SlaFoldState => {
  const s = v as Partial<SlaFoldState> | undefined;
  return typeof s === 'object' && s !== null && s.v === 2 && typeof s.sig === 'string' && typeof s.facts === 'string' && typeof s.asOf === 'number' && typeof s.clocks === 'object' && s.clocks !== null && typeof s.restartAt === 'object';
};

/** The configuration as it applies to a ticket of this requester and organisation, with the teams' calendars (see `CALENDAR_ORDER`). */
function accountConfig(sla: SlaConfig, customer: Customer, organization: Organization | undefined, teams: Readonly<Record<string, string>>): SlaConfig {
  const id = accountCalendarOf(sla, customer, organization);
  return withTeamCalendars(id === undefined ? sla : withAccountCalendar(sla, id), new Map(Object.entries(teams)));
}

/**
 * The calendars of the teams that have held the ticket, as last seen: those stored with its
 * clocks, and the current team's, read now (one read, and none for a ticket without a team).
 */
async function teamCalendarsOf(sla: SlaConfig, ticket: Ticket, stored: SlaSnapshot | undefined, read: Reader): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [id, calendar] of Object.entries(stored?.teams ?? {})) if (sla.calendars.has(calendar)) out[id] = calendar;
  if (ticket.teamId !== undefined) {
    const team = await read.get('team', ticket.teamId);
    if (team?.calendar !== undefined && sla.calendars.has(team.calendar)) out[ticket.teamId] = team.calendar;
    else delete out[ticket.teamId];
  }
  return out;
}

interface Pending {
  readonly audit: ReadonlyArray<AuditEntry>;
  readonly interactions: ReadonlyArray<Interaction>;
}

/** What a snapshot carries besides its clocks: the policy versions, the log of the facts policies read, the teams' calendars. */
interface Carried {
  readonly pins: SlaPins | undefined;
  readonly account: AccountLog | undefined;
  readonly teams: Readonly<Record<string, string>>;
}

/** A snapshot with no back-dated breach, the pins of every policy that has a clock in it, and what else it carries. */
function pinned(sla: SlaConfig, snapshot: SlaSnapshot, carried: Carried): SlaSnapshot {
  const { pins, account, teams } = carried;
  const clocks = clampBreaches(snapshot.clocks, pins);
  const after = pinsAfter(sla, pins, clocks);
  return {
    ...snapshot,
    clocks,
    ...(after === undefined ? {} : { pins: after }),
    ...(account === undefined ? {} : { account: [...account] }),
    ...(Object.keys(teams).length === 0 ? {} : { teams: { ...teams } }),
  };
}

/** The ticket's whole history: what storage has plus what this command adds. */
async function fullHistory(ticket: Ticket, isNew: boolean, read: Reader, own: Pending, account: AccountLog | undefined) {
  const [storedAudit, storedInteractions] = isNew ? [[], []] : await Promise.all([read.audit(ticket.id), read.interactions(ticket.id)]);
  return slaHistory(ticket, [...storedAudit, ...own.audit], [...storedInteractions, ...own.interactions], account);
}

/** The SLA check timer and the ladder timers that follow a new snapshot. */
function timerChanges(sla: SlaConfig, ladders: ReadonlyArray<LadderLevel>, ticket: Ticket, previous: SlaSnapshot | undefined, snapshot: SlaSnapshot, now: number): Effect[] {
  const effects: Effect[] = ladderChanges(ladders, ticket, previous, snapshot, now, sla);
  const next = snapshot.nextCheckAt;
  const key = jobKey('sla.check', ticket.id);
  if (next !== undefined && next.getTime() !== previous?.nextCheckAt?.getTime()) {
    effects.push({ type: 'schedule', job: { key, at: next.getTime(), type: 'sla.check', payload: { ticketId: ticket.id } } });
  } else if (next === undefined && previous?.nextCheckAt !== undefined) {
    effects.push({ type: 'cancel', key });
  }
  return effects;
}

/**
 * The SLA part of the pipeline: recompute the clocks of the tickets a command wrote (and of
 * `check`, for a timer), store the snapshot in the same unit of work, announce what changed, and
 * keep one timer per ticket for its next warning or breach, and one per ladder level.
 */
export function createSlaStage(sla: SlaConfig, ladders: ReadonlyArray<LadderLevel>) {
  const versions = createPolicyVersions(sla);

  /** The configuration a ticket's clocks run on (its pinned policy versions, its account's calendar), and its pins now. */
  async function configFor(ticket: Ticket, stored: SlaSnapshot | undefined, read: Reader, customer: Customer, organization: Organization | undefined, now: Date) {
    const [earlier, teams] = await Promise.all([versions.earlier(stored?.pins, read), teamCalendarsOf(sla, ticket, stored, read)]);
    const pins = pinsNow(sla, stored?.pins, earlier, stored?.clocks ?? [], now);
    return { config: accountConfig(pinnedConfig(sla, pins, earlier), customer, organization, teams), pins, teams };
  }

  /**
   * The ticket's clocks now. Folded forward from the stored state with this command's events
   * alone; replayed from the whole history (and folded afresh) when there is no usable state: a
   * ticket stored before folding, a changed configuration, changed facts that policies read.
   */
  async function snapshotOf(ticket: Ticket, stored: SlaSnapshot | undefined, isNew: boolean, read: Reader, pending: Pending, now: Date): Promise<SlaSnapshot> {
    const own = { audit: pending.audit.filter((a) => a.ticketId === ticket.id), interactions: pending.interactions.filter((i) => i.ticketId === ticket.id) };
    const [customer, organization] = await Promise.all([read.load('customer', ticket.requesterId), organizationOf(read, ticket)]);
    const { config, pins, teams } = await configFor(ticket, isNew ? undefined : stored, read, customer, organization, now);
    const facts = ticketFacts(ticket, customer, now, organization);
    const account = accountLogNow(isNew ? undefined : stored?.account, accountFactPaths(config), facts, now);
    if (!isFoldable(config)) {
      const history = await fullHistory(ticket, isNew, read, own, account);
      return pinned(sla, toSnapshot(evaluateSla({ ticket, customer, organization, history, config, now, explain: false }), now), { pins, account, teams });
    }
    const ctx: FoldContext = { config, facts };
    const folded = (state: SlaFoldState): SlaSnapshot => pinned(sla, { ...toSnapshot(foldedEvaluation(state, ctx, now) as SlaEvaluation, now), fold: state }, { pins, account, teams });
    try {
      const prior = isNew ? null : stored?.fold;
      if (prior !== null && !looksFolded(prior)) throw new FoldMismatch('no usable folded state');
      const fresh = slaHistory(ticket, own.audit, own.interactions);
      return folded(foldSla(prior, fresh, fresh.events, ctx));
    } catch {
      // No usable state (none yet, another configuration or facts, a damaged one): replay once.
      const history = await fullHistory(ticket, isNew, read, own, account);
      return folded(foldSla(null, history, history.events, ctx));
    }
  }

  async function apply(settled: Settled, read: Reader, ctx: DecisionContext, check?: Ticket): Promise<Settled> {
    const puts = [...(settled.work?.puts ?? [])];
    const audit = [...(settled.work?.audit ?? [])];
    const interactions = settled.work?.interactions ?? [];
    const finals = new Map(settled.finals);
    const effects = [...settled.effects];
    const out: DeskEvent[] = [];
    const stamped = new Set(puts.filter((p) => p.kind === 'sla_policy').map((p) => p.record.id));
    const ids = new Set(puts.filter((p) => p.kind === 'ticket').map((p) => p.record.id));
    if (check !== undefined) ids.add(check.id);
    for (const id of ids) {
      const putIndex = puts.findIndex((p) => p.kind === 'ticket' && p.record.id === id);
      const put = putIndex >= 0 ? (puts[putIndex] as Extract<Put, { kind: 'ticket' }>) : undefined;
      const current = put?.record ?? (check as Ticket);
      const previous = put === undefined ? current.sla : (settled.bases.get(id) ?? undefined)?.sla;
      const snapshot = await snapshotOf(current, previous, put !== undefined && put.expectedVersion === null, read, { audit, interactions }, ctx.now);
      if (!snapshotChanged(previous, snapshot)) {
        // Steps built on an earlier pass may carry a newer snapshot than the stored one: keep the stored one.
        if (put !== undefined && current.sla !== previous) {
          const { sla: _drop, ...rest } = current;
          const record: Ticket = previous === undefined ? rest : { ...rest, sla: previous };
          puts[putIndex] = { ...put, record };
          finals.set(id, record);
        }
        continue;
      }
      for (const v of await versions.missing(snapshot.pins, read, ctx.now, stamped)) {
        stamped.add(v.record.id);
        puts.push(v);
      }
      const record: Ticket = put !== undefined ? { ...current, sla: snapshot } : { ...current, sla: snapshot, version: current.version + 1, updatedAt: ctx.now };
      if (put !== undefined) puts[putIndex] = { ...put, record };
      else puts.push({ kind: 'ticket', record, expectedVersion: current.version });
      finals.set(id, record);
      const changes = slaAuditChanges(previous, snapshot);
      if (changes.length > 0) audit.push({ ticketId: record.id, version: record.version, at: ctx.now, actor: ctx.actor, action: 'sla', changes });
      out.push(...slaEvents(previous, snapshot, record, ctx.now, ctx.actor));
      effects.push(...timerChanges(sla, ladders, record, previous, snapshot, ctx.now.getTime()));
    }
    const work = puts.length === 0 && interactions.length === 0 ? null : { ...settled.work, puts, interactions, audit };
    return { work, events: bind([...settled.events, ...out], finals), effects, finals, bases: settled.bases };
  }

  /** Every clock of a stored ticket now, from its folded state when it has a usable one (no ledger), else replayed. */
  async function clocksNow(ticket: Ticket, read: Reader, now: Date): Promise<SlaSnapshot> {
    return snapshotOf(ticket, ticket.sla, false, read, { audit: [], interactions: [] }, now);
  }

  /** Every clock of a stored ticket now, replayed from its whole history (with the explanation ledger). */
  async function explain(ticket: Ticket, read: Reader, now: Date) {
    const [audit, interactions, customer, organization] = await Promise.all([read.audit(ticket.id), read.interactions(ticket.id), read.load('customer', ticket.requesterId), organizationOf(read, ticket)]);
    const { config, pins } = await configFor(ticket, ticket.sla, read, customer, organization, now);
    const account = accountLogNow(ticket.sla?.account, accountFactPaths(config), ticketFacts(ticket, customer, now, organization), now);
    const evaluation = evaluateSla({ ticket, customer, organization, history: slaHistory(ticket, audit, interactions, account), config, now });
    return { ...evaluation, metrics: clampBreaches(evaluation.metrics, pins) };
  }

  return { apply, explain, clocksNow, config: sla };
}

/** The SLA part of a desk's pipeline (see {@link createSlaStage}). */
export type SlaStage = ReturnType<typeof createSlaStage>;
