import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every TypeScript snippet in the README and docs/ is type-checked against the sources, as a
 * module of its own. Names a snippet uses without defining (the `desk` of the surrounding text)
 * come from tests/docs/snippet-globals.d.ts, typed as the docs mean them; anything else that does
 * not compile fails the test with the file and line of the snippet.
 */
const root = new URL('../../', import.meta.url).pathname;
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const file of docs) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```ts\s*$/.test(lines[i] as string)) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
      out.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
      i = end;
    }
  }
  return out;
}

function check(all: ReadonlyArray<Snippet>): Map<Snippet, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const names = new Map<string, Snippet>();
  const texts = new Map<string, string>();
  all.forEach((s, i) => {
    const name = join(root, 'tests/docs/.snippets', `${s.file.replace(/[/.]/g, '_')}_${i}.ts`);
    names.set(name, s);
    texts.set(name, `${s.code}\nexport {};\n`);
  });
  const globals = join(root, 'tests/docs/snippet-globals.d.ts');
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => texts.get(f) ?? read(f);
  host.fileExists = (f) => texts.has(f) || exists(f);
  const program = ts.createProgram({ rootNames: [...names.keys(), globals], options: { ...config.options, noUnusedLocals: false }, host });
  const errors = new Map<Snippet, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const s = d.file === undefined ? undefined : names.get(d.file.fileName);
    if (s === undefined) {
      if (d.file?.fileName === globals) throw new Error(`snippet-globals.d.ts: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      continue;
    }
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
    errors.set(s, [...(errors.get(s) ?? []), `${s.file}:${s.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`]);
  }
  return errors;
}

describe('the TypeScript snippets of the README and docs/', () => {
  const all = snippets();
  it('are all found', () => {
    expect(all.length).toBeGreaterThanOrEqual(35);
  });
  it('all compile against the sources', () => {
    const errors = check(all);
    expect([...errors.values()].flat()).toEqual([]);
  }, 120_000);
});
