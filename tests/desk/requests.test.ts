import { describe, expect, it } from 'vitest';
import { createServiceDesk, createMemoryStorage, createManualClock, ValidationError, ConflictError } from 'omotenashi';


const setup = () => {
  const clock = createManualClock('2026-04-01T09:00:00Z');
  const storage = createMemoryStorage();
  return { clock, storage, desk: createServiceDesk({ storage, clock }) };
};
const response = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };

describe('idempotency keys in the desk', () => {
  it('claims a key once, replays the stored response, refuses another request with the same key', async () => {
    const { desk } = setup();
    const claim = await desk.claimRequestKey({ key: 'k-1', scope: 'agent:a', fingerprint: 'f1' });
    expect(claim.state).toBe('claimed');
    expect((await desk.claimRequestKey({ key: 'k-1', scope: 'agent:a', fingerprint: 'f1' })).state).toBe('running');
    if (claim.state !== 'claimed') throw new Error('unreachable');
    await desk.completeRequest(claim.record.id, response);
    const again = await desk.claimRequestKey({ key: 'k-1', scope: 'agent:a', fingerprint: 'f1' });
    expect(again).toMatchObject({ state: 'replay', response });
    expect((await desk.claimRequestKey({ key: 'k-1', scope: 'agent:a', fingerprint: 'f2' })).state).toBe('mismatch');
    // Another caller's key of the same name is its own.
    expect((await desk.claimRequestKey({ key: 'k-1', scope: 'agent:b', fingerprint: 'f2' })).state).toBe('claimed');
  });

  it('lets a retry take over a key whose first request crashed (lease run out) or was released, and forgets keys after their window', async () => {
    const { desk, clock } = setup();
    const first = await desk.claimRequestKey({ key: 'k', scope: 's', fingerprint: 'f', leaseMs: 1000, ttlMs: 60_000 });
    await clock.advance(1001);
    const second = await desk.claimRequestKey({ key: 'k', scope: 's', fingerprint: 'f' });
    expect(second.state).toBe('claimed');
    if (second.state !== 'claimed' || first.state !== 'claimed') throw new Error('unreachable');
    await desk.releaseRequest(second.record.id);
    expect((await desk.claimRequestKey({ key: 'k', scope: 's', fingerprint: 'f' })).state).toBe('claimed');
    await clock.advance(60_000);
    expect((await desk.claimRequestKey({ key: 'k', scope: 's', fingerprint: 'other' })).state).toBe('claimed');
  });

  it('hands one claim to one of two racing requests', async () => {
    const { desk } = setup();
    const states = await Promise.all([1, 2, 3].map(() => desk.claimRequestKey({ key: 'race', scope: 's', fingerprint: 'f' })));
    expect(states.map((s) => s.state).sort()).toEqual(['claimed', 'running', 'running']);
  });

  it('refuses bad keys and settling twice with typed errors', async () => {
    const { desk } = setup();
    await expect(desk.claimRequestKey({ key: 'has space', scope: 's', fingerprint: 'f' })).rejects.toBeInstanceOf(ValidationError);
    const claim = await desk.claimRequestKey({ key: 'k', scope: 's', fingerprint: 'f' });
    if (claim.state !== 'claimed') throw new Error('unreachable');
    await desk.completeRequest(claim.record.id, response);
    await expect(desk.completeRequest(claim.record.id, response)).rejects.toBeInstanceOf(ConflictError);
    await expect(desk.completeRequest(claim.record.id, { status: 9, headers: {}, body: '' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('pruning expired idempotency keys', () => {
  it('removes the records of expired keys only, and a pruned key can be used again', async () => {
    const { desk, clock, storage } = setup();
    for (const key of ['a', 'b', 'c']) {
      const claim = await desk.claimRequestKey({ key, scope: 's', fingerprint: 'f', ttlMs: 60_000 });
      if (claim.state === 'claimed') await desk.completeRequest(claim.record.id, response);
    }
    await clock.advance(30_000);
    await desk.claimRequestKey({ key: 'd', scope: 's', fingerprint: 'f', ttlMs: 3_600_000 });
    expect(await desk.pruneRequests()).toBe(0);
    await clock.advance(31_000);
    expect(await desk.pruneRequests({ limit: 2 })).toBe(2);
    expect(await desk.pruneRequests()).toBe(1);
    expect((await storage.list('request', {})).items.map((r) => r.key)).toEqual(['d']);
    expect((await desk.claimRequestKey({ key: 'a', scope: 's', fingerprint: 'other' })).state).toBe('claimed');
    await expect(desk.pruneRequests({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('prunes on its own schedule with the pruneRequests option, and refuses a bad one', async () => {
    const clock = createManualClock('2026-04-01T09:00:00Z');
    const storage = createMemoryStorage();
    const desk = createServiceDesk({ storage, clock, pruneRequests: { every: 'PT1H' } });
    const claim = await desk.claimRequestKey({ key: 'a', scope: 's', fingerprint: 'f', ttlMs: 60_000 });
    if (claim.state === 'claimed') await desk.completeRequest(claim.record.id, response);
    await clock.advance('PT30M');
    expect((await storage.list('request', {})).items).toHaveLength(1);
    // The hourly run after the key's window ended removes it.
    await clock.advance('PT31M');
    expect((await storage.list('request', {})).items).toEqual([]);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), pruneRequests: { every: 'PT1S' } })).toThrow(/pruneRequests.every/);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), pruneRequests: { limit: 0 } })).toThrow(/pruneRequests/);
  });
});
