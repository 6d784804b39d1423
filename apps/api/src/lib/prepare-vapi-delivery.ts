import type { CountryCode } from 'libphonenumber-js';
import type { CallRowFields } from '../schemas/call-row-schema.ts';
import { boundedText } from './bounded-text.ts';
import {
  type DecryptionSettings,
  decryptEncryptedPaths,
  withoutValuesAt,
} from './decrypt-encrypted-paths.ts';
import { type FieldsOnce, fieldsInPayload } from './fields-in-payload.ts';
import { mapVapiMessage } from './map-vapi-message.ts';
import { keepsPayload } from './payload-policy.ts';
import { type SanitizeNote, SanitizeNotes } from './sanitize-notes.ts';
import { cleanString, sanitizeVapiPayload } from './sanitize-vapi-payload.ts';
import { type VapiMessage, vapiEnvelopeSchema } from './vapi-message-schema.ts';

export interface VapiDelivery {
  /** Given on receipt; makes a retried store of this delivery a no-op. */
  deliveryId: string;
  /** The verified body, parsed. */
  payload: unknown;
  /** The verified body's bytes when they are UTF-8 JSON text (no BOM): what `payload` was parsed from. */
  json?: Buffer;
  payloadBytes: number;
  receivedAt: Date;
  /** The source whose webhook URL received it; null for the default source (the environment's secret). */
  sourceId: string | null;
}

/** Authentic deliveries kept in the log but not merged into a call: retrying would not help. */
export type AcknowledgedReason = 'unrecognized-shape' | 'no-call-id';

/** One delivery as `ingest_vapi_deliveries` takes it (see its migrations). */
export interface EventRecord {
  deliveryId: string;
  /** Stored on the event, and on the call when this event creates it (null: the default source). */
  sourceId: string | null;
  callId: string | null;
  eventType: string;
  eventAt: string;
  payloadBytes: number;
  outcome: 'stored' | 'acknowledged' | 'failed';
  /** Why an event is not merged: an AcknowledgedReason, or why the store refused it. */
  errorCode: string | null;
  payload: unknown;
  /**
   * `payload`'s JSON exactly as received, when sanitizing changed nothing in it: sent in its place
   * (ingest-batch-body.ts). Never journaled: the spool keeps the parsed payload.
   */
  payloadJson?: Buffer;
  sanitized: { changes: SanitizeNote[]; more: number } | null;
  isReport: boolean;
  fields: CallRowFields;
  /** Fields left out of `fields` because the payload holds them (fields-in-payload.ts). */
  fieldsInPayload?: FieldsOnce['fieldsInPayload'];
  /** For a replay: the id of the logged event whose payload this re-applies. */
  replayOf?: number;
  /** Set when push to Kestra is configured: a report that makes the result final enqueues its push. */
  kestraPush?: boolean;
  /** Set on a spooled record (ISO time of receipt): its event's received_at once drained, not the drain's. */
  receivedAt?: string;
}

export interface PrepareOptions {
  region: CountryCode;
  /** Types logged without their payload (see payload-policy.ts). */
  metadataOnlyTypes: ReadonlySet<string>;
  /** VAPI's encryptedPaths and the key to open them (decrypt-encrypted-paths.ts); absent: nothing decrypted. */
  decryption?: DecryptionSettings;
}

export interface PreparedDelivery {
  record: EventRecord;
  /** The message as read, when the payload had one: what the reply to VAPI depends on. */
  message: VapiMessage | undefined;
}

function typeOf(payload: unknown, notes: SanitizeNotes): string {
  const type = (payload as { message?: { type?: unknown } } | null)?.message?.type;
  if (typeof type !== 'string' || type === '') return 'unknown';
  return boundedText(
    cleanString(type, notes, () => '$.message.type'),
    notes,
    '$.message.type',
  );
}

/**
 * parse → sanitize → map: every authentic delivery becomes exactly one record to store, whatever its
 * shape. What had to change for Postgres to take it is noted on the record. The payload is kept only
 * for the types the payload policy keeps; the rest are logged as metadata (type, time, size, outcome).
 */
export function prepareVapiDelivery(delivery: VapiDelivery, options: PrepareOptions): PreparedDelivery {
  const { payloadUnchanged, ...prepared } = prepareRecord(delivery, options.region, options.decryption);
  const { record } = prepared;
  if (!keepsPayload(record.eventType, options.metadataOnlyTypes))
    return { ...prepared, record: { ...record, payload: null } };
  const payloadJson = payloadUnchanged ? delivery.json : undefined;
  return {
    ...prepared,
    record: {
      ...record,
      ...fieldsInPayload(record.payload, record.fields),
      ...(payloadJson && { payloadJson }),
    },
  };
}

function prepareRecord(
  delivery: VapiDelivery,
  region: CountryCode,
  decryption: DecryptionSettings | undefined,
): PreparedDelivery & { payloadUnchanged: boolean } {
  const notes = new SanitizeNotes();
  // Before sanitizing and mapping: both read the plaintext, as if VAPI had not encrypted it.
  const received = decryption
    ? decryptEncryptedPaths(delivery.payload, decryption, notes)
    : { payload: delivery.payload, kept: [] };
  const payload = sanitizeVapiPayload(received.payload, notes);
  // Nothing decrypted, cleaned or redacted: the body as received is this payload's JSON. Checked before
  // mapping, whose notes are about the call's columns, not the payload.
  const payloadUnchanged = payload === delivery.payload && notes.isEmpty();
  // The event keeps what could not be decrypted as received; the call row is mapped without it, so a
  // column is empty rather than holding ciphertext (a customer number that is not one).
  const readable = received.kept.length > 0 ? withoutValuesAt(payload, received.kept) : payload;
  const base = {
    deliveryId: delivery.deliveryId,
    sourceId: delivery.sourceId,
    payloadBytes: delivery.payloadBytes,
    payload,
    isReport: false,
    fields: {},
  };

  const envelope = vapiEnvelopeSchema.safeParse(readable);
  if (!envelope.success) {
    return {
      message: undefined,
      payloadUnchanged,
      record: {
        ...base,
        callId: null,
        eventType: typeOf(payload, notes),
        eventAt: delivery.receivedAt.toISOString(),
        outcome: 'acknowledged',
        errorCode: 'unrecognized-shape',
        sanitized: notes.toRecord(),
      },
    };
  }

  const { message } = envelope.data;
  const event = mapVapiMessage(message, delivery.receivedAt, region, notes);
  const common = { ...base, eventType: event.eventType, eventAt: event.eventAt.toISOString() };
  const record: EventRecord = event.callId
    ? {
        ...common,
        callId: event.callId,
        outcome: 'stored',
        errorCode: null,
        isReport: event.isReport,
        fields: event.fields,
        sanitized: notes.toRecord(),
      }
    : {
        ...common,
        callId: null,
        outcome: 'acknowledged',
        errorCode: 'no-call-id',
        sanitized: notes.toRecord(),
      };
  return { message, record, payloadUnchanged };
}
