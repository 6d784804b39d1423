import {
  type Attributes,
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** Every span Callbridge makes itself; the request spans come from @fastify/otel. */
const tracer = trace.getTracer('callbridge');

export interface SpanOptions {
  /** Starts a trace of its own (background work such as the Kestra push) instead of a child. */
  root?: boolean;
  /** Other spans this one serves, e.g. every request whose event a batch stores. */
  links?: Link[];
}

/**
 * Runs `fn` inside a span named `name` (ended when `fn` settles, marked as an error when it throws).
 * Without a tracer provider — OTEL_EXPORTER_OTLP_ENDPOINT unset — the API hands out a non-recording
 * span and this costs a function call.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  options: SpanOptions = {},
): Promise<T> {
  const parent = options.root ? ROOT_CONTEXT : context.active();
  return tracer.startActiveSpan(name, { attributes, links: options.links }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's context, to link to later (undefined when nothing is traced). */
export function activeSpanLink(): Link | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? { context: span.spanContext() } : undefined;
}

/** pino's mixin while tracing is on: each log line carries the trace and span it was written in. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
