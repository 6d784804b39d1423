import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedDelivery } from './simulated-call.ts';

/** Posts one signed delivery; resolves with the HTTP status the webhook answered. */
export type SendDelivery = (body: string) => Promise<number>;

/**
 * Plays deliveries in order with their pauses. Stops at the first non-2xx answer (the rest of the call
 * would make no sense without it) or when the signal aborts; says how many were accepted.
 */
export async function playSimulatedCall(
  deliveries: SimulatedDelivery[],
  send: SendDelivery,
  signal?: AbortSignal,
): Promise<{ accepted: number; failedStatus?: number }> {
  let accepted = 0;
  for (const delivery of deliveries) {
    if (delivery.delayMs > 0) {
      try {
        await sleep(delivery.delayMs, undefined, { signal });
      } catch {
        return { accepted };
      }
    }
    if (signal?.aborted) return { accepted };
    const status = await send(JSON.stringify(delivery.payload));
    if (status < 200 || status >= 300) return { accepted, failedStatus: status };
    accepted += 1;
  }
  return { accepted };
}
