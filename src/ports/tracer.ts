/** The part of an OpenTelemetry span the desk uses. */
export interface TraceSpan {
  /** Set an attribute (`omotenashi.method`, `omotenashi.ticket_id`, `omotenashi.outcome`...). */
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** Mark the span failed: code 2 is OpenTelemetry's `SpanStatusCode.ERROR`. */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Attach the error that failed the span. */
  recordException(error: Error): void;
  /** End the span. */
  end(): void;
}

/**
 * The part of an OpenTelemetry `Tracer` the desk uses: pass `trace.getTracer('omotenashi')` from
 * `@opentelemetry/api` (the desk imports nothing of it; without a tracer nothing is traced).
 *
 * @example
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * const desk = createServiceDesk({ storage, tracer: trace.getTracer('omotenashi') });
 * ```
 */
export interface Tracer {
  /** Run `fn` in a new active span named `name`; return what it returns. */
  startActiveSpan<T>(name: string, fn: (span: TraceSpan) => T): T;
}
