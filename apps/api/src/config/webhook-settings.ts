import { z } from 'zod';
import { DEFAULT_METADATA_ONLY_TYPES, PAYLOAD_REQUIRED_TYPES } from '../lib/payload-policy.ts';
import { nonNegativeInt, positiveInt } from './env-fields.ts';
import { splitList } from './env-list.ts';
import { kestraEnv } from './kestra-settings.ts';
import { serverEnv } from './server-settings.ts';
import { supabaseEnv } from './supabase-settings.ts';
import { checkVapiEncryptionPlan, vapiEncryptionFields } from './vapi-credential-plan-config.ts';

/** A delivery's way in: its size and rate limits, the store's budgets, group commit and the spool. */
export const webhookEnv = z.object({
  WEBHOOK_BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  // Verified deliveries per source (0: unlimited, the default): a 429 to VAPI loses the event for good.
  WEBHOOK_RATE_LIMIT_PER_MINUTE: nonNegativeInt.default(0),
  // Requests that fail verification, per client IP: their own counter, so junk never spends VAPI's.
  WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: positiveInt.default(60),
  // VAPI gives up on a server message after 20 s and on an assistant-request after 7.5 s: the store
  // retries inside a budget that leaves time to answer.
  WEBHOOK_STORE_BUDGET_MS: positiveInt.max(19_000, 'must stay under VAPI’s 20 s timeout').default(15_000),
  ASSISTANT_REQUEST_STORE_BUDGET_MS: positiveInt
    .max(7000, 'must stay under VAPI’s 7.5 s timeout for assistant-request')
    .default(6000),
  // Group commit: webhook stores arriving within this many ms share one database call, up to the size.
  WEBHOOK_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(100).default(5),
  WEBHOOK_BATCH_MAX_SIZE: positiveInt.max(500).default(32),
  // The local spool (issue 19): unset, a database outage longer than the store budget answers 503. Each
  // instance needs a directory of its own on a volume that outlives the process (docs/deploy.md: a PVC per pod).
  SPOOL_DIR: z.string().min(1).optional(),
  // A store not committed within this is spooled (synced to SPOOL_DIR) and answered 2xx.
  SPOOL_AFTER_MS: positiveInt.default(2000),
  // At this size the spool refuses (503, alerted on) rather than drop anything it holds.
  SPOOL_MAX_BYTES: positiveInt.default(1024 * 1024 * 1024),
  // Deliveries per database call while draining, in spool order: bigger batches drain a backlog faster.
  SPOOL_DRAIN_BATCH_SIZE: positiveInt.max(500).default(250),
  // `none` keeps every payload (a blank variable counts as unset, so it means the default).
  EVENT_PAYLOAD_METADATA_ONLY_TYPES: z
    .string()
    .default(DEFAULT_METADATA_ONLY_TYPES.join(','))
    .transform((value) => (value.trim() === 'none' ? [] : splitList(value)))
    .refine((types) => !types.some((type) => (PAYLOAD_REQUIRED_TYPES as readonly string[]).includes(type)), {
      message: `must not list ${PAYLOAD_REQUIRED_TYPES.join(' or ')}: calls are merged from their payloads`,
    }),
  ...vapiEncryptionFields,
});

/** Read here too, owned by their own sections: the store's attempt deadline, the phone region, push on or off, production. */
const borrowed = z.object({
  SUPABASE_TIMEOUT_MS: supabaseEnv.shape.SUPABASE_TIMEOUT_MS,
  DEFAULT_PHONE_REGION: serverEnv.shape.DEFAULT_PHONE_REGION,
  KESTRA_URL: kestraEnv.shape.KESTRA_URL,
  NODE_ENV: serverEnv.shape.NODE_ENV,
});

type WebhookEnv = z.output<typeof webhookEnv>;

function checkSpoolDeadline(env: WebhookEnv, context: z.RefinementCtx): void {
  if (env.SPOOL_DIR && env.SPOOL_AFTER_MS >= env.ASSISTANT_REQUEST_STORE_BUDGET_MS) {
    context.addIssue({
      code: 'custom',
      path: ['SPOOL_AFTER_MS'],
      message: `must be below ASSISTANT_REQUEST_STORE_BUDGET_MS (${env.ASSISTANT_REQUEST_STORE_BUDGET_MS}) and WEBHOOK_STORE_BUDGET_MS, or a late store answers 503 before it is spooled`,
    });
  } else if (env.SPOOL_DIR && env.SPOOL_AFTER_MS >= env.WEBHOOK_STORE_BUDGET_MS) {
    context.addIssue({
      code: 'custom',
      path: ['SPOOL_AFTER_MS'],
      message: `must be below WEBHOOK_STORE_BUDGET_MS (${env.WEBHOOK_STORE_BUDGET_MS}), or a late store answers 503 before it is spooled`,
    });
  }
}

export const webhookSettings = webhookEnv
  .extend(borrowed.shape)
  .superRefine((env, context) => {
    checkVapiEncryptionPlan(env, context);
    checkSpoolDeadline(env, context);
  })
  .transform((env) => ({
    bodyLimit: env.WEBHOOK_BODY_LIMIT_BYTES,
    /** Verified deliveries per minute per source; 0: unlimited. */
    rateLimitPerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    /** Requests failing verification per minute per client IP. */
    unverifiedRateLimitPerMinute: env.WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE,
    /** How a delivery is prepared and stored: live, from the spool and on replay. */
    store: {
      region: env.DEFAULT_PHONE_REGION,
      metadataOnlyTypes: new Set(env.EVENT_PAYLOAD_METADATA_ONLY_TYPES) as ReadonlySet<string>,
      budgetMs: env.WEBHOOK_STORE_BUDGET_MS,
      assistantRequestBudgetMs: env.ASSISTANT_REQUEST_STORE_BUDGET_MS,
      attemptTimeoutMs: env.SUPABASE_TIMEOUT_MS,
      /** KESTRA_URL is set: a report that makes a result final enqueues its push. */
      kestraPush: env.KESTRA_URL !== undefined,
      decryption: env.VAPI_ENCRYPTED_PATHS
        ? { privateKey: env.VAPI_ENCRYPTION_PRIVATE_KEY, paths: env.VAPI_ENCRYPTED_PATHS }
        : undefined,
    },
    /** How a replay stores: as live, without decryption (a stored payload was opened when it came in). */
    replay: {
      region: env.DEFAULT_PHONE_REGION,
      metadataOnlyTypes: new Set(env.EVENT_PAYLOAD_METADATA_ONLY_TYPES) as ReadonlySet<string>,
      budgetMs: env.WEBHOOK_STORE_BUDGET_MS,
      attemptTimeoutMs: env.SUPABASE_TIMEOUT_MS,
    },
    batch: { maxWaitMs: env.WEBHOOK_BATCH_MAX_WAIT_MS, maxSize: env.WEBHOOK_BATCH_MAX_SIZE },
    spool: {
      /** Unset: no spool, a store that outlasts its budget answers 503. */
      dir: env.SPOOL_DIR,
      maxBytes: env.SPOOL_MAX_BYTES,
      afterMs: env.SPOOL_AFTER_MS,
      drainBatchSize: env.SPOOL_DRAIN_BATCH_SIZE,
      attemptTimeoutMs: env.SUPABASE_TIMEOUT_MS,
      /** Warn at start when there is no spool. */
      warnWithout: env.NODE_ENV === 'production',
    },
  }));

export type WebhookSettings = z.output<typeof webhookSettings>;
