import { CALL_STREAM_EVENTS, type CallListItem, callListItemSchema } from '@callbridge/contracts';
import { SseParser } from '../lib/sse-parser.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * Follows GET /api/v1/vapi/calls/stream with `fetch` streaming: `EventSource` cannot send the
 * Authorization header, and a key in the URL would end up in logs. Reconnects after a pause when the
 * stream ends (e.g. the server restarted); `onReconnect` lets the caller refetch what it missed.
 */
export function followCallStream(
  key: string,
  handlers: {
    onCall: (call: CallListItem) => void;
    onState: (state: StreamState) => void;
    onReconnect: () => void;
  },
): () => void {
  const controller = new AbortController();
  let attempt = 0;
  const run = async () => {
    while (!controller.signal.aborted) {
      handlers.onState(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        const response = await fetch('/api/v1/vapi/calls/stream', {
          headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (response.ok && response.body) {
          const parser = new SseParser();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const event of parser.push(value)) {
              if (event.event === CALL_STREAM_EVENTS.ready) {
                if (attempt > 0) handlers.onReconnect();
                attempt = 0;
                handlers.onState('live');
              } else if (event.event === CALL_STREAM_EVENTS.call) {
                const parsed = callListItemSchema.safeParse(JSON.parse(event.data));
                if (parsed.success) handlers.onCall(parsed.data);
              }
            }
          }
        }
      } catch {
        // Network error or abort: the loop decides whether to try again.
      }
      attempt += 1;
      if (controller.signal.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5))));
    }
  };
  void run();
  return () => controller.abort();
}
