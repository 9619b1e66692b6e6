/** The operators of the condition language. */
export const OPERATORS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'containsAny', 'startsWith', 'matches', 'exists'] as const;
/** One operator of the condition language. */
export type Operator = (typeof OPERATORS)[number];

/** One leaf's part in an explanation. */
export interface LeafExplanation {
  /** Where the leaf sits in the condition, e.g. `all[1].any[0]`. */
  readonly at: string;
  /** The leaf's fact path. */
  readonly fact: string;
  /** The leaf's operator. */
  readonly op: Operator;
  /** The value the leaf compares with. */
  readonly value: unknown;
  /** The fact's value in the facts given. */
  readonly actual: unknown;
  /** Whether the leaf matched. */
  readonly matched: boolean;
}

/** Why a condition did or did not match: its result and every leaf with the values it saw. */
export interface ConditionExplanation {
  /** The condition's result. */
  readonly matched: boolean;
  /** Every leaf, in order. */
  readonly leaves: ReadonlyArray<LeafExplanation>;
  /** Just the leaves that matched (for audit trails: "matched because ..."). */
  readonly matchedLeaves: ReadonlyArray<LeafExplanation>;
}
