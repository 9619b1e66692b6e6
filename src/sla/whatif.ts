import type { Customer } from '../domain/customer.js';
import type { Organization } from '../domain/organization.js';
import type { Ticket } from '../domain/ticket.js';
import { accountCalendarOf, withAccountCalendar, withTeamCalendars } from './calendars.js';
import { evaluateSla, type SlaMetricStatus } from './evaluate.js';
import type { SlaHistory } from './history.js';
import type { SlaConfig } from './policy.js';

/** A ticket to replay: the ticket, its requester and its SLA history. */
export interface SlaReplayCase {
  /** The ticket as stored now. */
  readonly ticket: Ticket;
  /** Its requester. */
  readonly customer: Customer;
  /** Its history (see `slaHistory`). */
  readonly history: SlaHistory;
  /** Its organisation, for policies that match on `organization.*` and its calendar. */
  readonly organization?: Organization | undefined;
  /** The calendars of the teams (team id → calendar id), for clocks that count on the team's hours. */
  readonly teamCalendars?: ReadonlyMap<string, string>;
}

/** A configuration as it applies to one case: the requester's or organisation's calendar, the teams' (see `CALENDAR_ORDER`). */
function forCase(config: SlaConfig, c: SlaReplayCase): SlaConfig {
  const account = accountCalendarOf(config, c.customer, c.organization);
  const teams = new Map([...(c.teamCalendars ?? [])].filter(([, id]) => config.calendars.has(id)));
  return withTeamCalendars(account === undefined ? config : withAccountCalendar(config, account), teams);
}

/** How one clock's outcome differs between the current and the candidate policies. */
export interface SlaOutcomeChange {
  /** The ticket. */
  readonly ticketId: string;
  /** `primary` or a concurrent policy's id. */
  readonly slot: string;
  /** The metric. */
  readonly metric: string;
  /** Under the current policies (absent: no such clock). */
  readonly before?: SlaOutcome;
  /** Under the candidate policies (absent: no such clock). */
  readonly after?: SlaOutcome;
}

/** The part of a clock that what-if compares. */
export interface SlaOutcome {
  /** The policy in force. */
  readonly policyId: string;
  /** The clock's state. */
  readonly state: string;
  /** How many cycles breached. */
  readonly breaches: number;
  /** How many warning thresholds the current cycle passed. */
  readonly warnings: number;
}

/** The result of {@link compareSlaPolicies}. */
export interface SlaWhatIfReport {
  /** How many tickets were replayed. */
  readonly tickets: number;
  /** Breaches (cycles) in total, under each policy set. */
  readonly breaches: { readonly before: number; readonly after: number };
  /** Warnings passed in total, under each policy set. */
  readonly warnings: { readonly before: number; readonly after: number };
  /** Every clock whose breaches or warnings would change, or that would appear or disappear. */
  readonly changes: ReadonlyArray<SlaOutcomeChange>;
}

const outcome = (m: SlaMetricStatus): SlaOutcome => ({ policyId: m.policyId, state: m.state, breaches: m.breaches, warnings: m.warningsPassed.length });

/**
 * Replay past tickets under a candidate policy set and report which breaches and warnings would
 * change: try a new SLA before rolling it out. Each side counts on the calendars the case's
 * requester, organisation and teams name, when that side's configuration has them. Pure: give it
 * the tickets and both configurations.
 *
 * @example
 * ```ts
 * const report = compareSlaPolicies({ cases, current: defineSlaConfig(live), candidate: defineSlaConfig(draft), now: new Date(desk.clock.now()) });
 * console.log(`breaches ${report.breaches.before} → ${report.breaches.after}`);
 * ```
 */
export function compareSlaPolicies(input: { cases: Iterable<SlaReplayCase>; current: SlaConfig; candidate: SlaConfig; now: Date }): SlaWhatIfReport {
  let tickets = 0;
  const breaches = { before: 0, after: 0 };
  const warnings = { before: 0, after: 0 };
  const changes: SlaOutcomeChange[] = [];
  for (const c of input.cases) {
    tickets++;
    const before = evaluateSla({ ...c, config: forCase(input.current, c), now: input.now, explain: false }).metrics;
    const after = evaluateSla({ ...c, config: forCase(input.candidate, c), now: input.now, explain: false }).metrics;
    const keys = new Set([...before, ...after].map((m) => `${m.slot}\u0000${m.metric}`));
    for (const key of keys) {
      const [slot, metric] = key.split('\u0000') as [string, string];
      const b = before.find((m) => m.slot === slot && m.metric === metric);
      const a = after.find((m) => m.slot === slot && m.metric === metric);
      breaches.before += b?.breaches ?? 0;
      breaches.after += a?.breaches ?? 0;
      warnings.before += b?.warningsPassed.length ?? 0;
      warnings.after += a?.warningsPassed.length ?? 0;
      if (b === undefined || a === undefined || b.breaches !== a.breaches || b.warningsPassed.length !== a.warningsPassed.length) {
        changes.push({ ticketId: c.ticket.id, slot, metric, ...(b ? { before: outcome(b) } : {}), ...(a ? { after: outcome(a) } : {}) });
      }
    }
  }
  return { tickets, breaches, warnings, changes };
}
