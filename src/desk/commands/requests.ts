import * as z from 'zod';
import { ConflictError, NotFoundError } from '../../errors.js';
import { sha256Hex } from '../../internal/digest.js';
import { RequestClaimInputSchema, StoredResponseSchema, type RequestClaim, type RequestRecord, type StoredResponse } from '../../domain/request.js';
import { outcomeOf, type Kernel } from '../runtime.js';
import { PruneOptionsSchema, parse } from '../schemas.js';
import type { ServiceDesk } from '../service-desk.js';

/** The record id of one caller's idempotency key. */
export const requestRecordId = async (scope: string, key: string): Promise<string> => `req_${(await sha256Hex(`${scope}\n${key}`)).slice(0, 40)}`;

/**
 * Idempotency keys kept in the desk's storage: a transport (the HTTP API, a queue consumer)
 * claims a caller's key before running a request and stores the response after, so a retry of
 * the same request gets the first response back, in this process or any other sharing the storage.
 */
export function requestCommands(k: Kernel): Pick<ServiceDesk, 'claimRequestKey' | 'completeRequest' | 'releaseRequest' | 'pruneRequests'> {
  const idSchema = z.string().min(1).max(200);
  async function settle(id: string, what: 'complete' | 'release', response: StoredResponse | undefined): Promise<RequestRecord> {
    return k.run(async (read) => {
      const current = await read.get('request', id);
      if (current === null) throw new NotFoundError('request', id, 'claim the key with claimRequestKey first');
      if (current.status !== 'running') throw new ConflictError({ entity: 'request', id, kind: 'version', expectedVersion: null, actualVersion: current.version, message: `The request "${id}" is already ${current.status}: complete or release a key once, after claiming it.` });
      const now = k.now();
      const saved: RequestRecord =
        what === 'complete' && response !== undefined
          ? { ...current, version: current.version + 1, status: 'done', response, updatedAt: now }
          : { ...current, version: current.version + 1, status: 'released', lockedUntil: now, updatedAt: now };
      return outcomeOf(saved, { puts: [{ kind: 'request', record: saved, expectedVersion: current.version }], events: [], effects: [] });
    }, false);
  }
  return {
    async claimRequestKey(input) {
      const data = parse(RequestClaimInputSchema, input, 'claimRequestKey input');
      const id = await requestRecordId(data.scope, data.key);
      return k.run<RequestClaim>(async (read) => {
        const now = k.now();
        const current = await read.get('request', id);
        const live = current !== null && current.expiresAt.getTime() > now.getTime();
        if (current !== null && live) {
          if (current.fingerprint !== data.fingerprint) return outcomeOf({ state: 'mismatch', record: current });
          if (current.status === 'done' && current.response !== undefined) return outcomeOf({ state: 'replay', record: current, response: current.response });
          if (current.status === 'running' && current.lockedUntil.getTime() > now.getTime()) return outcomeOf({ state: 'running', record: current });
        }
        const record: RequestRecord = {
          id,
          version: current === null ? 1 : current.version + 1,
          key: data.key,
          scope: data.scope,
          fingerprint: data.fingerprint,
          status: 'running',
          lockedUntil: new Date(now.getTime() + data.leaseMs),
          expiresAt: live && current !== null ? current.expiresAt : new Date(now.getTime() + data.ttlMs),
          createdAt: live && current !== null ? current.createdAt : now,
          updatedAt: now,
        };
        return outcomeOf<RequestClaim>({ state: 'claimed', record }, { puts: [{ kind: 'request', record, expectedVersion: current?.version ?? null }], events: [], effects: [] });
      }, true);
    },
    completeRequest: async (id, response) => settle(parse(idSchema, id, 'completeRequest id'), 'complete', parse(StoredResponseSchema, response, 'completeRequest response')),
    releaseRequest: async (id) => settle(parse(idSchema, id, 'releaseRequest id'), 'release', undefined),
    async pruneRequests(options) {
      const { limit } = parse(PruneOptionsSchema, options ?? {}, 'pruneRequests options');
      let removed = 0;
      // Removed records leave the listing, so each round reads the first page again.
      while (removed < limit) {
        const page = await k.storage.list('request', { expiredBefore: k.now(), limit: Math.min(200, limit - removed) });
        if (page.items.length === 0) break;
        const deletes = page.items.map((r) => ({ kind: 'request' as const, id: r.id, version: r.version }));
        try {
          await k.storage.commit({ puts: [], interactions: [], audit: [], deletes });
        } catch (error) {
          // A key taken over meanwhile (claimed again) keeps its record: the next round skips it.
          if (error instanceof ConflictError) {
            removed += await pruneOneByOne(deletes);
            break;
          }
          throw error;
        }
        removed += deletes.length;
      }
      return removed;
    },
  };

  /** Remove what is still expired, one record a commit, after a batch lost a race. */
  async function pruneOneByOne(deletes: ReadonlyArray<{ kind: 'request'; id: string; version: number }>): Promise<number> {
    let n = 0;
    for (const d of deletes) {
      try {
        await k.storage.commit({ puts: [], interactions: [], audit: [], deletes: [d] });
        n++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return n;
  }
}
