import { ConflictError } from '../errors.js';
import type { HistoryRewrite } from './storage.js';

/** The conflict of a history rewrite whose entry does not exist, the same on every adapter. */
export function missingEntry(r: HistoryRewrite): ConflictError {
  return new ConflictError({
    entity: r.kind,
    id: `${r.ticketId}#${r.index}`,
    kind: 'version',
    expectedVersion: 1,
    actualVersion: null,
    message: `ticket "${r.ticketId}" has no ${r.kind === 'interaction' ? 'interaction' : 'audit entry'} at position ${r.index}: nothing was written`,
  });
}
