import type { VapiEvent } from '@callbridge/contracts';
import type { EventRow } from '../schemas/event-row-schema.ts';

const iso = (value: string): string => new Date(value).toISOString();

/** A stored event as the log API shows it; the content only when it was selected. */
export function toVapiEvent(row: EventRow): VapiEvent {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    callId: row.call_id,
    type: row.event_type,
    outcome: row.outcome,
    errorCode: row.error_code,
    receivedAt: iso(row.received_at),
    eventAt: row.event_at === null ? null : iso(row.event_at),
    payloadBytes: row.payload_bytes,
    replayOf: row.replay_of,
    sourceId: row.source_id,
    relay:
      row.relay_ms === null ? null : { status: row.relay_status, ms: row.relay_ms, error: row.relay_error },
    ...(row.payload === undefined ? {} : { payload: row.payload ?? null }),
    ...(row.sanitized === undefined ? {} : { sanitized: row.sanitized }),
  };
}
