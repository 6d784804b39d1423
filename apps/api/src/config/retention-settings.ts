import { z } from 'zod';
import { DEFAULT_RETENTION_PAUSE_FACTOR } from '../lib/retention-pause.ts';
import { positiveInt } from './env-fields.ts';

/** Retention (supabase/migrations/20261201000500_stats_and_retention.sql). Call results are kept unless CALL_RESULT_RETENTION_DAYS is set. */
export const retentionEnv = z.object({
  RETENTION_WORKER_ENABLED: z.stringbool().default(true),
  RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  RETENTION_PAUSE_FACTOR: z.coerce.number().min(0).max(100).default(DEFAULT_RETENTION_PAUSE_FACTOR),
  EVENT_PAYLOAD_RETENTION_DAYS: positiveInt.default(30),
  EVENT_RETENTION_DAYS: positiveInt.default(90),
  CALL_RESULT_RETENTION_DAYS: positiveInt.optional(),
});

export const retentionSettings = retentionEnv.transform((env) => ({
  enabled: env.RETENTION_WORKER_ENABLED,
  intervalMs: env.RETENTION_INTERVAL_SECONDS * 1000,
  pauseFactor: env.RETENTION_PAUSE_FACTOR,
  payloadDays: env.EVENT_PAYLOAD_RETENTION_DAYS,
  eventDays: env.EVENT_RETENTION_DAYS,
  callDays: env.CALL_RESULT_RETENTION_DAYS,
}));
