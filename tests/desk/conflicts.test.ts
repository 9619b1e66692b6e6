import { describe, expect, it } from 'vitest';
import { ConflictError, createServiceDesk, createSequentialIds } from 'omotenashi';
import { setup, ticketIn } from '../helpers.js';

describe('desk: optimistic concurrency', () => {
  it('a command with a stale expectedVersion fails with ConflictError and changes nothing', async () => {
    const s = await setup();
    const t = await ticketIn(s, 'open');
    await s.desk.setPriority(t.id, 'high');
    const err = await s.desk.resolve(t.id, { summary: 'x' }, { expectedVersion: t.version }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ kind: 'version', expectedVersion: t.version, actualVersion: t.version + 1 });
    expect((err as Error).message).toMatch(/Reload it and retry/);
    expect((await s.desk.getTicket(t.id)).status).toBe('open');
  });

  it('two desks on one storage: concurrent edits with versions → exactly one ConflictError, no lost update', async () => {
    const s = await setup();
    const other = createServiceDesk({ storage: s.storage, clock: s.clock, ids: createSequentialIds(6) });
    const t = await ticketIn(s, 'open');
    const results = await Promise.allSettled([
      s.desk.tag(t.id, ['from-desk-1'], { expectedVersion: t.version }),
      other.tag(t.id, ['from-desk-2'], { expectedVersion: t.version }),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(ConflictError);
    const final = await s.desk.getTicket(t.id);
    expect(final.version).toBe(t.version + 1);
    expect(final.tags).toHaveLength(1);
  });

  it('without expectedVersion, a command that lost a race is re-run on fresh data: both changes land', async () => {
    const s = await setup();
    const other = createServiceDesk({ storage: s.storage, clock: s.clock, ids: createSequentialIds(6) });
    const t = await ticketIn(s, 'open');
    await Promise.all([s.desk.tag(t.id, ['a']), other.tag(t.id, ['b']), s.desk.setPriority(t.id, 'urgent')]);
    const final = await s.desk.getTicket(t.id);
    expect([...final.tags].sort()).toEqual(['a', 'b']);
    expect(final.priority).toBe('urgent');
    expect(final.version).toBe(t.version + 3);
  });
});
