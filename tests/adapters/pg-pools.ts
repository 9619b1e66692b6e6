import pg from 'pg';
import { afterAll, inject } from 'vitest';

/**
 * Pools on the throwaway cluster of the global setup, ended after the file's tests. `available`
 * is false when no cluster could be started (the tests then skip; CI requires one).
 */
export function pgPools(): { url: string; available: boolean; pool: (max?: number) => pg.Pool } {
  const url = inject('postgresUrl');
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });
  return {
    url,
    available: url !== '',
    pool: (max = 5) => {
      const p = new pg.Pool({ connectionString: url, max });
      // A connection that breaks while idle must not crash the test run.
      p.on('error', () => undefined);
      p.on('connect', (client) => client.on('error', () => undefined));
      pools.push(p);
      return p;
    },
  };
}
