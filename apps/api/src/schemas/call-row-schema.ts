import { recordingConsentSchema } from '@callbridge/contracts';
import { z } from 'zod';

const timestamp = z.string();
const json = z.record(z.string(), z.unknown());

/** A `vapi_call_results` row as PostgREST returns it (see supabase/migrations). */
export const callRowSchema = z.object({
  call_id: z.string(),
  status: z.string().nullable(),
  ended_reason: z.string().nullable(),
  started_at: timestamp.nullable(),
  ended_at: timestamp.nullable(),
  duration_seconds: z.number().nullable(),
  customer_number: z.string().nullable(),
  vapi_phone_number: z.string().nullable(),
  phone_number_id: z.string().nullable(),
  assistant_id: z.string().nullable(),
  transcript: z.string().nullable(),
  messages: z.array(z.unknown()).nullable(),
  recording_url: z.string().nullable(),
  stereo_recording_url: z.string().nullable(),
  summary: z.string().nullable(),
  structured_data: json.nullable(),
  success_evaluation: z.string().nullable(),
  cost: z.number().nullable(),
  cost_breakdown: json.nullable(),
  costs: z.array(z.unknown()).nullable(),
  metadata: json.nullable(),
  variable_values: json.nullable(),
  call_type: z.string().nullable(),
  campaign_id: z.string().nullable(),
  squad_id: z.string().nullable(),
  workflow_id: z.string().nullable(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  customer_external_id: z.string().nullable(),
  structured_outputs: json.nullable(),
  scorecards: json.nullable(),
  transfers: z.array(z.unknown()).nullable(),
  performance_metrics: json.nullable(),
  recording_consent: recordingConsentSchema.nullable(),
  report_received_at: timestamp.nullable(),
  last_event_type: z.string().nullable(),
  last_event_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  /** The source that delivered the call; null for the default source (the environment's secret). */
  source_id: z.string().nullable(),
});

export type CallRow = z.output<typeof callRowSchema>;

/** Columns a webhook can set: what `merge_vapi_event` merges into the row (called for each event of an ingest batch). */
export type CallRowFields = Partial<
  Omit<
    CallRow,
    | 'call_id'
    | 'source_id'
    | 'report_received_at'
    | 'last_event_type'
    | 'last_event_at'
    | 'created_at'
    | 'updated_at'
  >
>;

/** The select list matching callRowSchema; the raw report and payloads stay in the database. */
export const CALL_ROW_COLUMNS = Object.keys(callRowSchema.shape).join(',');

/**
 * Views selecting CALL_ROW_COLUMNS / CALL_SUMMARY_COLUMNS, read with `select=*`:
 * PostgREST answers that far faster than a long `select` list (supabase/migrations/*_call_read_views.sql).
 */
export const CALL_READS_VIEW = 'vapi_call_reads';
export const CALL_SUMMARIES_VIEW = 'vapi_call_summaries';

/** What a call history line needs: no transcript, messages or other jsonb. */
export const callSummaryRowSchema = callRowSchema.pick({
  call_id: true,
  status: true,
  ended_reason: true,
  started_at: true,
  ended_at: true,
  duration_seconds: true,
  customer_number: true,
  assistant_id: true,
  summary: true,
  success_evaluation: true,
  cost: true,
  report_received_at: true,
  created_at: true,
  updated_at: true,
  source_id: true,
});

export type CallSummaryRow = z.output<typeof callSummaryRowSchema>;

export const CALL_SUMMARY_COLUMNS = Object.keys(callSummaryRowSchema.shape).join(',');
