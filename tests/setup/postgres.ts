import type { TestProject } from 'vitest/node';
import { PG_BIN, postgresInstalled, startThrowawayPostgres } from '../../scripts/throwaway-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway PostgreSQL cluster's URL, or '' when none could be started (tests then skip, unless REQUIRE_POSTGRES=1). */
    postgresUrl: string;
  }
}

/** Start a throwaway PostgreSQL cluster for the whole test run, and stop it afterwards. */
export default async function setup(project: TestProject): Promise<() => void> {
  const required = process.env['REQUIRE_POSTGRES'] === '1';
  if (!postgresInstalled()) {
    if (required) throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${PG_BIN}/initdb is missing: install postgresql-15 or set PG_BIN`);
    project.provide('postgresUrl', '');
    return () => undefined;
  }
  try {
    const cluster = await startThrowawayPostgres();
    project.provide('postgresUrl', cluster.url);
    return () => cluster.stop();
  } catch (error) {
    if (required) throw error;
    project.provide('postgresUrl', '');
    return () => undefined;
  }
}
