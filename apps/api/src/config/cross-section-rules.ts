import type { z } from 'zod';
import type { SectionedConfig } from './config-schema.ts';
import { databaseUrlTransport } from './database-url-transport.ts';

/**
 * The rules that read two sections at once. They run once every section has parsed, on the finished
 * settings, and name the variable to change. Everything else is checked in its own section's file.
 */
export function checkAcrossSections(config: SectionedConfig, context: z.RefinementCtx): void {
  const { server, supabase, reads, admin, webhookAuth, webhook, observability } = config;
  const production = server.nodeEnv === 'production';
  const problem = (variable: string, message: string) =>
    context.addIssue({ code: 'custom', path: [variable], message });

  // server × webhook: the shutdown waits for a webhook still inside its store budget.
  const shutdownNeedsMs = server.shutdown.drainDelayMs + webhook.store.budgetMs;
  if (server.shutdown.timeoutMs <= shutdownNeedsMs) {
    problem(
      'SHUTDOWN_TIMEOUT_MS',
      `must exceed SHUTDOWN_DRAIN_DELAY_MS + WEBHOOK_STORE_BUDGET_MS (${shutdownNeedsMs}), or a webhook in flight could be cut off`,
    );
  }
  // admin × reads: an admin key is its own credential.
  if (admin.keys?.some((key) => reads.apiKeys.includes(key))) {
    problem('ADMIN_API_KEYS', 'must not repeat a key of API_KEYS: an admin key is its own credential');
  }
  // observability × server: /metrics is never open on the public port in production, nor on the same port.
  const { metrics } = observability;
  if (production && !metrics.token && metrics.port === undefined) {
    problem(
      'METRICS_TOKEN',
      'or METRICS_PORT is required when NODE_ENV=production: /metrics would be open on the public port',
    );
  }
  if (metrics.port !== undefined && metrics.port === server.port && server.port !== 0) {
    problem('METRICS_PORT', 'must differ from PORT: metrics get their own listener');
  }
  // supabase × server: no plaintext database connection across the network in production.
  if (
    production &&
    supabase.databaseUrl?.startsWith('postgres') &&
    databaseUrlTransport(supabase.databaseUrl) === 'plaintext-remote'
  ) {
    problem(
      'DATABASE_URL',
      'reaches a non-local host without TLS: add ?sslmode=require (or verify-full), or sslmode=disable to say plaintext is intended',
    );
  }
  // webhookAuth × server: unverified webhooks are for local use only.
  if (webhookAuth.auth.mode === 'none' && production) {
    problem('VAPI_WEBHOOK_AUTH', 'none is refused when NODE_ENV=production: anyone could write call results');
  }
}
