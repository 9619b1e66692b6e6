import { createInProcessScheduler } from 'omotenashi';
import { defineSchedulerConformanceSuite } from 'omotenashi/testing';

defineSchedulerConformanceSuite({
  name: 'in-process scheduler conformance',
  create: (clock) => createInProcessScheduler({ clock, onError: () => undefined }),
});
