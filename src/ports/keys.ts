import { ConflictError } from '../errors.js';
import type { EntityKind, UnitOfWork } from './storage.js';

/** The record that owns a key. */
export interface Owner {
  readonly kind: EntityKind;
  readonly id: string;
}

/** The keys a unit of work touches, to read their owners before {@link keyChanges}. */
export const touchedKeys = (changes: UnitOfWork['keys']): string[] => [...new Set((changes ?? []).map((c) => c.key))];

/**
 * What a unit of work's key changes come to against the current owners: the keys to set (or, with
 * null, to drop) in order, or the conflict of a key another record owns.
 */
export function keyChanges(current: (key: string) => Owner | undefined, changes: UnitOfWork['keys']): Map<string, Owner | null> | ConflictError {
  const next = new Map<string, Owner | null>();
  const ownerOf = (key: string) => (next.has(key) ? next.get(key) : current(key)) ?? null;
  const ordered = [...(changes ?? [])].sort((a, b) => (a.op === b.op ? 0 : a.op === 'release' ? -1 : 1));
  for (const c of ordered) {
    const owner = ownerOf(c.key);
    const same = owner !== null && owner.kind === c.kind && owner.id === c.id;
    if (c.op === 'release') {
      if (same) next.set(c.key, null);
    } else if (owner === null) next.set(c.key, { kind: c.kind, id: c.id });
    else if (!same) return new ConflictError({ entity: owner.kind, id: owner.id, kind: 'key', expectedVersion: null, actualVersion: null, message: `"${c.key}" already belongs to ${owner.kind} "${owner.id}"` });
  }
  return next;
}

