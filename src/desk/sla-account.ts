import type { TicketId } from '../domain/common.js';
import type { Customer } from '../domain/customer.js';
import { jobKey, type ScheduledJob } from '../domain/job.js';
import type { Organization } from '../domain/organization.js';
import { sameValue } from '../internal/diff.js';
import { pageAll } from '../ports/storage.js';
import { customerFacts, omitNotes } from '../rules/facts.js';
import { factValue } from '../sla/account.js';
import { accountFactPaths } from '../sla/fold.js';
import type { Effect } from './effects.js';
import type { Pipeline } from './pipeline.js';
import { createReader, type Kernel } from './runtime.js';
import type { SlaStage } from './sla-stage.js';

/** Whose facts changed: a customer's (their tickets) or an organisation's (its tickets). */
export type AccountKind = 'customer' | 'organization';

const RUNNING = ['new', 'open', 'pending_customer', 'on_hold'] as const;

/**
 * Bringing a change of the facts SLA policies read about a customer or an organisation (a tier,
 * a flag, a custom field) to their running tickets as it happens, not when each ticket is next
 * touched: the command that changes them schedules one `sla.account` job, which rechecks the
 * clocks of each running ticket (each in its own unit of work), so the switch of policy follows
 * the metrics' `onChange` from that moment.
 */
export function createAccountRecheck(k: Kernel, sla: SlaStage, pipeline: Pipeline) {
  const paths = accountFactPaths(sla.config);
  const read: Record<AccountKind, ReadonlyArray<string>> = { customer: paths.filter((p) => p.startsWith('customer.')), organization: paths.filter((p) => p.startsWith('organization.')) };
  const view = (kind: AccountKind, record: Customer | Organization, now: Date): object =>
    kind === 'customer' ? { customer: customerFacts(record as Customer, now) } : { organization: omitNotes(record as Organization) };
  const differs = (kind: AccountKind, a: object, b: object): boolean => read[kind].some((p) => !sameValue(factValue(a, p) ?? null, factValue(b, p) ?? null));
  // The log holds values by path, absent ones as null (see `accountLogNow`).
  const differsFromLog = (kind: AccountKind, a: object, logged: Readonly<Record<string, unknown>>): boolean => read[kind].some((p) => !sameValue(factValue(a, p) ?? null, logged[p] ?? null));
  const job = (kind: AccountKind, id: string, at: number): ScheduledJob => ({ key: jobKey('sla.account', kind, id), at, type: 'sla.account', payload: { kind, id } });

  /** The job to schedule after a customer or organisation changed from `before` to `after`, if policies read what changed. */
  function after(kind: AccountKind, before: Customer | Organization, next: Customer | Organization, now: Date): Effect[] {
    if (read[kind].length === 0 || !differs(kind, view(kind, before, now), view(kind, next, now))) return [];
    return [{ type: 'schedule', job: job(kind, next.id, now.getTime()) }];
  }

  /** Recheck the clocks of the running tickets of a customer or organisation. */
  async function run(kind: AccountKind, id: string): Promise<void> {
    const query = kind === 'customer' ? { requesterId: id as never, status: [...RUNNING] } : { organizationId: id as never, status: [...RUNNING] };
    for await (const page of pageAll(k.storage, 'ticket', query)) {
      for (const t of page) await pipeline.ticketCommand(t.id as TicketId, undefined, () => [], () => undefined, { slaCheck: true });
    }
  }

  /**
   * After a restart: a job for each customer and organisation whose running tickets' clocks ran
   * on other values than theirs now (a change whose job was lost with the process).
   */
  async function pending(): Promise<ScheduledJob[]> {
    if (paths.length === 0) return [];
    const now = k.clock.now();
    const jobs = new Map<string, ScheduledJob>();
    // One read per customer and organisation, however many tickets they have.
    const reader = createReader(k.storage);
    for await (const page of pageAll(k.storage, 'ticket', { status: [...RUNNING] })) {
      for (const t of page) {
        const last = t.sla?.account?.at(-1)?.values;
        if (last === undefined) continue;
        const owners: Array<[AccountKind, string | undefined]> = [['customer', t.requesterId], ['organization', t.organizationId]];
        for (const [kind, id] of owners) {
          if (id === undefined || read[kind].length === 0 || jobs.has(`${kind}:${id}`)) continue;
          const record = await reader.get(kind, id);
          if (record !== null && differsFromLog(kind, view(kind, record, new Date(now)), last)) jobs.set(`${kind}:${id}`, job(kind, id, now));
        }
      }
    }
    return [...jobs.values()];
  }

  return { after, run, pending };
}

/** See {@link createAccountRecheck}. */
export type AccountRecheck = ReturnType<typeof createAccountRecheck>;
