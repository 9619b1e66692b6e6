import type { StoragePort } from '../ports/storage.js';
import { ACCOUNT_CONFORMANCE_TESTS, accountConformanceTests } from './storage-suite-accounts.js';
import { PRIVACY_CONFORMANCE_TESTS, privacyConformanceTests } from './storage-suite-privacy.js';

export { uow } from './storage-suite-accounts.js';

/** The conformance tests kept beside the main suite's file (organisations, history rewrites). */
export const MORE_CONFORMANCE_TESTS = [...ACCOUNT_CONFORMANCE_TESTS, ...PRIVACY_CONFORMANCE_TESTS] as const;

/** Register the tests of {@link MORE_CONFORMANCE_TESTS} on the storage of each test. */
export function moreConformanceTests(storage: () => StoragePort, test: (name: (typeof MORE_CONFORMANCE_TESTS)[number], fn: () => Promise<void>) => void): void {
  accountConformanceTests(storage, test);
  privacyConformanceTests(storage, test);
}
