import { KESTRA_PUSH_STATES } from '@callbridge/contracts';
import { z } from 'zod';

/** bytea as PostgREST returns it: `\x` and hex. */
const byteaHex = z
  .string()
  .regex(/^\\x(?:[0-9a-f]{2})*$/i)
  .transform((hex) => Buffer.from(hex.slice(2), 'hex'));

/** A claimed `vapi_relay_outbox` row (supabase/migrations/20261201000300_outboxes.sql). */
export const relayOutboxRowSchema = z.object({
  id: z.number().int(),
  event_id: z.number().int(),
  event_type: z.string(),
  relay_url: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: byteaHex,
  state: z.enum(KESTRA_PUSH_STATES),
  attempts: z.number().int(),
  claim_id: z.string(),
  created_at: z.string(),
});

export type RelayOutboxRow = z.output<typeof relayOutboxRowSchema>;
