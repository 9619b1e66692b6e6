import { defineConfig } from 'tsup';

/** One bundle per public entry point; keep in step with package.json exports and typedoc.json. */
export const entries = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
  webhook: 'src/adapters/webhook/index.ts',
  smtp: 'src/adapters/smtp/index.ts',
  sqlite: 'src/adapters/sqlite/index.ts',
  postgres: 'src/adapters/postgres/index.ts',
  'postgres-scheduler': 'src/adapters/postgres-scheduler/index.ts',
} as const;

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
});
