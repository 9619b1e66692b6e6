import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of the design, as folders of src/: domain ← engines ← desk → ports ← adapters, and
 * inbound (what drives a desk from outside) on top of the desk's public interface.
 * `base` is shared by everyone (the domain schemas, errors, the event map, small internals).
 */
const LAYERS: Record<string, ReadonlyArray<string>> = {
  base: ['domain', 'errors.ts', 'events.ts', 'internal'],
  engine: ['calendar', 'sla', 'rules', 'escalation', 'signals', 'followup', 'suggestions', 'metrics', 'knowledge', 'lifecycle', 'notify', 'report', 'routing', 'fields', 'privacy'],
  ports: ['ports'],
  desk: ['desk'],
  adapters: ['adapters'],
  // What drives a desk from outside (the e-mail intake): it calls the desk's public interface.
  inbound: ['inbound'],
  // The HTTP API: also drives the desk through its public interface, whose types come from the engines.
  http: ['http'],
  // The composition root, the public barrels and the test kit may use everything.
  root: ['index.ts', 'compose.ts', 'testing'],
};
const MAY_IMPORT: Record<string, ReadonlyArray<string>> = {
  base: ['base'],
  engine: ['base', 'engine'],
  ports: ['base', 'ports'],
  desk: ['base', 'engine', 'ports', 'desk'],
  adapters: ['base', 'ports', 'adapters'],
  inbound: ['base', 'ports', 'desk', 'adapters', 'inbound'],
  http: ['base', 'engine', 'ports', 'desk', 'adapters', 'http'],
  root: ['base', 'engine', 'ports', 'desk', 'adapters', 'inbound', 'root'],
};

const src = resolve(new URL('../src', import.meta.url).pathname);
const layerOf = (file: string): string => {
  const top = relative(src, file).split('/')[0] as string;
  const found = Object.entries(LAYERS).find(([, tops]) => tops.includes(top));
  if (found === undefined) throw new Error(`src/${top} belongs to no layer: add it to LAYERS in tests/layers.test.ts`);
  return found[0];
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every relative import of a source file, resolved to a file under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => m[1] as string);
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

describe('layers', () => {
  it('no import crosses the layers the wrong way (domain ← engines ← desk → ports ← adapters)', () => {
    const wrong: string[] = [];
    for (const file of walk(src)) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (!(MAY_IMPORT[from] ?? []).includes(to)) wrong.push(`${relative(src, file)} (${from}) → ${relative(src, target)} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sees the imports it checks (a broken matcher would pass everything)', () => {
    const desk = join(src, 'desk', 'desk.ts');
    expect(importsOf(desk).map((f) => relative(src, f))).toContain('desk/runtime.ts');
    expect(layerOf(join(src, 'adapters', 'memory', 'storage.ts'))).toBe('adapters');
    expect(MAY_IMPORT['desk']).not.toContain('adapters');
  });

  it('keeps files under 600 lines', () => {
    const big = walk(src)
      .map((f) => [relative(src, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 600);
    expect(big).toEqual([]);
  });

  it('keeps functions under 100 lines', () => {
    const long: string[] = [];
    for (const file of walk(src)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
          const from = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
          const to = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (to - from + 1 > 100) long.push(`${relative(src, file)}:${from + 1} (${to - from + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});
