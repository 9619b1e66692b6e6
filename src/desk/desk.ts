import { ConfigError } from '../errors.js';
import type { ScheduledJob } from '../domain/job.js';
import { defineLifecyclePolicy } from '../lifecycle/policy.js';
import type { ClockPort } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SchedulerPort } from '../ports/scheduler.js';
import { withArgumentChecks } from './arguments.js';
import { jobAttributes, traced } from './tracing.js';
import { articleCommands } from './commands/articles.js';
import { customerCommands } from './commands/customers.js';
import { emailCommands } from './commands/email.js';
import { followUpCommands } from './commands/followups.js';
import { notificationCommands } from './commands/notifications.js';
import { eventPublisher } from './commands/publishing.js';
import { offerCommands } from './commands/offers.js';
import { peopleCommands } from './commands/people.js';
import { ticketCommands } from './commands/tickets.js';
import { suspicionCommands } from './commands/suspicions.js';
import { routingCommands } from './commands/routing.js';
import { requestCommands } from './commands/requests.js';
import { linkCommands } from './commands/links.js';
import { ticketFieldCommands } from './commands/ticket-fields.js';
import { fieldChecks } from './fields.js';
import { organizationCommands } from './commands/organizations.js';
import { privacyCommands } from './commands/privacy.js';
import { resolveConfig } from './config.js';
import { checkOptionShapes } from './option-shapes.js';
import { guardStorage } from './guard.js';
import { randomIds } from './ids.js';
import { createJobRunner } from './jobs.js';
import { deskJobTable } from './job-table.js';
import { createKnowledgeRuntime } from './knowledge.js';
import { createOutbox } from './outbox.js';
import type { DeskErrorSource, ServiceDeskOptions } from './options.js';
import { createPipeline } from './pipeline.js';
import { applyEffects, createKernel, type Kernel } from './runtime.js';
import type { DeskEvent } from '../events.js';
import type { Effect } from './effects.js';
import type { DeskConfig } from './config.js';
import type { StoragePort } from '../ports/storage.js';
import type { ScopedDesk, ServiceDesk } from './service-desk.js';
import { NO_RECHECK, slaQueries } from './features/absent.js';
import { createHousekeeping } from './housekeeping.js';

/** What the composition root supplies when the options leave a port out. */
export interface DeskDefaults {
  /** The clock when `options.clock` is absent (the system clock). */
  readonly clock: () => ClockPort;
  /** The logger when `options.logger` is absent (the console, warnings and up). */
  readonly logger: () => Logger;
  /** The scheduler when neither the options nor the storage bring one; told when a job is given up. */
  readonly scheduler: (clock: ClockPort, onFailure: (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => void) => SchedulerPort;
}

/**
 * Wire a desk: the kernel, the ticket pipeline, the command modules and the job table. The
 * public entry point is `createServiceDesk`, which supplies the default clock and scheduler.
 * @throws ConfigError when an option is invalid.
 */
export function createDesk(options: ServiceDeskOptions, defaults: DeskDefaults): ServiceDesk {
  checkOptionShapes(options);
  const storage = guardStorage(options.storage);
  const clock = options.clock ?? defaults.clock();
  const logger = options.logger ?? defaults.logger();
  const onError =
    options.onError ??
    ((error: unknown, context: DeskErrorSource) => {
      logger.error({ err: error, ...context }, `${context.source} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  if (options.scheduler !== undefined && storage.scheduler !== undefined && options.scheduler !== storage.scheduler) {
    throw new ConfigError('scheduler', `the ${storage.name} storage writes its timers with its own scheduler (${storage.scheduler.name}): leave \`scheduler\` out, or pass that same scheduler`);
  }
  const config = resolveConfig(options);
  let onJobFailure: (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => void = () => undefined;
  const scheduler = options.scheduler ?? storage.scheduler ?? defaults.scheduler(clock, (...args) => onJobFailure(...args));
  const kernelDeps = {
    storage,
    clock,
    scheduler,
    policy: defineLifecyclePolicy(options.lifecycle, { calendars: config.sla?.calendars }),
    newId: options.ids ?? randomIds,
    retries: options.conflictRetries ?? 5,
    onError,
    publishEvents: options.publishEvents,
  };
  const kernel = createKernel(kernelDeps);

  const parts = assemble(kernel, storage, config, options, (...args) => onJobFailure(...args));
  onJobFailure = parts.runner.failed;

  const desk: ServiceDesk = {
    lifecycle: kernel.policy,
    clock,
    ...parts.commands,
    on: (event, listener) => kernel.on(event, listener),
    once(event, listener) {
      const off = kernel.on(event, (payload) => {
        off();
        return listener(payload);
      });
      return off;
    },
    restoreSchedules: () => parts.runner.restore(),
    stop: () => scheduler.stop(),
    within(scoped) {
      if (typeof scoped?.commit !== 'function' || typeof scoped.get !== 'function') throw new ConfigError('within.storage', "pass the desk's storage bound to your transaction, e.g. desk.within(storage.using(client))");
      const inner = guardStorage(scoped);
      if (inner.scheduler !== undefined && inner.scheduler !== scheduler) {
        throw new ConfigError('within.storage', `the ${inner.name} storage writes its timers with a scheduler the desk does not use: bind the desk's own storage to the transaction (storage.using(client))`);
      }
      const held = { events: [] as DeskEvent[], effects: [] as Effect[] };
      const scopedKernel = createKernel({ ...kernelDeps, storage: inner, defer: held });
      const scopedParts = assemble(scopedKernel, inner, config, options, (...args) => onJobFailure(...args));
      let settled = false;
      const settle = (): { events: DeskEvent[]; effects: Effect[] } => {
        if (settled) throw new ConfigError('within', 'this scoped desk was already committed or discarded: take a new one with desk.within(storage) for the next transaction');
        settled = true;
        return { events: held.events.splice(0), effects: held.effects.splice(0) };
      };
      const checked = withArgumentChecks(
        {
          lifecycle: kernel.policy,
          clock,
          ...scopedParts.commands,
          async committed() {
            const { events, effects } = settle();
            await applyEffects(scheduler, effects, onError);
            for (const event of events) kernel.emit(event);
          },
          discard() {
            settle();
          },
        } as unknown as ServiceDesk,
        options.tracer,
      );
      return checked as unknown as ScopedDesk;
    },
  };
  scheduler.start((job) => traced(options.tracer, `omotenashi.job.${job.type}`, jobAttributes(job), () => parts.runner.handle(job)));
  // Housekeeping (retention, pruning of idempotency keys) runs once as the desk starts, then on its own schedule.
  for (const job of parts.housekeeping.jobs()) scheduler.schedule(job).catch((error: unknown) => onError(error, { source: 'job', job }));
  return withArgumentChecks(desk, options.tracer);
}

/** What a feature's desk code makes of its configuration, when the desk has both (they come together from the feature's definer). */
const given = <C, P, R>(config: C | undefined, parts: P | undefined, make: (config: C, parts: P) => R): R | undefined => (config === undefined || parts === undefined ? undefined : make(config, parts));

/** The runtimes, the ticket pipeline, the command modules and the job runner of a desk on one kernel. */
function assemble(kernel: Kernel, storage: StoragePort, config: DeskConfig, options: ServiceDeskOptions, onJobFailure: (error: unknown, job: ScheduledJob, attempt: number, givenUp: boolean) => void) {
  const { parts } = config;
  const followUps = given(config.followUps, parts.followUps, (c, p) => p.createFollowUpRuntime({ storage, config: c, notifiers: config.notifiers }));
  const outbox = createOutbox({ storage, notifiers: config.notifiers, templates: config.templates, policy: config.delivery });
  const knowledge = createKnowledgeRuntime({ storage, createIndex: parts.knowledge?.createArticleIndex });
  const offers = given(config.offers, parts.offers, (c, p) => p.createOfferRuntime({ storage, catalog: c.catalog, config: c.suggestions, scorers: options.scorers }));
  const sla = given(config.sla, parts.sla, (c, p) => p.createSlaStage(c, config.ladders));
  const pipeline = createPipeline(kernel, config, { sla, followUps });
  const recheck = given(sla, parts.sla, (stage, p) => p.createAccountRecheck(kernel, stage, pipeline)) ?? NO_RECHECK;
  const escalation = given(config.escalation, parts.escalation, (rules, p) => p.createEscalation(kernel, config, rules, { pipeline, sla, outbox, followUps }));
  if (escalation !== undefined) pipeline.useEscalation(escalation.stage);
  const routing = given(config.routing, parts.routing, (c, p) => p.createRouting(kernel, c, config.sla?.calendars ?? new Map()));
  if (routing !== undefined) pipeline.useRouting(routing.stage);
  const routingPart = routingCommands(kernel, pipeline, routing);

  const fields = fieldChecks(config.fields);
  const tickets = ticketCommands(kernel, config, pipeline, fields);
  const followUpPart = followUpCommands(kernel, config, { pipeline, followUps, outbox, offers, openTicket: tickets.openTicket });
  const notifications = notificationCommands(kernel, config, outbox);
  const privacy = privacyCommands(kernel);
  const requests = requestCommands(kernel);
  const housekeeping = createHousekeeping(kernel, config, { applyRetention: privacy.applyRetention, pruneRequests: requests.pruneRequests });
  const table = deskJobTable({ kernel, config, pipeline, escalation, followUps, outbox, sla, runFollowUp: followUpPart.runFollowUp, relay: notifications.relay, drainTeam: routingPart.drainTeam, expireOffer: routingPart.expireOffer, endShift: routingPart.endShift, routing, publisher: eventPublisher(kernel, options.publishEvents?.sink, onJobFailure), recheck, housekeeping });
  const runner = createJobRunner(kernel, table);


  const commands = {
    ...customerCommands(kernel, followUps, fields, recheck.after, config.sla?.calendars),
    ...organizationCommands(kernel, config, fields, recheck.after),
    ...privacy,
    ...peopleCommands(kernel, config),
    ...tickets,
    ...ticketFieldCommands(pipeline, fields),
    ...linkCommands(kernel, pipeline, fields),
    ...suspicionCommands(kernel, pipeline, followUps),
    ...routingPart.commands,
    ...followUpPart.commands,
    ...notifications.commands,
    ...emailCommands(kernel),
    ...offerCommands(kernel, offers),
    ...articleCommands(kernel, knowledge, config.parts.knowledge === undefined ? undefined : { parts: config.parts.knowledge, synonyms: options.knowledge?.synonyms }),
    ...slaQueries(kernel, given(sla, parts.sla, (stage, p) => p.slaCommands(kernel, stage))),
    ...requests,
  };
  return { commands, runner, housekeeping };
}
