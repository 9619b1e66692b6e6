import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entries, esmPath } from '../tsup.config.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  engines: { node: string };
  sideEffects: boolean;
  type: string;
};
const typedoc = JSON.parse(readFileSync(new URL('../typedoc.json', import.meta.url), 'utf8')) as { entryPoints: string[] };

describe('package layout', () => {
  it('keeps the exports map, the tsup entries and the typedoc entry points in step', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    const fromExports = subpaths.map((k) => (k === '.' ? 'index' : k.slice(2))).sort();
    expect(Object.keys(entries).sort()).toEqual(fromExports);
    expect([...typedoc.entryPoints].sort()).toEqual(Object.values(entries).sort());
    for (const [subpath, name] of subpaths.map((k) => [k, k === '.' ? 'index' : k.slice(2)] as const)) {
      expect(pkg.exports[subpath]).toEqual({
        import: { types: `./dist/${name}.d.ts`, default: esmPath(name as keyof typeof entries) },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      });
    }
    expect(pkg.exports['./package.json']).toBe('./package.json');
  });

  it('depends at run time on zod, eventemitter3 and ts-pattern only', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['eventemitter3', 'ts-pattern', 'zod']);
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.type).toBe('module');
  });

  it('keeps the core free of node: imports, wall-clock reads and `export *`', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = new URL('../src', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // The file-system attachment store is Node-only by design, behind its own subpath.
      if (!file.includes('/adapters/attachments-fs/')) expect(text, file).not.toMatch(/from ['"]node:/);
      expect(text, file).not.toMatch(/export \* from/);
      // Only the system clock may read the wall clock.
      if (!file.endsWith('adapters/memory/clock.ts')) expect(text, file).not.toMatch(/Date\.now\(\)|new Date\(\)/);
    }
  });

  it('imports each optional peer only behind its own subpath', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const root = new URL('../src', import.meta.url).pathname;
    const where: Record<string, string[]> = {};
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/from '((?:@[\w-]+\/)?[\w.-]+)(?:\/[\w/-]+)?'/g)) (where[m[1] as string] ??= []).push(relative(root, p).split('/').slice(0, 2).join('/'));
        }
      }
    };
    walk(root);
    const dirs = (peer: string) => [...new Set(where[peer] ?? [])].sort();
    expect(dirs('hono')).toEqual(['http/api.ts']);
    expect(dirs('pg')).toEqual(['adapters/postgres', 'adapters/postgres-scheduler']);
    expect(dirs('better-sqlite3')).toEqual(['adapters/sqlite']);
    expect(dirs('nodemailer')).toEqual(['adapters/smtp']);
    expect(dirs('postal-mime')).toEqual(['inbound/email']);
    expect(dirs('graphile-worker')).toEqual(['adapters/postgres-scheduler']);
  });
});
