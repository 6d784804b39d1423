import fastifyMetricsModule from 'fastify-metrics';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { messageTypeLabel } from '../../lib/vapi-message-types.ts';
import type { DeliveryVerificationFailure } from '../../lib/verify-delivery.ts';
import type { DeliveryOutcome } from '../../services/webhook-ingest-service.ts';

// A CommonJS module with `exports.default`: Node's ESM loader hands over the whole exports object.
const fastifyMetrics = fastifyMetricsModule.default;

/** 5 ms to 10 s: the OpenTelemetry HTTP buckets, where prom-client's defaults start at 50 ms. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * What routes report. Every label value comes from a small fixed set (message types VAPI documents,
 * outcomes, verification reasons, route templates): never a call id, phone number or key.
 */
export interface CallbridgeMetrics {
  /** Counted as `unavailable` when timed out (answered 503, not stored); `spooled`: stored later. */
  webhook(type: string, outcome: DeliveryOutcome): void;
  verificationFailure(reason: DeliveryVerificationFailure): void;
  /** One store (ingest-deliveries.ts): its duration, retries included, and how many retries it made. */
  store(measures: { durationMs: number; retries: number }): void;
  /** How many deliveries one store call (group commit) carried. */
  storeBatch(size: number): void;
  /** A request-response type answered by Callbridge without anyone's decision (the default answer). */
  defaultAnswer(type: string, reason: DefaultAnswerReason): void;
  /** A forward to the team's own server, by how it ended. */
  relay(type: string, result: 'answered' | 'failed', seconds: number): void;
}

/** `not-relayed`: no relay URL applies; `relay-failed`: the upstream failed or was late. */
export type DefaultAnswerReason = 'not-relayed' | 'relay-failed';

declare module 'fastify' {
  interface FastifyInstance {
    callbridgeMetrics: CallbridgeMetrics;
    /** This app's metrics, route timings and process metrics included: what GET /metrics serves. */
    metricsRegistry: Registry;
  }
}

/**
 * One registry per app instance (tests build several apps in one process, and a shared global
 * registry would refuse the second app's metrics). fastify-metrics times every registered route by
 * its template; the Callbridge metrics are defined here, once.
 */
export const metricsPlugin = fp(
  async (app) => {
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
      help: 'Authentic webhook deliveries by message type (known VAPI types, else "other") and outcome (stored, acknowledged, rejected, failed; spooled: on local disk, stored once the database answers; unavailable: answered 503, not stored; refused: answered 500, PostgREST took not even the event without content)',
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
    const storeBatchSize = new Histogram({
      name: 'callbridge_store_batch_size',
      help: 'Webhook deliveries stored per database call (group commit); the count is the number of calls',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    });
    const defaultAnswers = new Counter({
      name: 'callbridge_vapi_default_answers_total',
      help: 'Request-response messages (assistant-request, tool-calls, …) answered with the default answer rather than a decision, by type and reason (not-relayed, relay-failed)',
      labelNames: ['type', 'reason'] as const,
      registers: [registry],
    });
    const relayDuration = new Histogram({
      name: 'callbridge_vapi_relay_duration_seconds',
      help: "Forwards to the team's own VAPI server, by message type and result (answered: its answer went to VAPI; failed: the default answer did)",
      labelNames: ['type', 'result'] as const,
      buckets: DURATION_BUCKETS,
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

    if (app.resultListener) {
      const listener = app.resultListener;
      new Gauge({
        name: 'callbridge_result_listener_connected',
        help: '1 while this instance LISTENs for final results (DATABASE_URL), 0 while it reconnects',
        registers: [registry],
        collect() {
          this.set(listener.connected ? 1 : 0);
        },
      });
      new Counter({
        name: 'callbridge_result_notifications_total',
        help: 'Final-result notifications received from Postgres (results stored by any instance)',
        registers: [registry],
        collect() {
          this.reset();
          this.inc(listener.notifications);
        },
      });
      new Counter({
        name: 'callbridge_result_listener_reconnects_total',
        help: 'Times the result listener connected again after losing its connection',
        registers: [registry],
        collect() {
          this.reset();
          this.inc(listener.reconnects);
        },
      });
    }

    app.decorate('callbridgeMetrics', {
      // `unavailable` is the label dashboards and alerts already read for a delivery answered 503.
      webhook: (type, outcome) =>
        webhooks.inc({
          type: messageTypeLabel(type),
          outcome: outcome === 'timed-out' ? 'unavailable' : outcome,
        }),
      verificationFailure: (reason) => verificationFailures.inc({ reason }),
      store: ({ durationMs, retries }) => {
        storeDuration.observe(durationMs / 1000);
        if (retries > 0) storeRetries.inc(retries);
      },
      storeBatch: (size) => storeBatchSize.observe(size),
      defaultAnswer: (type, reason) => defaultAnswers.inc({ type: messageTypeLabel(type), reason }),
      relay: (type, result, seconds) =>
        relayDuration.observe({ type: messageTypeLabel(type), result }, seconds),
    } satisfies CallbridgeMetrics);

    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode === 429) rateLimited.inc({ route: request.routeOptions.url ?? '__unknown__' });
    });
    app.decorate('metricsRegistry', registry);
  },
  { name: 'metrics', dependencies: ['result-waiters'] },
);
