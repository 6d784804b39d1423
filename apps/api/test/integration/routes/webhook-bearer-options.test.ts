import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminTestApp, createTestSource } from '../../support/admin.ts';
import { callEvents } from '../../support/database.ts';
import { TEST_WEBHOOK_SECRET } from '../../support/sign-webhook.ts';
import type { TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Posts one delivery with these headers; the status and how many events were stored for it. */
async function deliver(to: TestApp, headers: Record<string, string>, path = '/api/v1/vapi/webhook') {
  const callId = uniqueCallId('bearer');
  const response = await to.inject({
    method: 'POST',
    url: path,
    payload: JSON.stringify(vapiFixture('hang', callId)),
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: response.statusCode, stored: (await callEvents(callId)).length };
}

const ok = { status: 200, stored: 1 };
const refused = { status: 401, stored: 0 };

describe("VAPI's BearerAuthenticationPlan options (headerName, bearerPrefixEnabled)", () => {
  it('reads the token from VAPI_BEARER_HEADER, with the Bearer prefix by default', async () => {
    app = await buildAdminTestApp({ VAPI_WEBHOOK_AUTH: 'bearer', VAPI_BEARER_HEADER: 'X-Api-Key' });
    expect(await deliver(app, { 'x-api-key': `Bearer ${TEST_WEBHOOK_SECRET}` })).toEqual(ok);
    expect(await deliver(app, { 'x-api-key': TEST_WEBHOOK_SECRET })).toEqual(refused);
    // The token in the usual header is not where this credential sends it.
    expect(await deliver(app, { authorization: `Bearer ${TEST_WEBHOOK_SECRET}` })).toEqual(refused);
    expect(await deliver(app, { 'x-api-key': 'Bearer a-guessed-token' })).toEqual(refused);
  });

  it('takes the bare token with VAPI_BEARER_PREFIX_ENABLED=false, and refuses it prefixed', async () => {
    app = await buildAdminTestApp({ VAPI_WEBHOOK_AUTH: 'bearer', VAPI_BEARER_PREFIX_ENABLED: 'false' });
    expect(await deliver(app, { authorization: TEST_WEBHOOK_SECRET })).toEqual(ok);
    expect(await deliver(app, { authorization: `Bearer ${TEST_WEBHOOK_SECRET}` })).toEqual(refused);
    expect(await deliver(app, {})).toEqual(refused);
  });

  it('uses each source’s own headerName and bearerPrefixEnabled', async () => {
    app = await buildAdminTestApp({ WEBHOOK_SOURCE_CACHE_MS: '0' });
    const custom = await createTestSource(app, {
      verification: { mode: 'bearer', headerName: 'x-vapi-token', bearerPrefixEnabled: false },
    });
    const standard = await createTestSource(app, { verification: { mode: 'bearer' } });
    expect(standard.verification).toEqual({
      mode: 'bearer',
      headerName: 'Authorization',
      bearerPrefixEnabled: true,
    });
    const customPath = new URL(custom.webhookUrl).pathname;
    const standardPath = new URL(standard.webhookUrl).pathname;

    expect(await deliver(app, { 'x-vapi-token': custom.secret }, customPath)).toEqual(ok);
    expect(await deliver(app, { 'x-vapi-token': `Bearer ${custom.secret}` }, customPath)).toEqual(refused);
    expect(await deliver(app, { authorization: `Bearer ${custom.secret}` }, customPath)).toEqual(refused);
    expect(await deliver(app, { 'x-vapi-token': standard.secret }, customPath)).toEqual(refused);

    expect(await deliver(app, { authorization: `Bearer ${standard.secret}` }, standardPath)).toEqual(ok);
    expect(await deliver(app, { authorization: standard.secret }, standardPath)).toEqual(refused);
  });
});
