import type { CallResultWaiters } from './call-result-waiters.ts';
import {
  type CallLookup,
  type CallReadOptions,
  type CallReads,
  type FinalityRule,
  getCallResult,
} from './call-results-service.ts';

export interface WaitOptions {
  waitMs: number;
  /** Aborted when the client hangs up. */
  signal: AbortSignal;
  finality: () => FinalityRule;
  read: CallReadOptions;
  /** Checked before each database read: the result from this instance's spool, when it holds it. */
  spooled?: () => Promise<CallLookup | undefined>;
}

/** Reads a call's result; until it is final, re-reads each time the call is touched, up to the wait. */
export async function waitForCallResult(
  reads: CallReads,
  waiters: CallResultWaiters,
  callId: string,
  options: WaitOptions,
): Promise<CallLookup> {
  const deadline = Date.now() + options.waitMs;
  // Subscribed before the first read, so a webhook landing in between still wakes this request.
  const subscription = waiters.subscribe(callId, options.signal);
  const read = async () =>
    (await options.spooled?.()) ?? getCallResult(reads, callId, options.finality(), options.read);
  try {
    let lookup = await read();
    while (lookup.state !== 'final' && Date.now() < deadline) {
      const woke = await subscription.next(deadline - Date.now());
      if (woke !== 'notified') break;
      lookup = await read();
    }
    return lookup;
  } finally {
    subscription.close();
  }
}
