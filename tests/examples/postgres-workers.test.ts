import { describe, expect, inject, it } from 'vitest';
import { runPostgresWorkers } from '../../examples/postgres-workers/main.js';

const url = inject('postgresUrl');

describe.skipIf(url === '')('examples/postgres-workers', () => {
  it('one API process and two workers; SIGKILL one mid-send: no message lost, none delivered under a second key, no job left', async () => {
    const lines: string[] = [];
    const report = await runPostgresWorkers({ databaseUrl: url, schema: `workers_${process.pid}`, messages: 30, out: (l) => lines.push(l) });
    expect(report.killed).toBe('A');
    expect(report.sent).toBe(30);
    expect(report.pendingJobs).toBe(0);
    // Nothing lost: every queued key reached the chat service; nothing doubled: no other key did.
    expect([...report.wire.keys()].sort()).toEqual([...report.expectedKeys].sort());
    // The kill came mid-send, so at least that message went out twice, under its one key.
    expect(report.repeatsDropped).toBeGreaterThanOrEqual(1);
    expect(report.requests).toBe(30 + report.repeatsDropped);
    expect(report.byWorker['B']).toBeGreaterThan(0);
    // Every ticket.opened event reached the CRM endpoint (once, or again under its one id).
    expect(report.events.size).toBe(30);
    expect(lines.some((l) => l.startsWith('SIGKILL worker A'))).toBe(true);
  }, 120_000);
});
