import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppConfig } from './config/config-schema.ts';
import { fastifyOptions } from './fastify-options.ts';
import { apiKeyAuthPlugin } from './plugins/api-key-auth.ts';
import { authFailureLimitPlugin } from './plugins/auth-failure-limit.ts';
import { callChangeFeedPlugin } from './plugins/call-change-feed.ts';
import { callReadsPlugin } from './plugins/call-reads.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { eventBatcherPlugin } from './plugins/event-batcher.ts';
import { dashboardStaticPlugin } from './plugins/external/dashboard-static.ts';
import { metricsPlugin } from './plugins/external/metrics.ts';
import { openApiDocsPlugin } from './plugins/external/openapi-docs.ts';
import { rateLimitPlugin } from './plugins/external/rate-limit.ts';
import { securityHeadersPlugin } from './plugins/external/security-headers.ts';
import { kestraPushPlugin } from './plugins/kestra-push.ts';
import { lifecyclePlugin } from './plugins/lifecycle.ts';
import { requestIdPlugin } from './plugins/request-id.ts';
import { resultWaitersPlugin } from './plugins/result-waiters.ts';
import { retentionPlugin } from './plugins/retention.ts';
import { spoolPlugin } from './plugins/spool.ts';
import { supabasePlugin } from './plugins/supabase.ts';
import { vapiRelayOutboxPlugin } from './plugins/vapi-relay-outbox.ts';
import { webhookVerificationPlugin } from './plugins/webhook-verification.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { devRoutes } from './routes/dev-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';
import { oauthTokenRoutes } from './routes/oauth-token-routes.ts';
import { readRoutes } from './routes/read-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

export interface BuildAppOptions {
  /** Replaces the pino options derived from config (tests pass a stream to read the log). */
  logger?: FastifyServerOptions['logger'];
  /** Turns tracing on with this exporter instead of OTLP (tests read spans from an in-memory one). */
  spanExporter?: SpanExporter;
}

/** Builds the whole app without listening: the process entry (server.ts) and the tests share it. */
export async function buildApp(config: AppConfig, options: BuildAppOptions = {}) {
  const app = Fastify(fastifyOptions(config, options.logger)).withTypeProvider<ZodTypeProvider>();

  // Before any route or hook, so every one is traced; the SDK is loaded only when tracing is on.
  const { tracing } = config.observability;
  if (tracing.endpoint || options.spanExporter) {
    const { startTracing } = await import('./plugins/external/tracing.ts');
    await startTracing(app, { ...tracing, exporter: options.spanExporter });
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Framework plugins, then the app's own services (each declares what it needs), then the routes.
  await app.register(requestIdPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin, config.server);
  await app.register(lifecyclePlugin);
  await app.register(openApiDocsPlugin, config.webhookAuth.headers);
  await app.register(rateLimitPlugin);
  await app.register(authFailureLimitPlugin, config.reads);
  await app.register(supabasePlugin, config.supabase);
  await app.register(callReadsPlugin, config.supabase);
  await app.register(apiKeyAuthPlugin, config);
  await app.register(resultWaitersPlugin, config);
  await app.register(retentionPlugin, config.retention);
  await app.register(callChangeFeedPlugin, config.reads.stream);
  // Before the routes: fastify-metrics times the routes registered after it.
  await app.register(metricsPlugin);
  await app.register(eventBatcherPlugin, config.webhook.batch);
  await app.register(spoolPlugin, config.webhook.spool);
  await app.register(kestraPushPlugin, config.kestra);
  await app.register(vapiRelayOutboxPlugin, config.vapi);
  await app.register(webhookVerificationPlugin, config);

  await app.register(healthRoutes);
  // With METRICS_PORT, /metrics is served on that listener alone (metrics-server.ts).
  const { metrics } = config.observability;
  if (metrics.port === undefined) await app.register(metricsRoutes, metrics);
  await app.register(webhookRoutes, config);
  await app.register(oauthTokenRoutes, config.webhookAuth);
  await app.register(readRoutes, config);
  if (config.admin.api) await app.register(adminRoutes, config.admin.api);
  if (config.dashboard.simulatorEnabled) await app.register(devRoutes, config.webhookAuth);
  await app.register(dashboardStaticPlugin, config.dashboard);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
