import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyMetricsModule from 'fastify-metrics';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { matchesAny } from '../lib/constant-time-equal.ts';
import { messageTypeLabel } from '../lib/vapi-message-types.ts';
import type { VerificationFailure } from '../lib/verify-vapi-signature.ts';
import { bearerToken } from './api-key-auth.ts';
import { errorBody } from './error-handler.ts';

// A CommonJS module with `exports.default`: Node's ESM loader hands over the whole exports object.
const fastifyMetrics = fastifyMetricsModule.default;

/** 5 ms to 10 s: the OpenTelemetry HTTP buckets, where prom-client's defaults start at 50 ms. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * What routes report. Every label value comes from a small fixed set (message types VAPI documents,
 * outcomes, verification reasons, route templates): never a call id, phone number or key.
 */
export interface CallbridgeMetrics {
  webhook(type: string, outcome: string): void;
  verificationFailure(reason: VerificationFailure): void;
  storeDuration(seconds: number): void;
  storeRetry(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    callbridgeMetrics: CallbridgeMetrics;
  }
}

export interface MetricsPluginOptions {
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  token?: string;
}

const metricsTextSchema = z.string().meta({
  example: [
    '# HELP callbridge_webhooks_total Authentic webhook deliveries by message type and outcome',
    '# TYPE callbridge_webhooks_total counter',
    'callbridge_webhooks_total{type="status-update",outcome="stored"} 1204',
    'callbridge_webhooks_total{type="end-of-call-report",outcome="stored"} 311',
    '# HELP callbridge_long_poll_waiters Requests waiting on this instance for a call result',
    '# TYPE callbridge_long_poll_waiters gauge',
    'callbridge_long_poll_waiters 3',
  ].join('\n'),
});

const metricsRoute: FastifyPluginAsyncZod<{ registry: Registry; token?: string }> = async (app, options) => {
  const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.token) return;
    const token = bearerToken(request);
    if (token && matchesAny(token, [options.token])) return;
    request.log.warn({ reason: token ? 'unknown-token' : 'missing-token' }, 'metrics token rejected');
    reply.header('www-authenticate', 'Bearer');
    return reply.code(401).send(errorBody(request, 401, 'Missing or invalid metrics token'));
  };

  app.get(
    '/metrics',
    {
      onRequest: requireToken,
      // A scrape every few seconds is not worth a log line each; a refused token still gets one.
      logLevel: 'warn',
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description:
          'Prometheus text format (0.0.4): request rate, errors and duration per route template, webhook counts by type and outcome, verification failures, store latency and retries, long-poll waiters, rate-limited requests, and Node.js process metrics. Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
        security: [{ metricsToken: [] }],
        response: {
          200: {
            description: 'Prometheus text exposition format 0.0.4',
            content: { 'text/plain': { schema: metricsTextSchema } },
          },
          401: errorResponseSchema,
        },
      },
    },
    async (_request, reply) => {
      const text = await options.registry.metrics();
      // The text is the body as is: not a JSON string.
      return reply
        .type(options.registry.contentType)
        .serializer((body: unknown) => String(body))
        .send(text);
    },
  );
};

/**
 * One registry per app instance (tests build several apps in one process, and a shared global
 * registry would refuse the second app's metrics). fastify-metrics times every registered route by
 * its template; the Callbridge metrics are defined here, once.
 */
export const metricsPlugin = fp<MetricsPluginOptions>(
  async (app, options) => {
    const registry = new Registry();

    await app.register(fastifyMetrics, {
      endpoint: null,
      name: 'routeMetrics',
      defaultMetrics: { enabled: true, register: registry },
      routeMetrics: {
        enabled: { histogram: true, summary: false },
        overrides: {
          histogram: { buckets: DURATION_BUCKETS, registers: [registry] },
          summary: { registers: [registry] },
        },
      },
    });

    // fastify-metrics always creates its summary; with summaries off it would only ever be empty.
    registry.removeSingleMetric('http_request_summary_seconds');

    const webhooks = new Counter({
      name: 'callbridge_webhooks_total',
      help: 'Authentic webhook deliveries by message type (known VAPI types, else "other") and outcome (stored, acknowledged, failed; unavailable: answered 503, not stored)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    });
    const verificationFailures = new Counter({
      name: 'callbridge_webhook_verification_failures_total',
      help: 'Webhooks refused because they could not be authenticated, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    const storeDuration = new Histogram({
      name: 'callbridge_store_duration_seconds',
      help: 'Time to store deliveries in the database, retries included',
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    const storeRetries = new Counter({
      name: 'callbridge_store_retries_total',
      help: 'Store attempts retried after an outage, a timeout or a 5xx',
      registers: [registry],
    });
    const rateLimited = new Counter({
      name: 'callbridge_rate_limited_total',
      help: 'Requests answered 429, by route template',
      labelNames: ['route'] as const,
      registers: [registry],
    });
    new Gauge({
      name: 'callbridge_long_poll_waiters',
      help: 'Requests waiting on this instance for a call result (GET /calls/:callId?wait=…)',
      registers: [registry],
      collect() {
        this.set(app.resultWaiters.size);
      },
    });

    app.decorate('callbridgeMetrics', {
      webhook: (type, outcome) => webhooks.inc({ type: messageTypeLabel(type), outcome }),
      verificationFailure: (reason) => verificationFailures.inc({ reason }),
      storeDuration: (seconds) => storeDuration.observe(seconds),
      storeRetry: () => storeRetries.inc(),
    } satisfies CallbridgeMetrics);

    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode === 429) rateLimited.inc({ route: request.routeOptions.url ?? '__unknown__' });
    });

    await app.register(metricsRoute, { registry, token: options.token });
  },
  { name: 'metrics', dependencies: ['result-waiters'] },
);
