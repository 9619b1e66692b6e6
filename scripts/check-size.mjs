// What a user's bundle carries for an import, minified and gzipped (esbuild, as a bundler would
// build it from the published ES modules), against budgets. Run after `npm run build`.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const budgets = [
  // The desk's kernel, its command modules and zod. Each feature's code (SLA, escalation, follow-ups,
  // routing, suggestions, the knowledge base's text engines, the signal detector) comes with its
  // definer (defineSlaConfig, defineEscalationRules, ..., createSignalDetector), so a desk built
  // without a feature does not carry it: this is the desk a user starts from.
  { name: 'createServiceDesk + createMemoryStorage', code: "import { createServiceDesk, createMemoryStorage } from 'omotenashi'; console.log(createServiceDesk, createMemoryStorage);", kb: 90 },
  // The same desk with every feature's definer imported: what all of them add together (it was 146 KB
  // before the features came with their definers, when every desk carried them).
  { name: 'createServiceDesk with every feature', code: "import * as o from 'omotenashi'; console.log(o.createServiceDesk, o.createMemoryStorage, o.defineSlaConfig, o.defineEscalationRules, o.defineAgentLimits, o.defineEscalationLadders, o.defineFollowUps, o.defineRouting, o.defineCatalog, o.defineKnowledgeBase, o.createSignalDetector);", kb: 155 },
  { name: 'createBusinessCalendar alone', code: "import { createBusinessCalendar } from 'omotenashi'; console.log(createBusinessCalendar);", kb: 15 },
  { name: 'verifyWebhookSignature alone', code: "import { verifyWebhookSignature } from 'omotenashi/webhook'; console.log(verifyWebhookSignature);", kb: 10 },
  // The e-mail intake without the desk (the application passes its own): the parser (postal-mime) and the intake.
  { name: 'createEmailIntake alone', code: "import { createEmailIntake } from 'omotenashi/email'; console.log(createEmailIntake);", kb: 40 },
  // The HTTP API without the desk (the application passes its own): Hono's router and CORS, the routes, the schemas and zod.
  { name: 'createHttpApi alone', code: "import { createHttpApi } from 'omotenashi/http'; console.log(createHttpApi);", kb: 65 },
  { name: 'compileCondition alone', code: "import { compileCondition } from 'omotenashi'; console.log(compileCondition);", kb: 40 },
];

let failed = 0;
for (const b of budgets) {
  const out = await build({
    stdin: { contents: b.code, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'error',
  });
  const bytes = out.outputFiles[0].contents;
  const gz = gzipSync(bytes, { level: 9 }).length / 1024;
  const ok = gz <= b.kb;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${b.name}: ${(bytes.length / 1024).toFixed(1)} KB minified, ${gz.toFixed(1)} KB gzip (budget ${b.kb} KB)`);
}
if (failed > 0) {
  console.error(`${failed} import(s) over budget`);
  process.exit(1);
}
