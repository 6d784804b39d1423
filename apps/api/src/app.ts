import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CountryCode } from 'libphonenumber-js';
import type { AppConfig } from './config/config-schema.ts';
import { kestraPushSettings } from './config/kestra-push-settings.ts';
import { sourceSecretBox } from './config/source-secret-box.ts';
import { defaultAnswerSettings, relayOutboxSettings, relaySettings } from './config/vapi-answer-settings.ts';
import { webhookAuthSettings } from './config/webhook-auth-settings.ts';
import { NO_TIMESTAMP_WARNING } from './lib/hmac-timestamp-coverage.ts';
import { LOGGED_REFUSED_ID_CHARS, requestIdFor } from './lib/request-id.ts';
import { streamKeyCheckMs } from './lib/revocation-bound.ts';
import { fastifyTrustProxy } from './lib/trust-proxy.ts';
import { loggerOptions } from './logger-options.ts';
import { adminAuthPlugin } from './plugins/admin-auth.ts';
import { apiKeyAuthPlugin } from './plugins/api-key-auth.ts';
import { authFailureLimitPlugin } from './plugins/auth-failure-limit.ts';
import { callChangeFeedPlugin } from './plugins/call-change-feed.ts';
import { callReadsPlugin } from './plugins/call-reads.ts';
import { dashboardStaticPlugin } from './plugins/dashboard-static.ts';
import { clientErrorHandler, errorHandlerPlugin, frameworkErrorHandler } from './plugins/error-handler.ts';
import { eventBatcherPlugin } from './plugins/event-batcher.ts';
import { kestraPushPlugin } from './plugins/kestra-push.ts';
import { lifecyclePlugin } from './plugins/lifecycle.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openApiDocsPlugin } from './plugins/openapi-docs.ts';
import { CompletedRequestLogController } from './plugins/request-logging.ts';
import { resultWaitersPlugin } from './plugins/result-waiters.ts';
import { retentionPlugin } from './plugins/retention.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { spoolPlugin } from './plugins/spool.ts';
import { supabasePlugin } from './plugins/supabase.ts';
import { vapiRelayOutboxPlugin } from './plugins/vapi-relay-outbox.ts';
import { adminReadKeyRoutes } from './routes/admin-read-key-routes.ts';
import { adminSourceRoutes } from './routes/admin-source-routes.ts';
import { callListRoutes } from './routes/call-list-routes.ts';
import { callRoutes } from './routes/call-routes.ts';
import { devRoutes } from './routes/dev-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';
import { oauthTokenRoutes } from './routes/oauth-token-routes.ts';
import { statsRoutes } from './routes/stats-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';
import { RecentSignatures } from './services/recent-signatures.ts';
import { SourceVerificationCache } from './services/source-verification-cache.ts';

/** apps/dashboard/dist, from src/ and from dist/ alike (both sit two levels under apps/). */
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

/** Room for a 200-character id with every character a percent-encoded multi-byte UTF-8 sequence. */
const MAX_ENCODED_PARAM_LENGTH = 2400;

export interface BuildAppOptions {
  /** Replaces the pino options derived from config (tests pass a stream to read the log). */
  logger?: FastifyServerOptions['logger'];
  /** Turns tracing on with this exporter instead of OTLP (tests read spans from an in-memory one). */
  spanExporter?: SpanExporter;
}

/** Builds the whole app without listening: the process entry (server.ts) and the tests share it. */
export async function buildApp(config: AppConfig, options: BuildAppOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
    // lib/request-id.ts: a client's X-Request-Id is kept only in a bounded safe format.
    requestIdHeader: false,
    genReqId: requestIdFor,
    logController: new CompletedRequestLogController(),
    // Percent-encoding can triple a parameter's length; the route schemas hold the real limits.
    routerOptions: { maxParamLength: MAX_ENCODED_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  // Before any route or hook, so every one is traced; the SDK is loaded only when tracing is on.
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT || options.spanExporter) {
    const { startTracing } = await import('./plugins/tracing.ts');
    await startTracing(app, {
      serviceName: config.OTEL_SERVICE_NAME,
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      exporter: options.spanExporter,
    });
  }

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request) => {
    const theirs = request.headers['x-request-id'];
    if (theirs !== undefined && theirs !== request.id) {
      const text = String(theirs);
      request.log.info(
        { refusedRequestId: text.slice(0, LOGGED_REFUSED_ID_CHARS), refusedRequestIdLength: text.length },
        'client x-request-id refused: not [A-Za-z0-9._:-]{1,64}',
      );
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const auth = webhookAuthSettings(config);
  if (auth.mode === 'none') {
    app.log.warn(
      '!!! VAPI_WEBHOOK_AUTH=none: webhook verification is OFF. Anyone who can reach this server can write call results. Local use only. !!!',
    );
  }
  if (auth.mode === 'hmac' && !auth.includeTimestamp)
    app.log.warn(`!!! VAPI_HMAC_INCLUDE_TIMESTAMP=false: ${NO_TIMESTAMP_WARNING} !!!`);
  const region = config.DEFAULT_PHONE_REGION as CountryCode;
  const kestraPush = kestraPushSettings(config);
  const metadataOnlyTypes = new Set(config.EVENT_PAYLOAD_METADATA_ONLY_TYPES);

  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin, { hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS });
  await app.register(lifecyclePlugin);
  await app.register(openApiDocsPlugin, {
    signatureHeader: config.VAPI_HMAC_SIGNATURE_HEADER,
    secretHeader: config.VAPI_SECRET_HEADER,
    bearerHeader: config.VAPI_BEARER_HEADER,
  });
  // Routes opt in with `config.rateLimit`; probes stay unlimited for load balancers. Counted at
  // preHandler, after the key check or webhook verification: a limit counts who authenticated
  // (plugins/api-key-auth.ts), and failures have their own per-client counters.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(authFailureLimitPlugin, { maxPerMinute: config.AUTH_FAILURE_RATE_LIMIT_PER_MINUTE });
  await app.register(supabasePlugin, {
    url: config.SUPABASE_URL,
    serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY,
    timeoutMs: config.SUPABASE_TIMEOUT_MS,
  });
  await app.register(callReadsPlugin, {
    databaseUrl: config.DATABASE_URL,
    poolMax: config.DATABASE_READ_POOL_MAX,
    timeoutMs: config.SUPABASE_TIMEOUT_MS,
  });
  await app.register(apiKeyAuthPlugin, {
    apiKeys: config.API_KEYS,
    adminKeys: config.ADMIN_API_KEYS,
    readKeyCacheMs: config.READ_KEY_CACHE_MS,
  });
  await app.register(resultWaitersPlugin, {
    checkIntervalMs: config.LONG_POLL_CHECK_INTERVAL_MS,
    backstopIntervalMs: config.LONG_POLL_BACKSTOP_INTERVAL_MS,
    databaseUrl: config.DATABASE_URL,
    graceSeconds: config.RESULT_GRACE_PERIOD_SECONDS,
  });
  await app.register(retentionPlugin, {
    enabled: config.RETENTION_WORKER_ENABLED,
    intervalMs: config.RETENTION_INTERVAL_SECONDS * 1000,
    pauseFactor: config.RETENTION_PAUSE_FACTOR,
    payloadDays: config.EVENT_PAYLOAD_RETENTION_DAYS,
    eventDays: config.EVENT_RETENTION_DAYS,
    callDays: config.CALL_RESULT_RETENTION_DAYS,
  });
  await app.register(callChangeFeedPlugin, { intervalMs: config.CALL_STREAM_POLL_INTERVAL_MS });
  // Before the routes: fastify-metrics times the routes registered after it.
  await app.register(metricsPlugin);
  await app.register(eventBatcherPlugin, {
    maxWaitMs: config.WEBHOOK_BATCH_MAX_WAIT_MS,
    maxSize: config.WEBHOOK_BATCH_MAX_SIZE,
  });
  await app.register(spoolPlugin, {
    dir: config.SPOOL_DIR,
    maxBytes: config.SPOOL_MAX_BYTES,
    afterMs: config.SPOOL_AFTER_MS,
    drainBatchSize: config.SPOOL_DRAIN_BATCH_SIZE,
    attemptTimeoutMs: config.SUPABASE_TIMEOUT_MS,
    warnWithout: config.NODE_ENV === 'production',
  });
  if (kestraPush) {
    await app.register(kestraPushPlugin, {
      settings: kestraPush,
      graceSeconds: config.RESULT_GRACE_PERIOD_SECONDS,
    });
  }
  const relayOutbox = relayOutboxSettings(config);
  if (relayOutbox) {
    await app.register(vapiRelayOutboxPlugin, {
      settings: relayOutbox,
      enqueueTimeoutMs: config.SUPABASE_TIMEOUT_MS,
    });
  }

  // Source webhook URLs need the key their secrets are sealed with; without it they all answer 404.
  const secretBox = sourceSecretBox(config);
  const sources = secretBox
    ? new SourceVerificationCache(app.supabase, secretBox, config.WEBHOOK_SOURCE_CACHE_MS)
    : undefined;

  await app.register(healthRoutes);
  // With METRICS_PORT, /metrics is served on that listener alone (metrics-server.ts).
  if (config.METRICS_PORT === undefined) await app.register(metricsRoutes, { token: config.METRICS_TOKEN });
  await app.register(webhookRoutes, {
    auth,
    bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
    rateLimitPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    unverifiedRateLimitPerMinute: config.WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE,
    ingest: {
      region,
      metadataOnlyTypes,
      budgetMs: config.WEBHOOK_STORE_BUDGET_MS,
      assistantRequestBudgetMs: config.ASSISTANT_REQUEST_STORE_BUDGET_MS,
      attemptTimeoutMs: config.SUPABASE_TIMEOUT_MS,
      kestraPush: kestraPush !== undefined,
      decryption: config.VAPI_ENCRYPTED_PATHS
        ? { privateKey: config.VAPI_ENCRYPTION_PRIVATE_KEY, paths: config.VAPI_ENCRYPTED_PATHS }
        : undefined,
    },
    answers: defaultAnswerSettings(config),
    relay: { ...relaySettings(config), recordTimeoutMs: config.SUPABASE_TIMEOUT_MS },
    sources,
    recentSignatures: new RecentSignatures({ maxEntries: config.WEBHOOK_RECENT_SIGNATURES_MAX }),
  });
  await app.register(oauthTokenRoutes, {
    auth,
    sources,
    rateLimitPerMinute: config.VAPI_OAUTH_TOKEN_RATE_LIMIT_PER_MINUTE,
    failedAttemptLimit: config.VAPI_OAUTH_FAILED_ATTEMPT_LIMIT,
  });
  await app.register(callListRoutes, {
    graceSeconds: config.RESULT_GRACE_PERIOD_SECONDS,
    rateLimitPerMinute: config.READ_RATE_LIMIT_PER_MINUTE,
    region,
    stream: {
      maxPerKey: config.CALL_STREAM_MAX_PER_KEY,
      maxBufferedBytes: config.CALL_STREAM_MAX_BUFFER_BYTES,
      keyCheckMs: streamKeyCheckMs(config.READ_KEY_CACHE_MS),
    },
  });
  await app.register(callRoutes, {
    graceSeconds: config.RESULT_GRACE_PERIOD_SECONDS,
    rateLimitPerMinute: config.READ_RATE_LIMIT_PER_MINUTE,
    region,
    kestraTenant: config.KESTRA_TENANT,
    kestraPush: kestraPush !== undefined,
  });
  await app.register(eventRoutes, {
    rateLimitPerMinute: config.READ_RATE_LIMIT_PER_MINUTE,
    maxPagePayloadBytes: config.EVENT_PAGE_MAX_PAYLOAD_BYTES,
    replay: {
      region,
      metadataOnlyTypes,
      budgetMs: config.WEBHOOK_STORE_BUDGET_MS,
      attemptTimeoutMs: config.SUPABASE_TIMEOUT_MS,
      maxEvents: config.REPLAY_MAX_EVENTS,
    },
  });
  await app.register(statsRoutes, {
    rateLimitPerMinute: config.READ_RATE_LIMIT_PER_MINUTE,
    maxWindowDays: config.STATS_MAX_WINDOW_DAYS,
  });
  // The admin API exists only where ADMIN_API_KEYS is set (config then requires SOURCE_SECRETS_KEY).
  if (config.ADMIN_API_KEYS && secretBox) {
    await app.register(adminAuthPlugin, { adminKeys: config.ADMIN_API_KEYS });
    await app.register(adminSourceRoutes, {
      secretBox,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      rateLimitPerMinute: config.READ_RATE_LIMIT_PER_MINUTE,
    });
    await app.register(adminReadKeyRoutes, {
      rateLimitPerMinute: config.READ_RATE_LIMIT_PER_MINUTE,
      readKeyCacheMs: config.READ_KEY_CACHE_MS,
    });
  }
  if (config.SIMULATOR_ENABLED) await app.register(devRoutes, { auth });
  await app.register(dashboardStaticPlugin, { root: config.DASHBOARD_DIR ?? DEFAULT_DASHBOARD_DIR });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
