import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { hasKind } from '../internal/kind.js';
import type { ServiceDeskOptions } from './options.js';

const withMethods =
  (...methods: string[]) =>
  (v: unknown): boolean =>
    typeof v === 'object' && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function');
const port = (what: string, example: string, ...methods: string[]) => z.custom((v) => withMethods(...methods)(v), { error: `expected ${what} (with ${methods.join(', ')}), e.g. ${example}` });
const object = (example: string) => z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { error: `expected an object, e.g. ${example}` });
const defined = (kind: string, example: string) => z.custom((v) => hasKind(v, kind), { error: `expected ${example}` });
/** A desk feature's value, made by its definer (which brings the feature's code along). */
const feature = (kind: string, definer: string) => z.custom((v) => hasKind(v, kind), { error: `expected what ${definer} returns (plain data is not taken: the definer brings the feature's code)` });
const fn = z.custom<(...a: unknown[]) => unknown>((v) => typeof v === 'function', { error: 'expected a function' });

/**
 * The shape of every option of `createServiceDesk`, checked before any option is read: a wrong
 * type or a misspelt option name is a ConfigError naming it, never a TypeError from deep inside.
 * What each option holds is validated by its own definer afterwards.
 */
const OptionsShape = z
  .object({
    storage: port('a storage adapter', 'createMemoryStorage()', 'get', 'list', 'history', 'commit', 'findTicketBySourceId'),
    clock: port('a clock', 'createSystemClock()', 'now', 'setAlarm').optional(),
    scheduler: port('a scheduler', 'createInProcessScheduler({ clock })', 'schedule', 'cancel', 'start', 'stop').optional(),
    lifecycle: object('{ autoClose: { after: "P7D" } }').optional(),
    signals: z.union([z.literal(false), port('a signal detector or false', 'createSignalDetector()', 'detect')]).optional(),
    escalation: feature('escalation-rules', 'defineEscalationRules([...])').optional(),
    agentLimits: feature('agent-limits', 'defineAgentLimits([...])').optional(),
    escalationLadders: feature('escalation-ladders', 'defineEscalationLadders([...])').optional(),
    routing: feature('routing-config', "defineRouting({ strategy: 'least_loaded' })").optional(),
    sla: feature('sla-config', 'defineSlaConfig({ calendars, policies })').optional(),
    fields: defined('field-set', "defineFields({ ticket: [{ key: 'plan', type: 'enum', options: ['basic', 'pro'] }] })").optional(),
    retention: object('{ closedFor: "P730D" }').optional(),
    pruneRequests: object('{ every: "PT1H" }').optional(),
    links: z.object({ openChildren: z.enum(['refuse', 'cascade']).optional() }, { error: "expected { openChildren: 'refuse' | 'cascade' }" }).strict().optional(),
    followUps: feature('followup-config', 'defineFollowUps({ plans: [...] })').optional(),
    notifiers: z.array(port('a notifier', 'createConsoleNotifier()', 'send'), { error: 'expected a list of notifiers, e.g. [createConsoleNotifier()]' }).optional(),
    templates: port('templates', 'defineTemplates({ ... })', 'render').optional(),
    delivery: object('{ maxAttempts: 8 }').optional(),
    catalog: feature('catalog', 'defineCatalog([...])').optional(),
    knowledge: feature('knowledge-base', 'defineKnowledgeBase()').optional(),
    suggestions: object('{ guardrails: { ... } }').optional(),
    scorers: z.array(z.unknown(), { error: 'expected a list of scorers' }).optional(),
    ids: fn.optional(),
    conflictRetries: z.number().int().min(0).max(20).optional(),
    onError: fn.optional(),
    logger: port('a logger', 'pino() or createConsoleLogger()', 'debug', 'info', 'warn', 'error').optional(),
    tracer: port('an OpenTelemetry tracer', "trace.getTracer('omotenashi')", 'startActiveSpan').optional(),
    publishEvents: z.object({ sink: port('an event sink', '{ name, publish: async (event) => {} }', 'publish'), events: z.union([z.literal('all'), z.array(z.string(), { error: 'expected a list of event names or "all"' })]) }, { error: 'expected { sink, events }' }).strict().optional(),
  })
  .strict();

/** Check the shape of `createServiceDesk`'s options. @throws ConfigError naming the option. */
export function checkOptionShapes(options: unknown): asserts options is ServiceDeskOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'pass createServiceDesk({ storage: createMemoryStorage() }) at least');
  const r = OptionsShape.safeParse(options);
  if (!r.success) throw ConfigError.fromZod('options', r.error);
}
