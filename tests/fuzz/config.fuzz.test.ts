import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as omotenashi from 'omotenashi';

// Every config helper, given arbitrary JSON, returns or throws an OmotenashiError: never a
// TypeError from deep inside. FUZZ_RUNS per helper (default 200).
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 25) * 8;
const o = omotenashi;
const storage = o.createMemoryStorage();
const clock = o.createManualClock('2026-04-01T00:00:00Z');

const HELPERS: ReadonlyArray<[string, (x: unknown, y: unknown) => unknown]> = [
  ['defineCatalog', (x) => o.defineCatalog(x as never)],
  ['defineEscalationRules', (x) => o.defineEscalationRules(x as never)],
  ['defineFollowUpPlan', (x) => o.defineFollowUpPlan(x as never)],
  ['defineFollowUps', (x) => o.defineFollowUps(x as never)],
  ['defineHolidaySet', (x) => o.defineHolidaySet(x as never)],
  ['defineLifecyclePolicy', (x) => o.defineLifecyclePolicy(x as never)],
  ['defineSlaConfig', (x) => o.defineSlaConfig(x as never)],
  ['defineSlaPolicy', (x) => o.defineSlaPolicy(x as never)],
  ['defineSuggestions', (x) => o.defineSuggestions(x as never)],
  ['defineTemplates', (x) => o.defineTemplates(x as never)],
  ['createBusinessCalendar', (x) => o.createBusinessCalendar(x as never)],
  ['validateCondition', (x) => o.validateCondition(x as never)],
  ['compileCondition', (x) => o.compileCondition(x as never)],
  ['compileLinearRegex', (x) => o.compileLinearRegex(x as never)],
  ['createSignalDetector', (x) => o.createSignalDetector(x as never)],
  ['createSequentialIds', (x) => o.createSequentialIds(x as never)],
  ['createManualClock', (x) => o.createManualClock(x as never)],
  ['createInProcessScheduler', (x) => o.createInProcessScheduler({ clock, ...(typeof x === 'object' && x !== null ? x : {}) } as never)],
  ['createServiceDesk', (x) => o.createServiceDesk({ storage, clock, ...(typeof x === 'object' && x !== null ? x : {}) } as never)],
  ['toMillis', (x) => o.toMillis(x as never)],
  ['renderReport', (x) => o.renderReport(x as never)],
];

const KEYS = ['id', 'name', 'kind', 'timeZone', 'weekly', 'holidays', 'date', 'hours', 'policies', 'metrics', 'targets', 'calendar', 'calendars', 'rules', 'trigger', 'on', 'condition', 'actions', 'type', 'plans', 'timing', 'delay', 'action', 'template', 'locales', 'en', 'subject', 'text', 'variables', 'fact', 'op', 'value', 'all', 'any', 'not', 'sku', 'price', 'prefix', 'sla', 'escalation', 'followUps', 'lexicons', 'autoClose', 'maxAttempts', 'mon', 'first_response', 'normal'];
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom<unknown>('PT1H', 'P1D', 'UTC', 'Asia/Tokyo', '09:00', ['09:00', '18:00'], 'eq', 'ticket.priority', 'interaction.received', 'en', undefined, null, {}, []),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
}));

const tally = { tried: 0, ok: 0, typed: 0, untyped: 0 };
afterAll(() => console.log(`config fuzz: ${tally.tried} calls, ${tally.ok} succeeded, ${tally.typed} typed errors, ${tally.untyped} untyped`));

describe('config fuzz: arbitrary JSON into every define*/create* helper', () => {
  it.each(HELPERS)('%s returns or throws an OmotenashiError', async (_name, helper) => {
    await fc.assert(
      fc.asyncProperty(value, value, async (x, y) => {
        tally.tried++;
        try {
          const r = helper(x, y);
          if (r instanceof Promise) await r;
          tally.ok++;
        } catch (error) {
          if (o.isOmotenashiError(error)) tally.typed++;
          else {
            tally.untyped++;
            expect.fail(`${String(error)}\n${(error as Error).stack?.split('\n').slice(0, 4).join('\n')}`);
          }
        }
      }),
      { numRuns: RUNS, seed: Number(process.env['FUZZ_SEED'] ?? 20261201) },
    );
  });
});
