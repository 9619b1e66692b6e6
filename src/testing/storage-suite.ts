import { afterEach, beforeEach, describe, it } from 'vitest';
import type { StoragePort } from '../ports/storage.js';
import { MORE_CONFORMANCE_TESTS, moreConformanceTests } from './storage-suite-more.js';
import { writeTests, atomicityTests, keyAndHistoryTests } from './storage-suite-records.js';
import { listingTests, eventRequestTests } from './storage-suite-lists.js';
import { recordKindTests, deskTests } from './storage-suite-kinds.js';

/** The names of the storage conformance tests, for `skip`. */
export const STORAGE_CONFORMANCE_TESTS = [
  'returns null for unknown ids',
  'reads back what was written, as copies',
  'reads back any JSON value exactly, even one that looks like an encoding',
  'updates with the expected version',
  'rejects a stale version and writes nothing',
  'fails a commit whose checked records changed, and writes nothing',
  'rejects creating a record that exists',
  'commits a unit of work atomically',
  'concurrent writers: exactly one wins',
  'keeps source ids unique among tickets',
  'keeps lookup keys unique, claimed and released with the unit of work',
  'appends interactions and audit entries in order',
  'pages through tickets exactly once in both orders',
  'filters tickets',
  'pages and filters customers',
  'lists agents and teams (by creation time, then id), agents by whether they are active',
  "reads a ticket's history in pieces: from an entry on, at most so many",
  'keeps events filed for publishing, listed by status',
  'keeps idempotency requests with their stored response, listed by status, versioned',
  'removes records at their version, and a stale removal writes nothing',
  'keeps follow-ups versioned, filtered and paged',
  'keeps surveys versioned and filtered',
  'keeps the outbox versioned, filtered and paged',
  'keeps offers versioned and filtered',
  'keeps articles versioned and filtered',
  'desk: opening is idempotent on source id',
  'desk: a command that fails midway leaves nothing behind',
  ...MORE_CONFORMANCE_TESTS,
] as const;

/** The name of one storage conformance test. */
export type StorageConformanceTest = (typeof STORAGE_CONFORMANCE_TESTS)[number];

/** Options of {@link defineStorageConformanceSuite}. */
export interface StorageConformanceOptions {
  /** The suite's title (default `storage conformance`). */
  readonly name?: string;
  /** A fresh, empty storage for every test. */
  readonly create: () => StoragePort | Promise<StoragePort>;
  /** Called after every test with the storage it used (close connections, drop schemas). */
  readonly destroy?: (storage: StoragePort) => void | Promise<void>;
  /** Tests this adapter opts out of, each with the reason. */
  readonly skip?: Partial<Record<StorageConformanceTest, string>>;
}

/**
 * Define the conformance tests every storage adapter must pass, in the calling vitest file.
 *
 * @example
 * ```ts
 * import { defineStorageConformanceSuite } from 'omotenashi/testing';
 * defineStorageConformanceSuite({ create: () => createMemoryStorage() });
 * ```
 */
export function defineStorageConformanceSuite(options: StorageConformanceOptions): void {
  describe(options.name ?? 'storage conformance', () => {
    let storage: StoragePort;
    beforeEach(async () => {
      storage = await options.create();
    });
    afterEach(async () => {
      await options.destroy?.(storage);
    });
    const test = (name: StorageConformanceTest, fn: () => Promise<void>): void => {
      const reason = options.skip?.[name];
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    };
    moreConformanceTests(() => storage, test);
    writeTests(() => storage, test);
    atomicityTests(() => storage, test);
    keyAndHistoryTests(() => storage, test);
    listingTests(() => storage, test);
    eventRequestTests(() => storage, test);
    recordKindTests(() => storage, test);
    deskTests(() => storage, test);
  });
}
