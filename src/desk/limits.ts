import { ValidationError, type ValidationIssue } from '../errors.js';
import { FIELD_LIMITS, LIMITS } from '../domain/limits.js';

/**
 * Check one command argument against {@link LIMITS}: string lengths by field name, array and
 * object sizes, nesting depth. Walks the value once, before any schema sees it, so a 10 MB body
 * or a 10,000-deep object is refused with a ValidationError naming the field, never parsed.
 */
export function checkLimits(value: unknown, subject: string): void {
  // One path, pushed and popped as the walk goes; copied only into an issue.
  const path: Array<string | number> = [];
  let budget: number = LIMITS.argument;
  const refuse = (message: string, at: ReadonlyArray<string | number> = path): never => {
    const issue: ValidationIssue = { path: [...at], code: 'too_big', message };
    throw new ValidationError(subject, [issue]);
  };
  const walk = (v: unknown, field: string | undefined, depth: number): void => {
    if (typeof v === 'string') {
      budget -= v.length;
      const max = (field === undefined ? undefined : FIELD_LIMITS[field]) ?? LIMITS.text;
      if (v.length > max) refuse(`is ${v.length.toLocaleString('en')} characters; the limit is ${max.toLocaleString('en')}`);
      if (budget < 0) refuse(`the argument is over ${LIMITS.argument.toLocaleString('en')} characters in all`);
      return;
    }
    if (typeof v !== 'object' || v === null || v instanceof Date) return;
    if (depth >= LIMITS.depth) refuse(`nests deeper than ${LIMITS.depth} levels`);
    if (Array.isArray(v)) {
      if (v.length > LIMITS.items) refuse(`has ${v.length.toLocaleString('en')} items; the limit is ${LIMITS.items.toLocaleString('en')}`);
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], field, depth + 1);
        path.pop();
      }
      return;
    }
    const keys = Object.keys(v);
    if (keys.length > LIMITS.keys) refuse(`has ${keys.length.toLocaleString('en')} keys; the limit is ${LIMITS.keys}`);
    for (const k of keys) {
      budget -= k.length;
      if (k.length > LIMITS.name) refuse(`a key of ${k.length} characters; the limit is ${LIMITS.name}`, [...path, k.slice(0, 40)]);
      path.push(k);
      walk((v as Record<string, unknown>)[k], k, depth + 1);
      path.pop();
    }
  };
  walk(value, undefined, 0);
}
