import { ConflictError, ValidationError } from '../errors.js';
import type { Agent } from '../domain/agent.js';
import type { AgentId, TeamId } from '../domain/common.js';
import type { FieldChange } from '../domain/ticket.js';
import type { DeskEvent } from '../events.js';
import { diffRecords, omit } from '../internal/diff.js';
import type { EntityMap, Put } from '../ports/storage.js';
import type { Outcome, Reader } from './runtime.js';

/** Apply a patch: `null` clears a field, `undefined` leaves it, anything else replaces it. */
export function applyPatch<T extends object>(current: T, patch: Record<string, unknown>): T {
  let next: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) next = omit(next, key);
    else if (value !== undefined) next[key] = value;
  }
  return next as T;
}

/** The outcome of creating one versioned record. */
export function created<K extends 'customer' | 'agent' | 'team' | 'organization'>(kind: K, record: EntityMap[K], events: DeskEvent[]): Outcome<EntityMap[K]> {
  return { work: { puts: [{ kind, record, expectedVersion: null } as Put], interactions: [], audit: [] }, events, effects: [], result: record };
}

/** The outcome of replacing one versioned record; no write at all when nothing changed. */
export function updated<K extends 'customer' | 'agent' | 'team' | 'organization'>(
  kind: K,
  current: EntityMap[K],
  next: EntityMap[K],
  now: Date,
  events: (saved: EntityMap[K], changes: FieldChange[]) => DeskEvent[],
): Outcome<EntityMap[K]> {
  const changes = diffRecords(current, next, ['version', 'updatedAt']);
  if (changes.length === 0) return { work: null, events: [], effects: [], result: current };
  const saved = { ...next, version: current.version + 1, updatedAt: now };
  return { work: { puts: [{ kind, record: saved, expectedVersion: current.version } as Put], interactions: [], audit: [] }, events: events(saved, changes), effects: [], result: saved };
}

/** Check a route (agent and/or team): both exist, a newly named agent is active, and belongs to the team. */
export async function checkRoute(read: Reader, route: { agentId?: AgentId | undefined; teamId?: TeamId | undefined }, field: string, options: { requireActive?: boolean } = {}): Promise<void> {
  let agent: Agent | undefined;
  if (route.agentId !== undefined) {
    agent = await read.load('agent', route.agentId);
    if (options.requireActive !== false && !agent.active) {
      throw new ValidationError(`${field}`, [{ path: [field, 'agentId'], message: `agent "${agent.name}" is inactive; pick an active agent`, code: 'custom' }]);
    }
  }
  if (route.teamId !== undefined) {
    await read.load('team', route.teamId);
    if (agent !== undefined && agent.teamIds.length > 0 && !agent.teamIds.includes(route.teamId)) {
      throw new ValidationError(`${field}`, [{ path: [field, 'agentId'], message: `agent "${agent.name}" is not a member of team "${route.teamId}"; add them to it or pick another agent`, code: 'custom' }]);
    }
  }
}


/** Refuse to act on a record that changed since the caller read it (`expected` given and not the stored version). */
export function expectVersion(entity: string, record: { readonly id: string; readonly version: number }, expected: number | undefined): void {
  if (expected !== undefined && record.version !== expected) {
    throw new ConflictError({ entity, id: record.id, kind: 'version', expectedVersion: expected, actualVersion: record.version });
  }
}
