import type { SlaPin, SlaPins } from '../domain/ticket.js';
import { derivedConfig, type ResolvedPolicy, type SlaConfig } from './policy.js';

/** The key of one cycle of one clock, as a pin's `held` breaches name it. */
export const heldKey = (c: { readonly slot: string; readonly metric: string; readonly cycle: number }): string => `${c.slot}/${c.metric}#${c.cycle}`;

/**
 * The configuration as a ticket pinned to earlier policy versions sees it: each policy whose
 * pin names another version, and whose edit mode is `keep`, is replaced by that version
 * (`versions`, by fingerprint). Memoised; a replaced configuration has its own `source`, so a
 * folded state is never continued across versions.
 */
export function pinnedConfig(config: SlaConfig, pins: SlaPins | undefined, versions: ReadonlyMap<string, ResolvedPolicy>): SlaConfig {
  if (pins === undefined) return config;
  const swaps = config.policies.filter((p) => {
    const pin = pins[p.id];
    return pin !== undefined && pin.v !== p.fingerprint && p.onEdit === 'keep' && versions.has(pin.v);
  });
  if (swaps.length === 0) return config;
  const key = swaps.map((p) => `${p.id}@${(pins[p.id] as SlaPin).v}`).join(',');
  const swapped = new Set(swaps.map((p) => p.id));
  return derivedConfig(config, `pinned:${key}`, () => ({
    ...config,
    // An earlier version keeps the place of the current one (the order is the configuration's now).
    policies: config.policies.map((p) => (swapped.has(p.id) ? { ...(versions.get((pins[p.id] as SlaPin).v) as ResolvedPolicy), position: p.position } : p)),
    source: { ...config.source, pinned: key } as SlaConfig['source'],
  }));
}

/**
 * The pins a ticket runs on in this evaluation. A pin on a policy's current version stays; a pin
 * on an earlier one stays under `keep` while that version is at hand (`versions`), and otherwise
 * moves to the current version as of `now`, holding the breaches the ticket already had then
 * (`clocks`, its stored clocks) at their instants. Pins of policies no longer configured go.
 */
export function pinsNow(
  config: SlaConfig,
  pins: SlaPins | undefined,
  versions: ReadonlyMap<string, ResolvedPolicy>,
  clocks: ReadonlyArray<{ readonly slot: string; readonly policyId: string; readonly metric: string; readonly cycle: number; readonly breachedAt?: Date | undefined }>,
  now: Date,
): SlaPins | undefined {
  if (pins === undefined) return undefined;
  const out: Record<string, SlaPin> = {};
  for (const p of config.policies) {
    const pin = pins[p.id];
    if (pin === undefined) continue;
    if (pin.v === p.fingerprint || (p.onEdit === 'keep' && versions.has(pin.v))) {
      out[p.id] = pin;
      continue;
    }
    const held: Record<string, Date> = {};
    for (const c of clocks) if (c.policyId === p.id && c.breachedAt !== undefined) held[heldKey(c)] = c.breachedAt;
    out[p.id] = { v: p.fingerprint, since: now, ...(Object.keys(held).length > 0 ? { held } : {}) };
  }
  return out;
}

/** The pins after an evaluation: every policy with a clock now is pinned, to the version it ran on. */
export function pinsAfter(config: SlaConfig, pins: SlaPins | undefined, clocks: ReadonlyArray<{ readonly policyId: string }>): SlaPins | undefined {
  const out: Record<string, SlaPin> = { ...pins };
  for (const c of clocks) {
    if (out[c.policyId] !== undefined) continue;
    const policy = config.policies.find((p) => p.id === c.policyId);
    if (policy !== undefined) out[c.policyId] = { v: policy.fingerprint };
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * No edit dates a breach before it reached the ticket: a clock of a policy the ticket moved to
 * at `since` (an `apply` edit) that the new version would have breached earlier is breached at
 * `since`, unless it was already breached then (its instant is held).
 */
export function clampBreaches<C extends { readonly slot: string; readonly policyId: string; readonly metric: string; readonly cycle: number; readonly breachedAt?: Date | undefined; readonly dueAt?: Date | undefined }>(
  clocks: ReadonlyArray<C>,
  pins: SlaPins | undefined,
): C[] {
  return clocks.map((c) => {
    const pin = pins?.[c.policyId];
    if (pin?.since === undefined || c.breachedAt === undefined || c.breachedAt.getTime() >= pin.since.getTime()) return c;
    const at = pin.held?.[heldKey(c)] ?? pin.since;
    return { ...c, breachedAt: at, dueAt: at };
  });
}
