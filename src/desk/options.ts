import type { Actor, Duration } from '../domain/common.js';
import type { EventName } from '../events.js';
import type { SignalDetectorPort } from '../signals/detect.js';
import type { SlaSetup } from './features/sla.js';
import type { AgentLimits, EscalationLadders, EscalationSetup } from './features/escalation.js';
import type { RoutingSetup } from './features/routing.js';
import type { FieldSet } from '../fields/define.js';
import type { FollowUpSetup } from './features/followups.js';
import type { BackoffInput } from '../domain/backoff.js';
import type { TemplateRegistry } from '../notify/templates.js';
import type { CatalogSetup } from './features/offers.js';
import type { KnowledgeBase } from './features/knowledge.js';
import type { SuggestionConfig, SuggestionConfigInput } from '../suggestions/config.js';
import type { SuggestionScorer } from '../suggestions/engine.js';
import type { LifecyclePolicy } from '../lifecycle/policy.js';
import type { ClockPort } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Tracer } from '../ports/tracer.js';
import type { EventSink } from '../ports/event-sink.js';
import type { NotifierPort } from '../ports/notifier.js';
import type { ScheduledJob, SchedulerPort } from '../ports/scheduler.js';
import type { StoragePort } from '../ports/storage.js';
import type { IdGenerator } from './ids.js';

/** Where a reported error came from: a throwing event listener, or an effect after commit. */
export type DeskErrorSource =
  | { readonly source: 'listener'; readonly event: EventName }
  | { readonly source: 'effect'; readonly effect: string }
  | { readonly source: 'job'; readonly job: ScheduledJob }
  | { readonly source: 'signals'; readonly detector: string }
  | { readonly source: 'escalation'; readonly ticketId: string; readonly trigger: string }
  | { readonly source: 'routing'; readonly ticketId: string }
  | { readonly source: 'relay'; readonly notificationId: string };

/** Options of {@link createServiceDesk}. */
export interface ServiceDeskOptions {
  /** Where records live (e.g. `createMemoryStorage()`). */
  readonly storage: StoragePort;
  /** The time source (default: the system clock). Tests pass `createManualClock(...)`. */
  readonly clock?: ClockPort;
  /**
   * Runs delayed work: SLA timers, auto-close, follow-ups, the outbox relay. Default: the storage's
   * own scheduler when it has one (e.g. `createPostgresStorage({ scheduler })`), else an in-process
   * scheduler on `clock`.
   */
  readonly scheduler?: SchedulerPort;
  /** Auto-close, reopen window and complaint-step rules. */
  readonly lifecycle?: LifecyclePolicy;
  /**
   * What reads customers' words for signals (emotion, supervisor requests, threats, abuse,
   * gratitude): `createSignalDetector()` for the built-in English and Japanese lexicons, or your
   * own detector. Without one (or with `false`) messages are recorded without signals, and a desk
   * that does not detect carries none of the lexicons. A detector that fails is reported to
   * `onError`; the message is recorded anyway.
   */
  readonly signals?: SignalDetectorPort | false;
  /**
   * Escalation rules, from `defineEscalationRules([...])`, run on the events a command emitted,
   * after its commit; their effects are applied in a follow-up unit of work. Events caused by
   * escalation do not trigger rules again.
   */
  readonly escalation?: EscalationSetup;
  /**
   * Personal limits for difficult customers (hostility, complexity, time with the customer), per
   * role or agent, from `defineAgentLimits([...])`. Passing one hands the ticket to the next
   * level with the reason.
   */
  readonly agentLimits?: AgentLimits;
  /**
   * Escalation ladders on SLA clocks, from `defineEscalationLadders([...])`: levels at a
   * percentage of the target, before or after the breach, or after an absolute delay, each firing
   * once per clock cycle. Needs `sla`.
   */
  readonly escalationLadders?: EscalationLadders;
  /**
   * Routing: tickets find their agent by themselves (on open, reopen, transfer to a team, when
   * capacity frees), by skills, language, capacity, working hours and the team's strategy, from
   * `defineRouting(...)` (see docs/routing.md). Manual `assign` still wins.
   */
  readonly routing?: RoutingSetup;
  /**
   * Custom field definitions of tickets and customers, from `defineFields` (see docs/tickets.md):
   * every write is checked against them, and conditions see each field with its type.
   */
  readonly fields?: FieldSet;
  /**
   * Ticket links: what resolving or closing a parent whose child tickets are not done does,
   * `refuse` (the default: a clear error naming the children) or `cascade` (they are resolved or
   * closed with it).
   */
  readonly links?: { readonly openChildren?: 'refuse' | 'cascade' };
  /**
   * Retention, run by the desk's scheduler: every `every` (default `P1D`, and once when the desk
   * starts), the interactions of tickets closed longer ago than `closedFor` lose their words, up
   * to `limit` tickets a run (default 100; a run that leaves more goes on at once), as
   * `desk.applyRetention` does. Leave it out to run `applyRetention` yourself.
   *
   * @example
   * ```ts
   * createServiceDesk({ storage, retention: { closedFor: 'P730D' } }); // two years after closing
   * ```
   */
  readonly retention?: { readonly closedFor: Duration; readonly every?: Duration; readonly limit?: number };
  /**
   * Pruning of expired idempotency keys, run by the desk's scheduler: every `every` (default
   * `PT1H`, and once when the desk starts), the records of keys past their window are removed, up
   * to `limit` a run (default 10,000), as `desk.pruneRequests` does. Leave it out to run
   * `pruneRequests` yourself.
   */
  readonly pruneRequests?: { readonly every?: Duration; readonly limit?: number };
  /**
   * SLA calendars and policies, from `defineSlaConfig(...)`. With them, every command recomputes
   * the ticket's clocks, stores them on the ticket (`ticket.sla`), emits `sla.*` events and
   * schedules the next check.
   */
  readonly sla?: SlaSetup;
  /**
   * Follow-up plans (check-ins, verification, surveys, greetings, thank-you notes), the fatigue
   * cap, survey options and feedback routes, from `defineFollowUps(...)`. Plans that send
   * messages need `notifiers`.
   */
  readonly followUps?: FollowUpSetup;
  /**
   * Who delivers messages, by channel: each message goes to the first notifier whose
   * `capabilities.channels` lists its channel (e.g. `[createConsoleNotifier()]`).
   */
  readonly notifiers?: ReadonlyArray<NotifierPort>;
  /**
   * Message templates by name and locale (`defineTemplates(...)`). With them every queued message
   * is rendered when it is queued (a missing variable fails the command, which then changes
   * nothing) and notifiers get the subject, text and HTML; follow-up plans must name templates
   * that exist.
   */
  readonly templates?: TemplateRegistry;
  /**
   * How the outbox relay delivers: attempts before a message is dead-lettered with
   * `notification.failed` (default 8) and the backoff between them (default 30 s doubling up
   * to 1 h, with jitter).
   */
  readonly delivery?: { readonly maxAttempts?: number; readonly backoff?: BackoffInput };
  /** The products and services the desk may suggest (`defineCatalog(...)`); enables `suggestOffers`. */
  readonly catalog?: CatalogSetup;
  /**
   * The text engines of the knowledge base, from `defineKnowledgeBase()`: they let
   * `suggestArticles` search published articles and `recurringProblems` group tickets, in
   * English and Japanese. Articles are written, published and rated without them.
   */
  readonly knowledge?: KnowledgeBase;
  /** Suggestion settings: attribute pairs, guardrails, commitment tiers and the discount cap. */
  readonly suggestions?: SuggestionConfigInput | SuggestionConfig;
  /** Scorers for suggestions (default: feature interest, limit pressure, acceptance rates). */
  readonly scorers?: ReadonlyArray<SuggestionScorer>;
  /** Id generator (default: prefix + random UUID; `createSequentialIds()` for readable ids). */
  readonly ids?: IdGenerator;
  /**
   * How often a command that lost a concurrency race is re-run on fresh data (default 5), after a
   * short random pause each time.
   * Commands given an `expectedVersion` are never re-run: their ConflictError is the point.
   */
  readonly conflictRetries?: number;
  /**
   * Where the desk writes what it has to say outside command results (pino's shape; default: the
   * console, warnings and up). `onError`, when given, takes the failures instead.
   */
  readonly logger?: Logger;
  /**
   * An OpenTelemetry tracer (`trace.getTracer('omotenashi')`): every command and query then runs
   * in a span `omotenashi.<method>`, and every job in `omotenashi.job.<type>`, with the ticket id
   * and the outcome (`ok` or the error code) as attributes. Without one nothing is traced.
   */
  readonly tracer?: Tracer;
  /**
   * Told about failures that must not break a committed command: a throwing event listener, a
   * scheduling effect that failed after commit, a failed job. Default: `logger.error`.
   */
  readonly onError?: (error: unknown, context: DeskErrorSource) => void;
  /**
   * Publish chosen events to another system, at least once, each with a stable id: every such
   * event becomes a scheduler job in the unit of work of the change that caused it (in the same
   * transaction with `omotenashi/postgres-scheduler`), and a worker hands it to `sink.publish`,
   * retrying when it throws. `events`: the names to publish, or `'all'`.
   */
  readonly publishEvents?: { readonly sink: EventSink; readonly events: ReadonlyArray<EventName> | 'all' };
}

/** Options every command accepts. */
export interface CommandOptions {
  /** Who issues the command (recorded in the audit trail; default: the system). */
  readonly by?: Actor;
}

/** Options of commands that change a ticket. */
export interface TicketCommandOptions extends CommandOptions {
  /**
   * The ticket version the caller last saw. When given and the ticket has changed since, the
   * command fails with ConflictError instead of overwriting someone else's change.
   */
  readonly expectedVersion?: number;
}
