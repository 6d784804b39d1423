import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const errorShape = (status: string) => ({ success: false, error: status, message: expect.any(String) });

describe('read routes: every client mistake is a 4xx in the one error shape', () => {
  it.each([
    ['GET', '/api/v1/vapi/calls/%00'],
    ['DELETE', '/api/v1/vapi/calls/%00'],
    ['GET', '/api/v1/vapi/calls/abc%00def?wait=1'],
    ['GET', '/api/v1/vapi/calls/by-phone/%2B1555%00'],
  ] as const)('%s %s (NUL in the id) is a 400', async (method, url) => {
    const response = await app.inject({ method, url, headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(errorShape('Bad Request'));
  });

  it.each([
    ['a createdAt of "1"', { createdAt: '1', callId: 'c' }],
    ['a createdAt that is not a date', { createdAt: 'yesterday', callId: 'c' }],
    ['a call id with NUL', { createdAt: '2026-11-23T10:00:00.000+00:00', callId: 'a\u0000' }],
    ['a call id of 300 characters', { createdAt: '2026-11-23T10:00:00+00:00', callId: 'x'.repeat(300) }],
    ['no call id', { createdAt: '2026-11-23T10:00:00+00:00' }],
  ])('a by-phone cursor with %s is a 400', async (_label, cursor) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/by-phone/+15555550100?cursor=${cursorOf(cursor)}`,
      headers: auth,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      ...errorShape('Bad Request'),
      message: 'cursor is not one this API issued',
    });
  });

  it.each([150, 200])('reads a stored call whose id is %i characters long', async (length) => {
    const callId = uniqueCallId('long').padEnd(length, 'x');
    expect((await postWebhook(app, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);
    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    expect(response.json().data.callId).toBe(callId);
  });

  it('reads a 200-character id of multi-byte characters, percent-encoded', async () => {
    const callId = 'é'.repeat(200);
    expect((await postWebhook(app, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);
    expect((await getCall(app, callId)).statusCode).toBe(200);
  });

  it('answers an id over 200 characters with 400', async () => {
    const response = await getCall(app, 'x'.repeat(201));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(errorShape('Bad Request'));
  });

  it('answers a path parameter longer than the router takes with 414 in the one shape', async () => {
    const response = await getCall(app, 'x'.repeat(3000));
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual(errorShape('URI Too Long'));
  });

  it('answers a malformed percent-escape with 400 in the one shape', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/vapi/calls/%E0%A4%A', headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(errorShape('Bad Request'));
  });
});

describe("Node's own refusals, over a real socket", () => {
  let base: URL;
  beforeAll(async () => {
    base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  });

  it('answers headers over the size limit with 431 in the one shape', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          path: '/health',
          headers: { 'x-padding': 'x'.repeat(20_000) },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(431);
    expect(JSON.parse(body)).toEqual(errorShape('Request Header Fields Too Large'));
  });
});
