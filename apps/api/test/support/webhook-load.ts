import { setTimeout as sleep } from 'node:timers/promises';
import { vapiHmacHeaders } from './sign-webhook.ts';
import { uniqueCallId, vapiFixture } from './vapi-fixtures.ts';

export interface SentDelivery {
  callId: string;
  type: 'status-update' | 'end-of-call-report';
  /** The HTTP status; 0 when the connection failed (never acknowledged). */
  status: number;
  ms: number;
}

/** Posts one signed delivery to a running API; a failed connection is status 0. */
export async function sendWebhook(url: string, payload: unknown): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const startedAt = Date.now();
  try {
    const response = await fetch(`${url}/api/v1/vapi/webhook`, {
      method: 'POST',
      headers: vapiHmacHeaders(body),
      body,
    });
    await response.arrayBuffer();
    return { status: response.status, ms: Date.now() - startedAt };
  } catch {
    return { status: 0, ms: Date.now() - startedAt };
  }
}

/**
 * Steady signed load as VAPI sends it: a new call every `everyMs`, each a status update then, once that
 * is answered, its end-of-call report. `url()` is read at each send, so the target can change (a
 * restarted API). Every delivery's answer is recorded in send order.
 */
export function steadyCallLoad(url: () => string, options: { everyMs: number; label: string }) {
  const sent: SentDelivery[] = [];
  const calls: Array<Promise<void>> = [];
  let stopped = false;
  const call = async () => {
    const callId = uniqueCallId(options.label);
    for (const [type, fixture] of [
      ['status-update', 'status-update-in-progress'],
      ['end-of-call-report', 'end-of-call-report'],
    ] as const) {
      const answer = await sendWebhook(url(), vapiFixture(fixture, callId));
      sent.push({ callId, type, ...answer });
      if (answer.status !== 200) return;
    }
  };
  const loop = (async () => {
    while (!stopped) {
      calls.push(call());
      await sleep(options.everyMs);
    }
  })();
  return {
    sent,
    /** Stops starting calls and waits for the ones under way. */
    stop: async () => {
      stopped = true;
      await loop;
      await Promise.all(calls);
      return sent;
    },
  };
}
