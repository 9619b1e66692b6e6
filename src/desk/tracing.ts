import { isOmotenashiError } from '../errors.js';
import type { ScheduledJob } from '../domain/job.js';
import type { TraceSpan, Tracer } from '../ports/tracer.js';

const ERROR = 2;

/** Run `work` in a span that ends with its outcome: `ok`, or the error's code (or `error`). */
export async function traced<T>(tracer: Tracer | undefined, name: string, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
  if (tracer === undefined) return work();
  return tracer.startActiveSpan(name, async (span: TraceSpan) => {
    for (const [k, v] of Object.entries(attributes)) span.setAttribute(k, v);
    try {
      const result = await work();
      span.setAttribute('omotenashi.outcome', 'ok');
      return result;
    } catch (error) {
      span.setAttribute('omotenashi.outcome', isOmotenashiError(error) ? error.code : 'error');
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The attributes of a desk method's span: its name, and the id it acts on when its first
 * argument is one (`ticket id` → `omotenashi.ticket_id`).
 */
export function methodAttributes(method: string, firstName: string | undefined, first: unknown): Record<string, string> {
  const attributes: Record<string, string> = { 'omotenashi.method': method };
  if (firstName !== undefined && firstName.endsWith(' id') && typeof first === 'string') attributes[`omotenashi.${firstName.replace(/ /g, '_')}`] = first.slice(0, 200);
  return attributes;
}

/** The attributes of a job's span. */
export const jobAttributes = (job: ScheduledJob): Record<string, string> => {
  const payload = job.payload as { ticketId?: unknown };
  return { 'omotenashi.job.type': job.type, 'omotenashi.job.key': job.key, ...(typeof payload?.ticketId === 'string' ? { 'omotenashi.ticket_id': payload.ticketId } : {}) };
};
