import type {
  CallHistoryResponse,
  CallNotFound,
  CallResult,
  CallResultResponse,
  ErrorResponse,
} from '@callbridge/contracts';
import { CallbridgeHttpError, CallbridgeTimeoutError } from './errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryAfterMs, retryDelayMs } from './retry-delay.ts';

export interface CallbridgeClientOptions {
  /** e.g. https://callbridge.example.com */
  baseUrl: string;
  /** One of the server's API_KEYS. */
  apiKey: string;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
  /** Attempts for a single request when Callbridge is unreachable or answers 5xx/429. */
  maxAttempts?: number;
  /** Deadline of one HTTP request beyond any long-poll wait it asks for. */
  requestTimeoutMs?: number;
}

export type CallResultLookup = { final: true; result: CallResult } | { final: false; notFound: CallNotFound };

export interface WaitOptions {
  /** Give up after this long; CallbridgeTimeoutError then. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Under the server's cap of 60 s, and under the 60 s idle timeout common load balancers (AWS ALB,
 * nginx's default proxy_read_timeout) apply to a request that sends nothing back yet.
 */
const MAX_WAIT_SECONDS = 55;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const isRetryableStatus = (status: number) => status >= 500 || status === 429;

export function createCallbridgeClient(options: CallbridgeClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const maxAttempts = options.maxAttempts ?? 5;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;

  /**
   * One logical request: retried with backoff on network errors, 5xx and 429 until it gets an answer
   * it can act on, runs out of attempts, or passes the deadline.
   */
  async function send(
    path: string,
    init: { method?: string; waitSeconds?: number; signal?: AbortSignal; deadline?: number },
  ): Promise<{ status: number; body: unknown }> {
    let lastFailure: unknown;
    for (let attempt = 0; ; attempt++) {
      let retryAfter: number | undefined;
      try {
        const timeout = AbortSignal.timeout(requestTimeoutMs + (init.waitSeconds ?? 0) * 1000);
        const response = await doFetch(`${baseUrl}${path}`, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
          signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
        });
        const body: unknown = await response.json().catch(() => null);
        if (!isRetryableStatus(response.status)) return { status: response.status, body };
        lastFailure = new CallbridgeHttpError(response.status, body);
        retryAfter = retryAfterMs(response.headers.get('retry-after'));
      } catch (error) {
        if (init.signal?.aborted) throw init.signal.reason;
        lastFailure = error;
      }
      const delay = retryAfter ?? retryDelayMs(attempt, policy);
      const outOfTime = init.deadline !== undefined && Date.now() + delay >= init.deadline;
      if (outOfTime || (init.deadline === undefined && attempt + 1 >= maxAttempts)) throw lastFailure;
      await sleep(delay, init.signal);
    }
  }

  function toLookup(status: number, body: unknown): CallResultLookup {
    if (status === 200) return { final: true, result: (body as CallResultResponse).data };
    if (status === 404 && (body as CallNotFound | null)?.error === 'Call result not found') {
      return { final: false, notFound: body as CallNotFound };
    }
    throw new CallbridgeHttpError(status, body as ErrorResponse);
  }

  const callPath = (callId: string, waitSeconds?: number) =>
    `/api/v1/vapi/calls/${encodeURIComponent(callId)}${waitSeconds ? `?wait=${waitSeconds}` : ''}`;

  return {
    /** The result if final, else what Callbridge knows so far. One request (plus retries). */
    async getCallResult(callId: string, init: { signal?: AbortSignal } = {}): Promise<CallResultLookup> {
      const { status, body } = await send(callPath(callId), init);
      return toLookup(status, body);
    },

    /**
     * Waits for the final result with long polls of up to 55 s each: typically one or two requests per
     * call, answered as soon as VAPI's end-of-call report is stored.
     */
    async waitForCallResult(callId: string, wait: WaitOptions): Promise<CallResult> {
      const deadline = Date.now() + wait.timeoutMs;
      let lastStatus: string | null = null;
      while (true) {
        const remainingSeconds = Math.floor((deadline - Date.now()) / 1000);
        if (remainingSeconds < 1) throw new CallbridgeTimeoutError(callId, lastStatus);
        const waitSeconds = Math.min(MAX_WAIT_SECONDS, remainingSeconds);
        // Failures are retried inside send() until the deadline; past it the last one is thrown as is.
        const { status, body } = await send(callPath(callId, waitSeconds), {
          waitSeconds,
          signal: wait.signal,
          deadline,
        });
        const lookup = toLookup(status, body);
        if (lookup.final) return lookup.result;
        lastStatus = lookup.notFound.callStatus;
      }
    },

    /** One page of a customer's calls, newest first; pass `nextCursor` back for the next page. */
    async getCallsByPhone(
      phone: string,
      page: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
    ): Promise<CallHistoryResponse> {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.cursor) query.set('cursor', page.cursor);
      const suffix = query.size > 0 ? `?${query}` : '';
      const { status, body } = await send(
        `/api/v1/vapi/calls/by-phone/${encodeURIComponent(phone)}${suffix}`,
        page,
      );
      if (status !== 200) throw new CallbridgeHttpError(status, body);
      return body as CallHistoryResponse;
    },
  };
}

export type CallbridgeClient = ReturnType<typeof createCallbridgeClient>;
