import type { RelayRetryPolicy } from '../lib/relay-retry-policy.ts';
import type { DefaultAnswerSettings } from '../lib/vapi-default-answers.ts';
import type { RelayDeadlines } from '../services/vapi-relay.ts';
import type { AppConfig } from './config-schema.ts';

/** The VAPI_* answer variables as the default answers' settings. */
export function defaultAnswerSettings(config: AppConfig): DefaultAnswerSettings {
  return {
    assistantId: config.VAPI_ASSISTANT_ID,
    campaignPredialEligible: config.VAPI_CAMPAIGN_PREDIAL_ELIGIBLE,
    transferDestination: config.VAPI_TRANSFER_DESTINATION,
    handoffDestination: config.VAPI_HANDOFF_DESTINATION,
    endpointingTimeoutSeconds: config.VAPI_ENDPOINTING_TIMEOUT_SECONDS,
    voiceSilenceMs: config.VAPI_VOICE_REQUEST_SILENCE_MS,
  };
}

export interface RelaySettings {
  /** VAPI_RELAY_URL: the default source's upstream; a source relays to its own relayUrl only. */
  url?: string;
  deadlines: RelayDeadlines;
}

export function relaySettings(config: AppConfig): RelaySettings {
  return {
    url: config.VAPI_RELAY_URL,
    deadlines: {
      timeoutMs: config.VAPI_RELAY_TIMEOUT_MS,
      assistantRequestTimeoutMs: config.VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS,
    },
  };
}

export interface RelayOutboxSettings {
  /** VAPI_RELAY_TYPES: informational types forwarded after they are stored. */
  types: ReadonlySet<string>;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  policy: RelayRetryPolicy;
}

/** Undefined (no outbox worker) unless VAPI_RELAY_TYPES names a type. */
export function relayOutboxSettings(config: AppConfig): RelayOutboxSettings | undefined {
  if (!config.VAPI_RELAY_TYPES?.length) return undefined;
  return {
    types: new Set(config.VAPI_RELAY_TYPES),
    pollIntervalMs: config.VAPI_RELAY_POLL_INTERVAL_MS,
    requestTimeoutMs: config.VAPI_RELAY_TIMEOUT_MS,
    policy: {
      maxAgeMs: config.VAPI_RELAY_MAX_AGE_SECONDS * 1000,
      retry: { baseDelayMs: config.VAPI_RELAY_RETRY_BASE_MS, maxDelayMs: config.VAPI_RELAY_RETRY_MAX_MS },
    },
  };
}
