import { z } from 'zod';
import { handoffDestinationSchema, transferDestinationSchema } from './vapi-destination-schemas.ts';

/** What VAPI posts, for the docs; the handler reads it with the tolerant readers in lib/vapi-message-schema. */
export const webhookBodySchema = z
  .object({
    message: z
      .looseObject({
        type: z
          .string()
          .describe('status-update, end-of-call-report, hang, tool-calls, assistant-request, …'),
        timestamp: z.number().optional().describe('Epoch milliseconds'),
        call: z.looseObject({ id: z.string() }).optional(),
      })
      .describe('A VAPI server message; every field VAPI sends is accepted'),
  })
  .meta({
    id: 'VapiServerMessage',
    example: {
      message: {
        type: 'status-update',
        timestamp: 1763776800000,
        status: 'in-progress',
        call: { id: 'b8e1c3a2-5f0e-4d7a-9c61-2f1a0e9d7c55', assistantId: 'asst_123' },
      },
    },
  });

export const webhookAckSchema = z
  .strictObject({ success: z.literal(true), received: z.string().describe('The message type') })
  .describe('Informational messages: stored (VAPI reads no body; any 2xx will do)');

export const toolCallsReplySchema = z
  .strictObject({
    results: z.array(z.strictObject({ toolCallId: z.string(), name: z.string(), error: z.string() })),
  })
  .describe('tool-calls: Callbridge runs no tools, so each call gets an error');

export const assistantRequestReplySchema = z
  .union([z.strictObject({ assistantId: z.string() }), z.strictObject({ error: z.string() })])
  .describe('assistant-request: VAPI_ASSISTANT_ID when set, else an error VAPI speaks to the caller');

export const campaignPredialReplySchema = z
  .strictObject({ eligible: z.boolean() })
  .describe('campaign.predial: VAPI_CAMPAIGN_PREDIAL_ELIGIBLE (default true: the contact is dialled)');

export const transferDestinationReplySchema = z
  .union([z.strictObject({ destination: transferDestinationSchema }), z.strictObject({ error: z.string() })])
  .describe('transfer-destination-request: VAPI_TRANSFER_DESTINATION when set, else an error (no transfer)');

export const handoffDestinationReplySchema = z
  .union([
    z.strictObject({ destination: handoffDestinationSchema }),
    z.strictObject({ destination: z.strictObject({}), error: z.string() }),
  ])
  .describe('handoff-destination-request: VAPI_HANDOFF_DESTINATION when set, else an error (no handoff)');

export const knowledgeBaseReplySchema = z
  .strictObject({ documents: z.array(z.never()).length(0) })
  .describe('knowledge-base-request: no documents, the model answers from its prompt');

export const endpointingReplySchema = z
  .strictObject({ timeoutSeconds: z.number() })
  .describe('call.endpointing.request: VAPI_ENDPOINTING_TIMEOUT_SECONDS (default 0.4, VAPI’s own wait)');

/**
 * Without a relay. With one (VAPI_RELAY_URL or the source's relayUrl), a request-response type gets
 * the upstream's answer instead, its status, content type and bytes unchanged; voice-request is
 * answered `application/octet-stream` (raw 16-bit mono PCM) either way.
 */
export const webhookReplySchema = z
  .union([
    webhookAckSchema,
    toolCallsReplySchema,
    assistantRequestReplySchema,
    campaignPredialReplySchema,
    transferDestinationReplySchema,
    handoffDestinationReplySchema,
    knowledgeBaseReplySchema,
    endpointingReplySchema,
  ])
  .describe(
    "The answer VAPI expects for the message's type (the SDK's ServerMessageResponse*). With a relay, a request-response type gets the team server's answer unchanged; voice-request is answered application/octet-stream, raw 16-bit mono PCM (silence by default)",
  );

export const sourceWebhookParamsSchema = z.object({
  sourceId: z
    .string()
    .describe('The source id the admin API answered when the source was created')
    .meta({ example: '3f2c9a4e-8b1d-4c6f-9e2a-7d5b1c0a8f34' }),
});

/** OpenAPI description of “Receive a VAPI server message (default source)”. */
export const defaultWebhookDescription =
  'Verifies the request against the credential configured in the environment (VAPI_WEBHOOK_AUTH: HMAC signature, shared secret, bearer token, or an OAuth2 access token from POST /api/v1/vapi/oauth/token), stores the message, then answers. A 2xx means the event is committed; every authentic delivery is stored (values Postgres cannot take are sanitized and the change recorded). While the database is out of reach the store is retried for up to WEBHOOK_STORE_BUDGET_MS; 503 means it could not be stored in that time and VAPI should retry (it does only with a backoffPlan). A delivery for a call that arrived through a source URL is logged as `rejected` (`source-mismatch`) and not merged. The eight request-response types (assistant-request, tool-calls, campaign.predial, …) are answered in the shape of VAPI’s SDK: with VAPI_RELAY_URL set, by the team’s own VAPI server (forwarded byte for byte with VAPI’s headers, its answer returned unchanged), else, or when it fails or is late, with the default answer (docs/vapi-setup.md, “Default answers”). The informational types of VAPI_RELAY_TYPES are forwarded after they are stored, without delaying the 2xx. 429 only for a client whose requests failed verification more than WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE times this minute (counted per client IP, apart from verified deliveries), or for verified deliveries past WEBHOOK_RATE_LIMIT_PER_MINUTE for the source when that is set (default: unlimited). With HMAC, the same signed delivery received again while its timestamp is inside the tolerance is refused with 409 and not stored (VAPI resends the same bytes only after a non-2xx, and those retries are let through); this memory is per instance.';

/** OpenAPI description of “Receive a VAPI server message for a source”. */
export const sourceWebhookDescription =
  "The webhook URL the admin API answers for a source: set it as the server URL of the source's VAPI assistant or phone number. Verified with that source's verification settings and secrets (the current one, and the previous ones while their rotation overlap lasts); relayed to the source's own relayUrl (never VAPI_RELAY_URL); otherwise exactly like the default path: 401 when verification fails, 409 for a signed delivery already received inside its window, 2xx once the event is committed, 503 when it could not be stored in time. The call and the event are stored under the source: only read keys scoped to it (and API_KEYS) see them. A delivery for a call id that already belongs to another source (or to the default source) is logged as `rejected` with error code `source-mismatch`, answered 2xx and not merged. 404, with one body, for an id that is malformed, unknown or of a disabled source; nothing is stored. Settings are cached per source for WEBHOOK_SOURCE_CACHE_MS (default 5 s): disabling or rotating takes effect within that.";
