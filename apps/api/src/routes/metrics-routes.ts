import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { matchesAny } from '../lib/constant-time-equal.ts';
import { bearerToken } from '../plugins/api-key-auth.ts';
import { errorBody } from '../plugins/error-handler.ts';

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

export interface MetricsRoutesOptions {
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  token?: string;
}

/** The metrics of plugins/external/metrics.ts, for Prometheus. */
export const metricsRoutes: FastifyPluginAsyncZod<MetricsRoutesOptions> = async (app, options) => {
  const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.token) return;
    const token = bearerToken(request);
    if (token && matchesAny(token, [options.token])) return;
    if (app.authFailures.refuseIfBlocked(request, reply)) return;
    app.authFailures.record(request);
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
      const text = await app.metricsRegistry.metrics();
      // The text is the body as is: not a JSON string.
      return reply
        .type(app.metricsRegistry.contentType)
        .serializer((body: unknown) => String(body))
        .send(text);
    },
  );
};
