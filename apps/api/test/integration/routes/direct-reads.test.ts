import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAdminTestApp, createScopedReadKey, createTestSource } from '../../support/admin.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// Two apps on one database: reads through PostgREST, and over DATABASE_URL's direct connection.
const shared = { READ_KEY_CACHE_MS: '0', RESULT_GRACE_PERIOD_SECONDS: '1' };
let rest: TestApp;
let direct: TestApp;
beforeAll(async () => {
  rest = await buildAdminTestApp(shared);
  direct = await buildAdminTestApp({ ...shared, DATABASE_URL: inject('supabase').dbUrl });
});
afterAll(async () => {
  await rest.close();
  await direct.close();
});

const read = (app: TestApp, url: string, key = TEST_API_KEY) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

/** Both apps' answers to the same read: they must not differ by a byte. */
async function bothAnswers(url: string, key?: string) {
  const [viaRest, viaDirect] = await Promise.all([read(rest, url, key), read(direct, url, key)]);
  expect(viaDirect.statusCode).toBe(viaRest.statusCode);
  expect(viaDirect.body).toBe(viaRest.body);
  return viaDirect;
}

function endedLongAgo(callId: string) {
  const payload = vapiFixture('status-update-ended', callId);
  const message = payload.message as Record<string, unknown> & { call: Record<string, unknown> };
  const endedAt = new Date(Date.now() - 60_000);
  message.timestamp = endedAt.getTime();
  message.call.endedAt = endedAt.toISOString();
  return payload;
}

describe('GET /calls/:callId over DATABASE_URL answers exactly as through PostgREST', () => {
  it('for a final report, a call still running, one that ended without a report and an unknown call', async () => {
    const reported = uniqueCallId('direct-report');
    const running = uniqueCallId('direct-running');
    const noReport = uniqueCallId('direct-no-report');
    expect((await postWebhook(rest, vapiFixture('end-of-call-report', reported))).statusCode).toBe(200);
    await postWebhook(rest, vapiFixture('status-update-in-progress', running));
    await postWebhook(rest, endedLongAgo(noReport));

    const final = await bothAnswers(`/api/v1/vapi/calls/${reported}`);
    expect(final.statusCode).toBe(200);
    expect(final.json().data).toMatchObject({ callId: reported, transcript: expect.any(String) });
    expect(final.json().data.messages.length).toBeGreaterThan(0);
    expect((await bothAnswers(`/api/v1/vapi/calls/${running}`)).json()).toMatchObject({ known: true });
    expect((await bothAnswers(`/api/v1/vapi/calls/${noReport}`)).json().data.finalReason).toBe(
      'ended-without-report',
    );
    expect((await bothAnswers(`/api/v1/vapi/calls/${uniqueCallId()}`)).statusCode).toBe(404);
  });

  it("keeps a scoped key to its sources' calls", async () => {
    const source = await createTestSource(rest);
    const other = await createTestSource(rest);
    const callId = uniqueCallId('direct-scoped');
    const body = JSON.stringify(vapiFixture('end-of-call-report', callId));
    const delivered = await rest.inject({
      method: 'POST',
      url: `/api/v1/vapi/sources/${source.id}/webhook`,
      payload: body,
      headers: vapiHmacHeaders(body, { secret: source.secret }),
    });
    expect(delivered.statusCode).toBe(200);
    const keyFor = async (sourceId: string) => (await createScopedReadKey(rest, [sourceId])).key;

    expect((await bothAnswers(`/api/v1/vapi/calls/${callId}`, await keyFor(source.id))).statusCode).toBe(200);
    expect((await bothAnswers(`/api/v1/vapi/calls/${callId}`, await keyFor(other.id))).statusCode).toBe(404);
  });

  it('answers a long poll as soon as the report is stored', async () => {
    const callId = uniqueCallId('direct-wait');
    const waiting = read(direct, `/api/v1/vapi/calls/${callId}?wait=10`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postWebhook(direct, vapiFixture('end-of-call-report', callId));
    const answer = await waiting;
    expect(answer.statusCode).toBe(200);
    expect(answer.json().data.final).toBe(true);
  });
});

describe('GET /calls/:callId when the direct connection is out of reach', () => {
  it('answers 503 within its deadline and never shows the connection string', async () => {
    const closedPort = await getPort();
    const app = await buildTestApp({
      DATABASE_URL: `postgres://postgres:s3cret-direct-pw@127.0.0.1:${closedPort}/postgres`,
      SUPABASE_TIMEOUT_MS: '1000',
    });
    try {
      const started = Date.now();
      const answer = await getCall(app, uniqueCallId());
      expect(answer.statusCode).toBe(503);
      expect(answer.json().message).toBe('The database is unavailable; try again shortly');
      expect(answer.body).not.toContain('s3cret');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await app.close();
    }
  });
});
