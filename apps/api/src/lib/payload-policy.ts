/**
 * Message types logged without their payload (type, time, size and outcome only). They come many times
 * a call, repeat what the end-of-call report holds in full, and are never needed for a replay: the
 * call's row is merged from the report and the status updates. Everything else, unknown types
 * included, keeps its payload so it can be read and replayed.
 */
export const DEFAULT_METADATA_ONLY_TYPES = [
  'conversation-update',
  'speech-update',
  'model-output',
  'transcript',
  'user-interrupted',
  'voice-input',
] as const;

/** Their payload is what a call's row is merged from (the report is stored from it): always kept. */
export const PAYLOAD_REQUIRED_TYPES = ['end-of-call-report', 'status-update'] as const;

export function keepsPayload(eventType: string, metadataOnlyTypes: ReadonlySet<string>): boolean {
  // VAPI sends final transcripts as `transcript[transcriptType="final"]` (fixtures/vapi/transcript.json):
  // the policy names the family.
  const family = eventType.replace(/\[.*$/s, '');
  return !metadataOnlyTypes.has(family);
}
