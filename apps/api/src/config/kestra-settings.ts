import { kestraIdSchema } from '@callbridge/contracts';
import type { KestraAuth } from '@callbridge/kestra-client';
import { z } from 'zod';
import { positiveInt, retryPolicy } from './env-fields.ts';
import { splitList } from './env-list.ts';
import { readsEnv } from './reads-settings.ts';

/** Push to Kestra: with KESTRA_URL unset nothing is pushed and no outbox row is written. */
export const kestraEnv = z.object({
  KESTRA_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://kestra.example.com' })
    .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), {
      error: 'must not contain credentials: set KESTRA_USERNAME and KESTRA_PASSWORD, or KESTRA_API_TOKEN',
    })
    .optional(),
  KESTRA_TENANT: kestraIdSchema.default('main'),
  // Tenants a delivery to the default webhook URL may name in assistantOverrides.metadata; unset: KESTRA_TENANT.
  KESTRA_ALLOWED_TENANTS: z
    .string()
    .transform(splitList)
    .pipe(z.array(kestraIdSchema).min(1, 'must list at least one tenant'))
    .optional(),
  // Kestra 2.0 resumes at …/executions/{id}/actions/resume, 0.x and 1.x at …/executions/{id}/resume.
  KESTRA_MAJOR_VERSION: z
    .enum(['1', '2'])
    .default('2')
    .transform(Number)
    .pipe(z.union([z.literal(1), z.literal(2)])),
  KESTRA_USERNAME: z.string().min(1).optional(),
  KESTRA_PASSWORD: z.string().min(1).optional(),
  KESTRA_API_TOKEN: z.string().min(1).optional(),
  KESTRA_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  KESTRA_PUSH_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  KESTRA_PUSH_MAX_AGE_SECONDS: positiveInt.default(86_400),
  KESTRA_PUSH_RETRY_BASE_MS: positiveInt.default(1000),
  KESTRA_PUSH_RETRY_MAX_MS: positiveInt.default(300_000),
});

type KestraEnv = z.output<typeof kestraEnv>;

function checkKestra(env: KestraEnv, context: z.RefinementCtx): void {
  if ((env.KESTRA_USERNAME === undefined) !== (env.KESTRA_PASSWORD === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [env.KESTRA_USERNAME === undefined ? 'KESTRA_USERNAME' : 'KESTRA_PASSWORD'],
      message: 'KESTRA_USERNAME and KESTRA_PASSWORD go together (Kestra basic auth)',
    });
  }
  if (env.KESTRA_API_TOKEN !== undefined && env.KESTRA_USERNAME !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['KESTRA_API_TOKEN'],
      message: 'set either KESTRA_API_TOKEN (Enterprise) or KESTRA_USERNAME and KESTRA_PASSWORD, not both',
    });
  }
  if (env.KESTRA_PUSH_RETRY_MAX_MS < env.KESTRA_PUSH_RETRY_BASE_MS) {
    context.addIssue({
      code: 'custom',
      path: ['KESTRA_PUSH_RETRY_MAX_MS'],
      message: 'must not be below KESTRA_PUSH_RETRY_BASE_MS',
    });
  }
}

function kestraAuth(env: KestraEnv): KestraAuth | undefined {
  if (env.KESTRA_API_TOKEN) return { type: 'bearer', token: env.KESTRA_API_TOKEN };
  if (env.KESTRA_USERNAME && env.KESTRA_PASSWORD)
    return { type: 'basic', username: env.KESTRA_USERNAME, password: env.KESTRA_PASSWORD };
  return undefined;
}

/** The push's settings; `push` is undefined (no push) without KESTRA_URL. */
export const kestraSettings = kestraEnv
  .extend({ RESULT_GRACE_PERIOD_SECONDS: readsEnv.shape.RESULT_GRACE_PERIOD_SECONDS })
  .superRefine(checkKestra)
  .transform((env) => ({
    /** For calls whose metadata names no kestraTenant. */
    tenant: env.KESTRA_TENANT,
    push: env.KESTRA_URL
      ? {
          baseUrl: env.KESTRA_URL,
          /** Which resume route Kestra has. */
          kestraMajorVersion: env.KESTRA_MAJOR_VERSION,
          defaultTenant: env.KESTRA_TENANT,
          /** Which tenants each source may resume executions in. */
          tenants: {
            defaultTenant: env.KESTRA_TENANT,
            defaultSourceTenants: env.KESTRA_ALLOWED_TENANTS ?? [env.KESTRA_TENANT],
          },
          auth: kestraAuth(env),
          requestTimeoutMs: env.KESTRA_TIMEOUT_MS,
          pollIntervalMs: env.KESTRA_PUSH_POLL_INTERVAL_MS,
          policy: retryPolicy(
            env.KESTRA_PUSH_MAX_AGE_SECONDS,
            env.KESTRA_PUSH_RETRY_BASE_MS,
            env.KESTRA_PUSH_RETRY_MAX_MS,
          ),
          /** RESULT_GRACE_PERIOD_SECONDS: when a call without a report counts as final. */
          graceSeconds: env.RESULT_GRACE_PERIOD_SECONDS,
        }
      : undefined,
  }));

export type KestraSettings = z.output<typeof kestraSettings>;
export type KestraPushSettings = NonNullable<KestraSettings['push']>;
