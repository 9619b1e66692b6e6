/**
 * omotenashi: a TypeScript SDK for customer-service workflows. Customers (internal and
 * external), tickets with a lifecycle whose closure comes from the customer's side, agents and
 * teams, an audit trail, typed events, and pluggable storage, clock and scheduler ports.
 *
 * @example
 * ```ts
 * import { createServiceDesk, createMemoryStorage, createManualClock } from 'omotenashi';
 * const desk = createServiceDesk({ storage: createMemoryStorage(), clock: createManualClock('2026-04-01T09:00:00Z') });
 * ```
 * @module
 */

// Errors
export {
  AdapterError,
  ConfigError,
  ConflictError,
  DeliveryError,
  ERROR_CODES,
  HTTP_ERROR_STATUS,
  HttpError,
  InvalidTransitionError,
  NotFoundError,
  OmotenashiError,
  TemplateError,
  ValidationError,
  WebhookSignatureError,
  isOmotenashiError,
} from './errors.js';
export type { ConflictKind, ErrorCode, HttpErrorCode, SignatureProblem, ValidationIssue } from './errors.js';

// Events
export { EVENT_NAMES } from './events.js';
export type { DeskEvent, EventBase, EventName, OmotenashiEvents, Route, SlaEventBase, TicketEventBase } from './events.js';

// Domain: common
export {
  ActorSchema,
  AgentIdSchema,
  CHANNELS,
  ChannelSchema,
  CustomerIdSchema,
  DurationSchema,
  InteractionIdSchema,
  JsonValueSchema,
  LocalDateSchema,
  LocaleSchema,
  LocalTimeSchema,
  MoneySchema,
  SYSTEM_ACTOR,
  OrganizationIdSchema,
  TeamIdSchema,
  TicketIdSchema,
  TimeZoneSchema,
  formatDuration,
  isRealDate,
  isValidTimeZone,
  toAgentId,
  toCustomerId,
  toInteractionId,
  toMillis,
  MAX_DURATION_MS,
  toTeamId,
  toTicketId,
} from './domain/common.js';
export { FIELD_LIMITS, LIMITS } from './domain/limits.js';
export type { Actor, AgentId, Channel, CustomerId, Duration, InteractionId, JsonValue, Money, OrganizationId, TeamId, TicketId } from './domain/common.js';

// Domain: customers
export {
  AddressingSchema,
  AnniversarySchema,
  BirthdaySchema,
  ConsentSchema,
  ContactLookupSchema,
  ContactPointSchema,
  CustomerFlagSchema,
  CustomerInputSchema,
  CustomerInvariantSchema,
  CustomerNoteSchema,
  CustomerPatchSchema,
  CustomerSchema,
  EXTERNAL_ONLY_FIELDS,
  FlagKindSchema,
  INTERNAL_ONLY_FIELDS,
  KNOWN_FLAG_KINDS,
  PurchaseSchema,
  activeFlags,
  salutationName,
} from './domain/customer.js';
export type {
  Addressing,
  Anniversary,
  Consent,
  ContactLookup,
  ContactPoint,
  Customer,
  CustomerFlag,
  CustomerInput,
  CustomerNote,
  CustomerPatch,
  ExternalCustomer,
  ExternalCustomerInput,
  InternalCustomer,
  InternalCustomerInput,
  Purchase,
} from './domain/customer.js';

export { normalizeEmail } from './domain/address.js';
export { messageKey } from './domain/interaction.js';

// Domain: agents and teams
export {
  AgentInputSchema,
  AgentPatchSchema,
  AgentRoleSchema,
  AgentSchema,
  HIERARCHY_LEVELS,
  TeamInputSchema,
  TeamKindSchema,
  TeamPatchSchema,
  TeamSchema,
} from './domain/agent.js';
export type { Agent, AgentInput, AgentPatch, AgentRole, Team, TeamInput, TeamKind, TeamPatch } from './domain/agent.js';

// Domain: tickets and interactions
export {
  ADMIN_CLOSE_REASONS,
  AuditEntrySchema,
  CLOSE_REASONS,
  ChildTicketInputSchema,
  TICKET_LINK_TYPES,
  TicketLinkSchema,
  TicketLinkTypeSchema,
  TicketPatchSchema,
  COMPLAINT_STEPS,
  CloseReasonSchema,
  ComplaintStepSchema,
  ConsentAnswerSchema,
  OpenTicketInputSchema,
  PRIORITIES,
  PrioritySchema,
  TICKET_STATUSES,
  TICKET_TYPES,
  TicketCountersSchema,
  TicketSchema,
  TicketStatusSchema,
  TicketTypeSchema,
  SlaClockSnapshotSchema,
  SlaPinSchema,
  SlaSnapshotSchema,
} from './domain/ticket.js';
export type {
  AdminCloseReason,
  AuditEntry,
  SlaPin,
  SlaPins,
  ChildTicketInput,
  TicketLink,
  TicketLinkType,
  TicketPatch,
  CloseReason,
  ComplaintStep,
  ConsentAnswer,
  FieldChange,
  OpenTicketInput,
  Priority,
  Ticket,
  TicketCounters,
  TicketStatus,
  TicketType,
  SlaClockSnapshot,
  SlaSnapshot,
} from './domain/ticket.js';
export { SlaFoldClockSchema, SlaFoldCycleSchema, SlaFoldEventSchema, SlaFoldStateSchema } from './domain/sla-fold.js';
export type { SlaFoldState } from './domain/sla-fold.js';
export { AttachmentSchema, INTERACTION_KINDS, InteractionInputSchema, InteractionKindSchema, InteractionSchema } from './domain/interaction.js';
export type { Attachment, Interaction, InteractionInput, InteractionKind } from './domain/interaction.js';

// Domain: follow-ups and surveys
export {
  FOLLOW_UP_REASONS,
  FOLLOW_UP_STATUSES,
  FollowUpReasonSchema,
  FollowUpSchema,
  FollowUpStatusSchema,
  SURVEY_QUESTIONS,
  SurveyAnswerSchema,
  SurveyQuestionSchema,
  SurveySchema,
  npsCategory,
} from './domain/followup.js';
export type { FollowUp, FollowUpReason, FollowUpStatus, NpsCategory, Survey, SurveyAnswer, SurveyQuestion } from './domain/followup.js';

// Organisations
export { DomainSchema, ORGANIZATION_KINDS, OrganizationInputSchema, OrganizationPatchSchema, OrganizationSchema, domainKey } from './domain/organization.js';
export type { Organization, OrganizationInput, OrganizationPatch } from './domain/organization.js';
export type { AccountMethods } from './desk/service-desk-accounts.js';
export type { CustomerExport, ErasureReport, PrivacyMethods, RetentionReport } from './desk/service-desk-privacy.js';
export { ERASED, ERASED_NAME, redactAudit, redactCustomer, redactInteraction, redactNotification, redactSurvey, redactTicket } from './privacy/redact.js';

// Custom fields
export { FIELD_REQUIREMENTS, FIELD_TYPES, FieldDefinitionSchema, FieldSetInputSchema, LOOKUP_KINDS } from './domain/field.js';
export type { FieldDefinition, FieldDefinitionInput, FieldSetInput, FieldType, LookupKind } from './domain/field.js';
export { DESK_FIELD_KEYS, defineFields } from './fields/define.js';
export type { FieldSet, FieldTable, FieldTarget } from './fields/define.js';
export { checkCustomFields, checkValue } from './fields/check.js';
export type { FieldCheck, FieldLookup, FieldWrite } from './fields/check.js';

// Ticket lifecycle (pure)
export { LINK_INVERSE } from './lifecycle/links.js';
export { allowedTransitions, assertTransition, canTransition } from './lifecycle/transitions.js';
export { LifecyclePolicySchema, defineLifecyclePolicy } from './lifecycle/policy.js';
export type { LifecyclePolicy, ResolvedLifecyclePolicy } from './lifecycle/policy.js';

// The condition language (pure)
export { CONDITION_LIMITS, ConditionSchema, OPERATORS, compileCondition } from './rules/condition.js';
export { MAX_REGEX_STATES, compileLinearRegex } from './rules/regex.js';
export type { LinearRegex } from './rules/regex.js';
export type { CompiledCondition, Condition, ConditionExplanation, FactCondition, LeafExplanation, Operator } from './rules/condition.js';
export { TICKET_FACT_SCHEMA, ticketFacts, validateCondition } from './rules/facts.js';
export type { DistributiveOmit, FactSchema, FactType, TicketFacts } from './rules/facts.js';

// Business calendars (pure)
export { ALWAYS_OPEN, WEEKDAYS, createBusinessCalendar, defineHolidaySet } from './calendar/calendar.js';
export { HoursSchema } from './calendar/schemas.js';
export type { BusinessCalendar, BusinessCalendarSpec, CalendarSegment, HolidaySet, HolidaySpec, Hours, Weekday } from './calendar/calendar.js';

// SLAs (pure)
export { SlaPolicyVersionSchema, slaPolicyVersionId } from './domain/sla-version.js';
export type { SlaPolicyVersion } from './domain/sla-version.js';
export { SLA_CHANGE_MODES, SLA_EDIT_MODES, SLA_EVENT_FACT_SCHEMA, SLA_METRICS, SlaConfigSchema, SlaPolicySchema, defineSlaPolicy } from './sla/policy.js';
export { defineSlaConfig } from './desk/features/sla.js';
export type { SlaSetup } from './desk/features/sla.js';
export type { DeskFeature, DeskFeatureName } from './desk/feature.js';
export type { CustomMetricRules, ResolvedMetric, ResolvedPolicy, SlaChangeMode, SlaConfig, SlaConfigInput, SlaEditMode, SlaMetric, SlaPolicyInput, SlaWarning } from './sla/policy.js';
export { slaHistory } from './sla/history.js';
export type { AccountLog, SlaHistory, SlaHistoryEvent } from './sla/history.js';
export { evaluateSla } from './sla/evaluate.js';
export type { SlaClockState, SlaEvaluation, SlaLedgerEntry, SlaMetricStatus } from './sla/evaluate.js';
export { compareSlaPolicies } from './sla/whatif.js';
export type { SlaOutcome, SlaOutcomeChange, SlaReplayCase, SlaWhatIfReport } from './sla/whatif.js';

// Local dates and times in a zone (pure)
export { addMonths, daysInMonth, fromLocal, toLocal, zoneOffset } from './calendar/local.js';
export type { LocalDateTime } from './calendar/local.js';

// Follow-ups and surveys (pure)
export {
  FOLLOW_UP_FACT_SCHEMA,
  FollowUpActionSchema,
  FollowUpConfigSchema,
  FollowUpPlanSchema,
  FollowUpTriggerSchema,
  SurveyOptionsSchema,
  defineFollowUpPlan,
  parsePeriod,
  ticketTriggerAccepts,
} from './followup/plan.js';
export { defineFollowUps } from './desk/features/followups.js';
export type { FollowUpSetup } from './desk/features/followups.js';
export type { CalendarPeriod, FollowUpAction, FollowUpConfig, FollowUpConfigInput, FollowUpPlanInput, FollowUpTrigger, ResolvedPlan } from './followup/plan.js';
export { decideDue, dueAfter, followUpFacts, isDated, nextDatedOccurrence } from './followup/schedule.js';
export type { DatedOccurrence, DueDecision, DueInput, FollowUpFactInput } from './followup/schedule.js';
export { afterQuietHours, chooseChannel, contactAddress, contactHours, contactRefusal } from './followup/contact.js';
export { checkAnswerFits, isLowAnswer } from './followup/survey.js';
export type { LowThresholds } from './followup/survey.js';

// Signals (pure)
export { SIGNAL_KINDS } from './signals/lexicon.js';
export { ENGLISH_RULES, JAPANESE_RULES } from './signals/rules.js';
export type { SignalRule } from './signals/rules.js';
export { deinflect } from './signals/deinflect.js';
export type { Deinflection, InflectionReason } from './signals/deinflect.js';
export { evaluateSignalDetector } from './signals/evaluate.js';
export type { CalibrationBin, LabelledSentence, SignalEvaluation, SignalEvaluationOptions, SignalMistake, SignalScore } from './signals/evaluate.js';
export type { Lexicon, LexiconEntry, SignalKind } from './signals/lexicon.js';
export { SignalSchema, createSignalDetector, signalFacts } from './signals/detect.js';
export type { LexiconSignalDetector, Signal, SignalContext, SignalDetectorOptions, SignalDetectorPort, SignalFacts } from './signals/detect.js';

// Escalation (pure)
export { ESCALATION_EVENTS, ESCALATION_FACT_SCHEMA, EscalationActionSchema, EscalationRuleSchema, EscalationTriggerSchema } from './escalation/rules.js';
export { defineAgentLimits, defineEscalationLadders, defineEscalationRules } from './desk/features/escalation.js';
export type { AgentLimits, EscalationLadders, EscalationSetup } from './desk/features/escalation.js';
export type { CompiledRule, EscalationAction, EscalationEvent, EscalationRuleInput, EscalationRules, EscalationTrigger } from './escalation/rules.js';
export { evaluateEscalation } from './escalation/evaluate.js';
export type { EscalationDecision, EscalationState, FiredRule, RuleMemory } from './escalation/evaluate.js';
export { resolveEscalationTarget } from './escalation/hierarchy.js';
export { AgentLimitSchema, LIMIT_RULE_PREFIX, agentLimitRules, limitFacts } from './escalation/limits.js';
export { RECOMMENDED_ESCALATION_RULES, SIGNAL_CONFIDENCE_TO_ACT } from './escalation/recommended.js';
export { SUSPICION_STATUSES, SuspicionSchema } from './domain/suspicion.js';
export type { Suspicion } from './domain/suspicion.js';
export { EscalationLadderSchema, LADDER_RULE_PREFIX, clockFacts, compileLadders, levelDueAt, levelThreshold } from './escalation/ladders.js';
export type { EscalationLadderInput, LadderLevel } from './escalation/ladders.js';
export type { AgentLimitInput } from './escalation/limits.js';

export type { EscalationTarget } from './escalation/hierarchy.js';

// Notifications: templates, the outbox record, delivery backoff
export { defineTemplates, escapeHtml, isTemplateRegistry, textToHtml } from './notify/templates.js';
export type { RenderedMessage, TemplateData, TemplateRegistry, TemplateSpec, TemplateText } from './notify/templates.js';
export { BackoffSchema, backoffDelay, jitterUnit, parseRetryAfter } from './domain/backoff.js';
export type { Backoff, BackoffInput } from './domain/backoff.js';
export { BounceInputSchema, DeliveryAttemptSchema, NOTIFICATION_STATUSES, NotificationRecordSchema, NotificationStatusSchema, RenderedMessageSchema } from './domain/notification.js';
export type { BounceInput, DeliveryAttempt, NotificationRecord, NotificationStatus } from './domain/notification.js';

// Catalog and suggestions (upsell, cross-sell, add-ons)
export { ProductSchema, attributeValues } from './domain/catalog.js';
export { defineCatalog } from './desk/features/offers.js';
export type { CatalogSetup } from './desk/features/offers.js';
export type { Catalog, Product, ProductInput } from './domain/catalog.js';
export { EvidenceSchema, OFFER_STATUSES, OfferDiscountSchema, OfferSchema, OfferStatusSchema, SUGGESTION_KINDS, SuggestionKindSchema } from './domain/offer.js';
export type { Evidence, Offer, OfferDiscount, OfferStatus, SuggestionKind } from './domain/offer.js';
export { SuggestionConfigSchema, defineSuggestions, isSuggestionConfig } from './suggestions/config.js';
export type { SuggestionConfig, SuggestionConfigInput } from './suggestions/config.js';
export { DEFAULT_SCORERS, acceptanceKey, acceptanceScorer, acceptanceStats, discountFor, featureInterestScorer, guardrail, limitPressureScorer, suggest } from './suggestions/engine.js';
export type { AcceptanceStats, Candidate, ScoringContext, SuggestInput, SuggestResult, Suggestion, SuggestionContext, SuggestionScorer, WithholdReason } from './suggestions/engine.js';

// Knowledge base: articles, search in English and Japanese, recurring problems
export { ARTICLE_STATUSES, ArticleInputSchema, ArticlePatchSchema, ArticleSchema, ArticleStatusSchema } from './domain/article.js';
export type { Article, ArticleInput, ArticlePatch, ArticleStatus } from './domain/article.js';
export { stem, terms } from './knowledge/text.js';
export { porter2 } from './knowledge/porter2.js';
export { HELPDESK_SYNONYMS, groupSimilar } from './knowledge/grouping.js';
export type { Groupable, GroupingOptions } from './knowledge/grouping.js';
export { createArticleIndex } from './knowledge/search.js';
export type { ArticleIndex, ArticleMatch, ArticleSearchOptions } from './knowledge/search.js';
export { recurringProblems } from './knowledge/recurring.js';
export type { RecurringOptions, RecurringProblem, RecurringTicket } from './knowledge/recurring.js';
export { defineKnowledgeBase } from './desk/features/knowledge.js';
export type { KnowledgeBase } from './desk/features/knowledge.js';

// Metrics: KPIs from ticket versions, incremental and recomputable
export { addToSketch, emptySketch, mergeSketches, sketchHistogram, sketchQuantile, summarise } from './metrics/sketch.js';
export type { DurationSketch, DurationSummary } from './metrics/sketch.js';
export { createMetrics, stateOf, ticketHistory } from './metrics/aggregate.js';
export type { CustomerValueTrack, LifetimeValueRow, RetentionQuery, RetentionRow, ValueGroup } from './metrics/value.js';
export type { BacklogRow, CustomerMetrics, CustomerSignals, MetricCell, MetricDimension, MetricRow, MetricsAggregator, MetricsOptions, MetricsPartial, MetricsQuery, TicketState, TicketTrack } from './metrics/aggregate.js';
export { attachMetrics, recomputeMetrics } from './desk/metrics.js';

// The report
export { renderReport } from './report/render.js';
export type { ReportInput } from './report/render.js';

// The desk
export { createServiceDesk } from './compose.js';
export { retryOnConflict } from './desk/retry.js';
export type { RetryOnConflictOptions } from './desk/retry.js';
export type { CommandOptions, DeskErrorSource, ServiceDeskOptions, TicketCommandOptions } from './desk/options.js';
export type {
  FeedbackInput,
  MessageMatch,
  NotifyInput,
  OfferStat,
  OpenTicketResult,
  OrderInput,
  RecordInteractionResult,
  ScopedDesk,
  ServiceDesk,
  SuggestOffersResult,
  TicketDetails,
  TransferTarget,
} from './desk/service-desk.js';
export type { ChildTicketResult, LinkedTicket, MergeResult, SplitResult, TicketEditing } from './desk/service-desk-tickets.js';
export { createSequentialIds, randomIds } from './desk/ids.js';
export type { IdGenerator, IdPrefix } from './desk/ids.js';

// Ports
export { decodeCursor, encodeCursor, listAll, pageAll } from './ports/storage.js';
export { QUERY_SCHEMAS } from './domain/query.js';
export { PUBLISHED_EVENT_STATUSES, PublishedEventRecordSchema } from './domain/published-event.js';
export type { PublishedEventRecord, PublishedEventStatus } from './domain/published-event.js';
export { REQUEST_STATUSES, RequestClaimInputSchema, RequestRecordSchema, StoredResponseSchema } from './domain/request.js';
export type { RequestClaim, RequestClaimInput, RequestRecord, RequestStatus, StoredResponse } from './domain/request.js';
export { JOB_TYPES, jobKey } from './domain/job.js';
export type { JobType } from './domain/job.js';
export type {
  CursorPosition,
  AgentQuery,
  CustomerQuery,
  EntityKind,
  EntityMap,
  FollowUpQuery,
  HistoryKind,
  HistoryMap,
  HistoryQuery,
  NotificationQuery,
  PublishedEventQuery,
  RequestQuery,
  QueryMap,
  TeamQuery,
  OfferQuery,
  OrganizationQuery,
  SlaPolicyVersionQuery,
  ArticleQuery,
  Page,
  Put,
  StorageCapabilities,
  StoragePort,
  SurveyQuery,
  TicketQuery,
  UnitOfWork,
  VersionCheck,
  Deletion,
  HistoryRewrite,
  KeyChange,
  KeyClaim,
} from './ports/storage.js';
export type { MessageRenderer, MessageThread, Notification, NotificationRecipient, NotifierCapabilities, NotifierPort, SendResult } from './ports/notifier.js';
export type { ClockPort } from './ports/clock.js';
export type { JobChange, JobHandler, ScheduledJob, SchedulerCapabilities, SchedulerPort } from './ports/scheduler.js';
export type { EventSink, PublishedEvent } from './ports/event-sink.js';

// Built-in adapters (in-memory storage, clocks, in-process scheduler)
export { createMemoryStorage } from './adapters/memory/storage.js';
export { createManualClock, createSystemClock } from './adapters/memory/clock.js';
export type { ManualClock, SystemClockOptions } from './adapters/memory/clock.js';
export { createInProcessScheduler } from './adapters/memory/scheduler.js';
export type { InProcessScheduler, InProcessSchedulerOptions } from './adapters/memory/scheduler.js';
export { createConsoleNotifier } from './adapters/memory/notifier.js';
export { createConsoleLogger } from './adapters/memory/logger.js';
export { createMemoryAttachmentStore } from './adapters/memory/attachments.js';
export type { AttachmentStorePort, StoredObjectInfo } from './ports/attachments.js';
export type { ConsoleLoggerOptions } from './adapters/memory/logger.js';
export type { Logger } from './ports/logger.js';
export type { TraceSpan, Tracer } from './ports/tracer.js';
export type { ConsoleNotifierOptions } from './adapters/memory/notifier.js';
export { ROUTING_STRATEGIES, RoutingConfigSchema } from './routing/config.js';
export { defineRouting } from './desk/features/routing.js';
export type { RoutingSetup } from './desk/features/routing.js';
export type { RoutingConfig, RoutingConfigInput, RoutingStrategy, SkillRequirement } from './routing/config.js';
export { capacityOf, compareQueued, decideRoute, eligibility, neededSkills, parseSkills } from './routing/engine.js';
export type { AgentPresence, CandidateReason, CandidateVerdict, NeededSkill, RoutingAgent, RoutingDecision, RoutingTicket } from './routing/engine.js';
export { drainQueue } from './routing/drain.js';
export type { DrainResult } from './routing/drain.js';
export { AGENT_STATUSES, AgentRoutingStateSchema, OutOfOfficeSchema, PresenceSchema, StoredRoutingDecisionSchema } from './domain/routing.js';
export type { AgentRoutingState, OutOfOffice, Presence, StoredRoutingDecision } from './domain/routing.js';
export type { AgentStatus } from './desk/service-desk.js';
