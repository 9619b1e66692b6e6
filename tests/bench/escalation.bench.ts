import { bench, describe } from 'vitest';
import { ESCALATION_EVENTS, defineEscalationRules, evaluateEscalation, type EscalationEvent, type EscalationRuleInput } from 'omotenashi';
import { lcg } from './support/rules-workload.js';

// 100,000 events against 200 selective rules spread over the 7 event types (about one firing per
// event, as in real rule sets). omotenashi indexes rules by trigger, so an event touches only its
// own rules, and keeps run-once/re-arm memory. The baseline, in the same run, is a flat engine
// (json-rules-engine style): every rule evaluated on every event, the event type being one more
// fact. A third run shows a flat list that checks the trigger first (a linear index).
const r = lcg(21);
const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const input: EscalationRuleInput[] = Array.from({ length: 200 }, (_, i) => ({
  id: `r${i}`,
  name: `Rule ${i}`,
  trigger: { on: pick(ESCALATION_EVENTS) },
  condition: {
    all: [
      { fact: 'ticket.priority', op: 'eq', value: pick(PRIORITIES) },
      { fact: 'ticket.counters.reopens', op: 'gte', value: 1 + Math.floor(r() * 2) },
      { any: [{ fact: 'customer.tier', op: 'eq', value: pick(['gold', 'silver']) }, { fact: 'ticket.tags', op: 'contains', value: pick(['vip', 'press']) }] },
    ],
  },
  actions: [{ type: 'add_tag', tag: `r${i}` }],
  mode: i % 2 ? 'once' : 'rearm',
}));
const rules = defineEscalationRules(input);
const events = Array.from({ length: 100_000 }, (_, i) => ({
  event: pick(ESCALATION_EVENTS) as EscalationEvent,
  occurrence: `e${i}`,
  facts: {
    ticket: { priority: pick(PRIORITIES), counters: { reopens: Math.floor(r() * 4) }, tags: r() < 0.3 ? ['vip'] : ['billing'] },
    customer: { tier: pick(['gold', 'silver', 'bronze']) },
  },
}));
const flat = rules.rules;

let firedPerPass = 0;
for (const e of events) firedPerPass += evaluateEscalation({ rules, event: e.event, occurrence: e.occurrence, facts: e.facts, state: {} }).fired.length;
console.log(`  ${firedPerPass.toLocaleString('en')} rules fire per pass of 100,000 events`);

describe('100,000 events against 200 rules', () => {
  bench('baseline: flat engine, every rule evaluated on every event', () => {
    let fired = 0;
    for (const e of events) for (const rule of flat) if (rule.condition(e.facts) && rule.trigger.on === e.event) fired++;
    if (fired !== firedPerPass) throw new Error(`fired ${fired}, expected ${firedPerPass}`);
  }, { iterations: 10, time: 0, warmupIterations: 2 });

  bench('flat list checking the trigger first (a linear index, no memory)', () => {
    let fired = 0;
    for (const e of events) for (const rule of flat) if (rule.trigger.on === e.event && rule.condition(e.facts)) fired++;
    if (fired !== firedPerPass) throw new Error(`fired ${fired}, expected ${firedPerPass}`);
  }, { iterations: 10, time: 0, warmupIterations: 2 });

  bench('omotenashi: evaluateEscalation (rules indexed by trigger, with run-once/re-arm memory)', () => {
    let fired = 0;
    for (const e of events) fired += evaluateEscalation({ rules, event: e.event, occurrence: e.occurrence, facts: e.facts, state: {} }).fired.length;
    if (fired === 0) throw new Error('nothing fired');
  }, { iterations: 10, time: 0, warmupIterations: 2 });
});
