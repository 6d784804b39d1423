import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, buildAdminTestApp, createTestSource } from '../../support/admin.ts';
import { callEvents } from '../../support/database.ts';
import {
  basicAuthorization,
  obtainToken,
  postWithToken,
  requestToken,
  sourceTokenUrl,
  TOKEN_URL,
} from '../../support/oauth-client.ts';
import type { TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const DEFAULT_CLIENT_ID = 'vapi-default';
const DEFAULT_SECRET = 'default-client-secret-000000';
// Both sources use the same client id, so only the token's binding to its source keeps them apart.
const CLIENT_ID = 'acme-vapi';

let app: TestApp;
beforeAll(async () => {
  app = await buildAdminTestApp({
    WEBHOOK_SOURCE_CACHE_MS: '0',
    VAPI_WEBHOOK_AUTH: 'oauth2',
    VAPI_OAUTH_CLIENT_ID: DEFAULT_CLIENT_ID,
    VAPI_OAUTH_CLIENT_SECRET: DEFAULT_SECRET,
    VAPI_OAUTH_SIGNING_KEY: 'default-signing-key-0123456789abcdefghijkl',
  });
});
afterAll(() => app.close());

async function oauthSource(tokenTtlSeconds = 900) {
  const source = await createTestSource(app, {
    verification: { mode: 'oauth2', clientId: CLIENT_ID, tokenTtlSeconds },
  });
  return { ...source, verification: source.verification, webhookPath: new URL(source.webhookUrl).pathname };
}

async function deliveredWith(token: string | undefined, path: string) {
  const callId = uniqueCallId('source-oauth');
  const response = await postWithToken(app, vapiFixture('hang', callId), token, path);
  return { status: response.statusCode, stored: (await callEvents(callId)).length };
}

describe('a source in oauth2 mode', () => {
  it('is created through the admin API with its client id and shows it, never its secret', async () => {
    const source = await oauthSource();
    expect(source.verification).toEqual({ mode: 'oauth2', clientId: CLIENT_ID, tokenTtlSeconds: 900 });
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/admin/sources/${source.id}`,
      headers: adminAuth,
    });
    expect(listed.json().data.verification).toEqual(source.verification);
    expect(listed.body).not.toContain(source.secret);
  });

  it('issues tokens at its own token route with its secret, in the body or with Basic, and stores deliveries', async () => {
    const source = await oauthSource();
    const response = await requestToken(
      app,
      { grant_type: 'client_credentials' },
      { url: sourceTokenUrl(source.id), authorization: basicAuthorization(CLIENT_ID, source.secret) },
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const token = response.json().access_token;
    const callId = uniqueCallId('source-oauth');
    expect(
      (await postWithToken(app, vapiFixture('hang', callId), token, source.webhookPath)).statusCode,
    ).toBe(200);
    const [event] = await callEvents(callId);
    expect(event).toMatchObject({ source_id: source.id, outcome: 'stored' });
    const fromBody = await obtainToken(app, CLIENT_ID, source.secret, sourceTokenUrl(source.id));
    expect(await deliveredWith(fromBody, source.webhookPath)).toEqual({ status: 200, stored: 1 });
  });

  it("refuses one source's token at another source, and at the default paths; and the reverse", async () => {
    const [first, second] = [await oauthSource(), await oauthSource()];
    const firstToken = await obtainToken(app, CLIENT_ID, first.secret, sourceTokenUrl(first.id));
    const defaultToken = await obtainToken(app, DEFAULT_CLIENT_ID, DEFAULT_SECRET, TOKEN_URL);
    expect(await deliveredWith(firstToken, second.webhookPath)).toEqual({ status: 401, stored: 0 });
    expect(await deliveredWith(firstToken, '/api/v1/vapi/webhook')).toEqual({ status: 401, stored: 0 });
    expect(await deliveredWith(defaultToken, first.webhookPath)).toEqual({ status: 401, stored: 0 });
    expect(await deliveredWith(undefined, first.webhookPath)).toEqual({ status: 401, stored: 0 });
    // Each passes where it belongs.
    expect(await deliveredWith(firstToken, first.webhookPath)).toEqual({ status: 200, stored: 1 });
    expect(await deliveredWith(defaultToken, '/api/v1/vapi/webhook')).toEqual({ status: 200, stored: 1 });
  });

  it("gives no token for another source's secret, a wrong secret or a wrong client id", async () => {
    const [first, second] = [await oauthSource(), await oauthSource()];
    for (const [clientId, secret] of [
      [CLIENT_ID, second.secret],
      [CLIENT_ID, `${first.secret}x`],
      ['someone-else', first.secret],
    ] as const) {
      const response = await requestToken(
        app,
        { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
        { url: sourceTokenUrl(first.id) },
      );
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        error: 'invalid_client',
        error_description: 'Client authentication failed',
      });
      expect(response.body).not.toContain(first.secret);
    }
  });

  it('gives tokens for the old and new secret during a rotation, and only the new one after', async () => {
    const source = await oauthSource();
    const rotate = (overlapHours: number) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/admin/sources/${source.id}/rotate-secret`,
        headers: adminAuth,
        payload: { overlapHours },
      });
    const overlapping = (await rotate(1)).json().data.secret as string;
    for (const secret of [source.secret, overlapping]) {
      const token = await obtainToken(app, CLIENT_ID, secret, sourceTokenUrl(source.id));
      expect(await deliveredWith(token, source.webhookPath)).toEqual({ status: 200, stored: 1 });
    }
    const current = (await rotate(0)).json().data.secret as string;
    for (const old of [source.secret, overlapping]) {
      const refused = await requestToken(
        app,
        { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: old },
        { url: sourceTokenUrl(source.id) },
      );
      expect(refused.statusCode).toBe(401);
    }
    expect(await obtainToken(app, CLIENT_ID, current, sourceTokenUrl(source.id))).toBeTruthy();
  });

  it('answers the same 404 at the token route of a disabled, a non-oauth2, an unknown and a malformed source', async () => {
    const disabled = await oauthSource();
    const token = await obtainToken(app, CLIENT_ID, disabled.secret, sourceTokenUrl(disabled.id));
    await app.inject({
      method: 'POST',
      url: `/api/v1/admin/sources/${disabled.id}/disable`,
      headers: adminAuth,
    });
    const hmac = await createTestSource(app);
    for (const sourceId of [disabled.id, hmac.id, crypto.randomUUID(), 'not-a-uuid']) {
      const response = await requestToken(
        app,
        { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: disabled.secret },
        { url: sourceTokenUrl(sourceId) },
      );
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ success: false, message: 'No such OAuth2 client' });
    }
    // A token it issued before being disabled does not open it either.
    expect((await deliveredWith(token, disabled.webhookPath)).status).toBe(404);
  });
});
