import { defineConfig } from 'tsup';

/** One public entry point per subpath; keep in step with package.json exports and typedoc.json. */
export const entries = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
  webhook: 'src/adapters/webhook/index.ts',
  smtp: 'src/adapters/smtp/index.ts',
  email: 'src/inbound/email/index.ts',
  http: 'src/http/index.ts',
  'attachments-fs': 'src/adapters/attachments-fs/index.ts',
  sqlite: 'src/adapters/sqlite/index.ts',
  postgres: 'src/adapters/postgres/index.ts',
  'postgres-scheduler': 'src/adapters/postgres-scheduler/index.ts',
} as const;

/** Where each entry's ES module lands: the ESM build keeps one file per source module. */
export const esmPath = (name: keyof typeof entries): string => `./dist/esm/${entries[name].replace(/^src\//, '').replace(/\.ts$/, '.js')}`;

const common = { target: 'es2022', platform: 'neutral', sourcemap: true } as const;

export default defineConfig([
  // ES modules, one file per source module, so a bundler keeps only the modules an import reaches
  // (importing the webhook verifier does not pull in zod or the desk).
  { ...common, entry: ['src/**/*.ts'], outDir: 'dist/esm', format: ['esm'], bundle: false, dts: false },
  // CommonJS, one bundle per entry, with its type declarations (.d.cts).
  { ...common, entry: entries, outDir: 'dist', format: ['cjs'], dts: true, splitting: true, treeshake: true },
  // The type declarations of the ES modules (.d.ts), one bundle per entry.
  { ...common, entry: entries, outDir: 'dist', format: ['esm'], dts: { only: true } },
]);
