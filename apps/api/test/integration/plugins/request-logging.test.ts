import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { callEvents } from '../../support/database.ts';
import { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { getCall, postWebhook, TEST_API_KEY, testEnv } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

type App = Awaited<ReturnType<typeof buildApp>>;
type LogLine = Record<string, unknown> & { msg: string; reqId?: string };

let app: App;
const lines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp(loadConfig(testEnv({ LOG_LEVEL: 'info' })), { logger: { level: 'info', stream } });
  await app.ready();
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/** The lines one request wrote, found by the request id it answered with. */
function linesOf(response: { headers: Record<string, unknown> }): LogLine[] {
  const requestId = response.headers['x-request-id'];
  expect(requestId).toEqual(expect.any(String));
  return lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.reqId === requestId);
}

describe('log lines', () => {
  it('every line of a webhook and of a read carries the call id and the request id', async () => {
    const callId = uniqueCallId('logged');
    const responses = [
      await postWebhook(app, vapiFixture('status-update-in-progress', callId)),
      await postWebhook(app, vapiFixture('end-of-call-report', callId)),
      await getCall(app, callId),
      await app.inject({ method: 'GET', url: `/api/v1/vapi/calls/${callId}?wait=1`, headers: auth }),
      await app.inject({ method: 'GET', url: `/api/v1/vapi/calls/${callId}` }),
      await app.inject({ method: 'GET', url: `/api/v1/vapi/events?callId=${callId}`, headers: auth }),
    ];
    const [eventId] = (await callEvents(callId)).map((row) => Number(row.id));
    responses.push(
      await app.inject({ method: 'GET', url: `/api/v1/vapi/events/${eventId}`, headers: auth }),
      await app.inject({ method: 'POST', url: `/api/v1/vapi/events/${eventId}/replay`, headers: auth }),
    );

    for (const response of responses) {
      const written = linesOf(response);
      expect(written.map((line) => line.msg)).toContain('request completed');
      for (const line of written)
        expect(line, line.msg).toMatchObject({ callId, reqId: response.headers['x-request-id'] });
    }
    const [, report, read] = responses as [
      unknown,
      { headers: Record<string, unknown> },
      { headers: Record<string, unknown> },
    ];
    expect(linesOf(report).find((line) => line.msg === 'webhook processed')).toMatchObject({
      type: 'end-of-call-report',
      outcome: 'stored',
    });
    const completed = linesOf(read).find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ route: '/api/v1/vapi/calls/:callId', res: { statusCode: 200 } });
    expect(completed?.responseTime).toEqual(expect.any(Number));
  });

  it('a verification failure says why, never the secret or the signature', async () => {
    const body = JSON.stringify(vapiFixture('hang', uniqueCallId('logged-forged')));
    const headers = vapiHmacHeaders(body, { secret: 'an-attackers-guess-123' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers,
    });
    expect(response.statusCode).toBe(401);

    const written = linesOf(response);
    expect(written.find((line) => line.msg === 'webhook verification failed')).toMatchObject({
      reason: 'signature-mismatch',
    });
    const text = JSON.stringify(written);
    expect(text).not.toContain(TEST_WEBHOOK_SECRET);
    expect(text).not.toContain('an-attackers-guess-123');
    expect(text).not.toContain(headers['x-signature']);
  });
});
