// Loaded only when tracing is on (app.ts imports it dynamically): with OTEL_EXPORTER_OTLP_ENDPOINT
// unset the OpenTelemetry SDK is never loaded, and lib/with-span.ts's spans are the API's no-ops.
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';

/** Probes answer every few seconds for every pod: tracing them would drown the traces that matter. */
export const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans are posted to <endpoint>/v1/traces. */
  endpoint?: string;
  /** Replaces the OTLP exporter, exporting each span as it ends (tests pass an in-memory one). */
  exporter?: SpanExporter;
}

/**
 * Registers a tracer provider for the process and @fastify/otel on `app`: one span per request named
 * after its route template (`POST /api/v1/vapi/webhook`), W3C trace context taken from the caller's
 * `traceparent`. Must run before any route is registered. Closing the app flushes and unregisters it.
 */
export async function startTracing(app: FastifyInstance, options: TracingOptions): Promise<void> {
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({ url: `${(options.endpoint ?? '').replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();

  const instrumentation = new FastifyOtelInstrumentation({
    ignorePaths: ({ url }) => UNTRACED_PATHS.has(url.split('?')[0] ?? url),
    requestHook: (span, request) => {
      span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched route'}`);
    },
  });
  instrumentation.setTracerProvider(provider);
  await app.register(instrumentation.plugin());

  app.addHook('onClose', async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
}
