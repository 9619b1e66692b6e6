import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defineRouting, defineFollowUps, defineEscalationLadders, defineAgentLimits, defineEscalationRules, defineSlaConfig, JOB_TYPES, createInProcessScheduler, createServiceDesk, createSignalDetector, type EventSink, type JobType, type PublishedEvent, type SchedulerPort, type ServiceDeskOptions } from 'omotenashi';
import { createManualClock, createRecordingNotifier, recordEvents, type ManualClock } from 'omotenashi/testing';
import { createSqliteStorage } from 'omotenashi/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'omotenashi-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const weekday: Array<[string, string]> = [['09:00', '17:00']];

/** An in-process scheduler that records the type of every job it runs. */
function watchedScheduler(clock: ManualClock, ran: Set<string>): SchedulerPort {
  const inner = createInProcessScheduler({ clock, onError: () => undefined });
  return {
    ...inner,
    name: inner.name,
    capabilities: inner.capabilities,
    schedule: (job) => inner.schedule(job),
    cancel: (key) => inner.cancel(key),
    stop: () => inner.stop(),
    start: (handler) =>
      inner.start(async (job) => {
        await handler(job);
        ran.add(job.type);
      }),
  };
}

function sink(failing: { on: boolean }): EventSink & { received: PublishedEvent[] } {
  const received: PublishedEvent[] = [];
  return {
    name: 'crm',
    received,
    async publish(event) {
      if (failing.on) throw new Error('CRM is down');
      received.push(event);
    },
  };
}

describe('desk: every job type fires after a restart (SQLite file, in-process scheduler)', () => {
  it('auto-close, SLA checks, time rules, ladder levels, deferred notices, follow-ups, outbox deliveries and published events', async () => {
    const file = join(dir, 'desk.db');
    const clock = createManualClock('2026-04-06T18:00:00Z'); // a Monday evening: the office (09:00–17:00) is closed
    const failing = { on: true };
    const crm = sink(failing);
    const notifier = createRecordingNotifier();
    const options = (storage: ServiceDeskOptions['storage'], scheduler: SchedulerPort): ServiceDeskOptions => ({
      storage,
      clock,
      scheduler,
      notifiers: [notifier],
      signals: createSignalDetector(),
      onError: () => undefined,
      lifecycle: { autoCloseAfter: 'P2D' },
      sla: defineSlaConfig({
        calendars: { office: { timeZone: 'UTC', weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } },
        policies: [
          // Gold customers' tickets: the customer turns gold just before the process dies, and the job that rechecks their tickets is restored.
          { id: 'gold', name: 'Gold', match: { fact: 'customer.tier', op: 'eq', value: 'gold' }, metrics: { first_response: { targets: { normal: 'PT2H' }, warnings: [{ percent: 50 }] }, resolution: { targets: { normal: 'PT12H' } } } },
          { id: 'std', name: 'Standard', metrics: { first_response: { targets: { normal: 'PT4H' }, warnings: [{ percent: 50 }] }, resolution: { targets: { normal: 'P1D' } } } },
        ],
      }),
      escalation: defineEscalationRules([
        { id: 'quiet', name: 'No update for a day', trigger: { on: 'time', after: 'P1D', since: 'created' }, actions: [{ type: 'add_tag', tag: 'no-update' }] },
        { id: 'angry', name: 'Angry', trigger: { on: 'signal.detected' }, condition: { fact: 'signals.labels', op: 'contains', value: 'angry' }, actions: [{ type: 'notify', recipients: [{ role: 'assignee' }], template: 'angry-customer' }] },
      ]),
      escalationLadders: defineEscalationLadders([{ id: 'res', metric: 'resolution', levels: [{ at: { percent: 50 }, actions: [{ type: 'add_tag', tag: 'half-way' }] }] }]),
      followUps: defineFollowUps({ plans: [{ id: 'check-in', name: 'Check in', trigger: { on: 'ticket_resolved' }, timing: { delay: 'P1D' }, action: { type: 'message', template: 'check-in' } }] }),
      publishEvents: { sink: crm, events: ['ticket.opened'] },
      routing: defineRouting({ offerTimeout: 'PT1H' }),
      retention: { closedFor: 'P30D' },
      pruneRequests: { every: 'PT1H' },
    });

    // Before the restart: every kind of job is pending.
    const firstDb = new Database(file);
    const firstStorage = createSqliteStorage({ db: firstDb });
    await firstStorage.migrate();
    const first = createServiceDesk(options(firstStorage, createInProcessScheduler({ clock, onError: () => undefined })));
    const agent = await first.registerAgent({ name: 'Aiko', email: 'aiko@desk.example', calendar: 'office' });
    const customer = await first.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });
    const { ticket: open } = await first.openTicket({ requesterId: customer.id, subject: 'Router', channel: 'email', assigneeId: agent.id });
    await first.recordInteraction(open.id, { channel: 'email', author: { kind: 'customer', id: customer.id }, body: 'I am angry, nothing works' });
    const { ticket: done } = await first.openTicket({ requesterId: customer.id, subject: 'Invoice', channel: 'email', assigneeId: agent.id });
    await first.resolve(done.id, { summary: 'Sent again' });
    // A ticket for a team nobody is in waits in its queue: a restart drains the queue again.
    const night = await first.registerTeam({ name: 'Night desk' });
    await first.openTicket({ requesterId: customer.id, subject: 'Late', channel: 'email', teamId: night.id });
    // A ticket offered to an agent who never answers: the offer times out after the restart.
    const day = await first.registerTeam({ name: 'Day desk' });
    await first.registerAgent({ name: 'Kai', teamIds: [day.id] });
    const { ticket: offered } = await first.openTicket({ requesterId: customer.id, subject: 'Offered', channel: 'email', teamId: day.id });
    expect(offered.routing?.offer).toBeDefined();
    await first.notify({ customerId: customer.id, template: 'reminder', notBefore: new Date('2026-04-07T10:00:00Z'), key: 'reminder-1' });
    await clock.advance('PT1S'); // the CRM refuses the first try of each event: they wait for a retry
    expect(crm.received).toEqual([]);
    await first.updateCustomer(customer.id, { tier: 'gold' });
    await first.stop();
    firstDb.close();

    // The process is gone; a new one opens the same file with a new in-process scheduler.
    failing.on = false;
    const ran = new Set<string>();
    const db = new Database(file);
    const second = createServiceDesk(options(createSqliteStorage({ db }), watchedScheduler(clock, ran)));
    const events = recordEvents(second);
    expect(await second.restoreSchedules()).toBeGreaterThanOrEqual(JOB_TYPES.length);
    await clock.advance('P3D');

    expect([...ran].sort()).toEqual([...JOB_TYPES].sort() as JobType[]);
    expect((await second.getTicket(done.id)).status).toBe('closed');
    expect((await second.getTicket(open.id)).sla?.clocks.map((c) => c.policyId)).toEqual(['gold', 'gold']);
    expect(events.names()).toEqual(expect.arrayContaining(['sla.warning', 'sla.breached', 'followup.due']));
    expect((await second.getTicket(open.id)).tags).toEqual(expect.arrayContaining(['no-update', 'half-way']));
    expect(notifier.sent.map((m) => m.template).sort()).toEqual(['angry-customer', 'check-in', 'reminder']);
    // The deferred notice waited for the agent's working hours (Tuesday 09:00), the reminder for its time.
    const sentAt = (template: string) => (second.listNotifications({ status: 'sent' }).then((p) => p.items.find((n) => n.template === template)?.sentAt?.toISOString()));
    expect(await sentAt('angry-customer')).toBe('2026-04-07T09:00:00.000Z');
    expect(await sentAt('reminder')).toBe('2026-04-07T10:00:00.000Z');
    expect(crm.received.map((e) => e.name)).toEqual(['ticket.opened', 'ticket.opened', 'ticket.opened', 'ticket.opened']);
    await second.stop();
    db.close();
  });
});
