import { vapiHmacHeaders } from '../../test/support/sign-webhook.ts';
import { vapiFixture } from '../../test/support/vapi-fixtures.ts';

const PLACEHOLDER = 'CALL_ID';

interface ReportMessage {
  endedReason: string;
  startedAt: string;
  endedAt: string;
  cost: number;
  costs: unknown[];
  artifact: { transcript: string; messages: Array<Record<string, unknown>>; recording?: { url?: string } };
  analysis?: { summary?: string; structuredData?: unknown; successEvaluation?: string };
  customer?: { number?: string };
  assistant?: { id?: string };
  call: { id: string };
}

/** The fixture's end-of-call report, its conversation repeated until the JSON is at least `bytes` long. */
function paddedReport(bytes: number): { message: ReportMessage } {
  const report = vapiFixture('end-of-call-report', PLACEHOLDER) as { message: ReportMessage };
  const turns = report.message.artifact.messages.slice(1);
  const transcript = report.message.artifact.transcript;
  while (JSON.stringify(report).length < bytes) {
    report.message.artifact.messages.push(...turns);
    report.message.artifact.transcript += `\n${transcript}`;
  }
  return report;
}

/** A JSON text with the call id left as a hole, so each request only joins strings. */
function template(value: unknown): (callId: string) => string {
  const parts = JSON.stringify(value).split(PLACEHOLDER);
  return (callId) => parts.join(callId);
}

export interface ReportPayloads {
  bytes: number;
  /** The signed webhook VAPI would send for this call. */
  signedWebhook(callId: string): { body: string; headers: Record<string, string> };
  /** The same report as one vapi_call_results row: what a raw PostgREST upsert would write. */
  callRowJson(callId: string): string;
}

/** Signed webhooks of one kind and the raw upsert of the same data: what a write round sends. */
export type WritePayloads = ReportPayloads;

interface StatusMessage {
  timestamp: number;
  status: string;
  call: {
    type: string;
    assistantId: string;
    phoneNumberId: string;
    startedAt: string;
    customer: { number: string; name: string };
    assistantOverrides: { variableValues: unknown; metadata: unknown };
  };
  phoneNumber: { number: string };
  assistant: Record<string, unknown>;
}

/**
 * The fixture's in-progress status update, at least `bytes` long: VAPI sends the assistant with it, so
 * the padding is the assistant's system prompt.
 */
export function statusUpdatePayloads(bytes: number): WritePayloads {
  const update = vapiFixture('status-update-in-progress', PLACEHOLDER) as { message: StatusMessage };
  const prompt = 'You are a concierge calling a tradesperson to book a visit for the customer. ';
  const content: string[] = [];
  while (JSON.stringify(update).length < bytes) {
    content.push(prompt);
    update.message.assistant.model = {
      provider: 'openai',
      model: 'gpt-4o',
      messages: [{ role: 'system', content: content.join('') }],
    };
  }
  const { message } = update;
  const webhookBody = template(update);
  const rowBody = template({
    call_id: PLACEHOLDER,
    status: message.status,
    started_at: message.call.startedAt,
    customer_number: message.call.customer.number,
    customer_name: message.call.customer.name,
    vapi_phone_number: message.phoneNumber.number,
    phone_number_id: message.call.phoneNumberId,
    assistant_id: message.call.assistantId,
    call_type: message.call.type,
    metadata: message.call.assistantOverrides.metadata,
    variable_values: message.call.assistantOverrides.variableValues,
    last_event_type: 'status-update',
    last_event_at: new Date(message.timestamp).toISOString(),
  });
  return signedPayloads(webhookBody, rowBody);
}

function signedPayloads(
  webhookBody: (callId: string) => string,
  rowBody: (callId: string) => string,
): WritePayloads {
  return {
    bytes: webhookBody(PLACEHOLDER).length,
    signedWebhook(callId) {
      const body = webhookBody(callId);
      return { body, headers: vapiHmacHeaders(body) };
    },
    callRowJson: rowBody,
  };
}

export function reportPayloads(bytes: number): ReportPayloads {
  const report = paddedReport(bytes);
  const message = report.message;
  const webhookBody = template(report);
  const rowBody = template({
    call_id: PLACEHOLDER,
    status: 'ended',
    ended_reason: message.endedReason,
    started_at: message.startedAt,
    ended_at: message.endedAt,
    duration_seconds: (Date.parse(message.endedAt) - Date.parse(message.startedAt)) / 1000,
    transcript: message.artifact.transcript,
    messages: message.artifact.messages,
    recording_url: message.artifact.recording?.url ?? null,
    summary: message.analysis?.summary ?? null,
    structured_data: message.analysis?.structuredData ?? null,
    success_evaluation: message.analysis?.successEvaluation ?? null,
    cost: message.cost,
    cost_breakdown: message.costs,
    customer_number: message.customer?.number ?? null,
    assistant_id: message.assistant?.id ?? null,
    report_received_at: new Date().toISOString(),
    last_event_type: 'end-of-call-report',
    last_event_at: message.endedAt,
  });
  return signedPayloads(webhookBody, rowBody);
}
