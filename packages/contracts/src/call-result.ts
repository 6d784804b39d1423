import { z } from 'zod';
import { errorResponseSchema } from './error-response.ts';

export const CALL_OUTCOMES = ['completed', 'no-answer', 'busy', 'voicemail', 'canceled', 'failed'] as const;

export const callOutcomeSchema = z
  .enum(CALL_OUTCOMES)
  .describe(
    'Coarse outcome decided from the ended reason by one table over every VAPI value: `canceled` means stopped on purpose before it ran (manually-canceled, a deleted call or schedule, the caller hanging up before connect); `failed` covers errors on any side and every ended reason the table does not know',
  );

/** Whose side a call's ending is on: where it broke, or who must act. `none` for a call that went as it should. */
export const CALL_FAULTS = ['customer', 'provider', 'vapi', 'assistant-configuration', 'none'] as const;

export const callFaultSchema = z
  .enum(CALL_FAULTS)
  .describe(
    "`customer`: the customer's side (busy, no answer, voicemail, misdialed, hung up). `provider`: a telephony, model, voice or transcriber provider failed (VAPI's `providerfault` reasons, provider outages). `vapi`: VAPI's platform (its `vapifault` reasons). `assistant-configuration`: the team's own set-up (assistant, keys, plan, server URL, transfer destinations). `none`: nothing went wrong",
  );

export const finalReasonSchema = z
  .enum(['end-of-call-report', 'ended-without-report'])
  .describe(
    '`end-of-call-report`: VAPI sent its final report. `ended-without-report`: the call ended and no report came within the grace period (calls that are never answered may get none).',
  );

const isoTimestamp = z.iso.datetime({ offset: true });
const jsonObject = z.record(z.string(), z.unknown());

/** VAPI's RecordingConsent (SDK RecordingConsent.d.ts), as sent. */
export const recordingConsentSchema = z.looseObject({
  type: z.string().describe('stay-on-line or verbal'),
  grantedAt: z.string().optional().describe('When consent was granted; absent when it was not'),
});

/** A call's final result, as Kestra workflows read it. */
export const callResultSchema = z
  .object({
    callId: z.string().describe('VAPI call id'),
    status: z
      .string()
      .describe('Last VAPI call status: scheduled, queued, ringing, in-progress, forwarding or ended'),
    final: z.literal(true),
    finalReason: finalReasonSchema,
    outcome: callOutcomeSchema,
    retryable: z
      .boolean()
      .describe(
        'Worth placing again later without changing anything: a busy line, no answer, an outage on a provider or VAPI, a rate or concurrency limit. False when something must be changed first, and for ended reasons the table does not know',
      ),
    fault: callFaultSchema
      .nullable()
      .describe('Whose side the ending is on; null for an ended reason the table does not know'),
    endedReason: z.string().nullable().describe('VAPI endedReason, e.g. customer-ended-call, customer-busy'),
    startedAt: isoTimestamp.nullable(),
    endedAt: isoTimestamp.nullable(),
    durationSeconds: z.number().nullable(),
    transcript: z.string().nullable(),
    messages: z.array(z.unknown()).nullable().describe('artifact.messages: the conversation turn by turn'),
    recordingUrl: z.string().nullable(),
    stereoRecordingUrl: z.string().nullable(),
    summary: z.string().nullable(),
    structuredData: jsonObject.nullable(),
    successEvaluation: z.string().nullable(),
    cost: z.number().nullable().describe('Total cost in USD'),
    costBreakdown: jsonObject
      .nullable()
      .describe(
        "VAPI's CostBreakdown object (call.costBreakdown, or the top-level costBreakdown older deployments send): USD amounts `transport`, `stt`, `llm`, `tts`, `vapi`, `chat`, `total`, usage counts `llmPromptTokens`, `llmCompletionTokens`, `llmCachedPromptTokens`, `ttsCharacters`, and `analysisCostBreakdown`. Always this object shape; null when VAPI sent none (the itemized list is `costs`).",
      ),
    costs: z
      .array(z.unknown())
      .nullable()
      .describe(
        "VAPI's itemized costs[] (the report's costs, else call.costs), as sent: one entry per component, `type` one of transport, transcriber, model, voice, vapi, voicemail-detection, analysis, knowledge-base, with its `cost` in USD and usage (minutes, tokens, characters)",
      ),
    customerNumber: z
      .string()
      .nullable()
      .describe(
        "The customer's number (customer.number, else call.customer.number), E.164 where it could be normalized; never VAPI's own number, which is vapiPhoneNumber",
      ),
    customerName: z
      .string()
      .nullable()
      .describe('customer.name; for inbound SIP calls, the From header display name'),
    customerEmail: z.string().nullable().describe('customer.email'),
    customerExternalId: z.string().nullable().describe('customer.externalId: your id for the customer'),
    vapiPhoneNumber: z.string().nullable().describe("VAPI's number the call used (phoneNumber.number)"),
    phoneNumberId: z.string().nullable(),
    assistantId: z.string().nullable(),
    callType: z
      .string()
      .nullable()
      .describe('call.type: inboundPhoneCall, outboundPhoneCall, webCall or vapi.websocketCall'),
    campaignId: z.string().nullable().describe('call.campaignId: the VAPI campaign that placed the call'),
    squadId: z.string().nullable().describe('call.squadId, for a call run by a squad'),
    workflowId: z.string().nullable().describe('call.workflowId, for a call run by a workflow'),
    metadata: jsonObject
      .nullable()
      .describe('call.assistantOverrides.metadata as sent when the call was created'),
    variableValues: jsonObject
      .nullable()
      .describe(
        'The variable values at the end of the call (artifact.variableValues), else those it started with (call.assistantOverrides.variableValues)',
      ),
    structuredOutputs: jsonObject
      .nullable()
      .describe(
        'artifact.structuredOutputs: the structured outputs extracted from the call, keyed by structured output id, each `{ name, result }`',
      ),
    scorecards: jsonObject
      .nullable()
      .describe(
        'artifact.scorecards: the scorecards evaluated on the structured outputs, keyed by scorecard id',
      ),
    transfers: z
      .array(z.unknown())
      .nullable()
      .describe(
        "artifact.transfers: one record per transfer attempt, warm or blind: `destination`, `mode`, `status` (connected, no-answer, busy, voicemail, failed, completed, cancelled), and for warm transfers the operator conversation's `transcript` and `messages`",
      ),
    performanceMetrics: jsonObject
      .nullable()
      .describe(
        'artifact.performanceMetrics: `turnLatencies[]` and averages (modelLatencyAverage, voiceLatencyAverage, transcriberLatencyAverage, endpointingLatencyAverage, turnLatencyAverage, …) in milliseconds, and interruption counts',
      ),
    recordingConsent: recordingConsentSchema
      .nullable()
      .describe("compliance.recordingConsent: the result of the call's recording-consent flow"),
    lastEventType: z.string().nullable(),
    lastEventAt: isoTimestamp.nullable(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
  })
  .meta({ id: 'CallResult' });

export const KESTRA_PUSH_STATES = ['pending', 'delivered', 'failed', 'expired'] as const;

/** Where Callbridge stands in resuming the Kestra execution that placed the call. */
export const kestraPushSchema = z
  .object({
    executionId: z.string().describe('assistantOverrides.metadata.kestraExecutionId'),
    tenant: z.string().describe('assistantOverrides.metadata.kestraTenant, else KESTRA_TENANT'),
    state: z
      .enum(KESTRA_PUSH_STATES)
      .describe(
        '`pending`: not resumed yet (retried on 409, 5xx and no answer). `delivered`: Kestra resumed the execution. `failed`: Kestra refused for good (404: no such execution). `expired`: still not resumed at KESTRA_PUSH_MAX_AGE_SECONDS.',
      ),
    attempts: z.number().int().describe('Resume requests sent so far'),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .describe("Kestra's HTTP status on the last attempt; null when none came"),
    lastError: z.string().nullable().describe('Why the last attempt did not resume the execution'),
    nextAttemptAt: isoTimestamp.nullable().describe('When the next attempt is due, while pending'),
    deliveredAt: isoTimestamp.nullable(),
  })
  .meta({ id: 'KestraPush' });

export const callResultResponseSchema = z
  .object({
    success: z.literal(true),
    data: callResultSchema,
    kestraPush: kestraPushSchema
      .nullable()
      .describe(
        "The push of `data` to the Kestra execution named in the call's metadata; null when there is none (no kestraExecutionId, push not configured, or not enqueued yet). The pushed copy is `data` alone.",
      ),
  })
  .meta({
    id: 'CallResultResponse',
    example: {
      success: true,
      data: {
        callId: 'b8e1c3a2-5f0e-4d7a-9c61-2f1a0e9d7c55',
        status: 'ended',
        final: true,
        finalReason: 'end-of-call-report',
        outcome: 'completed',
        retryable: false,
        fault: 'none',
        endedReason: 'customer-ended-call',
        startedAt: '2025-11-22T10:00:05.000Z',
        endedAt: '2025-11-22T10:05:35.000Z',
        durationSeconds: 330,
        transcript:
          'AI: Hi, this is Concierge calling about the plumbing request.\nUser: We can come tomorrow at nine.',
        messages: [
          { role: 'bot', message: 'Hi, this is Concierge…', time: 1763805606000, secondsFromStart: 1.2 },
        ],
        recordingUrl: 'https://storage.vapi.ai/b8e1c3a2-mono.wav',
        stereoRecordingUrl: 'https://storage.vapi.ai/b8e1c3a2-stereo.wav',
        summary: 'Provider confirmed availability tomorrow at 9am.',
        structuredData: { availability: 'available', estimated_rate: '$100/hour' },
        successEvaluation: 'true',
        cost: 0.4512,
        costBreakdown: { transport: 0.0715, llm: 0.1902, vapi: 0.1895, total: 0.4512 },
        costs: [
          { type: 'transport', provider: 'twilio', minutes: 5.5, cost: 0.0715 },
          { type: 'vapi', subType: 'normal', minutes: 5.5, cost: 0.1895 },
        ],
        customerNumber: '+15555550100',
        customerName: 'Pat Example',
        customerEmail: 'pat@example.com',
        customerExternalId: 'crm_4821',
        vapiPhoneNumber: '+15555550199',
        phoneNumberId: 'pn_1a2b3c4d',
        assistantId: 'asst_7f2c9e4b',
        callType: 'outboundPhoneCall',
        campaignId: 'cmp_5e8d2a41',
        squadId: null,
        workflowId: null,
        metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr' },
        variableValues: { providerName: "Joe's Plumbing", appointmentTime: 'tomorrow 9am' },
        structuredOutputs: {
          'so_3f1c8a20-availability': {
            name: 'availability',
            result: { available: true, rate: '$100/hour' },
          },
        },
        scorecards: null,
        transfers: null,
        performanceMetrics: { turnLatencyAverage: 1180, modelLatencyAverage: 420, numUserInterrupted: 1 },
        recordingConsent: { type: 'verbal', grantedAt: '2025-11-22T10:00:09.000Z' },
        lastEventType: 'end-of-call-report',
        lastEventAt: '2025-11-22T10:05:40.000Z',
        createdAt: '2025-11-22T10:00:01.000Z',
        updatedAt: '2025-11-22T10:05:40.120Z',
      },
      kestraPush: {
        executionId: '4hXyZ9kLmN2pQr',
        tenant: 'main',
        state: 'delivered',
        attempts: 1,
        lastStatus: 204,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: '2025-11-22T10:05:40.180Z',
      },
    },
  });

/** 404 from GET /calls/:callId: says whether the call is unknown or which status it is in. */
export const callNotFoundSchema = errorResponseSchema
  .extend({
    error: z.literal('Call result not found'),
    known: z.boolean().describe('True when Callbridge has heard of the call but its result is not final yet'),
    callStatus: z.string().nullable().describe('The call status so far, or null for an unknown call'),
    pendingInSpool: z
      .boolean()
      .optional()
      .describe(
        'With a spool (SPOOL_DIR): deliveries of the call wait in this instance’s spool, not yet in the database (an outage being caught up); keep waiting',
      ),
  })
  .meta({
    id: 'CallNotFound',
    example: {
      success: false,
      error: 'Call result not found',
      message: 'Call b8e1c3a2-5f0e-4d7a-9c61-2f1a0e9d7c55 is in-progress; its result is not final yet',
      known: true,
      callStatus: 'in-progress',
    },
  });

export const callSummarySchema = callResultSchema
  .pick({
    callId: true,
    status: true,
    endedReason: true,
    startedAt: true,
    endedAt: true,
    durationSeconds: true,
    summary: true,
    successEvaluation: true,
    cost: true,
    customerNumber: true,
    assistantId: true,
    createdAt: true,
  })
  .extend({
    final: z.boolean(),
    outcome: callOutcomeSchema.nullable().describe('Null until the call has ended'),
    retryable: z.boolean(),
    fault: callFaultSchema
      .nullable()
      .describe('Null until the call has ended, or for an unknown ended reason'),
  })
  .meta({ id: 'CallSummary' });

export const CALL_HISTORY_MAX_LIMIT = 100;

export const callHistoryResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(callSummarySchema).describe('Newest first'),
    page: z.object({
      limit: z.number().int(),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    }),
  })
  .meta({ id: 'CallHistoryResponse' });

export const deleteCallResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({ callId: z.string(), deletedEvents: z.number().int() }),
  })
  .meta({ id: 'DeleteCallResponse' });

export type CallOutcome = z.output<typeof callOutcomeSchema>;
export type CallFault = z.output<typeof callFaultSchema>;
export type CallResult = z.output<typeof callResultSchema>;
export type KestraPushState = (typeof KESTRA_PUSH_STATES)[number];
export type KestraPush = z.output<typeof kestraPushSchema>;
export type CallResultResponse = z.output<typeof callResultResponseSchema>;
export type CallNotFound = z.output<typeof callNotFoundSchema>;
export type CallSummary = z.output<typeof callSummarySchema>;
export type CallHistoryResponse = z.output<typeof callHistoryResponseSchema>;
export type DeleteCallResponse = z.output<typeof deleteCallResponseSchema>;
