import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('README', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the quick start exactly as examples/quick-start/main.ts, which compiles (npm test typechecks it) and runs', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- quick-start:[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const file = readFileSync(new URL('../../examples/quick-start/main.ts', import.meta.url), 'utf8');
    expect(block).toBe(file);
    expect(file.split('\n').length).toBeLessThanOrEqual(30);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    await import('../../examples/quick-start/main.js');
    expect(lines).toEqual([
      'Router keeps dropping Wi-Fi: new → open',
      'Router keeps dropping Wi-Fi: open → resolved',
      'Router keeps dropping Wi-Fi: resolved → closed',
      'auto_closed',
    ]);
  });

  it('shows the CommonJS quick start exactly as examples/quick-start/main.cjs', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- quick-start-cjs:[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(new URL('../../examples/quick-start/main.cjs', import.meta.url), 'utf8'));
  });

  it('shows the two set-up commands: the demo and the tests', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
});
