import type { SupabaseClient } from '@supabase/supabase-js';
import type { CountryCode } from 'libphonenumber-js';
import { mapVapiMessage } from '../lib/map-vapi-message.ts';
import { redactVapiPayload } from '../lib/redact-vapi-payload.ts';
import { type VapiMessage, vapiEnvelopeSchema } from '../lib/vapi-message-schema.ts';
import type { CallRowFields } from '../schemas/call-row-schema.ts';
import { isRejectedByDatabase, unavailable } from './supabase-failure.ts';

export interface WebhookDelivery {
  /** The verified body, parsed. */
  payload: unknown;
  payloadBytes: number;
  receivedAt: Date;
  region: CountryCode;
}

export type IngestResult =
  | { outcome: 'stored'; message: VapiMessage; callId: string }
  | { outcome: 'acknowledged'; message: VapiMessage | undefined; reason: AcknowledgedReason };

/** Authentic deliveries kept in the log but not merged into a call: retrying would not help. */
export type AcknowledgedReason = 'unrecognized-shape' | 'no-call-id' | 'rejected-by-database';

interface EventRecord {
  callId: string | null;
  eventType: string;
  eventAt: Date;
  outcome: 'stored' | 'acknowledged' | 'failed';
  errorCode: string | null;
  isReport: boolean;
  fields: CallRowFields;
}

async function recordEvent(supabase: SupabaseClient, delivery: WebhookDelivery, event: EventRecord) {
  return supabase.rpc('ingest_vapi_event', {
    p_call_id: event.callId,
    p_event_type: event.eventType,
    p_event_at: event.eventAt.toISOString(),
    p_payload_bytes: delivery.payloadBytes,
    p_outcome: event.outcome,
    p_error_code: event.errorCode,
    p_payload: redactVapiPayload(delivery.payload),
    p_is_report: event.isReport,
    p_fields: event.fields,
  });
}

function typeOf(payload: unknown): string {
  const type = (payload as { message?: { type?: unknown } } | null)?.message?.type;
  return typeof type === 'string' && type !== '' ? type.slice(0, 100) : 'unknown';
}

/**
 * Logs a verified delivery and merges it into its call's row in one transaction. Resolves only once
 * the event is stored; throws ServiceUnavailableError when it could not be.
 */
export async function ingestWebhook(
  supabase: SupabaseClient,
  delivery: WebhookDelivery,
): Promise<IngestResult> {
  const envelope = vapiEnvelopeSchema.safeParse(delivery.payload);
  if (!envelope.success) {
    const logged = await recordEvent(supabase, delivery, {
      callId: null,
      eventType: typeOf(delivery.payload),
      eventAt: delivery.receivedAt,
      outcome: 'acknowledged',
      errorCode: 'unrecognized-shape',
      isReport: false,
      fields: {},
    });
    if (logged.error) unavailable(logged, 'logging an unrecognized delivery');
    return { outcome: 'acknowledged', message: undefined, reason: 'unrecognized-shape' };
  }

  const { message } = envelope.data;
  const event = mapVapiMessage(message, delivery.receivedAt, delivery.region);
  const base = { eventType: event.eventType, eventAt: event.eventAt, isReport: event.isReport };
  if (!event.callId) {
    const logged = await recordEvent(supabase, delivery, {
      ...base,
      callId: null,
      outcome: 'acknowledged',
      errorCode: 'no-call-id',
      fields: {},
    });
    if (logged.error) unavailable(logged, 'logging a delivery without a call id');
    return { outcome: 'acknowledged', message, reason: 'no-call-id' };
  }

  const stored = await recordEvent(supabase, delivery, {
    ...base,
    callId: event.callId,
    outcome: 'stored',
    errorCode: null,
    fields: event.fields,
  });
  if (!stored.error) return { outcome: 'stored', message, callId: event.callId };
  if (!isRejectedByDatabase(stored)) unavailable(stored, 'storing a delivery');

  // Postgres refused a value (out of range, say). The same bytes would be refused on every retry, so
  // keep the redacted payload in the log for a replay after a fix, and acknowledge.
  const logged = await recordEvent(supabase, delivery, {
    ...base,
    callId: event.callId,
    outcome: 'failed',
    errorCode: `database-rejected:${stored.error.code ?? 'unknown'}`,
    isReport: false,
    fields: {},
  });
  if (logged.error) unavailable(logged, 'logging a delivery the database rejected');
  return { outcome: 'acknowledged', message, reason: 'rejected-by-database' };
}
