import { createMemoryStorage } from 'omotenashi';
import { defineStorageConformanceSuite } from 'omotenashi/testing';

defineStorageConformanceSuite({ name: 'memory storage conformance', create: () => createMemoryStorage() });
