import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_WEBHOOK_SECRET } from './sign-webhook.ts';

/** One request as the team's server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** Node's raw list (name, value, …), as it came over the wire. */
  rawHeaders: string[];
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The server's own check of VAPI's default HMAC credential (x-signature over "{x-timestamp}.{body}"). */
  signatureValid: boolean;
  receivedAt: number;
}

/** How the server answers one request; it may write and end `response` whenever it likes. */
export type StandInHandler = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

export interface VapiServerStandIn {
  url: string;
  requests: ReceivedRequest[];
  /** Replaces how every request from now on is answered. */
  answerWith(handler: StandInHandler): void;
  /** Resolves with the next request that arrives (or the first one already received after `from`). */
  nextRequest(from?: number, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** Verifies like a team's VAPI server does, written out here independently of Callbridge's verifier. */
function signatureValid(headers: IncomingMessage['headers'], body: Buffer, secret: string): boolean {
  const signature = headers['x-signature'];
  const timestamp = headers['x-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/**
 * A team's own VAPI server over real HTTP: it verifies VAPI's HMAC signature with the shared secret
 * and answers 401 when it fails, else whatever the test's handler answers (by default 200 JSON).
 */
export async function startVapiServerStandIn(options: { secret?: string } = {}): Promise<VapiServerStandIn> {
  const secret = options.secret ?? TEST_WEBHOOK_SECRET;
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  let handler: StandInHandler = (_request, response) => {
    json(response, 200, { ok: true });
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        rawHeaders: incoming.rawHeaders,
        headers: incoming.headers,
        body,
        signatureValid: signatureValid(incoming.headers, body, secret),
        receivedAt: Date.now(),
      };
      requests.push(request);
      for (const wake of waiters) wake();
      if (!request.signatureValid) {
        json(response, 401, { error: 'bad signature' });
        return;
      }
      Promise.resolve(handler(request, response)).catch(() => response.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith(next) {
      handler = next;
    },
    nextRequest(from = requests.length, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const request = requests[from];
          if (!request) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(request);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no request reached the stand-in within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: a relay to it is refused at once. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
