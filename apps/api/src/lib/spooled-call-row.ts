import { type CallRow, callRowSchema } from '../schemas/call-row-schema.ts';
import { valueAtPath } from './fields-in-payload.ts';
import type { EventRecord } from './prepare-vapi-delivery.ts';

const EMPTY_ROW = Object.fromEntries(Object.keys(callRowSchema.shape).map((column) => [column, null]));

/**
 * The call row an end-of-call report waiting in the spool would give, read from the record alone: its
 * fields, the big ones it carries as payload paths, received when it arrived. What a reader is answered
 * while the database cannot be asked; once drained, the stored row (the same report's fields merged)
 * answers instead.
 */
export function callRowFromSpooledReport(record: EventRecord & { callId: string }): CallRow {
  const receivedAt = record.receivedAt ?? record.eventAt;
  const fromPayload = Object.fromEntries(
    Object.entries(record.fieldsInPayload ?? {}).map(([column, path]) => [
      column,
      path ? (valueAtPath(record.payload, path) ?? null) : null,
    ]),
  );
  return {
    ...(EMPTY_ROW as unknown as CallRow),
    ...record.fields,
    ...fromPayload,
    call_id: record.callId,
    source_id: record.sourceId,
    report_received_at: receivedAt,
    last_event_type: record.eventType,
    last_event_at: record.eventAt,
    created_at: receivedAt,
    updated_at: receivedAt,
  };
}
