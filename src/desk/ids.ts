/** The prefixes of generated ids: customers, agents, teams, organisations, tickets, interactions, outbox message keys, published events. */
export type IdPrefix = 'cus' | 'agt' | 'team' | 'org' | 'tkt' | 'int' | 'msg' | 'evt';

/** Makes a fresh unique id for a prefix. */
export type IdGenerator = (prefix: IdPrefix) => string;

/** The default id generator: the prefix and a random UUID (`tkt_3f2c…`). */
export const randomIds: IdGenerator = (prefix) => `${prefix}_${globalThis.crypto.randomUUID()}`;

/**
 * An id generator counting per prefix (`tkt_0001`, `tkt_0002`, ...): readable and
 * deterministic, for demos and tests. Not unique across processes.
 *
 * @example
 * ```ts
 * const desk = createServiceDesk({ storage, clock, ids: createSequentialIds() });
 * ```
 */
export function createSequentialIds(width = 4): IdGenerator {
  const counters = new Map<IdPrefix, number>();
  return (prefix) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${String(n).padStart(width, '0')}`;
  };
}
