// Every pending changeset parses, names this package with a valid bump, says something, and is
// written as the state a user gets (no interim wording); then `changeset version` is run on a copy
// of the package to show the CHANGELOG entry it would write. Run in CI.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import readChangesets from '@changesets/read';

const root = new URL('..', import.meta.url).pathname;
const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
const changesets = await (readChangesets.default ?? readChangesets)(root);
const problems = [];
const INTERIM = /\b(?:not yet|yet to|for now|TODO|FIXME|WIP|the next (?:issue|session)|will (?:come|follow) later)\b/i;
for (const c of changesets) {
  if (c.releases.length === 0) problems.push(`${c.id}: names no package`);
  for (const r of c.releases) {
    if (r.name !== name) problems.push(`${c.id}: names "${r.name}", not "${name}"`);
    if (!['major', 'minor', 'patch'].includes(r.type)) problems.push(`${c.id}: bump "${r.type}" is not major, minor or patch`);
  }
  if (c.summary.trim().length < 20) problems.push(`${c.id}: the summary is too short to tell a user anything`);
  if (INTERIM.test(c.summary)) problems.push(`${c.id}: describes an interim state ("${INTERIM.exec(c.summary)?.[0]}"); write what a user gets`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
// What `changeset version` would write, on a throwaway copy.
const dir = mkdtempSync(join(tmpdir(), 'omotenashi-changesets-'));
try {
  cpSync(join(root, '.changeset'), join(dir, '.changeset'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version, private: false }, null, 2));
  execFileSync(join(root, 'node_modules/.bin/changeset'), ['version'], { cwd: dir, stdio: 'pipe' });
  const log = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  console.log(`${changesets.length} changesets parse; changeset version would release ${name}@${version} with a CHANGELOG of ${log.split('\n').length} lines`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
