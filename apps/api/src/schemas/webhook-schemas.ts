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
