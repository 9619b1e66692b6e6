import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^omotenashi\/webhook$/, replacement: fileURLToPath(new URL('./src/adapters/webhook/index.ts', import.meta.url)) },
      { find: /^omotenashi\/http$/, replacement: fileURLToPath(new URL('./src/http/index.ts', import.meta.url)) },
      { find: /^omotenashi\/email$/, replacement: fileURLToPath(new URL('./src/inbound/email/index.ts', import.meta.url)) },
      { find: /^omotenashi\/attachments-fs$/, replacement: fileURLToPath(new URL('./src/adapters/attachments-fs/index.ts', import.meta.url)) },
      { find: /^omotenashi\/postgres-scheduler$/, replacement: fileURLToPath(new URL('./src/adapters/postgres-scheduler/index.ts', import.meta.url)) },
      { find: /^omotenashi\/postgres$/, replacement: fileURLToPath(new URL('./src/adapters/postgres/index.ts', import.meta.url)) },
      { find: /^omotenashi\/sqlite$/, replacement: fileURLToPath(new URL('./src/adapters/sqlite/index.ts', import.meta.url)) },
      { find: /^omotenashi\/smtp$/, replacement: fileURLToPath(new URL('./src/adapters/smtp/index.ts', import.meta.url)) },
      { find: /^omotenashi\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^omotenashi$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/postgres.ts'],
    benchmark: { include: ['tests/bench/**/*.bench.ts'] },
    environment: 'node',
  },
});
