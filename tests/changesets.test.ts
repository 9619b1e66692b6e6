import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `changeset version` turns these into the CHANGELOG: each must parse, name this package with a
// bump, and say something a user can read.
const dir = new URL('../.changeset/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');

describe('changesets', () => {
  it.each(files)('%s parses: front matter naming omotenashi with patch, minor or major, then a summary', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    expect(m, 'front matter between --- lines').not.toBeNull();
    const [, front = '', body = ''] = m as RegExpExecArray;
    const entries = front.split('\n').filter((l) => l.trim() !== '');
    expect(entries.length).toBeGreaterThan(0);
    for (const line of entries) expect(line).toMatch(/^["']omotenashi["']: (patch|minor|major)$/);
    expect(body.trim().length).toBeGreaterThan(40);
    expect(body).not.toMatch(/\b(not yet|does not run them yet|TODO)\b/i);
  });
});
