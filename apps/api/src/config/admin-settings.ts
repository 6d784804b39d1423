import { z } from 'zod';
import { createSecretBox } from '../lib/secret-box.ts';
import { secretBoxKey } from './env-fields.ts';
import { list } from './env-list.ts';
import { readsEnv } from './reads-settings.ts';

/** Webhook sources and the admin API that manages them (registered only when ADMIN_API_KEYS is set). */
export const adminEnv = z.object({
  ADMIN_API_KEYS: list(24, 'admin key').optional(),
  SOURCE_SECRETS_KEY: secretBoxKey.optional(),
  SOURCE_SECRETS_PREVIOUS_KEYS: list(1, 'key').pipe(z.array(secretBoxKey)).optional(),
  // In-memory caching window of sources: a disable or a rotation takes effect within it (0 = off).
  WEBHOOK_SOURCE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://callbridge.example.com' })
    .optional(),
});

export const adminSettings = adminEnv
  .extend({
    READ_RATE_LIMIT_PER_MINUTE: readsEnv.shape.READ_RATE_LIMIT_PER_MINUTE,
    READ_KEY_CACHE_MS: readsEnv.shape.READ_KEY_CACHE_MS,
  })
  .superRefine((env, context) => {
    if (env.ADMIN_API_KEYS && !env.SOURCE_SECRETS_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['SOURCE_SECRETS_KEY'],
        message:
          'is required with ADMIN_API_KEYS: source secrets are encrypted with it (openssl rand -base64 32)',
      });
    }
  })
  .transform((env) => {
    // Source webhook URLs need the key their secrets are sealed with; without it they all answer 404.
    const secretBox = env.SOURCE_SECRETS_KEY
      ? createSecretBox(env.SOURCE_SECRETS_KEY, env.SOURCE_SECRETS_PREVIOUS_KEYS ?? [])
      : undefined;
    return {
      keys: env.ADMIN_API_KEYS,
      /** The key ring for source secrets; undefined without SOURCE_SECRETS_KEY. */
      secretBox,
      sourceCacheMs: env.WEBHOOK_SOURCE_CACHE_MS,
      /** The admin API's own settings; undefined (no admin API) without ADMIN_API_KEYS. */
      api:
        env.ADMIN_API_KEYS && secretBox
          ? {
              keys: env.ADMIN_API_KEYS,
              secretBox,
              publicBaseUrl: env.PUBLIC_BASE_URL,
              rateLimitPerMinute: env.READ_RATE_LIMIT_PER_MINUTE,
              readKeyCacheMs: env.READ_KEY_CACHE_MS,
            }
          : undefined,
    };
  });

export type AdminSettings = z.output<typeof adminSettings>;
export type AdminApiSettings = NonNullable<AdminSettings['api']>;
