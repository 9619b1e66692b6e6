import { ValidationError, type ValidationIssue } from '../errors.js';
import { FIELD_LIMITS, LIMITS } from '../domain/limits.js';

/**
 * Check one command argument against {@link LIMITS}: string lengths by field name, array and
 * object sizes, nesting depth. Walks the value once, before any schema sees it, so a 10 MB body
 * or a 10,000-deep object is refused with a ValidationError naming the field, never parsed.
 */
export function checkLimits(value: unknown, subject: string): void {
  const issues: ValidationIssue[] = [];
  let budget: number = LIMITS.argument;
  const walk = (v: unknown, path: Array<string | number>, field: string | undefined, depth: number): void => {
    if (issues.length > 0) return;
    if (typeof v === 'string') {
      budget -= v.length;
      const max = (field === undefined ? undefined : FIELD_LIMITS[field]) ?? LIMITS.text;
      if (v.length > max) issues.push({ path, code: 'too_big', message: `is ${v.length.toLocaleString('en')} characters; the limit is ${max.toLocaleString('en')}` });
      else if (budget < 0) issues.push({ path, code: 'too_big', message: `the argument is over ${LIMITS.argument.toLocaleString('en')} characters in all` });
      return;
    }
    if (typeof v !== 'object' || v === null || v instanceof Date) return;
    if (depth >= LIMITS.depth) {
      issues.push({ path, code: 'too_big', message: `nests deeper than ${LIMITS.depth} levels` });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > LIMITS.items) {
        issues.push({ path, code: 'too_big', message: `has ${v.length.toLocaleString('en')} items; the limit is ${LIMITS.items.toLocaleString('en')}` });
        return;
      }
      for (let i = 0; i < v.length; i++) walk(v[i], [...path, i], field, depth + 1);
      return;
    }
    const keys = Object.keys(v);
    if (keys.length > LIMITS.keys) {
      issues.push({ path, code: 'too_big', message: `has ${keys.length.toLocaleString('en')} keys; the limit is ${LIMITS.keys}` });
      return;
    }
    for (const k of keys) {
      budget -= k.length;
      if (k.length > LIMITS.name) {
        issues.push({ path: [...path, k.slice(0, 40)], code: 'too_big', message: `a key of ${k.length} characters; the limit is ${LIMITS.name}` });
        return;
      }
      walk((v as Record<string, unknown>)[k], [...path, k], k, depth + 1);
    }
  };
  walk(value, [], undefined, 0);
  if (issues.length > 0) throw new ValidationError(subject, issues);
}
