import type { IncomingMessage } from 'node:http';

/** What a client-supplied X-Request-Id may be to become ours: short, and nothing a log or header could misread. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** How much of a refused id is logged (as a JSON string, so a newline in it stays an escaped character). */
export const LOGGED_REFUSED_ID_CHARS = 128;

export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : undefined;
}

/** Fastify's genReqId: the client's X-Request-Id when it is safe (a trace across services), else a UUID. */
export function requestIdFor(request: IncomingMessage): string {
  return acceptedRequestId(request.headers['x-request-id']) ?? crypto.randomUUID();
}
