import { KESTRA_PUSH_STATES } from '@callbridge/contracts';
import { z } from 'zod';

const timestamp = z.string();

/** A `kestra_push_outbox` row as PostgREST returns it (see supabase/migrations). */
export const kestraPushRowSchema = z.object({
  id: z.number().int(),
  call_id: z.string(),
  execution_id: z.string(),
  tenant: z.string().nullable(),
  state: z.enum(KESTRA_PUSH_STATES),
  attempts: z.number().int(),
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: timestamp,
  locked_until: timestamp.nullable(),
  claim_id: z.string().nullable(),
  delivered_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export type KestraPushRow = z.output<typeof kestraPushRowSchema>;

/** What GET /calls/:callId shows of a push. */
export const kestraPushViewSchema = kestraPushRowSchema.pick({
  execution_id: true,
  tenant: true,
  state: true,
  attempts: true,
  last_status: true,
  last_error: true,
  next_attempt_at: true,
  delivered_at: true,
});

export type KestraPushView = z.output<typeof kestraPushViewSchema>;

export const KESTRA_PUSH_VIEW_COLUMNS = Object.keys(kestraPushViewSchema.shape).join(',');
