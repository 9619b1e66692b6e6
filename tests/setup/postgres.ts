import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway PostgreSQL cluster's URL, or '' when none could be started (tests then skip, unless REQUIRE_POSTGRES=1). */
    postgresUrl: string;
  }
}

const BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

/**
 * Start a throwaway PostgreSQL cluster on 127.0.0.1 in a temporary directory for the whole test
 * run, and stop it afterwards. initdb refuses to run as root, so as root it runs as `postgres`.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const required = process.env['REQUIRE_POSTGRES'] === '1';
  if (!existsSync(join(BIN, 'initdb'))) {
    if (required) throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${BIN}/initdb is missing: install postgresql-15 or set PG_BIN`);
    project.provide('postgresUrl', '');
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'omotenashi-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): void => {
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { stdio: 'pipe' });
    else execFileSync(join(BIN, cmd), args, { stdio: 'pipe' });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, uid, gid);
    }
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`, 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if (required) throw new Error(`could not start a throwaway PostgreSQL cluster: ${String((error as { stderr?: unknown }).stderr ?? error)}`);
    project.provide('postgresUrl', '');
    return () => undefined;
  }
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
