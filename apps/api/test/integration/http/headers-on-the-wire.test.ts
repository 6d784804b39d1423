import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestResponseMessage } from '../../support/request-response-messages.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';

/**
 * What a client reads off the socket: the status line, every header Node adds or keeps (content-length,
 * connection, date), and the body's bytes. app.inject builds the answer without Node's HTTP writer, so
 * these are checked here over a real connection (supertest against the listening server).
 */
const READ_LIMIT = 3;
/** The rate-limit test's own key: the limit is per key, and the other tests read with TEST_API_KEY. */
const LIMITED_KEY = 'cb_wire_limited_key_0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: TestApp;
let base: string;
beforeAll(async () => {
  // TRUST_PROXY is left at its default (false): no client may claim TLS with X-Forwarded-Proto.
  app = await buildTestApp({
    API_KEYS: `${TEST_API_KEY},${LIMITED_KEY}`,
    READ_RATE_LIMIT_PER_MINUTE: String(READ_LIMIT),
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

/** supertest with the body kept as the exact bytes received. */
function bytesOf(test: request.Test): request.Test {
  return test.buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

function deliver(type: 'assistant-request' | 'voice-request', callId: string) {
  const body = JSON.stringify(requestResponseMessage(type, callId));
  return bytesOf(request(base).post('/api/v1/vapi/webhook').set(vapiHmacHeaders(body)).send(body));
}

async function storedTypes(callId: string) {
  const response = await request(base)
    .get(`/api/v1/vapi/events?callId=${encodeURIComponent(callId)}`)
    .set('authorization', `Bearer ${TEST_API_KEY}`);
  expect(response.status).toBe(200);
  return response.body.data as Array<{ type: string; outcome: string }>;
}

describe('headers and bytes as a client sees them', () => {
  it('answers an assistant-request with the default JSON, its exact bytes, length and type', async () => {
    const callId = uniqueCallId('wire-assistant');
    const response = await deliver('assistant-request', callId);

    expect(response.status).toBe(200);
    const expected = Buffer.from('{"error":"Sorry, this number is not set up to take calls right now."}');
    expect((response.body as Buffer).toString('utf8')).toBe(expected.toString('utf8'));
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-length']).toBe(String(expected.length));
    expect(response.headers['transfer-encoding']).toBeUndefined();
    expect(response.headers['x-request-id']).toMatch(UUID);
    // Framework and security headers on a webhook answer too.
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers a voice-request with raw PCM silence: 100 ms of 16-bit mono at the asked 16 kHz, as bytes', async () => {
    const callId = uniqueCallId('wire-voice');
    const response = await deliver('voice-request', callId);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    // 16 000 samples/s x 0.1 s x 2 bytes (VAPI_VOICE_REQUEST_SILENCE_MS default 100).
    expect(response.headers['content-length']).toBe('3200');
    expect(Buffer.compare(response.body as Buffer, Buffer.alloc(3200))).toBe(0);
    expect(await storedTypes(callId)).toEqual([
      expect.objectContaining({ type: 'voice-request', outcome: 'stored' }),
    ]);
  });

  it('sends no HSTS over plain http, even when an untrusted client claims X-Forwarded-Proto: https', async () => {
    const response = await request(base)
      .get('/health')
      .set('x-forwarded-proto', 'https')
      .set('x-forwarded-for', '198.51.100.7');

    expect(response.status).toBe(200);
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('echoes a well-formed x-request-id and replaces one that is not', async () => {
    const kept = await request(base).get('/health').set('x-request-id', 'kestra-exec:4hXyZ9.1');
    expect(kept.headers['x-request-id']).toBe('kestra-exec:4hXyZ9.1');

    for (const theirs of ['a'.repeat(65), 'two words', '<script>']) {
      const replaced = await request(base).get('/health').set('x-request-id', theirs);
      expect(replaced.headers['x-request-id'], theirs).toMatch(UUID);
    }
  });

  it('sends rate-limit headers on the read routes, then 429 with Retry-After', async () => {
    const remaining: string[] = [];
    for (let index = 0; index < READ_LIMIT; index++) {
      const response = await request(base)
        .get('/api/v1/vapi/calls/wire-rate-limited')
        .set('authorization', `Bearer ${LIMITED_KEY}`);
      expect(response.status).toBe(404);
      expect(response.headers['x-ratelimit-limit']).toBe(String(READ_LIMIT));
      remaining.push(response.headers['x-ratelimit-remaining'] as string);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await request(base)
      .get('/api/v1/vapi/calls/wire-rate-limited')
      .set('authorization', `Bearer ${LIMITED_KEY}`);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ success: false, error: 'Too Many Requests' });
  });
});
