import { z } from 'zod';

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
  .object({ success: z.literal(true), received: z.string().describe('The message type') })
  .describe('Informational messages: stored');

export const toolCallsReplySchema = z
  .object({
    results: z.array(z.object({ toolCallId: z.string(), name: z.string().optional(), error: z.string() })),
  })
  .describe('tool-calls: Callbridge runs no tools, so each call gets an error');

export const assistantRequestReplySchema = z
  .union([z.object({ assistantId: z.string() }), z.object({ error: z.string() })])
  .describe('assistant-request: VAPI_ASSISTANT_ID when set, else an error VAPI speaks to the caller');

export const webhookReplySchema = z.union([
  webhookAckSchema,
  toolCallsReplySchema,
  assistantRequestReplySchema,
]);

export const sourceWebhookParamsSchema = z.object({
  sourceId: z
    .string()
    .describe('The source id the admin API answered when the source was created')
    .meta({ example: '3f2c9a4e-8b1d-4c6f-9e2a-7d5b1c0a8f34' }),
});
