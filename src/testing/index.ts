/**
 * `omotenashi/testing`: what adapter authors and application tests need. Conformance suites
 * every port adapter must pass, record fixtures, an event recorder, and the manual clock.
 *
 * Needs `vitest` (an optional peer dependency) for the suites.
 * @module
 */
export { defineStorageConformanceSuite, STORAGE_CONFORMANCE_TESTS } from './storage-suite.js';
export { ACCOUNT_CONFORMANCE_TESTS, makeOrganization } from './storage-suite-accounts.js';
export type { StorageConformanceOptions, StorageConformanceTest } from './storage-suite.js';
export { defineSchedulerConformanceSuite, SCHEDULER_CONFORMANCE_TESTS } from './scheduler-suite.js';
export type { SchedulerConformanceOptions, SchedulerConformanceTest } from './scheduler-suite.js';
export { defineNotifierConformanceSuite, NOTIFIER_CONFORMANCE_TESTS } from './notifier-suite.js';
export type { DeliveredMessage, NotifierConformanceOptions, NotifierConformanceTest, NotifierProbe, NotifierUnderTest } from './notifier-suite.js';
export { makeAgent, makeAuditEntry, makeCustomer, makeFollowUp, makeArticle, makeInteraction, makeNotification, makeOffer, makeSurvey, makeTeam, makeTicket, overrideStorage } from './fixtures.js';
export { createRecordingNotifier } from '../adapters/memory/notifier.js';
export type { RecordingNotifier } from '../adapters/memory/notifier.js';
export type { FixtureOverrides } from './fixtures.js';
export { recordEvents } from './events.js';
export type { EventRecording } from './events.js';
export { createManualClock } from '../adapters/memory/clock.js';
export type { ManualClock } from '../adapters/memory/clock.js';
