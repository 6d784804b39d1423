import type { EventRecord } from './prepare-vapi-delivery.ts';

const PAYLOAD_KEY = Buffer.from(',"payload":');
const OBJECT_END = Buffer.from('}');
const COMMA = Buffer.from(',');
const EVENTS_END = Buffer.from(']}');

/**
 * The text/plain body of one ingest_vapi_deliveries call (20261204000000_ingest_text_body.sql):
 * `{"notAfter":…,"events":[…]}`. An event that carries its payload's JSON as received has it written in
 * as those bytes, so a 20 KB report is neither serialized again nor escaped into a string.
 */
export function ingestBatchBody(events: readonly EventRecord[], notAfter: Date | null): Buffer {
  const parts: Buffer[] = [Buffer.from(`{"notAfter":${JSON.stringify(notAfter)},"events":[`)];
  events.forEach((event, index) => {
    if (index > 0) parts.push(COMMA);
    const { payloadJson, payload, ...rest } = event;
    if (!payloadJson) {
      parts.push(Buffer.from(JSON.stringify({ ...rest, payload })));
      return;
    }
    // `rest` always holds deliveryId, so its JSON is `{…}` with at least one member to follow.
    const head = JSON.stringify(rest);
    parts.push(Buffer.from(head.slice(0, -1)), PAYLOAD_KEY, payloadJson, OBJECT_END);
  });
  parts.push(EVENTS_END);
  return Buffer.concat(parts);
}
