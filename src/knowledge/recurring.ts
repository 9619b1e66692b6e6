import { toMillis, type Duration } from '../domain/common.js';
import { terms } from './text.js';
import { groupSimilar } from './grouping.js';

/** What the recurring-problem report reads of a ticket. */
export interface RecurringTicket {
  readonly id: string;
  readonly subject: string;
  readonly tags: ReadonlyArray<string>;
  readonly createdAt: Date;
}

/** Options of {@link recurringProblems}. */
export interface RecurringOptions {
  /** The instant the report is for. */
  readonly now: Date | number;
  /** The current period (default `P30D`); the one before it is the comparison for the trend. */
  readonly window?: Duration | undefined;
  /** A problem is reported from this many tickets in the current period (default 3). */
  readonly minCount?: number | undefined;
  /** How many problems at most (default 10). */
  readonly limit?: number | undefined;
  /**
   * How alike a ticket must be to a problem to join it, 0–1 (the cosine of rarity-weighted words,
   * meanings and tags; default 0.35). Lower groups more loosely.
   */
  readonly similarity?: number | undefined;
  /** Lists of phrases that mean one thing (default `HELPDESK_SYNONYMS`; add your product's words). */
  readonly synonyms?: ReadonlyArray<ReadonlyArray<string>> | undefined;
  /** The language of the subjects, for segmenting (default `ja`, which segments English too). */
  readonly locale?: string | undefined;
}

/** A problem customers keep reporting, worth fixing at the source. */
export interface RecurringProblem {
  /** Its most common subject. */
  readonly label: string;
  /** The terms most of its tickets share. */
  readonly terms: ReadonlyArray<string>;
  /** Tags on at least half of its tickets. */
  readonly tags: ReadonlyArray<string>;
  /** Tickets in the current period. */
  readonly count: number;
  /** Tickets in the period before. */
  readonly previousCount: number;
  /** `new` (none before), `rising` (25% or more up), `falling` (20% or more down) or `steady`. */
  readonly trend: 'new' | 'rising' | 'steady' | 'falling';
  /** The most recent tickets of the current period (up to 10), newest first. */
  readonly ticketIds: ReadonlyArray<string>;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
}

/**
 * The problems customers keep reporting: tickets of the current and the previous period grouped
 * by what their subjects and tags say (numbers and ids ignored, English and Japanese alike, and
 * in either language: 「ログインできない」 and "Can't log in" share a meaning; see `groupSimilar`),
 * with counts, the trend against the period before, and example tickets, most frequent first.
 * Pure and deterministic: tickets are read oldest first, ties broken by id.
 *
 * @example
 * ```ts
 * recurringProblems(tickets, { now: clock.now(), window: 'P7D' })[0];
 * // { label: 'Router reboots every night', count: 12, previousCount: 4, trend: 'rising', ... }
 * ```
 */
export function recurringProblems(tickets: Iterable<RecurringTicket>, options: RecurringOptions): RecurringProblem[] {
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();
  const window = toMillis(options.window ?? 'P30D', 'window');
  const from = now - 2 * window;
  const sorted = [...tickets]
    .filter((t) => t.createdAt.getTime() >= from && t.createdAt.getTime() <= now)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups = groupSimilar(
    sorted.map((t) => ({ text: t.subject, tags: t.tags })),
    { similarity: options.similarity, synonyms: options.synonyms, locale: options.locale },
  ).map((members) => {
    const termCounts = new Map<string, number>();
    for (const i of members) {
      const t = sorted[i] as RecurringTicket;
      const own = new Set([...terms(t.subject.replace(/[#№]?\d[\d-]*/g, ' '), options.locale ?? 'ja').filter((w) => !w.startsWith('~')), ...t.tags.map((x) => `#${x.toLowerCase()}`)]);
      for (const w of own) termCounts.set(w, (termCounts.get(w) ?? 0) + 1);
    }
    const core = new Set([...termCounts].filter(([, c]) => c >= members.length / 2).map(([w]) => w));
    return { members: members.map((i) => ({ ticket: sorted[i] as RecurringTicket })), termCounts, core };
  });
  const current = now - window;
  const out: RecurringProblem[] = [];
  for (const g of groups) {
    const recent = g.members.filter((m) => m.ticket.createdAt.getTime() > current);
    if (recent.length < (options.minCount ?? 3)) continue;
    const previousCount = g.members.length - recent.length;
    const subjects = new Map<string, number>();
    for (const m of g.members) subjects.set(m.ticket.subject, (subjects.get(m.ticket.subject) ?? 0) + 1);
    let label = '';
    let top = 0;
    for (const [subject, c] of subjects) if (c > top) [label, top] = [subject, c];
    const ratio = previousCount === 0 ? Infinity : recent.length / previousCount;
    const core = [...g.core].sort((a, b) => (g.termCounts.get(b) ?? 0) - (g.termCounts.get(a) ?? 0) || (a < b ? -1 : 1));
    out.push({
      label,
      terms: core.filter((w) => !w.startsWith('#')),
      tags: core.filter((w) => w.startsWith('#')).map((w) => w.slice(1)),
      count: recent.length,
      previousCount,
      trend: previousCount === 0 ? 'new' : ratio >= 1.25 ? 'rising' : ratio <= 0.8 ? 'falling' : 'steady',
      ticketIds: recent.slice(-10).reverse().map((m) => m.ticket.id),
      firstSeen: (g.members[0] as { ticket: RecurringTicket }).ticket.createdAt,
      lastSeen: (g.members[g.members.length - 1] as { ticket: RecurringTicket }).ticket.createdAt,
    });
  }
  return out.sort((a, b) => b.count - a.count || b.count / Math.max(1, b.previousCount) - a.count / Math.max(1, a.previousCount) || (a.label < b.label ? -1 : 1)).slice(0, options.limit ?? 10);
}
