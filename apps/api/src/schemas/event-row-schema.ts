import { sanitizedSchema } from '@callbridge/contracts';
import { z } from 'zod';

/** A `vapi_webhook_events` row as PostgREST returns it (see supabase/migrations). */
export const eventRowSchema = z.object({
  id: z.number().int(),
  delivery_id: z.string().nullable(),
  call_id: z.string().nullable(),
  event_type: z.string(),
  received_at: z.string(),
  event_at: z.string().nullable(),
  payload_bytes: z.number().int(),
  outcome: z.enum(['stored', 'acknowledged', 'rejected', 'failed']),
  error_code: z.string().nullable(),
  replay_of: z.number().int().nullable(),
  /** The source whose URL received the delivery; null for the default source. */
  source_id: z.string().nullable(),
  relay_status: z.number().int().nullable(),
  relay_ms: z.number().int().nullable(),
  relay_error: z.string().nullable(),
  payload: z.unknown().optional(),
  sanitized: sanitizedSchema.optional(),
});

export type EventRow = z.output<typeof eventRowSchema>;

const CONTENT_COLUMNS = new Set(['payload', 'sanitized']);

/** Select lists: the log's metadata, and with the content when asked for. */
export const EVENT_COLUMNS = Object.keys(eventRowSchema.shape)
  .filter((column) => !CONTENT_COLUMNS.has(column))
  .join(',');
export const EVENT_COLUMNS_WITH_CONTENT = Object.keys(eventRowSchema.shape).join(',');
