import type { Vapi } from '@vapi-ai/server-sdk';

/** The eight request-response types of the SDK (ServerMessageResponse*), written out independently of src. */
export const REQUEST_RESPONSE_MESSAGE_TYPES = [
  'tool-calls',
  'assistant-request',
  'campaign.predial',
  'transfer-destination-request',
  'handoff-destination-request',
  'knowledge-base-request',
  'call.endpointing.request',
  'voice-request',
] as const;
export type RequestResponseMessageType = (typeof REQUEST_RESPONSE_MESSAGE_TYPES)[number];

const call = (callId: string): Vapi.Call => ({
  id: callId,
  orgId: 'org_5d1c2b3a',
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:05.000Z',
  type: 'outboundPhoneCall',
  customer: { number: '+15555550100' },
});
const timestamp = 1763805619000;
const messagesOpenAIFormatted: Vapi.OpenAiMessage[] = [{ role: 'user', content: 'Do you open on Sundays?' }];

/**
 * A request-response message as VAPI sends it, each checked by tsc against the SDK's message type
 * (so a new SDK version that changes a required field fails the build here).
 */
export function requestResponseMessage(
  type: RequestResponseMessageType,
  callId: string,
  extra: Record<string, unknown> = {},
): { message: Record<string, unknown> } {
  const messages = {
    'tool-calls': {
      type: 'tool-calls',
      timestamp,
      call: call(callId),
      toolWithToolCallList: [],
      toolCallList: [
        {
          id: 'call_tool_1',
          type: 'function',
          function: { name: 'lookupOpeningHours', arguments: '{"day":"sunday"}' },
        },
      ],
    } satisfies Vapi.ServerMessageToolCalls,
    'assistant-request': {
      type: 'assistant-request',
      timestamp,
      call: call(callId),
    } satisfies Vapi.ServerMessageAssistantRequest,
    'campaign.predial': {
      type: 'campaign.predial',
      timestamp,
      call: call(callId),
      campaignId: 'camp_81f2',
      contact: {
        id: 'contact_1',
        campaignId: 'camp_81f2',
        orgId: 'org_5d1c2b3a',
        number: '+15555550100',
        createdAt: '2026-11-22T09:00:00.000Z',
      },
    } satisfies Vapi.ServerMessageCampaignPredial,
    'transfer-destination-request': {
      type: 'transfer-destination-request',
      timestamp,
      call: call(callId),
    } satisfies Vapi.ServerMessageTransferDestinationRequest,
    'handoff-destination-request': {
      type: 'handoff-destination-request',
      timestamp,
      call: call(callId),
      parameters: { reason: 'billing question' },
    } satisfies Vapi.ServerMessageHandoffDestinationRequest,
    'knowledge-base-request': {
      type: 'knowledge-base-request',
      timestamp,
      call: call(callId),
      messagesOpenAIFormatted,
    } satisfies Vapi.ServerMessageKnowledgeBaseRequest,
    'call.endpointing.request': {
      type: 'call.endpointing.request',
      timestamp,
      call: call(callId),
      messagesOpenAIFormatted,
    } satisfies Vapi.ServerMessageCallEndpointingRequest,
    'voice-request': {
      type: 'voice-request',
      timestamp,
      call: call(callId),
      text: 'We open at nine.',
      sampleRate: 16_000,
    } satisfies Vapi.ServerMessageVoiceRequest,
  };
  return { message: { ...messages[type], ...extra } };
}
