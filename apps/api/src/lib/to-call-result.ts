import type { CallResult, CallSummary } from '@callbridge/contracts';
import type { CallRow, CallSummaryRow } from '../schemas/call-row-schema.ts';
import { classifyEndedReason } from './call-ended-reasons.ts';

export type FinalReason = CallResult['finalReason'];

const iso = (value: string): string => new Date(value).toISOString();
const isoOrNull = (value: string | null): string | null => (value === null ? null : iso(value));

/**
 * A result is final once the end-of-call report is stored, or once the call has ended and no report
 * came within the grace period: VAPI may send none for a call that never connected (notes §5).
 */
export function finalReason(
  row: Pick<CallRow, 'report_received_at' | 'status' | 'ended_at' | 'updated_at'>,
  now: Date,
  graceSeconds: number,
): FinalReason | undefined {
  if (row.report_received_at !== null) return 'end-of-call-report';
  if (row.status !== 'ended') return undefined;
  const endedAt = Date.parse(row.ended_at ?? row.updated_at);
  return now.getTime() - endedAt >= graceSeconds * 1000 ? 'ended-without-report' : undefined;
}

export function toCallResult(row: CallRow, reason: FinalReason): CallResult {
  return {
    callId: row.call_id,
    status: row.status ?? 'ended',
    final: true,
    finalReason: reason,
    ...classifyEndedReason(row.ended_reason),
    endedReason: row.ended_reason,
    startedAt: isoOrNull(row.started_at),
    endedAt: isoOrNull(row.ended_at),
    durationSeconds: row.duration_seconds,
    transcript: row.transcript,
    messages: row.messages,
    recordingUrl: row.recording_url,
    stereoRecordingUrl: row.stereo_recording_url,
    summary: row.summary,
    structuredData: row.structured_data,
    successEvaluation: row.success_evaluation,
    cost: row.cost,
    costBreakdown: row.cost_breakdown,
    costs: row.costs,
    customerNumber: row.customer_number,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    customerExternalId: row.customer_external_id,
    vapiPhoneNumber: row.vapi_phone_number,
    phoneNumberId: row.phone_number_id,
    assistantId: row.assistant_id,
    callType: row.call_type,
    campaignId: row.campaign_id,
    squadId: row.squad_id,
    workflowId: row.workflow_id,
    metadata: row.metadata,
    variableValues: row.variable_values,
    structuredOutputs: row.structured_outputs,
    scorecards: row.scorecards,
    transfers: row.transfers,
    performanceMetrics: row.performance_metrics,
    recordingConsent: row.recording_consent,
    lastEventType: row.last_event_type,
    lastEventAt: isoOrNull(row.last_event_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toCallSummary(row: CallSummaryRow, reason: FinalReason | undefined): CallSummary {
  const ended = row.status === 'ended' || reason !== undefined;
  const classified = ended
    ? classifyEndedReason(row.ended_reason)
    : { outcome: null, retryable: false, fault: null };
  return {
    callId: row.call_id,
    status: row.status ?? 'unknown',
    final: reason !== undefined,
    ...classified,
    endedReason: row.ended_reason,
    startedAt: isoOrNull(row.started_at),
    endedAt: isoOrNull(row.ended_at),
    durationSeconds: row.duration_seconds,
    summary: row.summary,
    successEvaluation: row.success_evaluation,
    cost: row.cost,
    customerNumber: row.customer_number,
    assistantId: row.assistant_id,
    createdAt: iso(row.created_at),
  };
}
