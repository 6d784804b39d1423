import type { CallListItem } from '@callbridge/contracts';
import type { CallRow } from '../schemas/call-row-schema.ts';
import { finalReason, toCallSummary } from './to-call-result.ts';

export function toCallListItem(row: CallRow, now: Date, graceSeconds: number): CallListItem {
  return {
    ...toCallSummary(row, finalReason(row, now, graceSeconds)),
    lastEventType: row.last_event_type,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** One server-sent event; `data` is one line of JSON, so it needs no splitting. */
export function serverSentEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
