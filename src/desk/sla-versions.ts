import { slaPolicyVersionId, type SlaPolicyVersion } from '../domain/sla-version.js';
import type { SlaPins } from '../domain/ticket.js';
import type { JsonValue } from '../domain/common.js';
import type { Put } from '../ports/storage.js';
import { compilePolicyVersion, type ResolvedPolicy, type SlaConfig } from '../sla/policy.js';
import type { Reader } from './runtime.js';

/**
 * The versions of a desk's SLA policies: earlier ones loaded (and compiled once) for the
 * tickets pinned to them, and each current one stored the first time a ticket runs on it.
 */
export function createPolicyVersions(sla: SlaConfig) {
  const compiled = new Map<string, ResolvedPolicy | null>();
  const stored = new Set<string>();

  /** The earlier versions `pins` name that this configuration keeps tickets on, by fingerprint. */
  async function earlier(pins: SlaPins | undefined, read: Reader): Promise<ReadonlyMap<string, ResolvedPolicy>> {
    const out = new Map<string, ResolvedPolicy>();
    if (pins === undefined) return out;
    for (const [policyId, pin] of Object.entries(pins)) {
      const current = sla.policies.find((p) => p.id === policyId);
      if (current === undefined || current.onEdit !== 'keep' || pin.v === current.fingerprint) continue;
      const id = slaPolicyVersionId(policyId, pin.v);
      if (!compiled.has(id)) {
        const record = await read.get('sla_policy', id);
        let policy: ResolvedPolicy | null = null;
        // A version that no longer fits the configuration (a calendar it names was removed) gives way to the current one.
        if (record !== null) {
          try {
            policy = compilePolicyVersion(sla, record.source as never);
          } catch {
            policy = null;
          }
        }
        compiled.set(id, policy);
      }
      const policy = compiled.get(id);
      if (policy) out.set(pin.v, policy);
    }
    return out;
  }

  /** The current versions `pins` name that storage may not have yet, as puts (none twice with `already`). */
  async function missing(pins: SlaPins | undefined, read: Reader, now: Date, already: ReadonlySet<string>): Promise<Put[]> {
    const puts: Put[] = [];
    for (const [policyId, pin] of Object.entries(pins ?? {})) {
      const current = sla.policies.find((p) => p.id === policyId);
      if (current === undefined || pin.v !== current.fingerprint) continue;
      const id = slaPolicyVersionId(policyId, pin.v);
      if (stored.has(id) || already.has(id)) continue;
      if ((await read.get('sla_policy', id)) !== null) {
        stored.add(id);
        continue;
      }
      const record: SlaPolicyVersion = { id, version: 1, policyId, fingerprint: pin.v, source: current.source as unknown as Record<string, JsonValue>, createdAt: now, updatedAt: now };
      puts.push({ kind: 'sla_policy', record, expectedVersion: null });
    }
    return puts;
  }

  return { earlier, missing };
}
