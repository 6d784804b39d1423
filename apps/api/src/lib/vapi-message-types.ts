/**
 * Server message types VAPI documents (fern/apis/api/openapi.json `ServerMessage`, Aug 2026, plus
 * chat and session events). Metrics label a delivery by one of these or "other", so a sender cannot
 * grow the label set with made-up types.
 */
export const KNOWN_VAPI_MESSAGE_TYPES = new Set([
  'assistant-request',
  'assistant.speechStarted',
  'assistant.started',
  'call.artifact.upload',
  'call.endpointing.request',
  'campaign.predial',
  'chat.created',
  'chat.deleted',
  'conversation-update',
  'end-of-call-report',
  'hang',
  'handoff-destination-request',
  'knowledge-base-request',
  'language-change-detected',
  'model-output',
  'phone-call-control',
  'session.created',
  'session.deleted',
  'session.updated',
  'speech-update',
  'status-update',
  'tool-calls',
  'transcript',
  'transfer-destination-request',
  'transfer-update',
  'user-interrupted',
  'voice-input',
  'voice-request',
]);

export function messageTypeLabel(type: string): string {
  return KNOWN_VAPI_MESSAGE_TYPES.has(type) ? type : 'other';
}

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
