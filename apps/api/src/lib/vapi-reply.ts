import type { VapiMessage } from './vapi-message-schema.ts';

export interface ReplyOptions {
  /** VAPI_ASSISTANT_ID: the assistant to hand inbound calls to. */
  assistantId?: string;
}

export type ToolCallResult = { toolCallId: string; name?: string; error: string };
export type VapiReply =
  | { results: ToolCallResult[] }
  | { assistantId: string }
  | { error: string }
  | { success: true; received: string };

/**
 * The body VAPI expects back. Only a few message types expect an answer (notes §1); Callbridge runs
 * no tools, so each tool call gets an error VAPI passes to the model instead of waiting it out.
 */
export function vapiReply(message: VapiMessage | undefined, options: ReplyOptions): VapiReply {
  switch (message?.type) {
    case 'tool-calls': {
      const calls =
        message.toolCallList?.map((call) => ({ id: call.id, name: call.function?.name })) ??
        message.toolWithToolCallList?.flatMap((tool) =>
          tool.toolCall ? [{ id: tool.toolCall.id, name: tool.toolCall.function?.name ?? tool.name }] : [],
        ) ??
        [];
      return {
        results: calls.map(({ id, name }) => ({
          toolCallId: id,
          ...(name ? { name } : {}),
          error: `No handler is configured for tool ${name ?? id} on this server`,
        })),
      };
    }
    case 'assistant-request':
      return options.assistantId
        ? { assistantId: options.assistantId }
        : { error: 'Sorry, this number is not set up to take calls right now.' };
    default:
      return { success: true, received: message?.type ?? 'unknown' };
  }
}
