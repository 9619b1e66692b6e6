import { deskEvent, type DeskEvent } from '../events.js';
import type { Actor } from '../domain/common.js';
import type { FieldChange, SlaClockSnapshot, SlaSnapshot, Ticket } from '../domain/ticket.js';
import { sameValue } from '../internal/diff.js';
import type { SlaEvaluation } from './evaluate.js';

/** The compact form of an evaluation stored with the ticket. */
export function toSnapshot(evaluation: SlaEvaluation, now: Date): SlaSnapshot {
  return {
    evaluatedAt: now,
    clocks: evaluation.metrics.map((m) => ({
      slot: m.slot,
      policyId: m.policyId,
      metric: m.metric,
      state: m.state,
      paused: m.paused,
      targetMs: m.targetMs,
      elapsedMs: m.elapsedMs,
      cycle: m.cycle,
      breaches: m.breaches,
      warningsPassed: [...m.warningsPassed],
      startedAt: m.startedAt,
      ...(m.dueAt === undefined ? {} : { dueAt: m.dueAt }),
      ...(m.breachedAt === undefined ? {} : { breachedAt: m.breachedAt }),
    })),
    ...(evaluation.nextCheckAt === undefined ? {} : { nextCheckAt: evaluation.nextCheckAt }),
  };
}

const key = (c: SlaClockSnapshot): string => `${c.slot}/${c.metric}`;
const open = (c: SlaClockSnapshot | undefined): boolean => c !== undefined && c.state !== 'fulfilled' && c.state !== 'cancelled';

/**
 * Whether two snapshots differ in anything but the time they were taken and the elapsed time
 * (which grows every instant and is not worth a write on its own).
 */
export function snapshotChanged(prev: SlaSnapshot | undefined, next: SlaSnapshot): boolean {
  if (prev === undefined) return next.clocks.length > 0;
  const strip = (s: SlaSnapshot) => ({ ...s, evaluatedAt: 0, clocks: s.clocks.map((c) => ({ ...c, elapsedMs: c.paused || !open(c) ? c.elapsedMs : 0 })) });
  return !sameValue(strip(prev), strip(next));
}

/**
 * The events announcing what changed between two snapshots, in a stable order. Because they
 * come from comparing stored states, a check that runs late or twice announces each change once.
 */
export function slaEvents(prev: SlaSnapshot | undefined, next: SlaSnapshot, ticket: Ticket, at: Date, actor: Actor): DeskEvent[] {
  const before = new Map((prev?.clocks ?? []).map((c) => [key(c), c]));
  const events: DeskEvent[] = [];
  for (const clock of next.clocks) {
    const previous = before.get(key(clock));
    const base = { ticket, slot: clock.slot, policyId: clock.policyId, metric: clock.metric, previous, clock, at, actor };
    const samePolicy = previous !== undefined && previous.policyId === clock.policyId;
    const sameCycle = samePolicy && previous.cycle === clock.cycle;
    // 1. A policy starts to apply in this slot.
    if (!samePolicy) events.push(deskEvent('sla.applied', base));
    // 2. The cycle seen last time ended, and a new one began (a reply to a next-response clock).
    if (samePolicy && previous.cycle < clock.cycle && open(previous)) {
      const completedBreaches = clock.breaches - (clock.breachedAt === undefined ? 0 : 1);
      events.push(deskEvent('sla.fulfilled', { ...base, late: previous.breachedAt !== undefined || completedBreaches > previous.breaches }));
    }
    // 3. Warning thresholds passed since last time.
    const passed = sameCycle ? clock.warningsPassed.filter((w) => !previous.warningsPassed.includes(w)) : clock.warningsPassed;
    for (const thresholdMs of passed) events.push(deskEvent('sla.warning', { ...base, thresholdMs }));
    // 4. The target was breached since last time.
    if (clock.breachedAt !== undefined && !(sameCycle && previous.breachedAt !== undefined)) events.push(deskEvent('sla.breached', base));
    // 5. Paused or running again.
    if (sameCycle && open(clock) && previous.paused !== clock.paused) events.push(deskEvent(clock.paused ? 'sla.paused' : 'sla.resumed', base));
    // 6. This cycle was fulfilled.
    if (clock.state === 'fulfilled' && !(sameCycle && previous.state === 'fulfilled')) events.push(deskEvent('sla.fulfilled', { ...base, late: clock.breachedAt !== undefined }));
  }
  return events;
}

/** Audit changes for the SLA: each clock whose state changed. */
export function slaAuditChanges(prev: SlaSnapshot | undefined, next: SlaSnapshot): FieldChange[] {
  const before = new Map((prev?.clocks ?? []).map((c) => [key(c), c]));
  const out: FieldChange[] = [];
  for (const c of next.clocks) {
    const p = before.get(key(c));
    if (p === undefined || p.state !== c.state || p.cycle !== c.cycle || p.policyId !== c.policyId) {
      out.push({ field: `sla.${c.slot}.${c.metric}`, from: p === undefined ? undefined : `${p.policyId}:${p.state}#${p.cycle}`, to: `${c.policyId}:${c.state}#${c.cycle}` });
    }
  }
  return out;
}
