import type { Vapi } from '@vapi-ai/server-sdk';

/** Every `type` literal of the SDK's server message union (`ServerMessageMessage`, 29 members). */
type SdkServerMessageType = NonNullable<Vapi.ServerMessageMessage['type']>;
/** What an assistant or a campaign can subscribe to in `serverMessages`; campaigns add their own events. */
type SdkSubscribableType = Vapi.AssistantServerMessagesItem | Vapi.CampaignServerMessagesItem;
export type KnownVapiMessageType = SdkServerMessageType | SdkSubscribableType;

// Keyed by the SDK's own types: tsc fails when @vapi-ai/server-sdk adds or drops a type (a missing key,
// or an excess one). test/unit/lib/vapi-sdk-contract.test.ts checks the same against the SDK at runtime.
const KNOWN: Record<KnownVapiMessageType, true> = {
  'assistant-request': true,
  'assistant.speechStarted': true,
  'assistant.started': true,
  'call.artifact.upload': true,
  'call.delete.failed': true,
  'call.deleted': true,
  'call.endpointing.request': true,
  'campaign.archived': true,
  'campaign.cancelled': true,
  'campaign.ended': true,
  'campaign.job.continued': true,
  'campaign.predial': true,
  'campaign.started': true,
  'campaign.unarchived': true,
  'chat.created': true,
  'chat.deleted': true,
  'contact.completed': true,
  'contact.dispatched': true,
  'contact.failed': true,
  'contact.predial-failed': true,
  'contact.skipped': true,
  'conversation-update': true,
  'end-of-call-report': true,
  'function-call': true,
  hang: true,
  'handoff-destination-request': true,
  'knowledge-base-request': true,
  'language-change-detected': true,
  'language-changed': true,
  'model-output': true,
  'phone-call-control': true,
  'session.created': true,
  'session.deleted': true,
  'session.updated': true,
  'speech-update': true,
  'status-update': true,
  'tool-calls': true,
  transcript: true,
  'transcript[transcriptType="final"]': true,
  'transfer-destination-request': true,
  'transfer-update': true,
  'user-interrupted': true,
  'voice-input': true,
  'voice-request': true,
};

/**
 * Server message types VAPI's SDK (@vapi-ai/server-sdk 2.0.1) defines or lets a team subscribe to.
 * Metrics label a delivery by one of these or "other", so a sender cannot grow the label set with
 * made-up types.
 */
export const KNOWN_VAPI_MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.keys(KNOWN));

/** The types VAPI waits on an answer for: one per member of the SDK's `ServerMessageResponseMessageResponse`. */
export const REQUEST_RESPONSE_TYPES = [
  'assistant-request',
  'call.endpointing.request',
  'campaign.predial',
  'handoff-destination-request',
  'knowledge-base-request',
  'tool-calls',
  'transfer-destination-request',
  'voice-request',
] as const;

export function messageTypeLabel(type: string): string {
  return KNOWN_VAPI_MESSAGE_TYPES.has(type) ? type : 'other';
}
