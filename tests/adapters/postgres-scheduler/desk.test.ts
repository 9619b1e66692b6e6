import { describe, expect, it } from 'vitest';
import { AdapterError, ConfigError, createInProcessScheduler, createManualClock, createSequentialIds, createServiceDesk, defineTemplates } from 'omotenashi';
import { createRecordingNotifier } from 'omotenashi/testing';
import { createPostgresStorage } from 'omotenashi/postgres';
import { createPostgresScheduler } from 'omotenashi/postgres-scheduler';

import { pgPools } from '../pg-pools.js';

const { available, pool: newPool } = pgPools();

const templates = defineTemplates({ hello: { variables: ['recipientName'], locales: { en: { subject: 'Hello', text: 'Hello {{recipientName}}' } } } });

describe.skipIf(!available)('desk on PostgreSQL with the PostgreSQL scheduler', () => {
  it('writes each timer and event in the transaction of the change that needs it: a failed commit leaves none', async () => {
    const pool = newPool(4);
    const schema = `desk_tx_${process.pid}`;
    const scheduler = createPostgresScheduler({ pool, schema: `${schema}_jobs`, worker: false });
    const storage = createPostgresStorage({ pool, schema, scheduler });
    await scheduler.migrate();
    await storage.migrate();
    const clock = createManualClock('2026-04-01T09:00:00Z');
    const published: string[] = [];
    const desk = createServiceDesk({
      storage,
      clock,
      ids: createSequentialIds(),
      templates,
      notifiers: [createRecordingNotifier({ channels: ['email'] })],
      publishEvents: { sink: { name: 'bus', publish: async (e) => void published.push(e.name) }, events: ['notification.queued'] },
      onError: () => undefined,
    });
    expect(() => createServiceDesk({ storage, clock, scheduler: createInProcessScheduler({ clock }) })).toThrow(ConfigError);
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'Ito', contacts: [{ channel: 'email', address: 'ito@example.com' }] });

    // Fail at COMMIT, after the job was written: the whole unit of work must roll back.
    await pool.query(`CREATE FUNCTION "${schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
    await pool.query(`CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON "${schema}".omotenashi_records DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind = 'notification') EXECUTE FUNCTION "${schema}".refuse()`);
    await expect(desk.notify({ customerId: c.id, template: 'hello', key: 'hello-1' })).rejects.toBeInstanceOf(AdapterError);
    expect(await scheduler.pending()).toBe(0);
    expect((await desk.listNotifications()).items).toEqual([]);

    await pool.query(`DROP TRIGGER refuse ON "${schema}".omotenashi_records`);
    const queued = await desk.notify({ customerId: c.id, template: 'hello', key: 'hello-1' });
    // The message's relay job and the job that publishes `notification.queued`, both in that commit.
    expect(await scheduler.pending()).toBe(2);
    const jobs = (await pool.query(`SELECT key, run_at FROM "${schema}_jobs".jobs ORDER BY key`)).rows as Array<{ key: string; run_at: Date }>;
    expect(jobs.map((j) => j.key.replace(/evt_[0-9a-f-]+/, 'evt_*'))).toEqual(['omotenashi:event.publish:evt_*', `omotenashi:notification.send:${queued.id}`]);
    expect(jobs[1]?.run_at.getTime()).toBe(queued.nextAttemptAt.getTime());
    await desk.cancelNotification(queued.id);
    expect(await scheduler.pending()).toBe(1);
    expect(published).toEqual([]);
    await desk.stop();
  });
});
