import { ValidationError } from '../errors.js';
import type { SurveyAnswer, SurveyQuestion } from '../domain/followup.js';

/** Thresholds at or past which an answer counts as low. */
export interface LowThresholds {
  /** CSAT at or below counts as low. */
  readonly lowCsat: number;
  /** NPS at or below counts as low. */
  readonly lowNps: number;
  /** CES at or above counts as low. */
  readonly lowCes: number;
}

/**
 * Whether an answer is low: a CSAT, NPS or CES score at or past its threshold, or "no" to
 * "did this solve your problem?".
 */
export function isLowAnswer(answer: SurveyAnswer, t: LowThresholds): boolean {
  return (
    (answer.csat !== undefined && answer.csat <= t.lowCsat) ||
    (answer.nps !== undefined && answer.nps <= t.lowNps) ||
    (answer.ces !== undefined && answer.ces >= t.lowCes) ||
    answer.solved === false
  );
}

const ANSWER_FIELD: Record<SurveyQuestion, keyof SurveyAnswer> = { csat: 'csat', nps: 'nps', ces: 'ces', solved: 'solved' };

/**
 * Check that an answer answers only what the survey asked (a reason only with a CSAT score) and
 * at least one question.
 *
 * @throws ValidationError naming the field.
 */
export function checkAnswerFits(answer: SurveyAnswer, questions: ReadonlyArray<SurveyQuestion>, subject: string): void {
  const asked = new Set(questions.map((q) => ANSWER_FIELD[q]));
  const issues: Array<{ path: string[]; message: string; code: string }> = [];
  for (const q of Object.values(ANSWER_FIELD)) {
    if (answer[q] !== undefined && !asked.has(q)) issues.push({ path: [q], message: `this survey did not ask "${q}"; it asked ${questions.join(', ')}`, code: 'custom' });
  }
  if (answer.reason !== undefined && answer.csat === undefined) issues.push({ path: ['reason'], message: 'a reason explains a CSAT score: give csat too', code: 'custom' });
  if (![...asked].some((q) => answer[q] !== undefined)) issues.push({ path: [], message: `answer at least one of ${questions.join(', ')}`, code: 'custom' });
  if (issues.length > 0) throw new ValidationError(subject, issues);
}
