import fp from 'fastify-plugin';
import type { AppConfig } from '../config/config-schema.ts';
import { NO_TIMESTAMP_WARNING } from '../lib/hmac-timestamp-coverage.ts';
import { RecentSignatures } from '../services/recent-signatures.ts';
import { SourceVerificationCache } from '../services/source-verification-cache.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Signed deliveries seen inside their window: the same one again is refused with 409. */
    recentSignatures: RecentSignatures;
    /** Per-source verification; absent without SOURCE_SECRETS_KEY, when every source URL answers 404. */
    webhookSources?: SourceVerificationCache;
  }
}

/** What the webhook and token routes verify with, built once per instance; warns when verification is weak. */
export const webhookVerificationPlugin = fp<Pick<AppConfig, 'webhookAuth' | 'admin'>>(
  async (app, { webhookAuth, admin }) => {
    const { auth } = webhookAuth;
    if (auth.mode === 'none') {
      app.log.warn(
        '!!! VAPI_WEBHOOK_AUTH=none: webhook verification is OFF. Anyone who can reach this server can write call results. Local use only. !!!',
      );
    }
    if (auth.mode === 'hmac' && !auth.includeTimestamp)
      app.log.warn(`!!! VAPI_HMAC_INCLUDE_TIMESTAMP=false: ${NO_TIMESTAMP_WARNING} !!!`);
    app.decorate('recentSignatures', new RecentSignatures({ maxEntries: webhookAuth.recentSignaturesMax }));
    if (admin.secretBox) {
      app.decorate(
        'webhookSources',
        new SourceVerificationCache(app.supabase, admin.secretBox, admin.sourceCacheMs),
      );
    }
  },
  { name: 'webhook-verification', dependencies: ['supabase'] },
);
