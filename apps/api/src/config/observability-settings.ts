import { z } from 'zod';
import { port } from './env-fields.ts';

/** Metrics (Prometheus at /metrics) and tracing (OpenTelemetry, OTLP over HTTP). */
export const observabilityEnv = z.object({
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // A second listener serving only /metrics (then the public port has none); keep it off the load balancer.
  METRICS_HOST: z.string().min(1).optional(),
  METRICS_PORT: port.optional(),
  // Tracing: on only when the endpoint is set; spans go to <endpoint>/v1/traces.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://otel-collector:4318' })
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('callbridge'),
});

export const observabilitySettings = observabilityEnv
  .superRefine((env, context) => {
    if (env.METRICS_HOST !== undefined && env.METRICS_PORT === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['METRICS_HOST'],
        message: 'needs METRICS_PORT: it is the address of the separate metrics listener',
      });
    }
  })
  .transform((env) => ({
    metrics: {
      /** Bearer token /metrics asks for; unset: open (refused in production on the public port). */
      token: env.METRICS_TOKEN,
      /** With a port, /metrics is served on that listener alone (metrics-server.ts). */
      host: env.METRICS_HOST,
      port: env.METRICS_PORT,
    },
    tracing: { serviceName: env.OTEL_SERVICE_NAME, endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT },
  }));

export type ObservabilitySettings = z.output<typeof observabilitySettings>;
