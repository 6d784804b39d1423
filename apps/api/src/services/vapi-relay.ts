import { forwardableHeaders } from '../lib/relay-headers.ts';

export interface RelayDeadlines {
  /** VAPI_RELAY_TIMEOUT_MS: under VAPI's server timeout (20 s by default). */
  timeoutMs: number;
  /** VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS: under assistant-request's fixed 7.5 s. */
  assistantRequestTimeoutMs: number;
}

export function relayDeadlineMs(type: string, deadlines: RelayDeadlines): number {
  return type === 'assistant-request' ? deadlines.assistantRequestTimeoutMs : deadlines.timeoutMs;
}

/** A voice-request answer is raw PCM: 16 MiB is ~5 min at 24 kHz. More is refused and the fallback used. */
export const RELAY_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface RelayRequest {
  url: string;
  /** Node's raw header list as received (name, value, name, value, …). */
  rawHeaders: readonly string[];
  body: Buffer;
  timeoutMs: number;
  /** Aborts the forward early (the outbox worker's shutdown). */
  signal?: AbortSignal;
}

export type RelayOutcome =
  /** The upstream's answer, passed to VAPI unchanged (2xx, and 4xx: see docs/vapi-setup.md). */
  | { kind: 'answered'; status: number; contentType: string | null; body: Buffer; ms: number }
  /** No usable answer: VAPI gets the default answer. `error` is a short code, never the URL. */
  | { kind: 'failed'; status: number | null; error: string; ms: number };

class ResponseTooLarge extends Error {}

async function readCapped(response: Response, cap: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  // A reader rather than for-await: the dashboard's e2e typecheck sees DOM's ReadableStream, which has no async iterator.
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    chunks.push(Buffer.from(read.value));
  }
  return Buffer.concat(chunks, size);
}

function failureCode(error: unknown, signal: AbortSignal, answered: boolean): string {
  if (signal.aborted) return 'timeout';
  if (error instanceof ResponseTooLarge) return 'too-large';
  // The connection broke while the answer's body was coming.
  if (answered) return 'interrupted';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? `unreachable:${cause.code}` : 'unreachable';
}

/**
 * Forwards VAPI's delivery to the team's own server as a transparent proxy: the same bytes, VAPI's
 * own headers (so its signature check passes as if VAPI had called), no redirects followed (a signed
 * body is not sent on to wherever a 3xx points). Never throws.
 */
export async function relayDelivery(request: RelayRequest): Promise<RelayOutcome> {
  const startedAt = performance.now();
  const ms = () => Math.round(performance.now() - startedAt);
  const timeout = AbortSignal.timeout(Math.max(1, Math.floor(request.timeoutMs)));
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  // Known once the upstream answered: a body cut for size or time still records its status.
  let status: number | null = null;
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: forwardableHeaders(request.rawHeaders),
      body: new Uint8Array(request.body),
      redirect: 'manual',
      signal,
    });
    status = response.status;
    if (
      response.status >= 500 ||
      response.status < 200 ||
      (response.status >= 300 && response.status < 400)
    ) {
      await response.body?.cancel().catch(() => {});
      return { kind: 'failed', status: response.status, error: `status-${response.status}`, ms: ms() };
    }
    const body = await readCapped(response, RELAY_MAX_RESPONSE_BYTES);
    return {
      kind: 'answered',
      status: response.status,
      contentType: response.headers.get('content-type'),
      body,
      ms: ms(),
    };
  } catch (error) {
    return { kind: 'failed', status, error: failureCode(error, signal, status !== null), ms: ms() };
  }
}
