import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceDesk } from 'omotenashi';
import { DESK_METHODS, attempt, fuzzWorld, pathsOf, replaceAt, stillReadable, validCalls, type Seed } from './world.js';

// Every desk command and query, given arbitrary JSON (and near-valid input built from the words
// the desk's inputs use), either succeeds or throws an OmotenashiError; a call that fails commits
// nothing and emits no event; and whatever was accepted stays readable. FUZZ_RUNS per method
// (default 25; CI's longer run sets more).
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 25);

const KEYS = [
  'kind', 'displayName', 'name', 'department', 'subject', 'body', 'channel', 'author', 'requesterId', 'assigneeId', 'teamId', 'agentId',
  'customerId', 'ticketId', 'summary', 'reason', 'note', 'by', 'expectedVersion', 'tags', 'tag', 'text', 'title', 'locale', 'helpful',
  'template', 'data', 'urgent', 'key', 'priority', 'type', 'status', 'consent', 'to', 'waitingOn', 'limit', 'cursor', 'order', 'id',
  'orderId', 'items', 'sku', 'answer', 'score', 'customFields', 'metadata', 'sourceId', 'setStatus', 'flag', 'severity', 'languages',
  'skills', 'active', 'window', 'minCount', 'similarity', 'record', 'product', 'sla', 'policies', 'contacts', 'purchases', 'addressing',
];
const WORDS = ['x'.repeat(201), 'y'.repeat(501), 'z'.repeat(10_001), 'open', 'pending_customer', 'resolved', 'email', 'chat', 'phone', 'external', 'internal', 'customer', 'agent', 'system', 'high', 'urgent', 'normal', 'accepted', 'granted', 'declined', 'duplicate', 'spam', '(a+)+$', 'https://x.example', 'P1D', 'PT1H', 'en', 'ja'];

const seedValue = (seed: Seed) => fc.constantFrom<unknown>(seed.customerId, seed.agentId, seed.teamId, seed.ticketId, seed.resolvedId, seed.articleId, seed.notificationId);
const json = fc.jsonValue({ maxDepth: 3 });

function values(seed: Seed): fc.Arbitrary<unknown> {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      json,
      seedValue(seed),
      fc.constantFrom<unknown>(...WORDS, undefined, null, true, false, 0, -1, 1.5, 1e21, '', ' '),
      fc.date({ min: new Date('1960-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
      fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.record({ kind: fc.constantFrom('customer', 'agent', 'system'), id: fc.oneof(seedValue(seed), fc.string()) }),
    ),
  }));
  return value;
}

const tally = { tried: 0, ok: 0, typed: 0, untyped: 0, changedAfterFailure: 0 };
const untypedSamples: string[] = [];
afterAll(() => {
  for (const s of untypedSamples) console.log('untyped:', s);
  console.log(`desk fuzz: ${tally.tried} calls, ${tally.ok} succeeded, ${tally.typed} typed errors, ${tally.untyped} untyped, ${tally.changedAfterFailure} failed calls that changed state`);
});

/** Arguments for one call: arbitrary values, or a valid call with one field bent, removed or kept. */
function argumentsFor(method: string, arity: number, seed: Seed): fc.Arbitrary<unknown[]> {
  const random = fc.array(values(seed), { minLength: 0, maxLength: arity });
  const valid = validCalls(seed)[method as keyof typeof validCalls] as ReadonlyArray<unknown> | undefined;
  if (valid === undefined) return random;
  const paths = pathsOf([...valid]).filter((p) => p.length > 0);
  const bent = fc.tuple(fc.constantFrom(...paths), values(seed), fc.constantFrom('replace', 'remove', 'keep')).map(([path, value, how]) => (how === 'keep' ? [...valid] : (replaceAt([...valid], path, value, how === 'remove') as unknown[])));
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 3, arbitrary: bent });
}

describe('desk fuzz: arbitrary JSON into every command and query', () => {
  it.each(DESK_METHODS)('%s: succeeds or throws an OmotenashiError, and a failure changes nothing', async (method, arity) => {
    const world = await fuzzWorld();
    const args = argumentsFor(method, arity, world.seed);
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const before = world.counters();
        const run = (world.desk[method] as (...a: unknown[]) => unknown).bind(world.desk);
        const r = await attempt(() => run(...input));
        tally.tried++;
        tally[r.outcome]++;
        if (r.outcome === 'untyped' && untypedSamples.length < 20) untypedSamples.push(`${method}(${JSON.stringify(input)?.slice(0, 200)}): ${String(r.error)}`);
        if (r.outcome !== 'ok') {
          const after = world.counters();
          if (after.commits !== before.commits || after.events !== before.events) tally.changedAfterFailure++;
          expect(after).toEqual(before);
        }
        expect(r.outcome === 'untyped' ? String((r as { error: unknown }).error) : 'typed or ok').toBe('typed or ok');
      }),
      { numRuns: RUNS, seed: Number(process.env['FUZZ_SEED'] ?? 20261201) },
    );
    await stillReadable(world.desk as ServiceDesk);
  });
});
