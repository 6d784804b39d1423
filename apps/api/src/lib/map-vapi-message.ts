import type { CountryCode } from 'libphonenumber-js';
import type { CallRowFields } from '../schemas/call-row-schema.ts';
import { normalizePhoneNumber } from './normalize-phone-number.ts';
import type { VapiMessage } from './vapi-message-schema.ts';

export const END_OF_CALL_REPORT = 'end-of-call-report';

export interface CallEvent {
  callId: string | undefined;
  eventType: string;
  /** When VAPI says the event happened; the receive time when it does not say. */
  eventAt: Date;
  isReport: boolean;
  fields: CallRowFields;
}

function toDate(value: number | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'number' ? new Date(value > 1e11 ? value : value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toIso(value: number | string | undefined): string | undefined {
  return toDate(value)?.toISOString();
}

/** Drops undefined so the JSON sent to Postgres only names what this event knows. */
function known(fields: Record<string, unknown>): CallRowFields {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as CallRowFields;
}

function durationSeconds(message: VapiMessage, startedAt?: string, endedAt?: string): number | undefined {
  if (startedAt && endedAt) {
    const seconds = (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
    if (seconds >= 0) return seconds;
  }
  if (message.durationSeconds !== undefined) return message.durationSeconds;
  return message.durationMs !== undefined ? message.durationMs / 1000 : undefined;
}

/** What every message with a call says about who and what the call is. */
function callContext(message: VapiMessage, region: CountryCode): CallRowFields {
  const call = message.call;
  // Seed 000's map: the customer's number, falling back to the phone-number object's.
  const customer = message.customer?.number ?? call?.customer?.number ?? message.phoneNumber?.number;
  const vapiNumber = message.phoneNumber?.number ?? call?.phoneNumber?.number;
  return known({
    customer_number: customer ? (normalizePhoneNumber(customer, region) ?? customer) : undefined,
    vapi_phone_number: vapiNumber ? (normalizePhoneNumber(vapiNumber, region) ?? vapiNumber) : undefined,
    phone_number_id: call?.phoneNumberId,
    assistant_id: call?.assistantId ?? message.assistant?.id,
    metadata: call?.assistantOverrides?.metadata,
    variable_values: call?.assistantOverrides?.variableValues ?? message.artifact?.variableValues,
  });
}

function statusUpdateFields(message: VapiMessage, eventAt: Date): CallRowFields {
  const status = message.status ?? message.call?.status;
  const ended = status === 'ended';
  return known({
    status,
    ended_reason: ended ? (message.endedReason ?? message.call?.endedReason) : undefined,
    started_at:
      toIso(message.call?.startedAt) ?? (status === 'in-progress' ? eventAt.toISOString() : undefined),
    ended_at: ended ? (toIso(message.call?.endedAt) ?? eventAt.toISOString()) : undefined,
  });
}

// Schema paths first (artifact.*, analysis.*, top-level startedAt/endedAt), then the legacy
// top-level copies; the call snapshot inside a report is last because its freshness is undocumented.
function reportFields(message: VapiMessage): CallRowFields {
  const { artifact, analysis, call } = message;
  const startedAt = toIso(message.startedAt ?? call?.startedAt);
  const endedAt = toIso(message.endedAt ?? call?.endedAt);
  return known({
    status: 'ended',
    ended_reason: message.endedReason ?? call?.endedReason,
    started_at: startedAt,
    ended_at: endedAt,
    duration_seconds: durationSeconds(message, startedAt, endedAt),
    transcript: artifact?.transcript ?? message.transcript,
    messages: artifact?.messages ?? message.messages,
    recording_url: artifact?.recording?.mono?.combinedUrl ?? artifact?.recordingUrl ?? message.recordingUrl,
    stereo_recording_url:
      artifact?.recording?.stereoUrl ?? artifact?.stereoRecordingUrl ?? message.stereoRecordingUrl,
    summary: analysis?.summary ?? message.summary,
    structured_data: analysis?.structuredData,
    success_evaluation: analysis?.successEvaluation,
    cost: message.cost ?? call?.cost,
    cost_breakdown: message.costBreakdown ?? call?.costBreakdown ?? message.costs,
  });
}

/** Turns a verified VAPI message into the event to log and the fields to merge into its call row. */
export function mapVapiMessage(message: VapiMessage, receivedAt: Date, region: CountryCode): CallEvent {
  const eventAt = toDate(message.timestamp) ?? receivedAt;
  const isReport = message.type === END_OF_CALL_REPORT;
  const specific =
    message.type === 'status-update'
      ? statusUpdateFields(message, eventAt)
      : isReport
        ? reportFields(message)
        : {};
  return {
    callId: message.call?.id,
    eventType: message.type,
    eventAt,
    isReport,
    fields: { ...callContext(message, region), ...specific },
  };
}
