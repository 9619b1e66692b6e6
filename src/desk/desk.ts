import { EventEmitter } from 'eventemitter3';
import { match } from 'ts-pattern';
import { z } from 'zod';
import { AdapterError, ConfigError, ConflictError, InvalidTransitionError, NotFoundError, ValidationError, isOmotenashiError } from '../errors.js';
import { SignalSchema, createSignalDetector, signalFacts, type Signal, type SignalDetectorPort } from '../signals/detect.js';
import { evaluateSla, type SlaEvaluation } from '../sla/evaluate.js';
import { slaHistory } from '../sla/history.js';
import { compareSlaPolicies, type SlaReplayCase, type SlaWhatIfReport } from '../sla/whatif.js';
import { defineSlaConfig, type SlaConfig, type SlaConfigInput, type SlaMetric } from '../sla/policy.js';
import { slaAuditChanges, slaEvents, snapshotChanged, toSnapshot } from '../sla/snapshot.js';
import { decideEscalations, type FlagRequest } from '../escalation/apply.js';
import { LIMIT_RULE_PREFIX, agentLimitRules, limitFacts, type AgentLimitInput } from '../escalation/limits.js';
import { resolveEscalationTarget } from '../escalation/hierarchy.js';
import { LADDER_RULE_PREFIX, clockFacts, compileLadders, levelDueAt, type EscalationLadderInput, type LadderLevel } from '../escalation/ladders.js';
import { ALWAYS_OPEN, type BusinessCalendar } from '../calendar/calendar.js';
import { contactHours } from '../followup/contact.js';
import { evaluateEscalation } from '../escalation/evaluate.js';
import { defineEscalationRules, type CompiledRule, type EscalationAction, type EscalationEvent, type EscalationRuleInput, type EscalationRules } from '../escalation/rules.js';
import { ticketFacts } from '../rules/facts.js';
import type { DeskEvent, EventName, OmotenashiEvents } from '../events.js';
import type { EventSink } from '../ports/event-sink.js';
import { EVENT_NAMES, deskEvent } from '../events.js';
import {
  AgentInputSchema,
  AgentPatchSchema,
  TeamInputSchema,
  TeamPatchSchema,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type Team,
  type TeamInput,
  type TeamPatch,
} from '../domain/agent.js';
import {
  ActorSchema,
  AgentIdSchema,
  SYSTEM_ACTOR,
  TeamIdSchema,
  type Actor,
  type AgentId,
  type CustomerId,
  type TeamId,
  type TicketId,
  type Channel,
  type JsonValue,
  ChannelSchema,
  CustomerIdSchema,
  DurationSchema,
  JsonValueSchema,
  MoneySchema,
  toMillis,
} from '../domain/common.js';
import {
  CustomerFlagSchema,
  CustomerInputSchema,
  CustomerInvariantSchema,
  CustomerPatchSchema,
  CustomerSchema,
  EXTERNAL_ONLY_FIELDS,
  FlagKindSchema,
  INTERNAL_ONLY_FIELDS,
  activeFlags,
  salutationName,
  type Customer,
  type CustomerFlag,
  type CustomerInput,
  type CustomerPatch,
} from '../domain/customer.js';
import { InteractionInputSchema, type Interaction, type InteractionInput } from '../domain/interaction.js';
import {
  CLOSE_REASONS,
  ConsentAnswerSchema,
  OpenTicketInputSchema,
  PrioritySchema,
  type AuditEntry,
  type CloseReason,
  type OpenTicketInput,
  type Priority,
  type FieldChange,
  type SlaSnapshot,
  type Ticket,
} from '../domain/ticket.js';
import { diffRecords, omit } from '../internal/diff.js';
import {
  autoCloseDueAt,
  decideAssign,
  decideAutoClose,
  decideClose,
  decideConfirm,
  decideHold,
  decideInteraction,
  decideOpen,
  decidePriority,
  decideReopen,
  decideResolve,
  decideResume,
  decideSetStatus,
  decideTag,
  decideTransfer,
  decideUntag,
  type DecisionContext,
  type Step,
} from '../lifecycle/engine.js';
import { defineLifecyclePolicy, type LifecyclePolicy, type ResolvedLifecyclePolicy } from '../lifecycle/policy.js';
import { allowedTransitions } from '../lifecycle/transitions.js';
import type { ClockPort } from '../ports/clock.js';
import type { ScheduledJob, SchedulerPort } from '../ports/scheduler.js';
import { decodeCursor, type CustomerQuery, type EntityMap, type Page, type Put, type StoragePort, type TicketQuery, type UnitOfWork } from '../ports/storage.js';
import { createSystemClock } from '../adapters/memory/clock.js';
import { createInProcessScheduler } from '../adapters/memory/scheduler.js';
import { guardNotifier, guardStorage } from './guard.js';
import type { Addition, Effect } from './effects.js';
import { FOLLOWUP_DUE, createFollowUpRuntime, dueEvent, followUpVariables, surveyIdOf, type FollowUpRuntime } from './followups.js';
import { defineFollowUps, type FollowUpConfig, type FollowUpConfigInput } from '../followup/plan.js';
import { checkAnswerFits, isLowAnswer } from '../followup/survey.js';
import { SurveyAnswerSchema, npsCategory, type FollowUp, type Survey, type SurveyAnswer } from '../domain/followup.js';
import type { NotifierPort } from '../ports/notifier.js';
import type { FollowUpQuery, NotificationQuery, SurveyQuery } from '../ports/storage.js';
import { NOTIFICATION_SEND, createOutbox, notificationIdOf } from './outbox.js';
import { BackoffSchema, type BackoffInput } from '../domain/backoff.js';
import type { TemplateRegistry } from '../notify/templates.js';
import { NOTIFICATION_STATUSES, type NotificationRecord } from '../domain/notification.js';
import { chooseChannel, contactAddress } from '../followup/contact.js';
import { createOfferRuntime, offerData, type OfferRuntime } from './offers.js';
import type { Catalog } from '../domain/catalog.js';
import type { Offer } from '../domain/offer.js';
import type { OfferQuery } from '../ports/storage.js';
import { defineSuggestions, isSuggestionConfig, type SuggestionConfig, type SuggestionConfigInput } from '../suggestions/config.js';
import type { Suggestion, SuggestionScorer, SuggestResult } from '../suggestions/engine.js';
import { articleIdFromTicket, createKnowledgeRuntime } from './knowledge.js';
import { ArticleInputSchema, ArticlePatchSchema, type Article, type ArticleInput, type ArticlePatch } from '../domain/article.js';
import type { ArticleQuery } from '../ports/storage.js';
import type { ArticleMatch } from '../knowledge/search.js';
import { recurringProblems, type RecurringProblem } from '../knowledge/recurring.js';
import { randomIds, type IdGenerator } from './ids.js';

/** Where a reported error came from: a throwing event listener, or an effect after commit. */
export type DeskErrorSource =
  | { readonly source: 'listener'; readonly event: EventName }
  | { readonly source: 'effect'; readonly effect: string }
  | { readonly source: 'job'; readonly job: ScheduledJob }
  | { readonly source: 'signals'; readonly detector: string }
  | { readonly source: 'escalation'; readonly ticketId: string; readonly trigger: string };

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
   * gratitude): the built-in English and Japanese lexicons by default, your own detector, or
   * `false` for none. A detector that fails is reported to `onError`; the message is recorded anyway.
   */
  readonly signals?: SignalDetectorPort | false;
  /**
   * Escalation rules, run on the events a command emitted, after its commit; their effects are
   * applied in a follow-up unit of work. Events caused by escalation do not trigger rules again.
   */
  readonly escalation?: ReadonlyArray<EscalationRuleInput> | EscalationRules;
  /**
   * Personal limits for difficult customers (hostility, complexity, time with the customer), per
   * role or agent. Passing one hands the ticket to the next level with the reason.
   */
  readonly agentLimits?: ReadonlyArray<AgentLimitInput>;
  /**
   * Escalation ladders on SLA clocks: levels at a percentage of the target, before or after the
   * breach, or after an absolute delay, each firing once per clock cycle. Needs `sla`.
   */
  readonly escalationLadders?: ReadonlyArray<EscalationLadderInput>;
  /**
   * SLA calendars and policies. With them, every command recomputes the ticket's clocks, stores
   * them on the ticket (`ticket.sla`), emits `sla.*` events and schedules the next check.
   */
  readonly sla?: SlaConfigInput | SlaConfig;
  /**
   * Follow-up plans (check-ins, verification, surveys, greetings, thank-you notes), the fatigue
   * cap, survey options and feedback routes. Plans that send messages need `notifiers`.
   */
  readonly followUps?: FollowUpConfigInput | FollowUpConfig;
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
  readonly catalog?: Catalog;
  /** Suggestion settings: attribute pairs, guardrails, commitment tiers and the discount cap. */
  readonly suggestions?: SuggestionConfigInput | SuggestionConfig;
  /** Scorers for suggestions (default: feature interest, limit pressure, acceptance rates). */
  readonly scorers?: ReadonlyArray<SuggestionScorer>;
  /** Id generator (default: prefix + random UUID; `createSequentialIds()` for readable ids). */
  readonly ids?: IdGenerator;
  /**
   * How often a command that lost a concurrency race is re-run on fresh data (default 3).
   * Commands given an `expectedVersion` are never re-run: their ConflictError is the point.
   */
  readonly conflictRetries?: number;
  /**
   * Told about failures that must not break a committed command: a throwing event listener, a
   * scheduling effect that failed after commit, a failed job. Default: `console.error`.
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

/** Result of {@link ServiceDesk.openTicket}. */
export interface OpenTicketResult {
  /** The ticket (the existing one when `created` is false). */
  readonly ticket: Ticket;
  /** False when a ticket with the same `sourceId` already existed and was returned instead. */
  readonly created: boolean;
}

/** Result of {@link ServiceDesk.recordInteraction}. */
export interface RecordInteractionResult {
  /** The ticket the interaction landed on: a follow-up ticket when the original was closed too long ago. */
  readonly ticket: Ticket;
  /** The recorded interaction (the earlier one when its `externalId` was already recorded). */
  readonly interaction: Interaction;
  /** False when an interaction with the same `externalId` was already on the ticket. */
  readonly recorded: boolean;
}

/** Who is asked to take the ticket in a transfer: another agent, another team, or both. */
export interface TransferTarget {
  /** The agent who takes over. */
  readonly agentId?: AgentId;
  /** The team that takes over. */
  readonly teamId?: TeamId;
}

/** Everything a ticket's handler needs on one screen. */
export interface TicketDetails {
  /** The ticket. */
  readonly ticket: Ticket;
  /** The customer who raised it. */
  readonly requester: Customer;
  /** The requester's flags in force now, so whoever handles them is prepared. */
  readonly flags: ReadonlyArray<CustomerFlag>;
  /** Every interaction, oldest first. */
  readonly interactions: ReadonlyArray<Interaction>;
  /** The audit trail, oldest first. */
  readonly audit: ReadonlyArray<AuditEntry>;
}

/**
 * The service desk: every command that changes customers, agents, teams and tickets, and the
 * queries to read them back. Each command validates its input, decides with the pure engines,
 * commits one unit of work, then emits events. A failed command changes nothing.
 */
export interface ServiceDesk {
  /** Register a customer (internal or external). Contact data is validated on entry. */
  registerCustomer(input: CustomerInput, options?: CommandOptions): Promise<Customer>;
  /** Change fields of a customer's profile; `null` clears an optional field. */
  updateCustomer(id: CustomerId, patch: CustomerPatch, options?: CommandOptions & { expectedVersion?: number }): Promise<Customer>;
  /** Flag a customer (vip, abusive, legal_threat, physical_threat, ...) with the reason, so the next agent is prepared. */
  flagCustomer(
    id: CustomerId,
    flag: { kind: string; reason: string; ticketId?: TicketId; expiresAt?: Date },
    options?: CommandOptions,
  ): Promise<Customer>;
  /** Clear the flags of one kind on a customer (kept in the record as cleared). */
  clearCustomerFlag(id: CustomerId, kind: string, options?: CommandOptions): Promise<Customer>;
  /** Add a note every agent will see on the customer's profile. */
  addCustomerNote(id: CustomerId, text: string, options?: CommandOptions): Promise<Customer>;
  /** Register an agent. `managerId` and `teamIds` must exist. */
  registerAgent(input: AgentInput, options?: CommandOptions): Promise<Agent>;
  /** Change an agent. Refuses a reporting line that would loop. */
  updateAgent(id: AgentId, patch: AgentPatch, options?: CommandOptions): Promise<Agent>;
  /** Register a team (in-house, third-party or independent). */
  registerTeam(input: TeamInput, options?: CommandOptions): Promise<Team>;
  /** Change a team. */
  updateTeam(id: TeamId, patch: TeamPatch, options?: CommandOptions): Promise<Team>;
  /**
   * Open a ticket. Idempotent on `sourceId`: a re-delivered inbound message returns the ticket
   * it already created, with `created: false`.
   */
  openTicket(input: OpenTicketInput, options?: CommandOptions): Promise<OpenTicketResult>;
  /**
   * Record an interaction (a message, call, meeting, letter or internal note); the audit trail
   * credits `options.by`, or else the interaction's author. On a closed
   * ticket, a customer's message reopens it within the reopen window, or lands on a new
   * follow-up ticket after it. Idempotent on `externalId` per ticket.
   */
  recordInteraction(ticketId: TicketId, input: InteractionInput, options?: TicketCommandOptions): Promise<RecordInteractionResult>;
  /** Route a ticket to an agent and/or team (`null` unassigns). */
  assign(ticketId: TicketId, to: { agentId?: AgentId | null; teamId?: TeamId | null }, options?: TicketCommandOptions & { reason?: string }): Promise<Ticket>;
  /**
   * Hand a live conversation to another agent or team. Needs the customer's answer: a declined
   * transfer is recorded and does not happen (`transferred: false`).
   */
  transfer(
    ticketId: TicketId,
    input: { to: TransferTarget; consent: { granted: boolean; note?: string }; reason: string },
    options?: TicketCommandOptions,
  ): Promise<{ ticket: Ticket; transferred: boolean }>;
  /**
   * Put a ticket on hold while waiting on someone inside or a third party. Needs the
   * customer's answer: a declined hold is recorded and does not happen (`held: false`).
   */
  hold(
    ticketId: TicketId,
    input: { reason: string; waitingOn?: string; consent: { granted: boolean; note?: string } },
    options?: TicketCommandOptions,
  ): Promise<{ ticket: Ticket; held: boolean }>;
  /** End a hold; the ticket returns to open (or to pending the customer, if it was). */
  resume(ticketId: TicketId, options?: TicketCommandOptions & { reason?: string }): Promise<Ticket>;
  /** Move between `open` and `pending_customer` (waiting on the customer). */
  setStatus(ticketId: TicketId, status: 'open' | 'pending_customer', options?: TicketCommandOptions & { reason?: string }): Promise<Ticket>;
  /** Change the priority. */
  setPriority(ticketId: TicketId, priority: Priority, options?: TicketCommandOptions & { reason?: string }): Promise<Ticket>;
  /** Add tags. */
  tag(ticketId: TicketId, tags: ReadonlyArray<string>, options?: TicketCommandOptions): Promise<Ticket>;
  /** Remove tags. */
  untag(ticketId: TicketId, tags: ReadonlyArray<string>, options?: TicketCommandOptions): Promise<Ticket>;
  /** Record the resolution; the ticket waits for the customer's confirmation or the auto-close. */
  resolve(ticketId: TicketId, input: { summary: string }, options?: TicketCommandOptions): Promise<Ticket>;
  /** The customer confirms the resolution: the ticket closes. */
  confirmResolution(ticketId: TicketId, options?: TicketCommandOptions & { note?: string }): Promise<Ticket>;
  /**
   * Reopen a resolved ticket, or a closed one within the reopen window. Past the window a
   * follow-up ticket linked to the old one is opened and returned (`followUp: true`).
   */
  reopen(ticketId: TicketId, input: { reason: string }, options?: TicketCommandOptions): Promise<{ ticket: Ticket; followUp: boolean }>;
  /**
   * Close for an administrative reason: duplicate, spam, withdrawn, no_response, other.
   * Resolutions close through {@link confirmResolution} or the auto-close.
   */
  close(
    ticketId: TicketId,
    input: { reason: Exclude<CloseReason, 'confirmed_by_customer' | 'auto_closed'>; note?: string },
    options?: TicketCommandOptions,
  ): Promise<Ticket>;
  /** The ticket. @throws NotFoundError */
  getTicket(id: TicketId): Promise<Ticket>;
  /** The ticket with its requester, the requester's active flags, interactions and audit trail. */
  getTicketDetails(id: TicketId): Promise<TicketDetails>;
  /** The ticket created from this source id, or null. */
  findTicketBySourceId(sourceId: string): Promise<Ticket | null>;
  /** Tickets matching the filters, one page at a time. */
  listTickets(query?: TicketQuery): Promise<Page<Ticket>>;
  /** A ticket's interactions, oldest first. */
  listInteractions(ticketId: TicketId): Promise<ReadonlyArray<Interaction>>;
  /** A ticket's audit trail: who changed what, when and why. */
  getAuditTrail(ticketId: TicketId): Promise<ReadonlyArray<AuditEntry>>;
  /** The customer. @throws NotFoundError */
  getCustomer(id: CustomerId): Promise<Customer>;
  /** Customers, one page at a time. */
  listCustomers(query?: CustomerQuery): Promise<Page<Customer>>;
  /** The agent. @throws NotFoundError */
  getAgent(id: AgentId): Promise<Agent>;
  /** Every agent. */
  listAgents(): Promise<ReadonlyArray<Agent>>;
  /** The team. @throws NotFoundError */
  getTeam(id: TeamId): Promise<Team>;
  /** Every team. */
  listTeams(): Promise<ReadonlyArray<Team>>;
  /**
   * Listen to an event; returns a function that unsubscribes. A listener that throws (or
   * rejects) is reported to `onError` and never breaks the command that emitted the event.
   */
  on<K extends EventName>(event: K, listener: (payload: OmotenashiEvents[K]) => void | Promise<void>): () => void;
  /** Listen to the next occurrence of an event only; returns a function that unsubscribes. */
  once<K extends EventName>(event: K, listener: (payload: OmotenashiEvents[K]) => void | Promise<void>): () => void;
  /**
   * Schedule again the timers of open tickets (auto-close, SLA checks), e.g. after a restart with
   * a durable storage and an in-process scheduler. Returns how many were scheduled.
   */
  restoreSchedules(): Promise<number>;
  /**
   * Every SLA clock of a ticket right now, with its explanation ledger (counting, paused,
   * outside-hours and holiday intervals that sum to the elapsed time).
   * @throws ConfigError when the desk has no SLA configuration.
   */
  explainSla(ticketId: TicketId): Promise<SlaEvaluation>;
  /**
   * Replay stored tickets (all, or those matching `query`) under a candidate SLA configuration
   * and report which breaches and warnings would change against the desk's own.
   */
  whatIfSla(candidate: SlaConfigInput | SlaConfig, query?: Omit<TicketQuery, 'cursor' | 'limit'>): Promise<SlaWhatIfReport>;
  /**
   * The host app reports an order: it joins the customer's purchase history and sets off
   * `order_placed` follow-ups (a check-in call, a thank-you note). Idempotent on `orderId`.
   */
  orderPlaced(input: OrderInput, options?: CommandOptions): Promise<Customer>;
  /**
   * The host app reports a custom event about a customer (`subscription.renewed`), setting off
   * follow-up plans listening for it. Idempotent on `id`.
   */
  reportEvent(input: { customerId: CustomerId; name: string; id: string; data?: Record<string, JsonValue> }, options?: CommandOptions): Promise<void>;
  /**
   * Record a customer's answers to a survey. Only the questions asked may be answered; the
   * assignee and team at this moment are stored with it; "no" to `solved` reopens the ticket
   * (or opens a follow-up ticket after the reopen window); a low score is flagged on the
   * `survey.answered` event for escalation rules. Answering again with the same answers is a no-op.
   */
  answerSurvey(surveyId: string, answer: SurveyAnswer, options?: CommandOptions): Promise<{ survey: Survey; ticket: Ticket }>;
  /**
   * Record a customer's feedback or suggestion and route it to a department (product,
   * development) as an internal feedback ticket in that department's team queue.
   */
  recordFeedback(input: FeedbackInput, options?: CommandOptions): Promise<Ticket>;
  /** Cancel pending follow-ups matching the filter (a customer, a ticket, a plan); returns how many. */
  cancelFollowUps(filter: { customerId?: CustomerId; ticketId?: TicketId; planId?: string }, options?: CommandOptions & { reason?: string }): Promise<number>;
  /** Follow-ups matching the filters, one page at a time. */
  listFollowUps(query?: FollowUpQuery): Promise<Page<FollowUp>>;
  /** Surveys matching the filters, one page at a time. */
  listSurveys(query?: SurveyQuery): Promise<Page<Survey>>;
  /** The survey. @throws NotFoundError */
  getSurvey(id: string): Promise<Survey>;
  /**
   * Send a message to a customer or an agent through the outbox: it is recorded now and
   * delivered by the relay (retried with backoff, dead-lettered with `notification.failed` after
   * the last attempt). Non-urgent messages to customers wait for their quiet hours to pass.
   * Idempotent on `key`: sending again with the same key returns the message already queued.
   *
   * @example
   * ```ts
   * await desk.notify({ customerId: tanaka.id, template: 'order_shipped', data: { orderId: 'A-1001' }, key: 'shipped:A-1001' });
   * ```
   * @throws ValidationError for bad input, a customer without a usable channel, or a customer flagged do-not-contact (unless urgent).
   * @throws TemplateError when the template needs a variable the data does not have.
   */
  notify(input: NotifyInput, options?: CommandOptions): Promise<NotificationRecord>;
  /** Outbox messages matching the filters (status, recipient, ticket), one page at a time. */
  listNotifications(query?: NotificationQuery): Promise<Page<NotificationRecord>>;
  /** One outbox message with its attempts. @throws NotFoundError */
  getNotification(id: string): Promise<NotificationRecord>;
  /** Put a dead-lettered (`failed`) message back in line for a fresh set of attempts. @throws NotFoundError, InvalidTransitionError */
  retryNotification(id: string, options?: CommandOptions): Promise<NotificationRecord>;
  /** Withdraw a message that has not gone out yet. @throws NotFoundError, InvalidTransitionError */
  cancelNotification(id: string, options?: CommandOptions): Promise<NotificationRecord>;
  /**
   * Suggest upsells, cross-sells and add-ons for a customer (or the requester of a ticket, e.g.
   * after a happy resolution), ranked, with reasons, evidence and any discount their commitment
   * earns; or none and why (an open complaint, a recent low score, no marketing consent, ...).
   * The suggestions are recorded as offers (`suggestion.offered`) unless `record` is false.
   *
   * @example
   * ```ts
   * const { suggestions, withheld } = await desk.suggestOffers({ ticketId });
   * if (withheld) console.log(`nothing to offer: ${withheld.detail}`);
   * ```
   * @throws ConfigError when the desk has no catalog.
   */
  suggestOffers(target: { readonly ticketId: TicketId } | { readonly customerId: CustomerId }, options?: CommandOptions & { readonly limit?: number; readonly record?: boolean }): Promise<SuggestOffersResult>;
  /** Record how the customer answered an offer (`suggestion.answered`); answering again the same way is a no-op. */
  answerOffer(offerId: string, answer: 'accepted' | 'rejected' | 'ignored', options?: CommandOptions): Promise<Offer>;
  /** Offers matching the filters, one page at a time. */
  listOffers(query?: OfferQuery): Promise<Page<Offer>>;
  /** Acceptance per kind and product: answered, accepted and the rate (unanswered offers count as ignored after `ignoreAfter`). */
  offerStats(): Promise<ReadonlyArray<OfferStat>>;
  /** Write a knowledge-base article (a draft until published). */
  createArticle(input: ArticleInput, options?: CommandOptions): Promise<Article>;
  /** Change an article's title, body, tags, product or locale. */
  updateArticle(id: string, patch: ArticlePatch, options?: CommandOptions & { readonly expectedVersion?: number }): Promise<Article>;
  /** Publish an article: searches and `suggestArticles` offer it from now on. */
  publishArticle(id: string, options?: CommandOptions): Promise<Article>;
  /** Archive an article: it stays on record but is no longer offered. */
  archiveArticle(id: string, options?: CommandOptions): Promise<Article>;
  /**
   * Draft an article from a resolved ticket, so the solution can be reused: the subject, the
   * problem in the customer's words, the resolution and the agents' replies, the ticket's tags,
   * in the customer's language. One draft per ticket (id `kb:<ticketId>`): drafting again returns it.
   */
  draftArticleFromTicket(ticketId: TicketId, options?: CommandOptions): Promise<Article>;
  /**
   * Published articles for a ticket (its subject, description and the customer's words) or a
   * question, best first, in the customer's language; articles already marked unhelpful for the
   * ticket are left out.
   */
  suggestArticles(target: { readonly ticketId: TicketId } | { readonly text: string; readonly locale?: string }, options?: { readonly limit?: number; readonly product?: string }): Promise<ReadonlyArray<ArticleMatch>>;
  /** Record whether an article helped (with the ticket it was offered for, which it is then linked to). */
  recordArticleFeedback(id: string, feedback: { readonly helpful: boolean; readonly ticketId?: TicketId }, options?: CommandOptions): Promise<Article>;
  /** The article. @throws NotFoundError */
  getArticle(id: string): Promise<Article>;
  /** Articles matching the filters, one page at a time. */
  listArticles(query?: ArticleQuery): Promise<Page<Article>>;
  /** The problems customers keep reporting, from the tickets of the last two periods (see `recurringProblems`). */
  recurringProblems(options?: { readonly window?: string; readonly minCount?: number; readonly limit?: number; readonly similarity?: number }): Promise<ReadonlyArray<RecurringProblem>>;
  /** Stop the scheduler; pending timers stay with it. */
  stop(): Promise<void>;
  /** The validated lifecycle policy in force. */
  readonly lifecycle: ResolvedLifecyclePolicy;
  /** The desk's clock. */
  readonly clock: ClockPort;
}

/** What {@link ServiceDesk.suggestOffers} returns. */
export interface SuggestOffersResult extends SuggestResult {
  /** The suggestions as recorded offers (empty when withheld or `record: false`). */
  readonly offers: ReadonlyArray<Offer>;
  /** The suggestions, best first. */
  readonly suggestions: ReadonlyArray<Suggestion>;
}

/** Acceptance of one product as one kind of suggestion. */
export interface OfferStat {
  readonly kind: string;
  readonly sku: string;
  readonly answered: number;
  readonly accepted: number;
  /** accepted / answered (0 when none answered). */
  readonly rate: number;
}

/** Input of {@link ServiceDesk.notify}: whom (a customer or an agent), which template, with what. */
export interface NotifyInput {
  /** The customer it goes to (or give `agentId`). */
  readonly customerId?: CustomerId;
  /** The agent it goes to, by e-mail (or give `customerId`). */
  readonly agentId?: AgentId;
  /** The template's name. */
  readonly template: string;
  /** The template's variables. `recipientName` (as the profile says to address them) is added, and with `ticketId` also `ticketRef`, `ticketSubject` and `agentName`. */
  readonly data?: Readonly<Record<string, JsonValue>>;
  /** The channel (default: the customer's preferred channel that a notifier delivers; e-mail for agents). */
  readonly channel?: Channel;
  /** Urgent messages ignore quiet hours and a do-not-contact flag (a safety notice, a fraud alert). */
  readonly urgent?: boolean;
  /** Idempotency key: the same key never queues a second message (default: a new id). */
  readonly key?: string;
  /** The ticket it is about. */
  readonly ticketId?: TicketId;
  /** Not before this instant (a reminder for tomorrow). */
  readonly notBefore?: Date;
}

/** Input of {@link ServiceDesk.orderPlaced}. */
export interface OrderInput {
  /** Who ordered. */
  readonly customerId: CustomerId;
  /** The host app's order id: reporting it again changes nothing. */
  readonly orderId: string;
  /** What was ordered. */
  readonly items: ReadonlyArray<{ sku: string; quantity?: number; amount?: { amountMinor: number; currency: string } }>;
  /** When it was placed (default: now). */
  readonly at?: Date;
}

/** Input of {@link ServiceDesk.recordFeedback}. */
export interface FeedbackInput {
  /** Who gave it. */
  readonly customerId: CustomerId;
  /** The department it is for, a key of the desk's `followUps.feedbackRoutes` (`product`, `development`). */
  readonly department: string;
  /** The customer's words. */
  readonly text: string;
  /** A suggestion, a complaint about the product, or praise (default `suggestion`). */
  readonly kind?: 'suggestion' | 'complaint' | 'praise';
  /** The ticket or survey it came from. */
  readonly aboutTicketId?: TicketId;
  /** The channel it came in on (default `web_form`). */
  readonly channel?: Channel;
  /** An id from the source (a survey answer id, a form submission id): recording it again returns the same ticket. */
  readonly sourceId?: string;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(subject, result.error);
  return result.data;
}

const AUTO_CLOSE = 'ticket.autoClose';
const autoCloseKey = (id: string): string => `${AUTO_CLOSE}:${id}`;
const SLA_CHECK = 'sla.check';
const SignalListSchema = z.array(SignalSchema);
const ESCALATION_TIME = 'escalation.time';
const ESCALATION_LADDER = 'escalation.ladder';
const ESCALATION_NOTIFY = 'escalation.notify';
/** The scheduler job type that hands a committed event to the event sink. */
const EVENT_PUBLISH = 'event.publish';
const ESCALATION_ACTOR: Actor = Object.freeze({ kind: 'system' as const, name: 'escalation rules' });
const isSlaConfig = (c: SlaConfigInput | SlaConfig): c is SlaConfig => 'kind' in c && c.kind === 'sla-config';
const slaKey = (id: string): string => `${SLA_CHECK}:${id}`;

const TicketQuerySchema = z
  .object({
    status: z.unknown().optional(),
    assigneeId: AgentIdSchema.optional(),
    teamId: TeamIdSchema.optional(),
    requesterId: z.string().optional(),
    priority: z.unknown().optional(),
    type: z.unknown().optional(),
    tag: z.string().optional(),
    createdFrom: z.date().optional(),
    createdBefore: z.date().optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: z
      .string()
      .refine((c) => decodeCursor(c) !== null, 'is not a cursor from a previous page: pass nextCursor as it was returned')
      .optional(),
  })
  .strict();

const ADMIN_CLOSE_REASONS = CLOSE_REASONS.filter((r) => r !== 'confirmed_by_customer' && r !== 'auto_closed') as [
  Exclude<CloseReason, 'confirmed_by_customer' | 'auto_closed'>,
  ...Array<Exclude<CloseReason, 'confirmed_by_customer' | 'auto_closed'>>,
];

// Command input schemas, built once: constructing a zod schema costs more than parsing with it.
const NoteTextSchema = z.string().trim().min(1, 'a note needs text');
const AssignTargetSchema = z.object({ agentId: AgentIdSchema.nullable().optional(), teamId: TeamIdSchema.nullable().optional() }).strict();
const TransferInputSchema = z.object({
  to: z.object({ agentId: AgentIdSchema.optional(), teamId: TeamIdSchema.optional() }).strict().refine((r) => r.agentId !== undefined || r.teamId !== undefined, 'name an agent or a team to transfer to'),
  consent: ConsentAnswerSchema,
  reason: z.string().trim().min(1, 'say why the ticket is transferred'),
});
const HoldInputSchema = z.object({ reason: z.string().trim().min(1, 'say why the ticket is put on hold'), waitingOn: z.string().trim().min(1).optional(), consent: ConsentAnswerSchema });
const SetStatusSchema = z.enum(['open', 'pending_customer']);
const TagListSchema = z.array(z.string().trim().min(1).max(100)).min(1, 'name at least one tag');
const ResolveInputSchema = z.object({ summary: z.string().trim().min(1, 'describe the resolution') });
const ReopenInputSchema = z.object({ reason: z.string().trim().min(1, 'say why the ticket is reopened') });
const CloseInputSchema = z.object({
  reason: z.enum(ADMIN_CLOSE_REASONS, { message: `must be one of ${ADMIN_CLOSE_REASONS.join(', ')}; resolutions close through confirmResolution() or the auto-close` }),
  note: z.string().trim().min(1).optional(),
});
const SourceIdSchema = z.string().min(1);
const OrderInputSchema = z
  .object({
    customerId: CustomerIdSchema,
    orderId: z.string().trim().min(1).max(200),
    items: z.array(z.object({ sku: z.string().trim().min(1), quantity: z.number().int().positive().default(1), amount: MoneySchema.optional() }).strict()).min(1, 'an order has at least one item'),
    at: z.date().optional(),
  })
  .strict();
const HostEventSchema = z
  .object({
    customerId: CustomerIdSchema,
    name: z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/, 'use a lower-case name such as "subscription.renewed"'),
    id: z.string().trim().min(1).max(200),
    data: z.record(z.string(), JsonValueSchema).default({}),
  })
  .strict();
const FeedbackInputSchema = z
  .object({
    customerId: CustomerIdSchema,
    department: z.string().min(1),
    text: z.string().trim().min(1, 'feedback needs the customer\'s words').max(100_000),
    kind: z.enum(['suggestion', 'complaint', 'praise']).default('suggestion'),
    aboutTicketId: z.string().min(1).optional(),
    channel: ChannelSchema.default('web_form'),
    sourceId: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
const FollowUpFilterSchema = z.object({ customerId: z.string().min(1).optional(), ticketId: z.string().min(1).optional(), planId: z.string().min(1).optional() }).strict();
const FollowUpQuerySchema = FollowUpFilterSchema.extend({
  status: z.unknown().optional(),
  limit: z.number().int().min(1).max(500).optional(),
  cursor: z.string().refine((c) => decodeCursor(c) !== null, 'is not a cursor from a previous page: pass nextCursor as it was returned').optional(),
}).strict();
const SurveyQuerySchema = z
  .object({
    ticketId: z.string().min(1).optional(),
    customerId: z.string().min(1).optional(),
    status: z.enum(['sent', 'answered']).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: FollowUpQuerySchema.shape.cursor,
  })
  .strict();
const NotifyInputSchema = z
  .object({
    customerId: CustomerIdSchema.optional(),
    agentId: AgentIdSchema.optional(),
    template: z.string().min(1, 'name the template to send'),
    data: z.record(z.string(), JsonValueSchema).default({}),
    channel: ChannelSchema.optional(),
    urgent: z.boolean().default(false),
    key: z.string().min(1).max(300).optional(),
    ticketId: z.string().min(1).optional(),
    notBefore: z.date().optional(),
  })
  .strict()
  .refine((v) => (v.customerId === undefined) !== (v.agentId === undefined), { message: 'give exactly one of customerId and agentId', path: ['customerId'] });
const NotificationQuerySchema = z
  .object({
    status: z.union([z.enum(NOTIFICATION_STATUSES), z.array(z.enum(NOTIFICATION_STATUSES))]).optional(),
    recipientId: z.string().min(1).optional(),
    ticketId: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: TicketQuerySchema.shape.cursor,
  })
  .strict();
const ArticleQuerySchema = z
  .object({
    status: z.union([z.enum(['draft', 'published', 'archived']), z.array(z.enum(['draft', 'published', 'archived']))]).optional(),
    locale: z.string().min(1).optional(),
    product: z.string().min(1).optional(),
    tag: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: TicketQuerySchema.shape.cursor,
  })
  .strict();
const OfferTargetSchema = z.union([z.object({ ticketId: z.string().min(1) }).strict(), z.object({ customerId: z.string().min(1) }).strict()], {
  error: 'give { ticketId } or { customerId } (options such as limit go in the second argument)',
});
const OfferQuerySchema = z
  .object({
    customerId: z.string().min(1).optional(),
    sku: z.string().min(1).optional(),
    status: z.union([z.enum(['offered', 'accepted', 'rejected', 'ignored']), z.array(z.enum(['offered', 'accepted', 'rejected', 'ignored']))]).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: TicketQuerySchema.shape.cursor,
  })
  .strict();
const DeliveryOptionsSchema = z.object({ maxAttempts: z.number().int().min(1).max(100).default(8), backoff: BackoffSchema.default(BackoffSchema.parse({})) }).strict();
const isFollowUpConfig = (c: FollowUpConfigInput | FollowUpConfig): c is FollowUpConfig => 'kind' in c && c.kind === 'followup-config';
const CustomerQuerySchema = z.object({ kind: z.enum(['internal', 'external']).optional(), limit: z.number().int().min(1).max(500).optional(), cursor: TicketQuerySchema.shape.cursor }).strict();


interface Outcome<R> {
  readonly work: UnitOfWork | null;
  readonly events: ReadonlyArray<DeskEvent>;
  readonly effects: ReadonlyArray<Effect>;
  readonly result: R;
}

const CREATION_FIELDS = ['subject', 'type', 'priority', 'status', 'requesterId', 'channel', 'assigneeId', 'teamId', 'followUpOf', 'sourceId'] as const;

/** The desk's escalation rules: the user's rules and the rules their agent limits compile to, checked together. */
function buildEscalation(options: ServiceDeskOptions, sla: SlaConfig | undefined, ladderRules: ReadonlyArray<EscalationRuleInput>): EscalationRules | undefined {
  const limitRules = [...agentLimitRules(options.agentLimits ?? []), ...ladderRules];
  const given = options.escalation;
  if (given === undefined && limitRules.length === 0) return undefined;
  if (given !== undefined && 'kind' in given && given.kind === 'escalation-rules') {
    if (limitRules.length > 0) throw new ConfigError('agentLimits', 'pass escalation rules as plain data (not already defined) when you also give agentLimits or escalationLadders, so they are checked together');
    return given;
  }
  const own = (given as ReadonlyArray<EscalationRuleInput> | undefined) ?? [];
  // Generated rules are told apart by these prefixes, so users' rules may not take them.
  own.forEach((r, i) => {
    if (typeof r.id === 'string' && (r.id.startsWith(LADDER_RULE_PREFIX) || r.id.startsWith(LIMIT_RULE_PREFIX))) {
      throw new ConfigError(`escalation.rules[${i}].id`, `"${r.id}": ids starting with "${LADDER_RULE_PREFIX}" or "${LIMIT_RULE_PREFIX}" are kept for ladders and agent limits`);
    }
  });
  return defineEscalationRules([...own, ...limitRules], { calendars: sla === undefined ? [] : [...sla.calendars.keys()] });
}

/**
 * Create a service desk on the given ports.
 *
 * @example
 * ```ts
 * const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock('2026-04-01T09:00:00+09:00') });
 * const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Tanaka Hanako', timeZone: 'Asia/Tokyo' });
 * const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router drops Wi-Fi', channel: 'phone' });
 * ```
 * @throws ConfigError when an option is invalid.
 */
export function createServiceDesk(options: ServiceDeskOptions): ServiceDesk {
  const storage = guardStorage(options.storage);
  const clock = options.clock ?? createSystemClock();
  const policy = defineLifecyclePolicy(options.lifecycle);
  const newId = options.ids ?? randomIds;
  const retries = options.conflictRetries ?? 3;
  const onError =
    options.onError ??
    ((error: unknown, context: DeskErrorSource) => {
      console.error(`[omotenashi] ${context.source} failed:`, error);
    });
  if (options.scheduler !== undefined && storage.scheduler !== undefined && options.scheduler !== storage.scheduler) {
    throw new ConfigError('scheduler', `the ${storage.name} storage writes its timers with its own scheduler (${storage.scheduler.name}): leave \`scheduler\` out, or pass that same scheduler`);
  }
  const scheduler = options.scheduler ?? storage.scheduler ?? createInProcessScheduler({ clock });
  const publishing = options.publishEvents;
  if (publishing !== undefined) {
    if (typeof publishing.sink?.publish !== 'function') throw new ConfigError('publishEvents.sink', 'pass an EventSink: { name, publish: async (event) => { ... } }');
    const unknown = publishing.events === 'all' ? undefined : publishing.events.find((n) => !EVENT_NAMES.includes(n));
    if (unknown !== undefined) throw new ConfigError('publishEvents.events', `"${unknown}" is not a desk event; the names are listed in EVENT_NAMES`);
  }
  const published = publishing === undefined ? undefined : publishing.events === 'all' ? undefined : new Set<EventName>(publishing.events);
  /** The jobs that publish a command's events, filed with its unit of work. */
  const publishJobs = (events: ReadonlyArray<DeskEvent>): Effect[] => {
    if (publishing === undefined) return [];
    const at = clock.now();
    return events
      .filter((e) => published === undefined || published.has(e.name))
      .map((e) => {
        const id = newId('evt');
        return { type: 'schedule' as const, job: { key: `${EVENT_PUBLISH}:${id}`, at, type: EVENT_PUBLISH, payload: { id, name: e.name, at, body: JSON.stringify(e.payload) } } };
      });
  };
  // Timers ride in the commit when the storage writes them itself: a crash after the commit cannot lose one.
  const jobsInCommit = storage.scheduler !== undefined;
  const sla: SlaConfig | undefined =
    options.sla === undefined ? undefined : isSlaConfig(options.sla) ? options.sla : defineSlaConfig(options.sla);
  const emitter = new EventEmitter();
  const detector = options.signals === false ? undefined : (options.signals ?? createSignalDetector());
  if (options.escalationLadders !== undefined && options.escalationLadders.length > 0 && sla === undefined) {
    throw new ConfigError('escalationLadders', 'ladders climb SLA clocks: pass createServiceDesk({ sla }) too');
  }
  const ladders = compileLadders(options.escalationLadders ?? []);
  const escalation = buildEscalation(options, sla, ladders.rules);
  const usesLimitFacts = escalation?.rules.some((r) => r.id.startsWith(LIMIT_RULE_PREFIX)) ?? false;
  const notifiers = (options.notifiers ?? []).map(guardNotifier);
  const followUpConfig: FollowUpConfig | undefined =
    options.followUps === undefined ? undefined : isFollowUpConfig(options.followUps) ? options.followUps : defineFollowUps(options.followUps, { calendars: sla?.calendars ?? new Map() });
  if (followUpConfig !== undefined && notifiers.length === 0) {
    const sending = [...followUpConfig.plans.values()].find((p) => p.action.type !== 'task');
    if (sending !== undefined) throw new ConfigError('notifiers', `plan "${sending.id}" sends messages: pass createServiceDesk({ notifiers: [...] }) (e.g. createConsoleNotifier())`);
  }
  const followUps: FollowUpRuntime | undefined = followUpConfig === undefined ? undefined : createFollowUpRuntime({ storage, config: followUpConfig, notifiers });
  const templates = options.templates;
  if (templates !== undefined && followUpConfig !== undefined) {
    for (const plan of followUpConfig.plans.values()) {
      if (plan.action.type === 'task') continue;
      const where = `followUps.plans.${plan.id}.action.template`;
      if (!templates.has(plan.action.template)) throw new ConfigError(where, `there is no template "${plan.action.template}" in createServiceDesk({ templates }) (known: ${templates.names.join(', ') || 'none'})`);
      const carried = followUpVariables(plan);
      const lacking = templates.required(plan.action.template).find((v) => !carried.has(v));
      if (lacking !== undefined) {
        throw new ConfigError(where, `template "${plan.action.template}" needs "${lacking}", which this plan's messages do not carry (they carry ${[...carried].join(', ')}): make it optional ("${lacking}?") or build it in the template (e.g. a link from {{surveyId}})`);
      }
    }
  }
  const deliveryParsed = DeliveryOptionsSchema.safeParse(options.delivery ?? {});
  if (!deliveryParsed.success) throw ConfigError.fromZod('delivery', deliveryParsed.error);
  const outbox = createOutbox({ storage, notifiers, templates, policy: deliveryParsed.data });
  const knowledge = createKnowledgeRuntime({ storage });
  const suggestionConfig = options.suggestions === undefined ? defineSuggestions() : isSuggestionConfig(options.suggestions) ? options.suggestions : defineSuggestions(options.suggestions);
  const offers: OfferRuntime | undefined = options.catalog === undefined ? undefined : createOfferRuntime({ storage, catalog: options.catalog, config: suggestionConfig, scorers: options.scorers });
  if (offers === undefined && followUpConfig !== undefined) {
    const wants = [...followUpConfig.plans.values()].find((p) => p.action.type === 'message' && p.action.includeOffer);
    if (wants !== undefined) throw new ConfigError(`followUps.plans.${wants.id}.action.includeOffer`, 'offers come from a catalog: pass createServiceDesk({ catalog: defineCatalog([...]) })');
  }

  /** Signals in what a customer wrote; a failing detector never keeps the message from being recorded. */
  async function detectSignals(author: Actor, visibility: string, text: string | undefined, locale: string | undefined): Promise<Signal[]> {
    if (detector === undefined || author.kind !== 'customer' || visibility !== 'public' || text === undefined || text.trim() === '') return [];
    try {
      const found = await detector.detect(text, locale === undefined ? {} : { locale });
      const parsed = SignalListSchema.safeParse(found);
      if (!parsed.success) throw new AdapterError(detector.name, 'detect', 'returned signals that break the port contract', { cause: parsed.error });
      return parsed.data.filter((sig) => sig.span[1] <= text.length);
    } catch (error) {
      onError(error, { source: 'signals', detector: detector.name });
      return [];
    }
  }

  const nowDate = (): Date => new Date(clock.now());
  const actorOf = (o?: CommandOptions): Actor => (o?.by === undefined ? SYSTEM_ACTOR : parse(ActorSchema, o.by, 'command option "by"'));

  async function load<K extends 'customer' | 'agent' | 'team' | 'ticket'>(kind: K, id: string) {
    const found = await storage.get(kind, id);
    if (found === null) throw new NotFoundError(kind, id);
    return found;
  }

  async function run<R>(decide: () => Promise<Outcome<R>>, retryable: boolean, origin: 'command' | 'escalation' = 'command'): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await decide();
      const effects = publishing === undefined ? outcome.effects : [...outcome.effects, ...publishJobs(outcome.events)];
      const inCommit = jobsInCommit && outcome.work !== null && effects.length > 0;
      if (outcome.work !== null) {
        try {
          await storage.commit(inCommit ? { ...outcome.work, jobs: effects } : outcome.work);
        } catch (error) {
          if (retryable && attempt < retries && error instanceof ConflictError && error.kind === 'version') continue;
          throw error;
        }
      }
      for (const effect of inCommit ? [] : effects) {
        try {
          await match(effect)
            .with({ type: 'schedule' }, (e) => scheduler.schedule(e.job))
            .with({ type: 'cancel' }, (e) => scheduler.cancel(e.key))
            .exhaustive();
        } catch (error) {
          onError(error, { source: 'effect', effect: effect.type === 'schedule' ? effect.job.key : effect.key });
        }
      }
      for (const event of outcome.events) emitter.emit(event.name, event.payload);
      if (origin === 'command' && escalation !== undefined) await escalateAfter(outcome.events);
      return outcome.result;
    }
  }

  /** Point every ticket event at the ticket as it will be committed. */
  function bind(events: ReadonlyArray<DeskEvent>, finals: ReadonlyMap<string, Ticket>): DeskEvent[] {
    return events.map((e) =>
      'ticket' in e.payload ? ({ name: e.name, payload: { ...e.payload, ticket: finals.get(e.payload.ticket.id) ?? e.payload.ticket } } as DeskEvent) : e,
    );
  }

  type Settled = { work: UnitOfWork | null; events: DeskEvent[]; effects: Effect[]; finals: Map<string, Ticket> };

  /**
   * Recompute the SLA clocks of the tickets a command wrote (and of `check`, for a timer), store
   * the snapshot in the same unit of work, announce what changed, and keep one timer per ticket
   * for its next warning or breach.
   */
  async function withSla(settled: Settled, ctx: DecisionContext, check?: Ticket): Promise<Settled> {
    if (sla === undefined) return settled;
    const puts = [...(settled.work?.puts ?? [])];
    const audit = [...(settled.work?.audit ?? [])];
    const interactions = settled.work?.interactions ?? [];
    const finals = new Map(settled.finals);
    const effects = [...settled.effects];
    const slaEventsOut: DeskEvent[] = [];
    const ids = new Set(puts.filter((p) => p.kind === 'ticket').map((p) => p.record.id));
    if (check !== undefined) ids.add(check.id);
    for (const id of ids) {
      const putIndex = puts.findIndex((p) => p.kind === 'ticket' && p.record.id === id);
      const put = putIndex >= 0 ? (puts[putIndex] as Extract<Put, { kind: 'ticket' }>) : undefined;
      const current = put?.record ?? (check as Ticket);
      const isNew = put !== undefined && put.expectedVersion === null;
      const [storedAudit, storedInteractions] = isNew ? [[], []] : await Promise.all([storage.listAudit(current.id), storage.listInteractions(current.id)]);
      const history = slaHistory(
        current,
        [...storedAudit, ...audit.filter((a) => a.ticketId === id)],
        [...storedInteractions, ...interactions.filter((i) => i.ticketId === id)],
      );
      const customer = await load('customer', current.requesterId);
      const snapshot = toSnapshot(evaluateSla({ ticket: current, customer, history, config: sla, now: ctx.now, explain: false }), ctx.now);
      const previous = current.sla;
      if (!snapshotChanged(previous, snapshot)) continue;
      const record: Ticket = put !== undefined ? { ...current, sla: snapshot } : { ...current, sla: snapshot, version: current.version + 1, updatedAt: ctx.now };
      if (put !== undefined) puts[putIndex] = { ...put, record };
      else puts.push({ kind: 'ticket', record, expectedVersion: current.version });
      finals.set(id, record);
      const changes = slaAuditChanges(previous, snapshot);
      if (changes.length > 0) audit.push({ ticketId: record.id, version: record.version, at: ctx.now, actor: ctx.actor, action: 'sla', changes });
      slaEventsOut.push(...slaEvents(previous, snapshot, record, ctx.now, ctx.actor));
      effects.push(...ladderEffects(record, previous, snapshot, ctx.now));
      const next = snapshot.nextCheckAt;
      if (next !== undefined && next.getTime() !== previous?.nextCheckAt?.getTime()) {
        effects.push({ type: 'schedule', job: { key: slaKey(id), at: next.getTime(), type: SLA_CHECK, payload: { ticketId: id } } });
      } else if (next === undefined && previous?.nextCheckAt !== undefined) {
        effects.push({ type: 'cancel', key: slaKey(id) });
      }
    }
    const work = puts.length === 0 && interactions.length === 0 ? null : { puts, interactions, audit };
    return { work, events: bind([...settled.events, ...slaEventsOut], finals), effects, finals };
  }

  /** Turn lifecycle steps into a unit of work, audit entries, final event payloads and timer effects. */
  function settle(steps: ReadonlyArray<Step>, ctx: DecisionContext): Settled {
    const first = new Map<string, Ticket | null>();
    const last = new Map<string, Ticket>();
    for (const s of steps) {
      if (!first.has(s.ticket.id)) first.set(s.ticket.id, s.before);
      last.set(s.ticket.id, s.ticket);
    }
    const finals = new Map<string, Ticket>();
    const puts: Put[] = [];
    const effects: Effect[] = [];
    for (const [id, after] of last) {
      const before = first.get(id) ?? null;
      const changed = before === null || steps.some((s) => s.ticket.id === id && (s.before !== s.ticket || s.interactions.length > 0));
      if (!changed) {
        finals.set(id, after);
        continue;
      }
      const record: Ticket = { ...after, version: (before?.version ?? 0) + 1, updatedAt: ctx.now };
      finals.set(id, record);
      puts.push({ kind: 'ticket', record, expectedVersion: before?.version ?? null });
      if (escalation !== undefined) effects.push(...timeRuleEffects(before, record));
      const due = autoCloseDueAt(record, policy);
      if (due !== null && (before === null || before.status !== 'resolved' || before.resolvedAt?.getTime() !== record.resolvedAt?.getTime())) {
        effects.push({ type: 'schedule', job: { key: autoCloseKey(id), at: due, type: AUTO_CLOSE, payload: { ticketId: id } } });
      } else if (due === null && before?.status === 'resolved') {
        effects.push({ type: 'cancel', key: autoCloseKey(id) });
      }
    }
    const audit: AuditEntry[] = [];
    for (const s of steps) {
      const final = finals.get(s.ticket.id) as Ticket;
      const changes =
        s.before === null
          ? CREATION_FIELDS.filter((f) => s.ticket[f] !== undefined).map((f) => ({ field: f, from: undefined, to: s.ticket[f] }))
          : diffRecords(s.before, s.ticket, ['version', 'updatedAt', 'escalation']);
      if (changes.length === 0 && s.interactions.length === 0 && s.events.length === 0) continue;
      audit.push({
        ticketId: s.ticket.id,
        version: final.version,
        at: ctx.now,
        actor: ctx.actor,
        action: s.action,
        changes,
        ...(s.reason === undefined ? {} : { reason: s.reason }),
      });
    }
    const events = bind(steps.flatMap((s) => s.events), finals);
    const interactions = steps.flatMap((s) => s.interactions);
    const work = puts.length === 0 && interactions.length === 0 ? null : { puts, interactions, audit };
    return { work, events, effects, finals };
  }

  /** Add what another part of the desk decided to a command's unit of work. */
  function fold<T extends { work: UnitOfWork | null; events: ReadonlyArray<DeskEvent>; effects: ReadonlyArray<Effect> }>(into: T, add: Addition): T {
    if (add.puts.length === 0 && add.events.length === 0 && add.effects.length === 0) return into;
    const work: UnitOfWork = { puts: [...(into.work?.puts ?? []), ...add.puts], interactions: into.work?.interactions ?? [], audit: into.work?.audit ?? [] };
    return { ...into, work, events: [...into.events, ...add.events], effects: [...into.effects, ...add.effects] };
  }

  /** The follow-ups a command's ticket changes set off or cancel, in the same unit of work. */
  async function withFollowUps(settled: Settled, steps: ReadonlyArray<Step>, ctx: DecisionContext): Promise<Settled> {
    if (followUps === undefined || settled.work === null) return settled;
    const written = new Set(settled.work.puts.filter((p) => p.kind === 'ticket').map((p) => p.record.id));
    const changes: Array<{ before: Ticket | null; after: Ticket }> = [];
    for (const id of written) {
      const first = steps.find((s) => s.ticket.id === id);
      changes.push({ before: first?.before ?? null, after: finalOf(settled.finals, id) });
    }
    const customers = new Map<string, Customer>();
    const customerOf = async (id: string): Promise<Customer> => {
      let c = customers.get(id);
      if (c === undefined) {
        c = await load('customer', id);
        customers.set(id, c);
      }
      return c;
    };
    return fold(settled, await followUps.forTickets(changes, customerOf, ctx.now, ctx.actor));
  }

  function context(actor: Actor): DecisionContext {
    return { now: nowDate(), actor, policy, newId: (p) => newId(p) };
  }

  /** Run a command on one ticket: load, check the caller's version, decide, settle, commit. */
  function ticketCommand<R>(
    ticketId: TicketId,
    options: TicketCommandOptions | undefined,
    decide: (ticket: Ticket, ctx: DecisionContext) => Promise<Step[]> | Step[],
    result: (finals: Map<string, Ticket>, steps: ReadonlyArray<Step>, ticket: Ticket) => R,
    mode: { slaCheck?: boolean; origin?: 'command' | 'escalation'; extra?: (settled: Settled, ctx: DecisionContext) => Promise<Addition> } = {},
  ): Promise<R> {
    const actor = actorOf(options);
    const expected = options?.expectedVersion;
    return run(async () => {
      const ticket = await load('ticket', ticketId);
      if (expected !== undefined && ticket.version !== expected) {
        throw new ConflictError({ entity: 'ticket', id: ticketId, kind: 'version', expectedVersion: expected, actualVersion: ticket.version });
      }
      const ctx = context(actor);
      const steps = await decide(ticket, ctx);
      let settled = await withFollowUps(await withSla(settle(steps, ctx), ctx, mode.slaCheck ? ticket : undefined), steps, ctx);
      if (mode.extra !== undefined) settled = fold(settled, await mode.extra(settled, ctx));
      return { work: settled.work, events: settled.events, effects: settled.effects, result: result(settled.finals, steps, ticket) };
    }, expected === undefined, mode.origin ?? 'command');
  }

  /** The escalation triggers in a command's events: one per interaction, SLA occurrence, or ticket change. */
  function triggersOf(events: ReadonlyArray<DeskEvent>): Array<{ ticketId: string; trigger: EscalationEvent; occurrence: string; event: Record<string, unknown>; signals: ReadonlyArray<Signal> }> {
    const out: Array<{ ticketId: string; trigger: EscalationEvent; occurrence: string; event: Record<string, unknown>; signals: ReadonlyArray<Signal> }> = [];
    const updated = new Map<string, number>();
    for (const e of events) {
      const p = e.payload as { ticket?: Ticket };
      if (p.ticket === undefined) continue;
      const id = p.ticket.id;
      match(e)
        .with({ name: 'ticket.opened' }, () => out.push({ ticketId: id, trigger: 'ticket.opened', occurrence: 'opened', event: { type: 'ticket.opened' }, signals: [] }))
        .with({ name: 'interaction.recorded' }, ({ payload }) => {
          if (payload.interaction.author.kind === 'customer' && payload.interaction.visibility === 'public') {
            out.push({ ticketId: id, trigger: 'interaction.received', occurrence: payload.interaction.id, event: { type: 'interaction.received' }, signals: payload.interaction.signals });
          }
        })
        .with({ name: 'signal.detected' }, ({ payload }) => out.push({ ticketId: id, trigger: 'signal.detected', occurrence: payload.interaction.id, event: { type: 'signal.detected' }, signals: payload.signals }))
        .with({ name: 'sla.warning' }, ({ payload }) =>
          out.push({ ticketId: id, trigger: 'sla.warning', occurrence: `${payload.slot}/${payload.metric}#${payload.clock.cycle}@${payload.thresholdMs}`, event: { type: 'sla.warning', metric: payload.metric }, signals: [] }),
        )
        .with({ name: 'survey.answered' }, ({ payload }) => {
          const a = payload.survey.answer ?? {};
          const score = a.csat ?? a.nps ?? a.ces;
          out.push({
            ticketId: payload.survey.ticketId,
            trigger: 'survey.answered',
            occurrence: payload.survey.id,
            event: { type: 'survey.answered', low: payload.low, ...(score === undefined ? {} : { score }), ...(a.csat === undefined ? {} : { csat: a.csat }), ...(a.nps === undefined ? {} : { nps: a.nps }), ...(a.ces === undefined ? {} : { ces: a.ces }), ...(a.solved === undefined ? {} : { solved: a.solved }) },
            signals: [],
          });
        })
        .with({ name: 'sla.breached' }, ({ payload }) =>
          out.push({ ticketId: id, trigger: 'sla.breached', occurrence: `${payload.slot}/${payload.metric}#${payload.clock.cycle}`, event: { type: 'sla.breached', metric: payload.metric }, signals: [] }),
        )
        .otherwise(() => {
          if (e.name.startsWith('ticket.') && e.name !== 'ticket.opened') updated.set(id, Math.max(updated.get(id) ?? 0, p.ticket?.version ?? 0));
        });
    }
    for (const [ticketId, version] of updated) out.push({ ticketId, trigger: 'ticket.updated', occurrence: `v${version}`, event: { type: 'ticket.updated' }, signals: [] });
    return out;
  }

  /** Run the escalation rules for what a command did; failures are reported, never thrown. */
  async function escalateAfter(events: ReadonlyArray<DeskEvent>): Promise<void> {
    const rules = escalation as EscalationRules;
    for (const t of triggersOf(events)) {
      if (!rules.byEvent.has(t.trigger)) continue;
      await runEscalation(t);
    }
  }

  /** One escalation pass on one ticket for one trigger occurrence, as its own unit of work. */
  async function runEscalation(t: {
    ticketId: string;
    trigger: EscalationEvent | 'time';
    occurrence: string;
    event: Record<string, unknown>;
    signals: ReadonlyArray<Signal>;
    only?: ReadonlyArray<string>;
    stillDue?: (ticket: Ticket) => boolean;
    ladder?: { level: LadderLevel; cycle: number };
  }): Promise<void> {
    const rules = escalation as EscalationRules;
    try {
      let flags: FlagRequest[] = [];
      let notes: Array<{ ruleId: string; action: Extract<EscalationAction, { type: 'notify' }> }> = [];
      let requesterId: CustomerId | undefined;
      await ticketCommand(
        t.ticketId as TicketId,
        { by: ESCALATION_ACTOR },
        async (ticket, ctx) => {
          if (ticket.status === 'closed' || (t.stillDue !== undefined && !t.stillDue(ticket))) return [];
          const customer = await load('customer', ticket.requesterId);
          requesterId = customer.id;
          const base = ticketFacts(ticket, customer, ctx.now);
          let facts: object = { ...base, event: t.event, signals: signalFacts(t.signals) };
          if (t.ladder !== undefined && sla !== undefined) {
            // The clock as it stands now, not as stored at the last change.
            const [audit, interactions] = await Promise.all([storage.listAudit(ticket.id), storage.listInteractions(ticket.id)]);
            const fresh = toSnapshot(evaluateSla({ ticket, customer, history: slaHistory(ticket, audit, interactions), config: sla, now: ctx.now, explain: false }), ctx.now);
            const clock = fresh.clocks.find((c) => c.slot === t.ladder?.level.slot && c.metric === t.ladder.level.metric);
            if (clock === undefined || clock.cycle !== t.ladder.cycle) return [];
            facts = { ...facts, sla: clockFacts(clock, ctx.now.getTime()) };
          }
          if (usesLimitFacts && t.trigger === 'interaction.received') {
            const [interactions, agents] = await Promise.all([storage.listInteractions(ticket.id), storage.listAgents()]);
            const extra = limitFacts(ticket, interactions, agents);
            facts = { ...facts, ticket: { ...base.ticket, ...extra.ticket }, ...(extra.assignee === undefined ? {} : { assignee: extra.assignee }) };
          }
          const decision = evaluateEscalation({ rules, event: t.trigger, occurrence: t.occurrence, facts, state: ticket.escalation?.rules ?? {}, ...(t.only ? { only: t.only } : {}) });
          if (decision.fired.length === 0 && decision.state === (ticket.escalation?.rules ?? {})) return [];
          const needsPeople = decision.fired.some((f) => f.actions.some((a) => a.type === 'escalate' || a.type === 'route_to_team' || a.type === 'reassign' || a.type === 'request_callback'));
          const [agents, teams] = needsPeople ? await Promise.all([storage.listAgents(), storage.listTeams()]) : [[], []];
          const decided = decideEscalations({ ticket, fired: decision.fired, state: decision.state, trigger: t.trigger, agents, teams, ctx });
          flags = decided.flags;
          notes = decision.fired.flatMap((f) =>
            f.actions.flatMap((a) => {
              if (a.type === 'notify') return [{ ruleId: f.ruleId, action: a }];
              if (a.type !== 'request_callback') return [];
              // Ask the supervisor (or manager) above the holder to call the customer back.
              const target = resolveEscalationTarget({ type: 'escalate', to: a.from }, { ticket, agents, teams });
              if (!target.found || target.agentId === undefined) return [];
              return [{ ruleId: f.ruleId, action: { type: 'notify' as const, recipients: [{ agentId: target.agentId as string }], template: 'callback_request', urgent: false } }];
            }),
          );
          return decided.steps;
        },
        () => undefined,
        { origin: 'escalation' },
      );
      for (const f of flags) {
        if (requesterId !== undefined) await desk.flagCustomer(requesterId, { kind: f.kind, reason: f.reason, ticketId: t.ticketId as TicketId }, { by: ESCALATION_ACTOR });
      }
      if (notes.length > 0) await requestNotifications(t.ticketId as TicketId, notes);
    } catch (error) {
      onError(error, { source: 'escalation', ticketId: t.ticketId, trigger: t.trigger });
    }
  }

  /** Where each ladder level stands on a ticket's SLA snapshot: its clock and when it falls due. */
  function ladderDue(ticket: Ticket, snap: SlaSnapshot | undefined): Map<string, { at: number; cycle: number }> {
    const out = new Map<string, { at: number; cycle: number }>();
    if (snap === undefined || sla === undefined) return out;
    for (const level of ladders.levels) {
      const clock = snap.clocks.find((c) => c.slot === level.slot && c.metric === level.metric);
      if (clock === undefined) continue;
      if (ticket.escalation?.rules[level.ruleId]?.seen.includes(`${level.ruleId}#${clock.cycle}`)) continue;
      const calendar = sla.policies.find((p) => p.id === clock.policyId)?.metrics.get(clock.metric as SlaMetric)?.calendar ?? ALWAYS_OPEN;
      const at = levelDueAt(level, clock, snap.evaluatedAt, calendar);
      if (at !== null) out.set(level.ruleId, { at, cycle: clock.cycle });
    }
    return out;
  }

  /** Keep one timer per ticket and ladder level, following its SLA clock. */
  function ladderEffects(ticket: Ticket, previous: SlaSnapshot | undefined, next: SlaSnapshot, now: Date): Effect[] {
    if (ladders.levels.length === 0) return [];
    const was = ladderDue(ticket, previous);
    const will = ladderDue(ticket, next);
    const effects: Effect[] = [];
    for (const level of ladders.levels) {
      const key = `${ESCALATION_LADDER}:${ticket.id}:${level.ruleId}`;
      const w = will.get(level.ruleId);
      const p = was.get(level.ruleId);
      if (w === undefined) {
        if (p !== undefined) effects.push({ type: 'cancel', key });
      } else if (p === undefined || p.at !== w.at || p.cycle !== w.cycle) {
        effects.push({ type: 'schedule', job: { key, at: Math.max(w.at, now.getTime()), type: ESCALATION_LADDER, payload: { ticketId: ticket.id, ruleId: level.ruleId, cycle: w.cycle } } });
      }
    }
    return effects;
  }

  /**
   * Notifications escalation rules asked for: recipients resolved now (after the rule's other
   * actions), each sent at once when urgent, else when the recipient is next at work (an agent's
   * calendar) or outside a customer's quiet hours.
   */
  async function requestNotifications(ticketId: TicketId, notes: ReadonlyArray<{ ruleId: string; action: Extract<EscalationAction, { type: 'notify' }> }>): Promise<void> {
    const ticket = await load('ticket', ticketId);
    const [agents, teams, customer] = await Promise.all([storage.listAgents(), storage.listTeams(), load('customer', ticket.requesterId)]);
    const byId = new Map(agents.map((a) => [a.id as string, a]));
    const now = clock.now();
    for (const { ruleId, action } of notes) {
      const people = new Set<string>();
      let toCustomer = false;
      for (const r of action.recipients) {
        if ('agentId' in r) people.add(r.agentId);
        else if (r.role === 'customer') toCustomer = true;
        else if (r.role === 'assignee' && ticket.assigneeId !== undefined) people.add(ticket.assigneeId);
        else if (r.role === 'team_lead') {
          const lead = teams.find((x) => x.id === ticket.teamId)?.leadId;
          if (lead !== undefined) people.add(lead);
        } else if (r.role === 'manager') {
          const manager = ticket.assigneeId === undefined ? undefined : byId.get(ticket.assigneeId)?.managerId;
          if (manager !== undefined) people.add(manager);
        }
      }
      const targets: Array<{ recipient: { kind: 'agent'; agentId: AgentId } | { kind: 'customer'; customerId: string }; calendar: BusinessCalendar | undefined }> = [
        ...[...people].map((id) => {
          const agent = byId.get(id);
          return { recipient: { kind: 'agent' as const, agentId: id as AgentId }, calendar: agent?.calendar === undefined ? undefined : sla?.calendars.get(agent.calendar) };
        }),
        ...(toCustomer ? [{ recipient: { kind: 'customer' as const, customerId: customer.id as string }, calendar: contactHours(customer) }] : []),
      ];
      for (const { recipient, calendar } of targets) {
        const at = action.urgent || calendar === undefined ? now : calendar.nextOpen(new Date(now)).getTime();
        const payload = { ticketId, ruleId, template: action.template, urgent: action.urgent, recipientKind: recipient.kind, recipientId: recipient.kind === 'agent' ? recipient.agentId : recipient.customerId, requestedAt: now };
        if (at <= now) emitter.emit('escalation.notify', { ticket, ruleId, template: action.template, urgent: action.urgent, recipient, requestedAt: new Date(now), at: new Date(now), actor: ESCALATION_ACTOR });
        else await scheduler.schedule({ key: `${ESCALATION_NOTIFY}:${ticketId}:${ruleId}:${payload.recipientId}:${now}`, at, type: ESCALATION_NOTIFY, payload });
      }
    }
  }

  /** When a time rule falls due for a ticket (epoch ms and its anchor), or null when it does not apply. */
  function timeRuleDue(rule: CompiledRule, ticket: Ticket): { at: number; anchor: number } | null {
    if (rule.trigger.on !== 'time' || rule.afterMs === undefined) return null;
    if (ticket.status === 'resolved' || ticket.status === 'closed') return null;
    const since = rule.trigger.since;
    const anchor = (
      since === 'created' ? ticket.createdAt : since === 'last_public_update' ? (ticket.lastAgentReplyAt ?? ticket.createdAt) : (ticket.lastCustomerMessageAt ?? ticket.createdAt)
    ).getTime();
    const calendar = rule.trigger.calendar === undefined ? undefined : sla?.calendars.get(rule.trigger.calendar);
    const at = calendar === undefined ? anchor + rule.afterMs : calendar.addBusinessTime(new Date(anchor), rule.afterMs).getTime();
    return { at, anchor };
  }

  /** Keep one timer per ticket and time rule, moved when its anchor moves, dropped when it no longer applies. */
  function timeRuleEffects(before: Ticket | null, after: Ticket): Effect[] {
    const timeRules = (escalation?.byEvent.get('time') ?? []).filter((r) => !r.id.startsWith(LADDER_RULE_PREFIX));
    const effects: Effect[] = [];
    for (const rule of timeRules) {
      const was = before === null ? null : timeRuleDue(rule, before);
      const now = timeRuleDue(rule, after);
      const key = `${ESCALATION_TIME}:${after.id}:${rule.id}`;
      if (now === null) {
        if (was !== null) effects.push({ type: 'cancel', key });
      } else if (was === null || was.at !== now.at) {
        effects.push({ type: 'schedule', job: { key, at: now.at, type: ESCALATION_TIME, payload: { ticketId: after.id, ruleId: rule.id, anchor: now.anchor } } });
      }
    }
    return effects;
  }

  const finalOf = (finals: Map<string, Ticket>, id: string): Ticket => finals.get(id) as Ticket;

  async function checkRoute(route: { agentId?: AgentId | undefined; teamId?: TeamId | undefined }, field: string, options: { requireActive?: boolean } = {}): Promise<void> {
    let agent: Agent | undefined;
    if (route.agentId !== undefined) {
      agent = await load('agent', route.agentId);
      if (options.requireActive !== false && !agent.active) {
        throw new ValidationError(`${field}`, [{ path: [field, 'agentId'], message: `agent "${agent.name}" is inactive; pick an active agent`, code: 'custom' }]);
      }
    }
    if (route.teamId !== undefined) {
      await load('team', route.teamId);
      if (agent !== undefined && agent.teamIds.length > 0 && !agent.teamIds.includes(route.teamId)) {
        throw new ValidationError(`${field}`, [
          { path: [field, 'agentId'], message: `agent "${agent.name}" is not a member of team "${route.teamId}"; add them to it or pick another agent`, code: 'custom' },
        ]);
      }
    }
  }

  /** Apply a patch: `null` clears a field, `undefined` leaves it, anything else replaces it. */
  function applyPatch<T extends object>(current: T, patch: Record<string, unknown>): T {
    let next: Record<string, unknown> = { ...(current as Record<string, unknown>) };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) next = omit(next, key);
      else if (value !== undefined) next[key] = value;
    }
    return next as T;
  }

  /** The outcome of creating one versioned record. */
  function created<K extends 'customer' | 'agent' | 'team'>(kind: K, record: EntityMap[K], events: DeskEvent[]): Outcome<EntityMap[K]> {
    return { work: { puts: [{ kind, record, expectedVersion: null } as Put], interactions: [], audit: [] }, events, effects: [], result: record };
  }

  /** The outcome of replacing one versioned record; no write at all when nothing changed. */
  function updated<K extends 'customer' | 'agent' | 'team'>(
    kind: K,
    current: EntityMap[K],
    next: EntityMap[K],
    now: Date,
    events: (saved: EntityMap[K], changes: FieldChange[]) => DeskEvent[],
  ): Outcome<EntityMap[K]> {
    const changes = diffRecords(current, next, ['version', 'updatedAt']);
    if (changes.length === 0) return { work: null, events: [], effects: [], result: current };
    const saved = { ...next, version: current.version + 1, updatedAt: now };
    return {
      work: { puts: [{ kind, record: saved, expectedVersion: current.version } as Put], interactions: [], audit: [] },
      events: events(saved, changes),
      effects: [],
      result: saved,
    };
  }

  // --- customers -------------------------------------------------------------------------

  function customerCommand(
    id: CustomerId,
    options: (CommandOptions & { expectedVersion?: number }) | undefined,
    change: (c: Customer, now: Date, actor: Actor) => { next: Customer; events: (saved: Customer) => DeskEvent[] },
  ): Promise<Customer> {
    const actor = actorOf(options);
    const expected = options?.expectedVersion;
    return run(async () => {
      const current = await load('customer', id);
      if (expected !== undefined && current.version !== expected) {
        throw new ConflictError({ entity: 'customer', id, kind: 'version', expectedVersion: expected, actualVersion: current.version });
      }
      const now = nowDate();
      const { next, events } = change(current, now, actor);
      const outcome = updated('customer', current, next, now, (saved) => events(saved));
      if (followUps === undefined || outcome.work === null) return outcome;
      return fold(outcome, await followUps.forCustomer(current, outcome.result, now, actor));
    }, expected === undefined);
  }

  function checkAgentCalendar(id: string | undefined, subject: string): void {
    if (id !== undefined && sla?.calendars.has(id) !== true) {
      throw new ValidationError(subject, [{ path: ['calendar'], message: `no calendar "${id}" in the desk's SLA calendars (known: ${[...(sla?.calendars.keys() ?? [])].join(', ') || 'none'})`, code: 'custom' }]);
    }
  }

  async function checkManagerChain(agentId: string, managerId: AgentId | undefined): Promise<void> {
    const seen = new Set<string>([agentId]);
    let cursor = managerId;
    while (cursor !== undefined) {
      if (seen.has(cursor)) {
        throw new ValidationError('agent', [{ path: ['managerId'], message: `reporting line loops back to "${cursor}"; pick a manager outside this agent's chain`, code: 'custom' }]);
      }
      seen.add(cursor);
      const manager = await load('agent', cursor);
      cursor = manager.managerId;
    }
  }

  const desk: ServiceDesk = {
    lifecycle: policy,
    clock,

    async registerCustomer(input, options) {
      const actor = actorOf(options);
      const data = parse(CustomerInputSchema, input, 'registerCustomer input');
      return run(async () => {
        const now = nowDate();
        const customer = { ...data, id: (data.id ?? newId('cus')) as CustomerId, version: 1, flags: [], notes: [], createdAt: now, updatedAt: now } as Customer;
        const outcome = created('customer', customer, [deskEvent('customer.registered', { customer, at: now, actor })]);
        return followUps === undefined ? outcome : fold(outcome, await followUps.forCustomer(null, customer, now, actor));
      }, false);
    },

    async updateCustomer(id, patch, options) {
      const data = parse(CustomerPatchSchema, patch, 'updateCustomer patch');
      return customerCommand(id, options, (current, now, actor) => {
        const wrong = current.kind === 'internal' ? EXTERNAL_ONLY_FIELDS : INTERNAL_ONLY_FIELDS;
        const misplaced = wrong.filter((f) => f in data);
        if (misplaced.length > 0) {
          throw new ValidationError(
            'updateCustomer patch',
            misplaced.map((f) => ({ path: [f], message: `only ${current.kind === 'internal' ? 'external' : 'internal'} customers have "${f}"`, code: 'custom' })),
          );
        }
        const next = applyPatch(current, data);
        parse(CustomerInvariantSchema, next, 'updateCustomer patch');
        const checked = parse(CustomerSchema, next, 'updateCustomer patch');
        return {
          next: checked,
          events: (saved) => [deskEvent('customer.updated', { customer: saved, previous: current, changes: diffRecords(current, saved, ['version', 'updatedAt']), at: now, actor })],
        };
      });
    },

    async flagCustomer(id, flag, options) {
      const kind = parse(FlagKindSchema, flag.kind, 'flagCustomer kind');
      return customerCommand(id, options, (current, now, actor) => {
        const candidate = parse(
          CustomerFlagSchema,
          { kind, reason: flag.reason, author: actor, at: now, ...(flag.ticketId ? { ticketId: flag.ticketId } : {}), ...(flag.expiresAt ? { expiresAt: flag.expiresAt } : {}) },
          'flagCustomer input',
        ) as CustomerFlag;
        const same = activeFlags(current, now).find((f) => f.kind === kind && f.reason === candidate.reason);
        if (same !== undefined) return { next: current, events: () => [] };
        return {
          next: { ...current, flags: [...current.flags, candidate] },
          events: (saved) => [deskEvent('customer.flagged', { customer: saved, flag: candidate, at: now, actor })],
        };
      });
    },

    async clearCustomerFlag(id, kind, options) {
      return customerCommand(id, options, (current, now, actor) => {
        const live = new Set(activeFlags(current, now).filter((f) => f.kind === kind));
        if (live.size === 0) throw new NotFoundError('flag', kind, `customer "${id}" has no active "${kind}" flag`);
        const cleared: CustomerFlag[] = [];
        const flags = current.flags.map((f) => {
          if (!live.has(f)) return f;
          const c = { ...f, clearedAt: now, clearedBy: actor };
          cleared.push(c);
          return c;
        });
        return {
          next: { ...current, flags },
          events: (saved) => cleared.map((flag) => deskEvent('customer.flag_cleared', { customer: saved, flag, at: now, actor })),
        };
      });
    },

    async addCustomerNote(id, text, options) {
      const body = parse(NoteTextSchema, text, 'addCustomerNote text');
      return customerCommand(id, options, (current, now, actor) => {
        const next = { ...current, notes: [...current.notes, { text: body, author: actor, at: now }] };
        return { next, events: (saved) => [deskEvent('customer.updated', { customer: saved, previous: current, changes: [{ field: 'notes', from: current.notes, to: saved.notes }], at: now, actor })] };
      });
    },

    // --- agents and teams ------------------------------------------------------------------

    async registerAgent(input, options) {
      const actor = actorOf(options);
      const data = parse(AgentInputSchema, input, 'registerAgent input');
      checkAgentCalendar(data.calendar, 'registerAgent input');
      return run(async () => {
        if (data.managerId !== undefined) await load('agent', data.managerId);
        for (const t of data.teamIds) await load('team', t);
        const now = nowDate();
        const agent = { ...data, id: (data.id ?? newId('agt')) as AgentId, version: 1, createdAt: now, updatedAt: now } as Agent;
        return created('agent', agent, [deskEvent('agent.registered', { agent, at: now, actor })]);
      }, false);
    },

    async updateAgent(id, patch, options) {
      const actor = actorOf(options);
      const data = parse(AgentPatchSchema, patch, 'updateAgent patch');
      checkAgentCalendar(data.calendar ?? undefined, 'updateAgent patch');
      return run(async () => {
        const current = await load('agent', id);
        if (data.managerId !== undefined && data.managerId !== null) await checkManagerChain(id, data.managerId);
        if (data.teamIds !== undefined) for (const t of data.teamIds) await load('team', t);
        const now = nowDate();
        return updated('agent', current, applyPatch(current, data), now, (saved, changes) => [
          deskEvent('agent.updated', { agent: saved, previous: current, changes, at: now, actor }),
        ]);
      }, true);
    },

    async registerTeam(input, options) {
      const actor = actorOf(options);
      const data = parse(TeamInputSchema, input, 'registerTeam input');
      return run(async () => {
        if (data.leadId !== undefined) await load('agent', data.leadId);
        const now = nowDate();
        const team = { ...data, id: (data.id ?? newId('team')) as TeamId, version: 1, createdAt: now, updatedAt: now } as Team;
        return created('team', team, [deskEvent('team.registered', { team, at: now, actor })]);
      }, false);
    },

    async updateTeam(id, patch, options) {
      const actor = actorOf(options);
      const data = parse(TeamPatchSchema, patch, 'updateTeam patch');
      return run(async () => {
        const current = await load('team', id);
        if (data.leadId !== undefined && data.leadId !== null) await load('agent', data.leadId);
        const team = applyPatch(current, data);
        if (team.kind !== 'in_house' && team.provider === undefined) {
          throw new ValidationError('updateTeam patch', [{ path: ['provider'], message: 'third-party and independent teams need a provider ({ name })', code: 'custom' }]);
        }
        const now = nowDate();
        return updated('team', current, team, now, (saved, changes) => [deskEvent('team.updated', { team: saved, previous: current, changes, at: now, actor })]);
      }, true);
    },

    // --- tickets ---------------------------------------------------------------------------

    async openTicket(input, options) {
      const actor = actorOf(options);
      const data = parse(OpenTicketInputSchema, input, 'openTicket input');
      if (data.sourceId !== undefined) {
        const existing = await storage.findTicketBySourceId(data.sourceId);
        if (existing !== null) return { ticket: existing, created: false };
      }
      try {
        return await run(async () => {
          const requester = await load('customer', data.requesterId);
          await checkRoute({ agentId: data.assigneeId, teamId: data.teamId }, 'openTicket input');
          const signals = await detectSignals({ kind: 'customer' }, 'public', data.description, requester.locale);
          const ctx = context(actor);
          const s = decideOpen(data, requester, ctx, signals);
          const settled = await withSla(settle([s], ctx), ctx);
          return { work: settled.work, events: settled.events, effects: settled.effects, result: { ticket: finalOf(settled.finals, s.ticket.id), created: true } };
        }, false);
      } catch (error) {
        if (error instanceof ConflictError && error.kind === 'source_id' && data.sourceId !== undefined) {
          const existing = await storage.findTicketBySourceId(data.sourceId);
          if (existing !== null) return { ticket: existing, created: false };
        }
        throw error;
      }
    },

    async recordInteraction(ticketId, input, options) {
      const data = parse(InteractionInputSchema, input, 'recordInteraction input');
      // Unless told otherwise, whoever wrote the interaction is who changed the ticket.
      if (options?.by === undefined) options = { ...options, by: data.author };
      let duplicate: Interaction | undefined;
      let landedOn: string = ticketId;
      const signalsFor = async (ticket: Ticket): Promise<Signal[]> => {
        if (data.author.kind !== 'customer') return [];
        const requester = await load('customer', ticket.requesterId);
        return detectSignals(data.author, data.visibility, data.body ?? data.summary, requester.locale);
      };
      return ticketCommand(
        ticketId,
        options,
        async (ticket, ctx) => {
          duplicate = undefined;
          landedOn = ticket.id;
          if (data.externalId !== undefined) {
            const seen = (await storage.listInteractions(ticket.id)).find((i) => i.externalId === data.externalId);
            if (seen !== undefined) {
              duplicate = seen;
              return [];
            }
          }
          const isNote = data.kind === 'note' || (data.visibility === 'internal' && data.author.kind !== 'customer');
          if (ticket.status === 'closed' && !isNote && !data.confirmsResolution) {
            if (data.author.kind !== 'customer') {
              throw new InvalidTransitionError({
                ticketId: ticket.id,
                from: 'closed',
                to: 'closed',
                allowed: allowedTransitions('closed'),
                reason: 'a closed ticket takes only internal notes: reopen it before replying',
              });
            }
            const reopened = decideReopen(ticket, 'the customer wrote again', ctx);
            const target = reopened[0] as Step;
            landedOn = target.ticket.id;
            return [...reopened, { ...decideInteraction(target.ticket, data, ctx, await signalsFor(ticket)), before: target.ticket }];
          }
          if (data.confirmsResolution && ticket.status !== 'closed') {
            const recorded = decideInteraction(ticket, data, ctx, await signalsFor(ticket));
            return [recorded, decideConfirm(recorded.ticket, ctx, 'confirmed in a message from the customer')];
          }
          return [decideInteraction(ticket, data, ctx, await signalsFor(ticket))];
        },
        (finals, steps, ticket) => {
          if (duplicate !== undefined) return { ticket, interaction: duplicate, recorded: false };
          const interaction = steps.flatMap((s) => s.interactions).at(-1) as Interaction;
          return { ticket: finalOf(finals, landedOn), interaction, recorded: true };
        },
      );
    },

    async assign(ticketId, to, options) {
      const route = parse(AssignTargetSchema, to, 'assign target');
      return ticketCommand(
        ticketId,
        options,
        async (ticket, ctx) => {
          // The route as it will be; only a newly named agent has to be active.
          const agentId = route.agentId === null ? undefined : (route.agentId ?? ticket.assigneeId);
          const teamId = route.teamId === null ? undefined : (route.teamId ?? ticket.teamId);
          await checkRoute({ agentId, teamId }, 'assign target', { requireActive: route.agentId != null });
          return [decideAssign(ticket, route, ctx, options?.reason)];
        },
        (finals, _s, t) => finalOf(finals, t.id),
      );
    },

    async transfer(ticketId, input, options) {
      const data = parse(TransferInputSchema, input, 'transfer input');
      return ticketCommand(
        ticketId,
        options,
        async (ticket, ctx) => {
          if (data.consent.granted) await checkRoute({ agentId: data.to.agentId, teamId: data.to.teamId ?? (data.to.agentId ? undefined : ticket.teamId) }, 'transfer input');
          return [decideTransfer(ticket, data, ctx)];
        },
        (finals, steps, t) => ({ ticket: finalOf(finals, t.id), transferred: steps[0]?.action === 'transfer' }),
      );
    },

    async hold(ticketId, input, options) {
      const data = parse(HoldInputSchema, input, 'hold input');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideHold(ticket, data, ctx)], (finals, steps, t) => ({
        ticket: finalOf(finals, t.id),
        held: steps[0]?.action === 'hold',
      }));
    },

    async resume(ticketId, options) {
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideResume(ticket, ctx, options?.reason)], (finals, _s, t) => finalOf(finals, t.id));
    },

    async setStatus(ticketId, status, options) {
      const to = parse(SetStatusSchema, status, 'setStatus status');
      return ticketCommand(
        ticketId,
        options,
        (ticket, ctx) => {
          if (ticket.status === 'on_hold' || ticket.status === 'resolved' || ticket.status === 'closed') {
            const hint = ticket.status === 'on_hold' ? 'use resume()' : 'use reopen()';
            throw new ValidationError('setStatus status', [{ path: ['status'], message: `ticket "${ticket.id}" is ${ticket.status}: ${hint}`, code: 'custom' }]);
          }
          return [decideSetStatus(ticket, to, ctx, options?.reason)];
        },
        (finals, _s, t) => finalOf(finals, t.id),
      );
    },

    async setPriority(ticketId, priority, options) {
      const p = parse(PrioritySchema, priority, 'setPriority priority');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decidePriority(ticket, p, ctx, options?.reason)], (finals, _s, t) => finalOf(finals, t.id));
    },

    async tag(ticketId, tags, options) {
      const list = parse(TagListSchema, tags, 'tag tags');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideTag(ticket, list, ctx)], (finals, _s, t) => finalOf(finals, t.id));
    },

    async untag(ticketId, tags, options) {
      const list = parse(TagListSchema, tags, 'untag tags');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideUntag(ticket, list, ctx)], (finals, _s, t) => finalOf(finals, t.id));
    },

    async resolve(ticketId, input, options) {
      const data = parse(ResolveInputSchema, input, 'resolve input');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideResolve(ticket, data.summary, ctx)], (finals, _s, t) => finalOf(finals, t.id));
    },

    async confirmResolution(ticketId, options) {
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideConfirm(ticket, ctx, options?.note)], (finals, _s, t) => finalOf(finals, t.id));
    },

    async reopen(ticketId, input, options) {
      const data = parse(ReopenInputSchema, input, 'reopen input');
      return ticketCommand(ticketId, options, (ticket, ctx) => decideReopen(ticket, data.reason, ctx), (finals, steps, t) => {
        const first = steps[0] as Step;
        return { ticket: finalOf(finals, first.ticket.id), followUp: first.ticket.id !== t.id };
      });
    },

    async close(ticketId, input, options) {
      const data = parse(CloseInputSchema, input, 'close input');
      return ticketCommand(ticketId, options, (ticket, ctx) => [decideClose(ticket, data.reason, ctx, data.note)], (finals, _s, t) => finalOf(finals, t.id));
    },

    // --- queries ---------------------------------------------------------------------------

    getTicket: (id) => load('ticket', id),
    async getTicketDetails(id) {
      const ticket = await load('ticket', id);
      const [requester, interactions, audit] = await Promise.all([load('customer', ticket.requesterId), storage.listInteractions(id), storage.listAudit(id)]);
      return { ticket, requester, flags: activeFlags(requester, nowDate()), interactions, audit };
    },
    findTicketBySourceId: (sourceId) => storage.findTicketBySourceId(parse(SourceIdSchema, sourceId, 'sourceId')),
    async listTickets(query = {}) {
      parse(TicketQuerySchema, query, 'listTickets query');
      return storage.listTickets(query);
    },
    listInteractions: async (ticketId) => {
      await load('ticket', ticketId);
      return storage.listInteractions(ticketId);
    },
    getAuditTrail: async (ticketId) => {
      await load('ticket', ticketId);
      return storage.listAudit(ticketId);
    },
    getCustomer: (id) => load('customer', id),
    async listCustomers(query = {}) {
      parse(CustomerQuerySchema, query, 'listCustomers query');
      return storage.listCustomers(query);
    },
    getAgent: (id) => load('agent', id),
    listAgents: () => storage.listAgents(),
    getTeam: (id) => load('team', id),
    listTeams: () => storage.listTeams(),

    // --- events and timers -----------------------------------------------------------------

    on(event, listener) {
      const wrapped = (payload: OmotenashiEvents[typeof event]): void => {
        try {
          const r = listener(payload);
          if (r instanceof Promise) r.catch((error: unknown) => onError(error, { source: 'listener', event }));
        } catch (error) {
          onError(error, { source: 'listener', event });
        }
      };
      emitter.on(event, wrapped);
      return () => {
        emitter.off(event, wrapped);
      };
    },
    once(event, listener) {
      const off = desk.on(event, (payload) => {
        off();
        return listener(payload);
      });
      return off;
    },

    async restoreSchedules() {
      let count = 0;
      let cursor: string | undefined;
      do {
        const page = await storage.listTickets({ status: ['new', 'open', 'pending_customer', 'on_hold', 'resolved'], limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        for (const t of page.items) {
          const due = autoCloseDueAt(t, policy);
          if (due !== null) {
            await scheduler.schedule({ key: autoCloseKey(t.id), at: due, type: AUTO_CLOSE, payload: { ticketId: t.id } });
            count++;
          }
          const check = t.sla?.nextCheckAt;
          if (sla !== undefined && check !== undefined) {
            await scheduler.schedule({ key: slaKey(t.id), at: check.getTime(), type: SLA_CHECK, payload: { ticketId: t.id } });
            count++;
          }
          for (const effect of timeRuleEffects(null, t)) {
            if (effect.type === 'schedule') {
              await scheduler.schedule(effect.job);
              count++;
            }
          }
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      for (const effect of [...(followUps === undefined ? [] : await followUps.pendingJobs()), ...(await outbox.pendingJobs())]) {
        if (effect.type === 'schedule') {
          await scheduler.schedule(effect.job);
          count++;
        }
      }
      return count;
    },

    async whatIfSla(candidateInput, query = {}) {
      if (sla === undefined) throw new ConfigError('sla', 'this desk has no SLA configuration to compare with; pass createServiceDesk({ sla })');
      const candidate = isSlaConfig(candidateInput) ? candidateInput : defineSlaConfig(candidateInput);
      const cases: SlaReplayCase[] = [];
      const customers = new Map<string, Customer>();
      let cursor: string | undefined;
      do {
        const page = await storage.listTickets({ ...query, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        for (const ticket of page.items) {
          const [audit, interactions] = await Promise.all([storage.listAudit(ticket.id), storage.listInteractions(ticket.id)]);
          let customer = customers.get(ticket.requesterId);
          if (customer === undefined) {
            customer = await load('customer', ticket.requesterId);
            customers.set(ticket.requesterId, customer);
          }
          cases.push({ ticket, customer, history: slaHistory(ticket, audit, interactions) });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return compareSlaPolicies({ cases, current: sla, candidate, now: nowDate() });
    },

    async explainSla(ticketId) {
      if (sla === undefined) throw new ConfigError('sla', 'this desk has no SLA configuration; pass createServiceDesk({ sla })');
      const ticket = await load('ticket', ticketId);
      const [audit, interactions, customer] = await Promise.all([storage.listAudit(ticketId), storage.listInteractions(ticketId), load('customer', ticket.requesterId)]);
      return evaluateSla({ ticket, customer, history: slaHistory(ticket, audit, interactions), config: sla, now: nowDate() });
    },

    async orderPlaced(input, options) {
      const actor = actorOf(options);
      const data = parse(OrderInputSchema, input, 'orderPlaced input');
      return run(async () => {
        const current = await load('customer', data.customerId);
        if (current.purchases.some((p) => p.orderId === data.orderId)) return { work: null, events: [], effects: [], result: current };
        const now = nowDate();
        const at = data.at ?? now;
        const purchases = [...current.purchases, ...data.items.map((i) => ({ sku: i.sku, at, orderId: data.orderId, quantity: i.quantity, ...(i.amount === undefined ? {} : { amount: i.amount }) }))];
        const items = data.items.map((i) => ({ sku: i.sku, quantity: i.quantity }));
        const outcome = updated('customer', current, { ...current, purchases }, now, (saved, changes) => [
          deskEvent('customer.updated', { customer: saved, previous: current, changes, at: now, actor }),
          deskEvent('order.placed', { customer: saved, orderId: data.orderId, items, at: now, actor }),
        ]);
        if (followUps === undefined) return outcome;
        const currencies = new Set(data.items.map((i) => i.amount?.currency));
        const amountMinor = currencies.size === 1 && !currencies.has(undefined) ? data.items.reduce((sum, i) => sum + (i.amount?.amountMinor ?? 0), 0) : undefined;
        return fold(outcome, await followUps.forTrigger(outcome.result, { on: 'order_placed', orderId: data.orderId, skus: data.items.map((i) => i.sku), amountMinor, at: at.getTime() }, now, actor));
      }, true);
    },

    async reportEvent(input, options) {
      const actor = actorOf(options);
      const data = parse(HostEventSchema, input, 'reportEvent input');
      await run(async () => {
        const customer = await load('customer', data.customerId);
        const now = nowDate();
        const event = deskEvent('customer.event_reported', { customer, name: data.name, id: data.id, data: data.data, at: now, actor });
        const base = { work: null, events: [event], effects: [] as Effect[], result: undefined };
        return followUps === undefined ? base : fold(base, await followUps.forTrigger(customer, { on: 'event', name: data.name, id: data.id, data: data.data, at: now.getTime() }, now, actor));
      }, true);
    },

    async answerSurvey(surveyId, answer, options) {
      const data = parse(SurveyAnswerSchema, answer, 'answerSurvey answer');
      const by = options?.by === undefined ? undefined : actorOf(options);
      const first = await storage.get('survey', surveyId);
      if (first === null) throw new NotFoundError('survey', surveyId);
      checkAnswerFits(data, first.questions, 'answerSurvey answer');
      const thresholds = followUpConfig?.surveys ?? { lowCsat: 2, lowNps: 6, lowCes: 5, reopenWhenUnsolved: true, perTicket: 1 };
      let survey: Survey = first;
      let answered: Survey | undefined;
      return ticketCommand(
        first.ticketId,
        { by: by ?? { kind: 'customer', id: first.customerId } },
        async (ticket, ctx) => {
          survey = (await storage.get('survey', surveyId)) ?? first;
          answered = undefined;
          if (survey.status === 'answered') {
            if (JSON.stringify(survey.answer) === JSON.stringify(data)) return [];
            throw new ValidationError('answerSurvey answer', [{ path: [], message: `survey "${surveyId}" was already answered at ${survey.answeredAt?.toISOString() ?? '?'}; answers are kept as given`, code: 'custom' }]);
          }
          const low = isLowAnswer(data, thresholds);
          answered = {
            ...survey,
            version: survey.version + 1,
            status: 'answered',
            answeredAt: ctx.now,
            answer: data,
            low,
            ...(data.nps === undefined ? {} : { npsCategory: npsCategory(data.nps) }),
            ...(ticket.assigneeId === undefined ? {} : { assigneeId: ticket.assigneeId }),
            ...(ticket.teamId === undefined ? {} : { teamId: ticket.teamId }),
            ticketType: ticket.type,
            ticketPriority: ticket.priority,
            updatedAt: ctx.now,
          };
          const unsolved = data.solved === false && thresholds.reopenWhenUnsolved && (ticket.status === 'resolved' || ticket.status === 'closed');
          return unsolved ? decideReopen(ticket, 'the customer answered that the resolution did not solve the problem', ctx) : [];
        },
        (finals, steps, ticket) => ({ survey: answered ?? survey, ticket: finals.get(steps[0]?.ticket.id ?? ticket.id) ?? ticket }),
        {
          extra: async (settled, ctx) => {
            if (answered === undefined) return { puts: [], events: [], effects: [] };
            const ticket = settled.finals.get(answered.ticketId) ?? (await load('ticket', answered.ticketId));
            return {
              puts: [{ kind: 'survey', record: answered, expectedVersion: survey.version }],
              events: [deskEvent('survey.answered', { survey: answered, ticket, low: answered.low === true, at: ctx.now, actor: ctx.actor })],
              effects: [],
            };
          },
        },
      );
    },

    async recordFeedback(input, options) {
      const data = parse(FeedbackInputSchema, input, 'recordFeedback input');
      const routes = followUpConfig?.feedbackRoutes ?? {};
      const teamId = routes[data.department];
      if (teamId === undefined) {
        throw new ValidationError('recordFeedback input', [
          { path: ['department'], message: `no feedback route for "${data.department}" (known: ${Object.keys(routes).join(', ') || 'none'}); add it to followUps.feedbackRoutes`, code: 'custom' },
        ]);
      }
      const label = data.kind === 'praise' ? 'Praise' : data.kind === 'complaint' ? 'Product complaint' : 'Suggestion';
      const { ticket } = await desk.openTicket(
        {
          requesterId: data.customerId,
          subject: `${label} for ${data.department}: ${data.text.length > 80 ? `${data.text.slice(0, 79)}…` : data.text}`,
          description: data.text,
          type: 'feedback',
          channel: data.channel,
          teamId: teamId as TeamId,
          tags: ['feedback', `department:${data.department}`, data.kind],
          customFields: { department: data.department, feedbackKind: data.kind, ...(data.aboutTicketId === undefined ? {} : { aboutTicketId: data.aboutTicketId }) },
          ...(data.sourceId === undefined ? {} : { sourceId: `feedback:${data.sourceId}` }),
        },
        options,
      );
      return ticket;
    },

    async cancelFollowUps(filter, options) {
      const actor = actorOf(options);
      const f = parse(FollowUpFilterSchema, filter, 'cancelFollowUps filter');
      if (f.customerId === undefined && f.ticketId === undefined && f.planId === undefined) {
        throw new ValidationError('cancelFollowUps filter', [{ path: [], message: 'name a customerId, ticketId or planId: cancelling every follow-up at once is not allowed', code: 'custom' }]);
      }
      if (followUps === undefined) return 0;
      const runtime = followUps;
      return run(async () => {
        const add = await runtime.cancel(f as { customerId?: CustomerId; ticketId?: TicketId; planId?: string }, options?.reason ?? 'cancelled by command', nowDate(), actor);
        return fold({ work: null, events: [], effects: [], result: add.puts.length }, add);
      }, true);
    },

    async listFollowUps(query = {}) {
      parse(FollowUpQuerySchema, query, 'listFollowUps query');
      return storage.listFollowUps(query);
    },
    async listSurveys(query = {}) {
      parse(SurveyQuerySchema, query, 'listSurveys query');
      return storage.listSurveys(query);
    },
    async getSurvey(id) {
      const found = await storage.get('survey', id);
      if (found === null) throw new NotFoundError('survey', id);
      return found;
    },

    async suggestOffers(target, options) {
      if (offers === undefined) throw new ConfigError('catalog', 'this desk has no catalog to suggest from: pass createServiceDesk({ catalog: defineCatalog([...]) })');
      const runtime = offers;
      const actor = actorOf(options);
      const limit = options?.limit === undefined ? undefined : parse(z.number().int().min(1).max(50), options.limit, 'suggestOffers option "limit"');
      parse(OfferTargetSchema, target, 'suggestOffers target');
      const ticketId = 'ticketId' in target ? target.ticketId : undefined;
      const result = await run(async () => {
        const ticket = ticketId === undefined ? undefined : await load('ticket', ticketId);
        const customer = await load('customer', ticket?.requesterId ?? (target as { customerId: CustomerId }).customerId);
        const made = await runtime.offer({ customer, ticket }, nowDate(), actor, { limit, record: options?.record !== false });
        return fold({ work: null, events: [], effects: [], result: { ...made.result, offers: options?.record === false ? [] : made.offers } }, made.addition);
      }, true);
      return result;
    },
    async answerOffer(offerId, answer, options) {
      if (offers === undefined) throw new ConfigError('catalog', 'this desk has no catalog, hence no offers');
      const runtime = offers;
      const actor = actorOf(options);
      const status = parse(z.enum(['accepted', 'rejected', 'ignored']), answer, 'answerOffer answer');
      const record = await run(async () => {
        const found = await storage.get('offer', offerId);
        if (found === null) throw new NotFoundError('offer', offerId, 'offer ids are "ofr:<customer>:<sku>:<time>", as suggestOffers returned them');
        if (found.status === status) return { work: null, events: [], effects: [], result: found };
        if (found.status !== 'offered') throw new ValidationError('answerOffer', [{ path: ['answer'], message: `offer "${offerId}" was already ${found.status}`, code: 'custom' }]);
        const done = runtime.answer(found, status, nowDate(), actor);
        return fold({ work: null, events: [], effects: [], result: done.record }, done.addition);
      }, true);
      runtime.count(record);
      return record;
    },
    async listOffers(query = {}) {
      parse(OfferQuerySchema, query, 'listOffers query');
      return storage.listOffers(query);
    },
    async offerStats() {
      if (offers === undefined) return [];
      const stats = await offers.stats(clock.now());
      return [...stats]
        .map(([key, s]) => {
          const i = key.indexOf(':');
          return { kind: key.slice(0, i), sku: key.slice(i + 1), answered: s.answered, accepted: s.accepted, rate: s.answered === 0 ? 0 : s.accepted / s.answered };
        })
        .sort((a, b) => b.rate - a.rate || b.answered - a.answered || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    },

    async createArticle(input, options) {
      const actor = actorOf(options);
      const data = parse(ArticleInputSchema, input, 'createArticle input');
      const now = nowDate();
      const { id, ...fields } = data;
      const article: Article = { id: id ?? `kb_${newId('msg').slice(4)}`, version: 1, ...fields, status: 'draft', helpful: 0, notHelpful: 0, createdAt: now, updatedAt: now };
      return run(async () => fold({ work: null, events: [], effects: [], result: article }, knowledge.change(null, article, 'article.created', now, actor)), false);
    },
    async updateArticle(id, patch, options) {
      const actor = actorOf(options);
      const data = parse(ArticlePatchSchema, patch, 'updateArticle patch');
      const updated = await run(async () => {
        const found = await desk.getArticle(id);
        if (options?.expectedVersion !== undefined && options.expectedVersion !== found.version) {
          throw new ConflictError({ entity: 'article', id, kind: 'version', expectedVersion: options.expectedVersion, actualVersion: found.version });
        }
        const now = nowDate();
        const { product, ...rest } = data;
        const next: Article = { ...found, ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Article>), version: found.version + 1, updatedAt: now };
        if (product === null) delete (next as { product?: string }).product;
        else if (product !== undefined) next.product = product;
        return fold({ work: null, events: [], effects: [], result: next }, knowledge.change(found, next, 'article.updated', now, actor));
      }, options?.expectedVersion === undefined);
      knowledge.indexed(updated);
      return updated;
    },
    publishArticle: (id, options) => moveArticle(id, 'published', options),
    archiveArticle: (id, options) => moveArticle(id, 'archived', options),
    async draftArticleFromTicket(ticketId, options) {
      const actor = actorOf(options);
      return run(async () => {
        const existing = await storage.get('article', articleIdFromTicket(ticketId));
        if (existing !== null) return { work: null, events: [], effects: [], result: existing };
        const ticket = await load('ticket', ticketId);
        if (ticket.resolution === undefined) {
          throw new ValidationError('draftArticleFromTicket', [{ path: ['ticketId'], message: `ticket "${ticketId}" has no resolution yet: resolve it first, then write the article from it`, code: 'custom' }]);
        }
        const [customer, interactions] = await Promise.all([load('customer', ticket.requesterId), storage.listInteractions(ticket.id)]);
        const now = nowDate();
        const draft = knowledge.draftFrom(ticket, customer, interactions, now);
        return fold({ work: null, events: [], effects: [], result: draft }, knowledge.change(null, draft, 'article.created', now, actor));
      }, true);
    },
    async suggestArticles(target, options = {}) {
      const index = await knowledge.searchIndex();
      if ('ticketId' in target) {
        const ticket = await load('ticket', target.ticketId);
        const [customer, interactions, unhelpful] = await Promise.all([
          load('customer', ticket.requesterId),
          storage.listInteractions(ticket.id),
          storage.listArticles({ status: 'published', limit: 500 }).then((p) => p.items.filter((a) => a.ticketIds.includes(ticket.id) && a.notHelpful > 0).map((a) => a.id)),
        ]);
        const words = interactions.filter((i) => i.author.kind === 'customer').map((i) => i.body ?? i.summary ?? '');
        return index.search([ticket.subject, ticket.description ?? '', ...words].join('\n'), { locale: customer.locale, limit: options.limit ?? 5, exclude: unhelpful, ...(options.product === undefined ? {} : { product: options.product }) });
      }
      const q = parse(z.object({ text: z.string().trim().min(1, 'give the question to search for'), locale: z.string().min(1).optional() }).strict(), target, 'suggestArticles target');
      return index.search(q.text, { limit: options.limit ?? 5, ...(q.locale === undefined ? {} : { locale: q.locale }), ...(options.product === undefined ? {} : { product: options.product }) });
    },
    async recordArticleFeedback(id, feedback, options) {
      const actor = actorOf(options);
      const f = parse(z.object({ helpful: z.boolean(), ticketId: z.string().min(1).optional() }).strict(), feedback, 'recordArticleFeedback feedback');
      const updated = await run(async () => {
        const found = await desk.getArticle(id);
        const now = nowDate();
        const ticketIds = f.ticketId === undefined || found.ticketIds.includes(f.ticketId as TicketId) ? found.ticketIds : [...found.ticketIds, f.ticketId as TicketId];
        const next: Article = { ...found, version: found.version + 1, helpful: found.helpful + (f.helpful ? 1 : 0), notHelpful: found.notHelpful + (f.helpful ? 0 : 1), ticketIds, updatedAt: now };
        return fold({ work: null, events: [], effects: [], result: next }, knowledge.change(found, next, 'article.feedback_recorded', now, actor));
      }, true);
      knowledge.indexed(updated);
      return updated;
    },
    async getArticle(id) {
      const found = await storage.get('article', id);
      if (found === null) throw new NotFoundError('article', id);
      return found;
    },
    async listArticles(query = {}) {
      parse(ArticleQuerySchema, query, 'listArticles query');
      return storage.listArticles(query);
    },
    async recurringProblems(options = {}) {
      const o = parse(z.object({ window: DurationSchema.optional(), minCount: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(100).optional(), similarity: z.number().min(0).max(1).optional() }).strict(), options, 'recurringProblems options');
      const now = clock.now();
      const from = new Date(now - 2 * toMillis(o.window ?? 'P30D', 'window'));
      const tickets: Ticket[] = [];
      let cursor: string | undefined;
      do {
        const page = await storage.listTickets({ createdFrom: from, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        tickets.push(...page.items.filter((t) => t.type !== 'feedback' && t.type !== 'follow_up'));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return recurringProblems(tickets, { now, ...o });
    },

    async notify(input, options) {
      const actor = actorOf(options);
      const data = parse(NotifyInputSchema, input, 'notify input');
      return run(async () => {
        const now = nowDate();
        const key = data.key ?? newId('msg');
        const existing = await storage.get('notification', notificationIdOf(key));
        if (existing !== null) return { work: null, events: [], effects: [], result: existing };
        const ticket = data.ticketId === undefined ? undefined : await load('ticket', data.ticketId);
        const assignee = ticket?.assigneeId === undefined ? null : await storage.get('agent', ticket.assigneeId);
        const about: Record<string, JsonValue> = ticket === undefined ? {} : { ticketRef: ticket.id, ticketSubject: ticket.subject, ...(assignee === null ? {} : { agentName: assignee.name }) };
        const invalid = (path: string, message: string): never => {
          throw new ValidationError('notify input', [{ path: [path], message, code: 'custom' }]);
        };
        let message: Parameters<typeof outbox.queue>[0];
        if (data.customerId !== undefined) {
          const customer = await load('customer', data.customerId);
          if (!data.urgent && activeFlags(customer, now).some((f) => f.kind === 'do_not_contact')) invalid('customerId', `customer "${customer.id}" is flagged do_not_contact: only urgent messages may go to them`);
          const deliverable = (c: Channel): boolean => outbox.notifierFor(c) !== undefined;
          const chosen = chooseChannel(customer, [data.channel ?? 'preferred'], deliverable);
          if (chosen === null) {
            invalid('channel', data.channel === undefined
              ? `customer "${customer.id}" has no contact point on a channel a notifier delivers (${notifiers.flatMap((n) => n.capabilities.channels).join(', ') || 'no notifiers'}): add a contact point or a notifier`
              : `customer "${customer.id}" cannot be reached on "${data.channel}" (no contact point, opted out, or no notifier for it)`);
          }
          const { channel, contact } = chosen as NonNullable<typeof chosen>;
          const name = salutationName(customer, customer.locale);
          message = { idempotencyKey: key, to: { kind: 'customer', id: customer.id, name, address: contactAddress(contact) }, channel, template: data.template, locale: customer.locale, data: { ...about, ...data.data }, urgent: data.urgent, customer, source: 'command' };
        } else {
          const agent = await load('agent', data.agentId as AgentId);
          const channel = data.channel ?? 'email';
          if (channel !== 'email') invalid('channel', `agents are reached by e-mail; "${channel}" needs a customer recipient`);
          if (outbox.notifierFor('email') === undefined) invalid('channel', 'no notifier delivers e-mail: pass one in createServiceDesk({ notifiers })');
          const address = agent.email ?? invalid('agentId', `agent "${agent.id}" has no e-mail address: set one with updateAgent`);
          message = { idempotencyKey: key, to: { kind: 'agent', id: agent.id, name: agent.name, address }, channel, template: data.template, locale: agent.languages[0] ?? templates?.defaultLocale ?? 'en', data: { ...about, ...data.data }, urgent: data.urgent, source: 'command' };
        }
        const queued = await outbox.queue({ ...message, ticketId: ticket?.id, notBefore: data.notBefore?.getTime() }, now, actor);
        return fold({ work: null, events: [], effects: [], result: queued.record }, queued.addition);
      }, true);
    },

    async listNotifications(query = {}) {
      parse(NotificationQuerySchema, query, 'listNotifications query');
      return storage.listNotifications(query);
    },
    async getNotification(id) {
      const found = await storage.get('notification', id);
      if (found === null) throw new NotFoundError('notification', id, 'outbox ids are "ntf:" and the idempotency key');
      return found;
    },
    async retryNotification(id, options) {
      const actor = actorOf(options);
      return run(async () => {
        const found = await desk.getNotification(id);
        if (found.status !== 'failed') throw new ValidationError('retryNotification', [{ path: ['status'], message: `message "${id}" is ${found.status}; only failed (dead-lettered) messages can be retried`, code: 'custom' }]);
        const add = outbox.revive(found, nowDate(), actor);
        return fold({ work: null, events: [], effects: [], result: add.puts[0]?.record as NotificationRecord }, add);
      }, true);
    },
    async cancelNotification(id, options) {
      const actor = actorOf(options);
      return run(async () => {
        const found = await desk.getNotification(id);
        if (found.status !== 'pending') throw new ValidationError('cancelNotification', [{ path: ['status'], message: `message "${id}" is ${found.status}; only pending messages can be cancelled`, code: 'custom' }]);
        const add = outbox.withdraw(found, nowDate(), actor);
        return fold({ work: null, events: [], effects: [], result: add.puts[0]?.record as NotificationRecord }, add);
      }, true);
    },

    stop: () => scheduler.stop(),
  };

  /** Publish or archive an article (a no-op when it already is), keeping the search index in step. */
  async function moveArticle(id: string, status: 'published' | 'archived', options?: CommandOptions): Promise<Article> {
    const actor = actorOf(options);
    const moved = await run(async () => {
      const found = await desk.getArticle(id);
      if (found.status === status) return { work: null, events: [], effects: [], result: found };
      const now = nowDate();
      const next = knowledge.moved(found, status, now);
      return fold({ work: null, events: [], effects: [], result: next }, knowledge.change(found, next, status === 'published' ? 'article.published' : 'article.archived', now, actor));
    }, true);
    knowledge.indexed(moved);
    return moved;
  }

  /**
   * Carry out a due follow-up: decide, and either commit a skip, cancel or deferral, or commit it
   * as sent together with its message in the outbox (and its survey), all in one unit of work;
   * the relay then delivers the message. A task plan opens its ticket first (idempotent on the
   * follow-up's source id), then records the follow-up as sent.
   */
  async function runFollowUp(runtime: FollowUpRuntime, id: string): Promise<void> {
    let send: Extract<Awaited<ReturnType<FollowUpRuntime['prepare']>>, { kind: 'send' }>['send'] | undefined;
    await run(async () => {
      send = undefined;
      const prepared = await runtime.prepare(id, nowDate());
      if (prepared.kind === 'send') send = prepared.send;
      return prepared.kind === 'commit' ? fold({ work: null, events: [], effects: [] as Effect[], result: undefined }, prepared.addition) : { work: null, events: [], effects: [], result: undefined };
    }, true);
    if (send === undefined) return;
    const s = send;
    const due = dueEvent(s, nowDate());
    emitter.emit(due.name, due.payload);
    const action = s.plan.action;
    let taskTicketId: TicketId | undefined;
    if (action.type === 'task') {
      const { ticket } = await desk.openTicket(
        {
          requesterId: s.customer.id,
          subject: action.subject,
          type: 'follow_up',
          channel: s.channel,
          priority: action.priority,
          ...(action.teamId === undefined ? {} : { teamId: action.teamId as TeamId }),
          ...(action.assigneeId === undefined ? {} : { assigneeId: action.assigneeId as AgentId }),
          sourceId: `followup:${s.followUp.id}`,
          customFields: { followUpId: s.followUp.id, planId: s.plan.id, ...(s.followUp.orderId === undefined ? {} : { orderId: s.followUp.orderId }), ...(s.ticket === undefined ? {} : { aboutTicketId: s.ticket.id }) },
        },
        { by: runtime.actor },
      );
      taskTicketId = ticket.id;
    }
    await run(async () => {
      const now = nowDate();
      const surveyId = action.type === 'survey' ? surveyIdOf(s.followUp) : undefined;
      const add = await runtime.sent(s, action.type === 'task' ? { taskTicketId } : { notificationId: notificationIdOf(s.followUp.id), surveyId }, now);
      if (add.puts.length === 0) return { work: null, events: [], effects: [], result: undefined };
      if (action.type === 'task') return fold({ work: null, events: [], effects: [], result: undefined }, add);
      let data = action.type === 'survey' ? { ...s.notification.data, surveyId: surveyId as string, questions: [...action.questions] } : s.notification.data;
      if (action.type === 'message' && action.includeOffer && offers !== undefined) {
        const made = await offers.offer({ customer: s.customer, ticket: s.ticket }, now, runtime.actor, { limit: 1, record: true }, add);
        const top = made.offers[0];
        if (top !== undefined) data = { ...data, ...offerData(top, offers.name(top.sku)) };
      }
      if (action.type === 'survey' && s.ticket !== undefined && (await storage.get('survey', surveyId as string)) === null) {
        const survey: Survey = { id: surveyId as string, version: 1, ticketId: s.ticket.id, customerId: s.customer.id, followUpId: s.followUp.id, questions: [...action.questions], status: 'sent', sentAt: now, createdAt: now, updatedAt: now };
        add.puts.push({ kind: 'survey', record: survey, expectedVersion: null });
        add.events.push(deskEvent('survey.sent', { survey, at: now, actor: runtime.actor }));
      }
      await outbox.queue(
        { ...s.notification, template: action.template, data, urgent: !s.plan.respectQuietHours, customer: s.customer, ticketId: s.ticket?.id, followUpId: s.followUp.id, source: 'follow-up' },
        now,
        runtime.actor,
        add,
      );
      return fold({ work: null, events: [], effects: [], result: undefined }, add);
    }, true);
  }

  /**
   * Deliver one outbox message: send it, then record the attempt. A crash after the send and
   * before the record leaves it pending, so the relay sends it again under the same idempotency
   * key and the notifier (or the receiver) drops the repeat.
   */
  async function relay(id: string): Promise<void> {
    const due = await outbox.due(id, clock.now(), (cid) => storage.get('customer', cid));
    if (due.kind === 'none') {
      for (const e of due.effects) if (e.type === 'schedule') await scheduler.schedule(e.job);
      return;
    }
    if (due.kind === 'defer') {
      await run(async () => fold({ work: null, events: [], effects: [], result: undefined }, due.addition), false);
      return;
    }
    const result = await outbox.attempt(due.record, nowDate());
    await run(async () => fold({ work: null, events: [], effects: [], result: undefined }, await outbox.settle(id, result, nowDate())), true);
  }

  scheduler.start(async (job) => {
    await match(job.type)
      .with(AUTO_CLOSE, async () => {
        const ticketId = job.payload['ticketId'];
        if (typeof ticketId !== 'string') return;
        try {
          await ticketCommand(
            ticketId as TicketId,
            undefined,
            (ticket, ctx) => {
              const s = decideAutoClose(ticket, ctx);
              return s === null ? [] : [s];
            },
            () => undefined,
          );
        } catch (error) {
          if (isOmotenashiError(error) && error.code === 'NOT_FOUND') return;
          throw error;
        }
      })
      .with(ESCALATION_TIME, async () => {
        const { ticketId, ruleId, anchor } = job.payload;
        if (typeof ticketId !== 'string' || typeof ruleId !== 'string' || typeof anchor !== 'number' || escalation === undefined) return;
        const rule = escalation.rules.find((r) => r.id === ruleId);
        if (rule === undefined) return;
        await runEscalation({
          ticketId,
          trigger: 'time',
          occurrence: `${ruleId}@${anchor}`,
          event: { type: 'time' },
          signals: [],
          only: [ruleId],
          // A timer whose anchor has moved on (the agent did update the customer) is stale.
          stillDue: (ticket) => {
            const due = timeRuleDue(rule, ticket);
            return due !== null && due.anchor === anchor && due.at <= clock.now();
          },
        });
      })
      .with(ESCALATION_LADDER, async () => {
        const { ticketId, ruleId, cycle } = job.payload;
        const level = ladders.levels.find((l) => l.ruleId === ruleId);
        if (typeof ticketId !== 'string' || typeof cycle !== 'number' || level === undefined) return;
        await runEscalation({ ticketId, trigger: 'time', occurrence: `${level.ruleId}#${cycle}`, event: { type: 'time' }, signals: [], only: [level.ruleId], ladder: { level, cycle } });
      })
      .with(ESCALATION_NOTIFY, async () => {
        const p = job.payload;
        if (typeof p['ticketId'] !== 'string' || typeof p['recipientId'] !== 'string' || typeof p['requestedAt'] !== 'number') return;
        const ticket = await storage.get('ticket', p['ticketId']);
        if (ticket === null) return;
        const recipient = p['recipientKind'] === 'customer' ? { kind: 'customer' as const, customerId: p['recipientId'] } : { kind: 'agent' as const, agentId: p['recipientId'] as AgentId };
        emitter.emit('escalation.notify', { ticket, ruleId: String(p['ruleId']), template: String(p['template']), urgent: p['urgent'] === true, recipient, requestedAt: new Date(p['requestedAt']), at: new Date(clock.now()), actor: ESCALATION_ACTOR });
      })
      .with(FOLLOWUP_DUE, async () => {
        const id = job.payload['id'];
        if (typeof id !== 'string' || followUps === undefined) return;
        await runFollowUp(followUps, id);
      })
      .with(NOTIFICATION_SEND, async () => {
        const id = job.payload['id'];
        if (typeof id === 'string') await relay(id);
      })
      .with(EVENT_PUBLISH, async () => {
        const { id, name, at, body } = job.payload;
        if (publishing === undefined || typeof id !== 'string' || typeof name !== 'string' || typeof at !== 'number' || typeof body !== 'string') return;
        await publishing.sink.publish({ id, name: name as EventName, at: new Date(at).toISOString(), payload: JSON.parse(body) as JsonValue });
      })
      .with(SLA_CHECK, async () => {
        const ticketId = job.payload['ticketId'];
        if (typeof ticketId !== 'string') return;
        try {
          await ticketCommand(ticketId as TicketId, undefined, () => [], () => undefined, { slaCheck: true });
        } catch (error) {
          if (isOmotenashiError(error) && error.code === 'NOT_FOUND') return;
          throw error;
        }
      })
      .otherwise(() => {
        onError(new Error(`no handler for job type "${job.type}"`), { source: 'job', job });
      });
  });

  return desk;
}
