import { z } from 'zod';
import type { DefaultAnswerSettings } from '../lib/vapi-default-answers.ts';
import { KNOWN_VAPI_MESSAGE_TYPES, REQUEST_RESPONSE_TYPES } from '../lib/vapi-message-types.ts';
import { handoffDestinationSchema, transferDestinationSchema } from '../schemas/vapi-destination-schemas.ts';
import { httpUrlWithoutCredentials, jsonOf, positiveInt, retryPolicy } from './env-fields.ts';
import { list } from './env-list.ts';
import { supabaseEnv } from './supabase-settings.ts';

/** VAPI_RELAY_TYPES: informational VAPI types; the request-response ones are relayed before answering already. */
const relayableType = z.string().superRefine((type, context) => {
  if ((REQUEST_RESPONSE_TYPES as readonly string[]).includes(type))
    context.addIssue({
      code: 'custom',
      message: `${type} is a request-response type: it is relayed before VAPI is answered, whenever a relay URL is set`,
    });
  else if (!KNOWN_VAPI_MESSAGE_TYPES.has(type))
    context.addIssue({ code: 'custom', message: `${type} is not a VAPI server message type` });
});

/** What VAPI is answered: the default answers, and the relay to the team's own VAPI server. */
export const vapiEnv = z.object({
  VAPI_ASSISTANT_ID: z.string().min(1).optional(),
  // Answers to the request-response types when no relay answers (lib/vapi-default-answers.ts).
  VAPI_CAMPAIGN_PREDIAL_ELIGIBLE: z.stringbool().default(true),
  VAPI_TRANSFER_DESTINATION: jsonOf(
    transferDestinationSchema,
    '{"type":"number","number":"+14155550123"} or {"type":"sip","sipUri":"sip:desk@example.com"}',
  ).optional(),
  VAPI_HANDOFF_DESTINATION: jsonOf(
    handoffDestinationSchema,
    '{"type":"assistant","assistantName":"Billing"}',
  ).optional(),
  // VAPI's own default wait after the user stops speaking (StartSpeakingPlan.waitSeconds) is 0.4 s.
  VAPI_ENDPOINTING_TIMEOUT_SECONDS: z.coerce.number().min(0).max(10).default(0.4),
  VAPI_VOICE_REQUEST_SILENCE_MS: z.coerce.number().int().min(0).max(2000).default(100),
  // Relay to the team's own VAPI server (services/vapi-relay.ts): inside VAPI's deadlines, like the store.
  VAPI_RELAY_URL: httpUrlWithoutCredentials('https://vapi-server.example.com/webhook').optional(),
  VAPI_RELAY_TIMEOUT_MS: positiveInt.max(19_000, 'must stay under VAPI’s 20 s timeout').default(15_000),
  VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS: positiveInt
    .max(7000, 'must stay under VAPI’s 7.5 s timeout for assistant-request')
    .default(6000),
  // Informational types also forwarded, after they are stored, through an outbox (services/vapi-relay-outbox*.ts).
  VAPI_RELAY_TYPES: list(1, 'type').pipe(z.array(relayableType)).optional(),
  VAPI_RELAY_POLL_INTERVAL_MS: positiveInt.max(600_000).default(5000),
  VAPI_RELAY_RETRY_BASE_MS: positiveInt.default(1000),
  VAPI_RELAY_RETRY_MAX_MS: positiveInt.default(30_000),
  // A retry is sent with VAPI's original signature, which the team server accepts only within its
  // timestamp tolerance (VAPI's default 300 s): retrying longer would only be refused.
  VAPI_RELAY_MAX_AGE_SECONDS: positiveInt.max(3600).default(240),
});

export interface RelayOutboxSettings {
  /** VAPI_RELAY_TYPES: informational types forwarded after they are stored. */
  types: ReadonlySet<string>;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  policy: ReturnType<typeof retryPolicy>;
  /** The deadline of the INSERT that enqueues (SUPABASE_TIMEOUT_MS). */
  enqueueTimeoutMs: number;
}

export const vapiSettings = vapiEnv
  .extend({ SUPABASE_TIMEOUT_MS: supabaseEnv.shape.SUPABASE_TIMEOUT_MS })
  .superRefine((env, context) => {
    if (env.VAPI_RELAY_RETRY_MAX_MS < env.VAPI_RELAY_RETRY_BASE_MS) {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_RELAY_RETRY_MAX_MS'],
        message: 'must not be below VAPI_RELAY_RETRY_BASE_MS',
      });
    }
  })
  .transform((env) => {
    const answers: DefaultAnswerSettings = {
      assistantId: env.VAPI_ASSISTANT_ID,
      campaignPredialEligible: env.VAPI_CAMPAIGN_PREDIAL_ELIGIBLE,
      transferDestination: env.VAPI_TRANSFER_DESTINATION,
      handoffDestination: env.VAPI_HANDOFF_DESTINATION,
      endpointingTimeoutSeconds: env.VAPI_ENDPOINTING_TIMEOUT_SECONDS,
      voiceSilenceMs: env.VAPI_VOICE_REQUEST_SILENCE_MS,
    };
    const relayOutbox: RelayOutboxSettings | undefined = env.VAPI_RELAY_TYPES?.length
      ? {
          types: new Set(env.VAPI_RELAY_TYPES),
          pollIntervalMs: env.VAPI_RELAY_POLL_INTERVAL_MS,
          requestTimeoutMs: env.VAPI_RELAY_TIMEOUT_MS,
          policy: retryPolicy(
            env.VAPI_RELAY_MAX_AGE_SECONDS,
            env.VAPI_RELAY_RETRY_BASE_MS,
            env.VAPI_RELAY_RETRY_MAX_MS,
          ),
          enqueueTimeoutMs: env.SUPABASE_TIMEOUT_MS,
        }
      : undefined;
    return {
      answers,
      relay: {
        /** VAPI_RELAY_URL: the default source's upstream; a source relays to its own relayUrl only. */
        url: env.VAPI_RELAY_URL,
        deadlines: {
          timeoutMs: env.VAPI_RELAY_TIMEOUT_MS,
          assistantRequestTimeoutMs: env.VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS,
        },
        /** The deadline of the UPDATE that records the outcome on the event. */
        recordTimeoutMs: env.SUPABASE_TIMEOUT_MS,
      },
      /** Undefined (no outbox worker) unless VAPI_RELAY_TYPES names a type. */
      relayOutbox,
    };
  });

export type VapiSettings = z.output<typeof vapiSettings>;
