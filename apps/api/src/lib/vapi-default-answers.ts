import type { Vapi } from '@vapi-ai/server-sdk';
import type { HandoffDestination, TransferDestination } from '../schemas/vapi-destination-schemas.ts';
import type { VapiMessage } from './vapi-message-schema.ts';
import { REQUEST_RESPONSE_TYPES } from './vapi-message-types.ts';

export type RequestResponseType = (typeof REQUEST_RESPONSE_TYPES)[number];

const requestResponseTypes: ReadonlySet<string> = new Set(REQUEST_RESPONSE_TYPES);

/** The types whose answer changes what VAPI does to the call (the SDK's ServerMessageResponse*). */
export function isRequestResponseType(type: string): type is RequestResponseType {
  return requestResponseTypes.has(type);
}

/** The request-response type a body names, read before anything else so the relay can start at once. */
export function requestResponseTypeOf(payload: unknown): RequestResponseType | undefined {
  const type = (payload as { message?: { type?: unknown } } | null)?.message?.type;
  return typeof type === 'string' && isRequestResponseType(type) ? type : undefined;
}

export interface DefaultAnswerSettings {
  /** VAPI_ASSISTANT_ID: the assistant to hand inbound calls to. */
  assistantId?: string;
  /** VAPI_CAMPAIGN_PREDIAL_ELIGIBLE: whether campaign contacts are dialled. */
  campaignPredialEligible: boolean;
  transferDestination?: TransferDestination;
  handoffDestination?: HandoffDestination;
  /** VAPI_ENDPOINTING_TIMEOUT_SECONDS: how long VAPI waits after the user stops speaking. */
  endpointingTimeoutSeconds: number;
  /** VAPI_VOICE_REQUEST_SILENCE_MS: the silence answered to a voice-request (0: an empty body). */
  voiceSilenceMs: number;
}

/** Informational messages: any 2xx will do (VAPI reads no body); this one says what was stored. */
export type WebhookAck = { success: true; received: string };

export type JsonAnswer =
  | Vapi.ServerMessageResponseToolCalls
  | Vapi.ServerMessageResponseAssistantRequest
  | Vapi.ServerMessageResponseCampaignPredial
  | Vapi.ServerMessageResponseTransferDestinationRequest
  | Vapi.ServerMessageResponseHandoffDestinationRequest
  | Vapi.ServerMessageResponseKnowledgeBaseRequest
  | Vapi.ServerMessageResponseCallEndpointingRequest
  | WebhookAck;

export type DefaultAnswer =
  /** `undecided`: a request-response type answered with what stands for "no decision" (a metric counts them). */
  | { kind: 'json'; body: JsonAnswer; undecided: boolean }
  /** voice-request: 1-channel 16-bit little-endian PCM at the request's sample rate (SDK ServerMessageResponseVoiceRequest). */
  | { kind: 'pcm'; body: Buffer; undecided: true };

/** VAPI's TTS sample rates run from 8 kHz to 48 kHz; anything else (or a hostile 1e12) gets the SDK example's 24 kHz. */
const DEFAULT_SAMPLE_RATE = 24_000;
function sampleRateOf(message: VapiMessage): number {
  const rate = (message as { sampleRate?: unknown }).sampleRate;
  return typeof rate === 'number' && Number.isInteger(rate) && rate >= 8000 && rate <= 48_000
    ? rate
    : DEFAULT_SAMPLE_RATE;
}

/** Silence is all-zero samples: 2 bytes each, one channel. */
export function pcmSilence(sampleRate: number, ms: number): Buffer {
  return Buffer.alloc(Math.round((sampleRate * ms) / 1000) * 2);
}

const json = (body: JsonAnswer, undecided: boolean): DefaultAnswer => ({ kind: 'json', body, undecided });

/**
 * What Callbridge answers when no relay answers for it: for every request-response type the SDK's
 * shape, with "no decision" where the SDK has one (docs/vapi-setup.md, "Default answers", says why per type).
 * Callbridge runs no tools, so each tool call gets an error VAPI passes to the model instead of waiting.
 */
export function defaultAnswer(
  message: VapiMessage | undefined,
  settings: DefaultAnswerSettings,
): DefaultAnswer {
  switch (message?.type) {
    case 'tool-calls': {
      const calls =
        message.toolCallList?.map((call) => ({ id: call.id, name: call.function?.name })) ??
        message.toolWithToolCallList?.flatMap((tool) =>
          tool.toolCall ? [{ id: tool.toolCall.id, name: tool.toolCall.function?.name ?? tool.name }] : [],
        ) ??
        [];
      return json(
        {
          results: calls.map(({ id, name }) => ({
            toolCallId: id,
            // The SDK requires a name; VAPI matches results by toolCallId.
            name: name ?? '',
            error: `No handler is configured for tool ${name ?? id} on this server`,
          })),
        } satisfies Vapi.ServerMessageResponseToolCalls,
        true,
      );
    }
    case 'assistant-request':
      return settings.assistantId
        ? json(
            { assistantId: settings.assistantId } satisfies Vapi.ServerMessageResponseAssistantRequest,
            false,
          )
        : json(
            {
              error: 'Sorry, this number is not set up to take calls right now.',
            } satisfies Vapi.ServerMessageResponseAssistantRequest,
            true,
          );
    case 'campaign.predial':
      return json(
        { eligible: settings.campaignPredialEligible } satisfies Vapi.ServerMessageResponseCampaignPredial,
        true,
      );
    case 'transfer-destination-request':
      return settings.transferDestination
        ? json(
            {
              destination: settings.transferDestination,
            } satisfies Vapi.ServerMessageResponseTransferDestinationRequest,
            false,
          )
        : json(
            {
              error: 'No transfer destination is configured on this server',
            } satisfies Vapi.ServerMessageResponseTransferDestinationRequest,
            true,
          );
    case 'handoff-destination-request':
      return settings.handoffDestination
        ? json(
            {
              destination: settings.handoffDestination,
            } satisfies Vapi.ServerMessageResponseHandoffDestinationRequest,
            false,
          )
        : // The SDK requires `destination`; with `error` set VAPI makes no handoff.
          json(
            {
              destination: {},
              error: 'No handoff destination is configured on this server',
            } satisfies Vapi.ServerMessageResponseHandoffDestinationRequest,
            true,
          );
    case 'knowledge-base-request':
      // No documents: the model answers from its prompt alone, as without a knowledge base.
      return json({ documents: [] } satisfies Vapi.ServerMessageResponseKnowledgeBaseRequest, true);
    case 'call.endpointing.request':
      return json(
        {
          timeoutSeconds: settings.endpointingTimeoutSeconds,
        } satisfies Vapi.ServerMessageResponseCallEndpointingRequest,
        true,
      );
    case 'voice-request':
      return {
        kind: 'pcm',
        body: pcmSilence(sampleRateOf(message), settings.voiceSilenceMs),
        undecided: true,
      };
    default:
      return json({ success: true, received: message?.type ?? 'unknown' }, false);
  }
}
