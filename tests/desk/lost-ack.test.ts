import { describe, expect, it } from 'vitest';
import { AdapterError, createMemoryStorage, createServiceDesk, type StoragePort } from 'omotenashi';
import { createManualClock, createRecordingNotifier, overrideStorage } from 'omotenashi/testing';

/** A storage whose next commits are written but answered with an error, as when a connection drops after COMMIT. */
function droppingAnswers(base: StoragePort) {
  const faults = { lostAnswers: 0, failedCommits: 0, failedReads: 0 };
  const storage = overrideStorage(base, {
    commit: async (work) => {
      if (faults.failedCommits > 0) {
        faults.failedCommits--;
        throw new Error('connection refused');
      }
      await base.commit(work);
      if (faults.lostAnswers > 0) {
        faults.lostAnswers--;
        throw new Error('connection reset after COMMIT');
      }
    },
    get: async (kind, id) => {
      if (faults.failedReads > 0) {
        faults.failedReads--;
        throw new Error('connection refused');
      }
      return base.get(kind, id);
    },
  });
  return { storage, faults };
}

const world = async () => {
  const { storage, faults } = droppingAnswers(createMemoryStorage());
  const clock = createManualClock('2026-04-06T01:00:00Z');
  const notifier = createRecordingNotifier({ channels: ['email'] });
  const desk = createServiceDesk({ storage, clock, notifiers: [notifier] });
  const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato', contacts: [{ channel: 'email', address: 'sato@example.com' }] });
  return { desk, clock, faults, notifier, customer };
};

describe('desk: accepted work keeps its timers when the commit\'s answer is lost', () => {
  it('a resolve whose answer was lost succeeds, and its auto-close still fires', async () => {
    const { desk, clock, faults, customer } = await world();
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router', channel: 'email' });
    faults.lostAnswers = 1;
    const resolved = await desk.resolve(ticket.id, { summary: 'Replaced' });
    expect(resolved.status).toBe('resolved');
    await clock.advance('P5D');
    expect((await desk.getTicket(ticket.id)).status).toBe('closed');
  });

  it('a notify whose answer was lost is delivered; one retried after a real failure is armed again', async () => {
    const { desk, clock, faults, notifier, customer } = await world();
    faults.lostAnswers = 1;
    await desk.notify({ customerId: customer.id, template: 'shipped', key: 'a' });
    // Written, then neither the answer nor the read-back came through: the caller sees an error and asks again.
    faults.lostAnswers = 1;
    faults.failedReads = 1;
    await expect(desk.notify({ customerId: customer.id, template: 'shipped', key: 'b' })).rejects.toBeInstanceOf(AdapterError);
    await desk.notify({ customerId: customer.id, template: 'shipped', key: 'b' });
    await clock.advance('PT1M');
    expect(notifier.sent.map((m) => m.idempotencyKey).sort()).toEqual(['a', 'b']);
  });

  it('a commit that really failed is reported and leaves nothing behind', async () => {
    const { desk, faults, customer } = await world();
    faults.failedCommits = 1;
    await expect(desk.openTicket({ requesterId: customer.id, subject: 'Router', channel: 'email' })).rejects.toBeInstanceOf(AdapterError);
    expect((await desk.listTickets()).items).toEqual([]);
  });
});
