// Scores reply trimming on the labelled replies in tests/fixtures/replies/corpus.ts: exact matches
// and line precision and recall on the held-out part (what the test run enforces);
// `-- --part dev --mistakes` shows the development part's misses, for tuning.
import { trimReply } from '../src/inbound/email/trim.js';
import { DEVELOPMENT_REPLIES, HELD_OUT_REPLIES, scoreTrimming } from '../tests/fixtures/replies/corpus.js';

const args = process.argv.slice(2);
const dev = args.includes('--part') && args[args.indexOf('--part') + 1] === 'dev';
const cases = dev ? DEVELOPMENT_REPLIES : HELD_OUT_REPLIES;
const s = scoreTrimming(cases, trimReply);
const mailers = new Set(cases.map((c) => c.mailer)).size;
console.log(`reply trimming, ${dev ? 'development' : 'held-out'} part: ${cases.length} replies from ${mailers} mailers`);
console.log(`exact ${s.exact.toFixed(2)}  line precision ${s.precision.toFixed(2)}  line recall ${s.recall.toFixed(2)}`);
if (dev && args.includes('--mistakes')) for (const m of s.misses) console.log(`  ${m.id}: ${JSON.stringify(m.got)}`);
