import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createServiceDesk, type Tracer } from 'omotenashi';
import { createManualClock } from 'omotenashi/testing';

describe('tracing with an OpenTelemetry tracer', () => {
  it('puts every command and job in a span with its ticket id and outcome', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('omotenashi') as unknown as Tracer;
    const clock = createManualClock('2026-04-06T01:00:00Z');
    const desk = createServiceDesk({ storage: createMemoryStorage(), clock, tracer });
    const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Sato' });
    const { ticket } = await desk.openTicket({ requesterId: customer.id, subject: 'Router', channel: 'email' });
    await desk.resolve(ticket.id, { summary: 'Fixed' });
    await expect(desk.reopen(ticket.id, { reason: '' })).rejects.toThrow();
    await clock.advance('P5D');
    const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, status: s.status.code }));
    expect(spans.map((s) => s.name)).toEqual(['omotenashi.registerCustomer', 'omotenashi.openTicket', 'omotenashi.resolve', 'omotenashi.reopen', 'omotenashi.job.ticket.autoClose']);
    expect(spans[2]).toMatchObject({ attributes: { 'omotenashi.method': 'resolve', 'omotenashi.ticket_id': ticket.id, 'omotenashi.outcome': 'ok' }, status: 0 });
    expect(spans[3]).toMatchObject({ attributes: { 'omotenashi.outcome': 'VALIDATION_FAILED' }, status: 2 });
    expect(spans[4]?.attributes).toMatchObject({ 'omotenashi.job.type': 'ticket.autoClose', 'omotenashi.ticket_id': ticket.id, 'omotenashi.outcome': 'ok' });
  });
});
