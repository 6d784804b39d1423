import { once } from 'node:events';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';

/**
 * app.inject hands the route a finished string; VAPI sends bytes over a socket, sometimes chunked. These
 * deliveries go over a real TCP connection (supertest, or node:http where the framing must be chosen by
 * hand), and the HMAC is over the bytes as they arrive.
 */
const BODY_LIMIT = 4096;

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await buildTestApp({ WEBHOOK_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

/**
 * A hang message as text no JSON.stringify would write: keys out of the usual order, indentation and a
 * CRLF, \u escapes for the accented letters and a raw multi-byte character (a split point can fall
 * inside it).
 */
function unusualBody(callId: string): string {
  return `{\r\n  "message" : {\n\t"call": {"id":"${callId}"},  "type":"hang", "timestamp": 1763805619000,\n   "note": "caf\\u00e9 \\u00fcber — ☎"\n  }\n}  `;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the body in the given pieces over one fresh connection, chunked unless a content-length is given. */
function sendInPieces(headers: Record<string, string>, pieces: Buffer[]): Promise<RawAnswer> {
  const url = new URL('/api/v1/vapi/webhook', base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    outgoing.on('error', reject);
    (async () => {
      for (const piece of pieces) {
        outgoing.write(piece);
        // Separate writes with a pause between them, so they arrive as separate TCP segments.
        await new Promise((next) => setTimeout(next, 20));
      }
      outgoing.end();
    })().catch(reject);
  });
}

function split(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

async function storedEvent(callId: string) {
  const response = await request(base)
    .get(`/api/v1/vapi/events?callId=${encodeURIComponent(callId)}&include=payload`)
    .set('authorization', `Bearer ${TEST_API_KEY}`);
  expect(response.status).toBe(200);
  return response.body.data as Array<{ type: string; outcome: string; payload?: unknown }>;
}

describe('VAPI-signed bodies over a real socket', () => {
  it('verifies and stores a body sent with Content-Length, exactly as its bytes came', async () => {
    const callId = uniqueCallId('socket-length');
    const body = unusualBody(callId);
    const response = await request(base).post('/api/v1/vapi/webhook').set(vapiHmacHeaders(body)).send(body);

    expect(response.status).toBe(200);
    expect(response.headers['transfer-encoding']).toBeUndefined();
    const events = await storedEvent(callId);
    expect(events).toEqual([expect.objectContaining({ type: 'hang', outcome: 'stored' })]);
    // The escapes were decoded from the bytes that arrived, and the raw character survived.
    expect(events[0]?.payload).toMatchObject({ message: { note: 'café über — ☎' } });
  });

  it('verifies and stores a chunked body whose chunks split a multi-byte character', async () => {
    const callId = uniqueCallId('socket-chunked');
    const bytes = Buffer.from(unusualBody(callId), 'utf8');
    // Cut once inside the 3-byte ☎, the rest in 7-byte chunks.
    const cut = bytes.indexOf(Buffer.from('☎')) + 1;
    const pieces = [...split(bytes.subarray(0, cut), 7), ...split(bytes.subarray(cut), 7)];
    const answer = await sendInPieces(vapiHmacHeaders(bytes), pieces);

    expect(answer.status, answer.body).toBe(200);
    const events = await storedEvent(callId);
    expect(events).toEqual([expect.objectContaining({ type: 'hang', outcome: 'stored' })]);
    expect(events[0]?.payload).toMatchObject({ message: { note: 'café über — ☎' } });
  });

  it('refuses with 401 a chunked body with one byte changed after signing, and stores nothing', async () => {
    const callId = uniqueCallId('socket-tampered');
    const bytes = Buffer.from(unusualBody(callId), 'utf8');
    const headers = vapiHmacHeaders(bytes);
    const tampered = Buffer.from(bytes);
    // The space after `"message"`: the JSON means the same with a tab, the bytes do not.
    tampered[tampered.indexOf(' :')] = 0x09;
    const answer = await sendInPieces(headers, split(tampered, 16));

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: 'Unauthorized' });
    expect(await storedEvent(callId)).toEqual([]);
  });

  it('refuses a body that re-serializes to the signed text but is not the signed bytes', async () => {
    const callId = uniqueCallId('socket-reserialized');
    const body = unusualBody(callId);
    // What a proxy that parsed and re-wrote the JSON would forward under the original signature.
    const rewritten = JSON.stringify(JSON.parse(body));
    const response = await request(base)
      .post('/api/v1/vapi/webhook')
      .set(vapiHmacHeaders(body))
      .send(rewritten);

    expect(response.status).toBe(401);
    expect(await storedEvent(callId)).toEqual([]);
  });

  it('verifies a body that starts with a BOM over its bytes, BOM included, and stores it', async () => {
    const callId = uniqueCallId('socket-bom');
    // RFC 8259 §8.1: senders must not add one and parsers may refuse it, but refusing an authentic
    // delivery would lose it: VAPI does not retry.
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(unusualBody(callId))]);
    const answer = await sendInPieces({ ...vapiHmacHeaders(bytes), 'content-length': String(bytes.length) }, [
      bytes,
    ]);

    // Not 401: the signature matched the bytes as sent, BOM and all.
    expect(answer.status, answer.body).toBe(200);
    const events = await storedEvent(callId);
    expect(events).toEqual([expect.objectContaining({ type: 'hang', outcome: 'stored' })]);
    expect(events[0]?.payload).toMatchObject({ message: { note: 'café über — ☎' } });
  });

  it('refuses a signed body that is not JSON with 400, not 401', async () => {
    const bytes = Buffer.from('{"message": {"type": "hang"', 'utf8');
    const answer = await sendInPieces({ ...vapiHmacHeaders(bytes), 'content-length': String(bytes.length) }, [
      bytes,
    ]);

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, message: 'Body is not valid JSON' });
  });

  it('answers 413 to a declared body over WEBHOOK_BODY_LIMIT_BYTES and keeps serving', async () => {
    const callId = uniqueCallId('socket-big');
    const body = JSON.stringify({
      message: { type: 'hang', call: { id: callId }, pad: 'x'.repeat(BODY_LIMIT) },
    });
    const response = await request(base).post('/api/v1/vapi/webhook').set(vapiHmacHeaders(body)).send(body);

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ success: false, error: 'Payload Too Large' });
    expect(await storedEvent(callId)).toEqual([]);
    const next = uniqueCallId('socket-after-big');
    const small = JSON.stringify({ message: { type: 'hang', call: { id: next }, timestamp: 1763805619000 } });
    expect(
      (await request(base).post('/api/v1/vapi/webhook').set(vapiHmacHeaders(small)).send(small)).status,
    ).toBe(200);
  });

  it('answers 413 to a chunked body that grows past the limit, then closes that connection', async () => {
    const callId = uniqueCallId('socket-big-chunked');
    const bytes = Buffer.from(
      JSON.stringify({ message: { type: 'hang', call: { id: callId }, pad: 'y'.repeat(BODY_LIMIT * 2) } }),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = new URL('/api/v1/vapi/webhook', base);
      const outgoing = httpRequest(url, { method: 'POST', headers: vapiHmacHeaders(bytes), agent });
      const answered = once(outgoing, 'response');
      outgoing.on('error', () => {
        // The server may close before the last chunk is written: that is the point.
      });
      let socketClosed = false;
      outgoing.on('socket', (socket) => socket.on('close', () => (socketClosed = true)));
      for (const piece of split(bytes, 1024)) outgoing.write(piece);
      outgoing.end();
      const [response] = (await answered) as [IncomingMessage];
      let text = '';
      response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
      await once(response, 'end');

      expect(response.statusCode).toBe(413);
      expect(JSON.parse(text)).toMatchObject({ success: false, error: 'Payload Too Large' });
      await expect.poll(() => socketClosed, { timeout: 5000 }).toBe(true);
      expect(await storedEvent(callId)).toEqual([]);
    } finally {
      agent.destroy();
    }
  });
});
