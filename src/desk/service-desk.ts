import type { Agent, AgentInput, AgentPatch, Team, TeamInput, TeamPatch } from '../domain/agent.js';
import type { AgentId, Channel, CustomerId, JsonValue, TeamId, TicketId } from '../domain/common.js';
import type { ContactLookup, Customer, CustomerFlag, CustomerInput, CustomerPatch } from '../domain/customer.js';
import type { Interaction, InteractionInput } from '../domain/interaction.js';
import type { AdminCloseReason, AuditEntry, OpenTicketInput, Priority, Ticket } from '../domain/ticket.js';
import type { Suspicion } from '../domain/suspicion.js';
import type { AGENT_STATUSES, OutOfOffice, StoredRoutingDecision } from '../domain/routing.js';

/** An agent's presence status. */
export type AgentStatus = (typeof AGENT_STATUSES)[number];
import type { FollowUp, Survey, SurveyAnswer } from '../domain/followup.js';
import type { BounceInput, NotificationRecord } from '../domain/notification.js';
import type { Offer } from '../domain/offer.js';
import type { Article, ArticleInput, ArticlePatch } from '../domain/article.js';
import type { RequestClaim, RequestClaimInput, RequestRecord, StoredResponse } from '../domain/request.js';
import type { EventName, OmotenashiEvents } from '../events.js';
import type { SlaEvaluation } from '../sla/evaluate.js';
import type { SlaConfig, SlaConfigInput } from '../sla/policy.js';
import type { SlaPolicyVersion } from '../domain/sla-version.js';
import type { SlaWhatIfReport } from '../sla/whatif.js';
import type { Suggestion, SuggestResult } from '../suggestions/engine.js';
import type { ArticleMatch } from '../knowledge/search.js';
import type { RecurringProblem } from '../knowledge/recurring.js';
import type { ResolvedLifecyclePolicy } from '../lifecycle/policy.js';
import type { ClockPort } from '../ports/clock.js';
import type { ArticleQuery, CustomerQuery, FollowUpQuery, NotificationQuery, OfferQuery, Page, SlaPolicyVersionQuery, StoragePort, SurveyQuery, TicketQuery } from '../ports/storage.js';
import type { CommandOptions, TicketCommandOptions } from './options.js';
import type { LinkedTicket, TicketEditing } from './service-desk-tickets.js';
import type { AccountMethods } from './service-desk-accounts.js';
import type { PrivacyMethods } from './service-desk-privacy.js';


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
  /** Every interaction, oldest first, with those of the tickets merged into this one. */
  readonly interactions: ReadonlyArray<Interaction>;
  /** The audit trail, oldest first. */
  readonly audit: ReadonlyArray<AuditEntry>;
  /** The linked tickets (merged, split, parent, children, related), with each link. */
  readonly links: ReadonlyArray<LinkedTicket>;
}

/**
 * The service desk: every command that changes customers, agents, teams and tickets, and the
 * queries to read them back. Each command validates its input, decides with the pure engines,
 * commits one unit of work, then emits events. A failed command changes nothing.
 */
export interface ServiceDesk extends TicketEditing, AccountMethods, PrivacyMethods {
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
    input: { reason: AdminCloseReason; note?: string },
    options?: TicketCommandOptions,
  ): Promise<Ticket>;
  /**
   * Set an agent's presence: `online` takes work (and drains their teams' queues), `away` and
   * `offline` take none; with routing's `onUnavailable: 'requeue'` (the default) the agent's
   * unstarted tickets (no reply yet) go back to routing and on to someone else.
   * `options.outOfOffice` replaces the agent's out-of-office periods.
   *
   * @example
   * ```ts
   * await desk.setAgentStatus(aiko.id, 'offline', { reason: 'shift ended' });
   * ```
   */
  setAgentStatus(agentId: AgentId, status: AgentStatus, options?: CommandOptions & { reason?: string; outOfOffice?: ReadonlyArray<OutOfOffice> }): Promise<Agent>;
  /**
   * The last routing decision for a ticket, with every candidate considered and why they were
   * or were not chosen (offline, outside working hours, at capacity on this channel, lacks a
   * skill, lower score, ...), or null when it was never routed.
   * @throws ConfigError when the desk has no routing.
   */
  explainRouting(ticketId: TicketId): Promise<StoredRoutingDecision | null>;
  /**
   * The agent a ticket is offered to (routing with `offerTimeout`) takes it: it is assigned to
   * them. `options.by` must be that agent.
   * @throws ValidationError when the ticket is not offered to them, or the offer expired.
   */
  acceptOffer(ticketId: TicketId, options?: TicketCommandOptions): Promise<Ticket>;
  /**
   * The agent a ticket is offered to passes: the ticket moves on to the next agent who fits (they
   * are not offered it again), or waits in the queue. The timeout does the same by itself.
   * @throws ValidationError when the ticket is not offered to them.
   */
  declineOffer(ticketId: TicketId, options?: TicketCommandOptions & { reason?: string }): Promise<Ticket>;
  /**
   * An agent confirms a signal a rule only suspected (`suspect_signal`, as the recommended rules
   * do below their confidence threshold): the suspicion is recorded as confirmed and, when it
   * names a flag, the customer is flagged in the same commit, credited to the agent. Confirming
   * again is a no-op. `options.by` must be an agent.
   *
   * @example
   * ```ts
   * const [pending] = (await desk.getTicket(id)).suspicions ?? [];
   * await desk.confirmSignal(id, pending.id, { by: { kind: 'agent', id: 'agt_lead' }, note: 'listened to the call' });
   * ```
   * @throws NotFoundError when the ticket has no such suspicion.
   * @throws InvalidTransitionError when it was dismissed already.
   */
  confirmSignal(ticketId: TicketId, suspicionId: string, options?: TicketCommandOptions & { note?: string }): Promise<{ ticket: Ticket; suspicion: Suspicion }>;
  /**
   * An agent dismisses a suspected signal: recorded with who and why, and nothing else happens
   * (no flag, no routing). Dismissing again is a no-op. `options.by` must be an agent.
   * @throws NotFoundError when the ticket has no such suspicion.
   * @throws InvalidTransitionError when it was confirmed already.
   */
  dismissSignal(ticketId: TicketId, suspicionId: string, options?: TicketCommandOptions & { note?: string }): Promise<{ ticket: Ticket; suspicion: Suspicion }>;
  /** The ticket. @throws NotFoundError */
  getTicket(id: TicketId): Promise<Ticket>;
  /** The ticket with its requester, the requester's active flags, interactions and audit trail. */
  getTicketDetails(id: TicketId): Promise<TicketDetails>;
  /** The ticket created from this source id, or null. */
  findTicketBySourceId(sourceId: string): Promise<Ticket | null>;
  /** Tickets matching the filters, one page at a time. */
  listTickets(query?: TicketQuery): Promise<Page<Ticket>>;
  /**
   * A ticket's interactions, oldest first, with those of the tickets merged into it (each keeps
   * its own `ticketId`); `{ merged: false }` lists the ticket's own alone.
   */
  listInteractions(ticketId: TicketId, query?: { merged?: boolean }): Promise<ReadonlyArray<Interaction>>;
  /** A ticket's audit trail: who changed what, when and why. */
  getAuditTrail(ticketId: TicketId): Promise<ReadonlyArray<AuditEntry>>;
  /** The customer. @throws NotFoundError */
  getCustomer(id: CustomerId): Promise<Customer>;
  /** Customers, one page at a time. */
  listCustomers(query?: CustomerQuery): Promise<Page<Customer>>;
  /**
   * The customer with this e-mail address (compared normalised: case, Unicode form and IDN
   * spelling do not matter) or phone number, or null. An address belongs to one customer per
   * desk; a number shared by several belongs to the one who registered it first.
   *
   * @example
   * ```ts
   * const known = await desk.findCustomerByContact({ email: 'Hanako.Tanaka@Example.JP' });
   * ```
   */
  findCustomerByContact(contact: ContactLookup): Promise<Customer | null>;
  /**
   * What e-mails with these Message-IDs belong to, in the order asked: a message the desk received
   * on a ticket (`received`), or one it sent (`sent`, with its outbox record and ticket). Ids the
   * desk does not know are left out. The e-mail intake threads replies with it.
   */
  findMessages(messageIds: ReadonlyArray<string>): Promise<MessageMatch[]>;
  /**
   * Record a bounce (a delivery status notification) for an e-mail the desk sent: a permanent one
   * marks the message failed and the recipient's address `bouncing`, so follow-ups and messages
   * stop using it until the contact is given again; emits `notification.bounced`.
   * @throws NotFoundError when the desk sent no e-mail with that Message-ID.
   */
  recordBounce(input: BounceInput, options?: CommandOptions): Promise<{ notification: NotificationRecord; customer: Customer | null }>;
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
   * and report which breaches and warnings would change against the desk's own. `options.signal`
   * stops the replay at the next ticket (the promise rejects with the signal's reason).
   */
  whatIfSla(candidate: SlaConfigInput | SlaConfig, query?: Omit<TicketQuery, 'cursor' | 'limit'>, options?: { readonly signal?: AbortSignal }): Promise<SlaWhatIfReport>;
  /**
   * The versions of the SLA policies tickets have run on (all, or one policy's), oldest first:
   * each is stored the first time a ticket runs on it, and a ticket's `sla.pins` names the
   * version it runs on (`<policyId>@<fingerprint>`).
   *
   * @example
   * ```ts
   * const { items } = await desk.listSlaPolicyVersions({ policyId: 'standard' });
   * items.map((v) => [v.fingerprint, v.createdAt]);
   * ```
   */
  listSlaPolicyVersions(query?: SlaPolicyVersionQuery): Promise<Page<SlaPolicyVersion>>;
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
  /** The problems customers keep reporting, from the tickets of the last two periods (see `recurringProblems`); `signal` stops the read at the next page. */
  recurringProblems(options?: { readonly window?: string; readonly minCount?: number; readonly limit?: number; readonly similarity?: number; readonly synonyms?: ReadonlyArray<ReadonlyArray<string>>; readonly signal?: AbortSignal }): Promise<ReadonlyArray<RecurringProblem>>;
  /**
   * Claim a caller's idempotency key before running their request (the HTTP API does this for an
   * `Idempotency-Key` header). The key is kept in the desk's storage, so every process sharing it
   * sees it: `claimed` (run the request, then {@link completeRequest} or {@link releaseRequest}),
   * `replay` (answered before: send the stored response), `running` (the first request has not
   * finished and its lease has not run out) or `mismatch` (the key came with another request).
   *
   * @example
   * ```ts
   * const claim = await desk.claimRequestKey({ key, scope: 'agent:agt_1', fingerprint });
   * if (claim.state === 'claimed') await desk.completeRequest(claim.record.id, { status: 201, headers: {}, body: '{}' });
   * ```
   */
  claimRequestKey(input: RequestClaimInput): Promise<RequestClaim>;
  /** Store the response of a claimed request: retries with its key get it back until the key expires. */
  completeRequest(id: string, response: StoredResponse): Promise<RequestRecord>;
  /** Give a claimed key up without a response (the request failed in a way a retry may fix): the next claim runs it again. */
  releaseRequest(id: string): Promise<RequestRecord>;
  /**
   * Remove the request records whose idempotency keys have expired, at most `limit` of them
   * (default 10,000); returns how many. Run it from a periodic job (hourly is plenty): keys expire
   * by themselves, this only keeps the storage from growing with every key ever used.
   */
  pruneRequests(options?: { readonly limit?: number }): Promise<number>;
  /** Stop the scheduler; pending timers stay with it. */
  stop(): Promise<void>;
  /**
   * The desk working inside a transaction your application holds, so a desk command commits or
   * rolls back with your own writes ("create the order and open the ticket atomically"). Pass
   * this desk's storage bound to the transaction (`storage.using(client)` on PostgreSQL; on
   * SQLite, the same storage while your connection is in a transaction: each command becomes a
   * savepoint). Its commands write through that transaction (the outbox, and the timers of a
   * storage with its own scheduler, included); events and other timers are held back until you
   * call `committed()` after your COMMIT, or dropped by `discard()` after a ROLLBACK. One scoped
   * desk per transaction.
   *
   * @example
   * ```ts
   * const client = await pool.connect();
   * await client.query('BEGIN');
   * await client.query('INSERT INTO orders (id, customer) VALUES ($1, $2)', [orderId, customerId]);
   * const tx = desk.within(storage.using(client));
   * await tx.openTicket({ requesterId: customerId, subject: `Order ${orderId}: gift wrapping`, channel: 'web_form' });
   * await client.query('COMMIT');
   * await tx.committed();
   * ```
   * @throws ConfigError when the storage brings a scheduler the desk does not use.
   */
  within(storage: StoragePort): ScopedDesk;
  /** The validated lifecycle policy in force. */
  readonly lifecycle: ResolvedLifecyclePolicy;
  /** The desk's clock. */
  readonly clock: ClockPort;
}

/** A desk working inside an application's transaction (see {@link ServiceDesk.within}). */
export type ScopedDesk = Omit<ServiceDesk, 'on' | 'once' | 'restoreSchedules' | 'stop' | 'within'> & {
  /** Your transaction committed: emit the events the commands decided and set their timers. */
  committed(): Promise<void>;
  /** Your transaction rolled back: drop what the commands held back. */
  discard(): void;
};

/** What a Message-ID belongs to (see `findMessages`). */
export interface MessageMatch {
  /** The id asked about. */
  readonly messageId: string;
  /** `received`: an e-mail recorded on a ticket; `sent`: one the desk sent. */
  readonly origin: 'received' | 'sent';
  /** The ticket it is on or about (a sent message may be about none). */
  readonly ticketId?: string;
  /** The outbox record of a sent message. */
  readonly notificationId?: string;
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
