/**
 * examples/http-api: `npm run example:http`. Serves a desk's HTTP API on 127.0.0.1 (port from
 * PORT, default 3000), prints the demo callers' bearer tokens, drives the API once with fetch as a
 * customer and an agent would, and keeps serving (Ctrl-C stops it; `-- --once` stops after the drive).
 */
import { drive } from './drive.js';
import { startServer } from './server.js';

const once = process.argv.includes('--once');
const s = await startServer(Number(process.env['PORT'] ?? 3000));
console.log(`omotenashi HTTP API on ${s.url} — the document: ${s.url}/openapi.json\n`);
for (const p of s.people) console.log(`  ${p.role.padEnd(8)} ${p.name.padEnd(14)} Authorization: Bearer ${p.token}`);
console.log('');
const r = await drive(s.url, s.token, (line) => console.log(`• ${line}`));
const expected = [201, 201, 404, 412, 200];
if (r.statuses.join() !== expected.join()) {
  console.error(`unexpected statuses ${r.statuses.join()} (expected ${expected.join()})`);
  process.exitCode = 1;
}
if (once) await s.close();
else console.log(`\nStill serving on ${s.url}; try: curl -H 'Authorization: Bearer ${s.people[0]?.token}' ${s.url}/tickets`);
