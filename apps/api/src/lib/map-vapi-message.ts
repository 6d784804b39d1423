import type { CountryCode } from 'libphonenumber-js';
import type { CallRowFields } from '../schemas/call-row-schema.ts';
import { boundedText, callKey } from './bounded-text.ts';
import { normalizePhoneNumber } from './normalize-phone-number.ts';
import type { SanitizeNotes } from './sanitize-notes.ts';
import { readVapiDate } from './vapi-dates.ts';
import type { VapiMessage } from './vapi-message-schema.ts';

export const END_OF_CALL_REPORT = 'end-of-call-report';

export interface CallEvent {
  /** The key the call is stored under (see callKey). */
  callId: string | undefined;
  eventType: string;
  /** When VAPI says the event happened; the receive time when it does not say, or says nonsense. */
  eventAt: Date;
  isReport: boolean;
  fields: CallRowFields;
}

/** Drops undefined so the JSON sent to Postgres only names what this event knows. */
function known(fields: Record<string, unknown>): CallRowFields {
  const present: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) if (fields[key] !== undefined) present[key] = fields[key];
  return present as CallRowFields;
}

function durationSeconds(message: VapiMessage, startedAt?: Date, endedAt?: Date): number | undefined {
  if (startedAt && endedAt) {
    const seconds = (endedAt.getTime() - startedAt.getTime()) / 1000;
    if (seconds >= 0) return seconds;
  }
  if (message.durationSeconds !== undefined) return message.durationSeconds;
  return message.durationMs !== undefined ? message.durationMs / 1000 : undefined;
}

/** Reads one message, noting every value changed so that Postgres takes it. */
class MessageReader {
  constructor(
    readonly message: VapiMessage,
    private readonly notes: SanitizeNotes,
    private readonly region: CountryCode,
  ) {}

  /** The first of these dates that is present and storable. */
  date(...candidates: Array<[string, number | string | undefined]>): Date | undefined {
    for (const [path, value] of candidates) {
      const date = readVapiDate(value, this.notes, `$.message.${path}`);
      if (date) return date;
    }
    return undefined;
  }

  text(path: string, value: string | undefined): string | undefined {
    return boundedText(value, this.notes, `$.message.${path}`);
  }

  phone(path: string, value: string | undefined): string | undefined {
    if (!value) return undefined;
    return normalizePhoneNumber(value, this.region) ?? this.text(path, value);
  }
}

/** What every message with a call says about who and what the call is. */
function callContext(read: MessageReader): CallRowFields {
  const { message } = read;
  const call = message.call;
  // The customer is message.customer or call.customer; message.phoneNumber is VAPI's own number.
  const customer = (field: 'number' | 'name' | 'email' | 'externalId') =>
    message.customer?.[field] ?? call?.customer?.[field];
  const vapiNumber = message.phoneNumber?.number ?? call?.phoneNumber?.number;
  return known({
    customer_number: read.phone('customer.number', customer('number')),
    customer_name: customer('name'),
    customer_email: customer('email'),
    customer_external_id: customer('externalId'),
    vapi_phone_number: read.phone('phoneNumber.number', vapiNumber),
    phone_number_id: call?.phoneNumberId,
    assistant_id: call?.assistantId ?? message.assistant?.id,
    call_type: call?.type,
    campaign_id: call?.campaignId,
    squad_id: call?.squadId,
    workflow_id: call?.workflowId,
    metadata: call?.assistantOverrides?.metadata,
    // The values at the end of the call where VAPI sends them, else the ones the call started with.
    variable_values: message.artifact?.variableValues ?? call?.assistantOverrides?.variableValues,
    recording_consent: message.compliance?.recordingConsent ?? call?.compliance?.recordingConsent,
  });
}

function statusUpdateFields(read: MessageReader, eventAt: Date): CallRowFields {
  const { message } = read;
  const status = read.text('status', message.status ?? message.call?.status);
  const ended = status === 'ended';
  const startedAt = read.date(['call.startedAt', message.call?.startedAt]);
  return known({
    status,
    ended_reason: ended ? (message.endedReason ?? message.call?.endedReason) : undefined,
    started_at: (startedAt ?? (status === 'in-progress' ? eventAt : undefined))?.toISOString(),
    ended_at: ended
      ? (read.date(['call.endedAt', message.call?.endedAt]) ?? eventAt).toISOString()
      : undefined,
  });
}

// Schema paths first (artifact.*, analysis.*, top-level startedAt/endedAt), then the legacy
// top-level copies; the call snapshot inside a report is last because its freshness is undocumented.
function reportFields(read: MessageReader): CallRowFields {
  const { message } = read;
  const { artifact, analysis, call } = message;
  const startedAt = read.date(['startedAt', message.startedAt], ['call.startedAt', call?.startedAt]);
  const endedAt = read.date(['endedAt', message.endedAt], ['call.endedAt', call?.endedAt]);
  return known({
    status: 'ended',
    ended_reason: message.endedReason ?? call?.endedReason,
    started_at: startedAt?.toISOString(),
    ended_at: endedAt?.toISOString(),
    duration_seconds: durationSeconds(message, startedAt, endedAt),
    transcript: artifact?.transcript ?? message.transcript,
    messages: artifact?.messages ?? message.messages,
    recording_url: artifact?.recording?.mono?.combinedUrl ?? artifact?.recordingUrl ?? message.recordingUrl,
    stereo_recording_url:
      artifact?.recording?.stereoUrl ?? artifact?.stereoRecordingUrl ?? message.stereoRecordingUrl,
    summary: analysis?.summary ?? message.summary,
    structured_data: analysis?.structuredData,
    success_evaluation: analysis?.successEvaluation,
    structured_outputs: artifact?.structuredOutputs,
    scorecards: artifact?.scorecards,
    transfers: artifact?.transfers,
    performance_metrics: artifact?.performanceMetrics,
    cost: message.cost ?? call?.cost,
    // One shape per field: VAPI's CostBreakdown object, and its itemized costs[] list beside it.
    cost_breakdown: message.costBreakdown ?? call?.costBreakdown,
    costs: message.costs ?? call?.costs,
  });
}

/**
 * Turns a verified, sanitized VAPI message into the event to log and the fields to merge into its call
 * row. A value Postgres could not store (a date out of range, an over-long key) is dropped or bounded
 * and noted, so the rest of the message still merges.
 */
export function mapVapiMessage(
  message: VapiMessage,
  receivedAt: Date,
  region: CountryCode,
  notes: SanitizeNotes,
): CallEvent {
  const read = new MessageReader(message, notes, region);
  const eventAt = read.date(['timestamp', message.timestamp]) ?? receivedAt;
  const isReport = message.type === END_OF_CALL_REPORT;
  const specific =
    message.type === 'status-update' ? statusUpdateFields(read, eventAt) : isReport ? reportFields(read) : {};
  return {
    callId: message.call ? callKey(message.call.id, notes) : undefined,
    eventType: read.text('type', message.type) ?? message.type,
    eventAt,
    isReport,
    fields: { ...callContext(read), ...specific },
  };
}
