import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appWithLog } from '../../support/app-with-log.ts';
import { callEvents, callRow } from '../../support/database.ts';
import {
  basicAuthorization,
  obtainToken,
  postWithToken,
  requestToken,
  TOKEN_URL,
} from '../../support/oauth-client.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const CLIENT_ID = 'vapi-callbridge';
// A colon and a plus: Basic must form-urlencode them (RFC 6749 §2.3.1) for the secret to survive.
const OLD_SECRET = 'old-client-secret:0001+rotating';
const NEW_SECRET = 'new-client-secret-0002-current';
const SIGNING_KEY = 'oauth-signing-key-for-tests-0123456789abcdef';
const TTL_SECONDS = 600;

const OAUTH_ENV = {
  VAPI_WEBHOOK_AUTH: 'oauth2',
  VAPI_OAUTH_CLIENT_ID: CLIENT_ID,
  VAPI_OAUTH_CLIENT_SECRET: `${NEW_SECRET},${OLD_SECRET}`,
  VAPI_OAUTH_SIGNING_KEY: SIGNING_KEY,
  VAPI_OAUTH_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await close?.();
  close = undefined;
});

async function oauthApp(overrides: Record<string, string> = {}) {
  const built = await appWithLog({ ...OAUTH_ENV, ...overrides });
  close = () => built.app.close();
  return built;
}

const GENERIC_401 = { success: false, error: 'Unauthorized', message: 'Webhook could not be authenticated' };
const grant = (clientId: string, clientSecret: string) => ({
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: clientSecret,
});

/** The three base64url parts of a JWT, decoded where they are JSON. */
function parts(token: string) {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header, payload, signature, headerJson: json(header), payloadJson: json(payload) };
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('POST /api/v1/vapi/oauth/token (RFC 6749 §4.4)', () => {
  it('issues a short-lived bearer token for a form body, never cached', async () => {
    const { app } = await oauthApp();
    const response = await requestToken(app, { ...grant(CLIENT_ID, NEW_SECRET), scope: 'webhooks' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: TTL_SECONDS });
    const { headerJson, payloadJson } = parts(body.access_token);
    expect(headerJson).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    expect(payloadJson.exp - payloadJson.iat).toBe(TTL_SECONDS);
    expect(payloadJson).toMatchObject({ sub: CLIENT_ID, scope: 'webhooks' });
    expect(JSON.stringify(payloadJson)).not.toContain(NEW_SECRET);
  });

  it('accepts HTTP Basic client authentication, with the id and secret form-urlencoded', async () => {
    const { app } = await oauthApp();
    const response = await requestToken(
      app,
      { grant_type: 'client_credentials' },
      { authorization: basicAuthorization(CLIENT_ID, OLD_SECRET) },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().token_type).toBe('Bearer');
  });

  it('gives tokens for the old and the new secret while a rotation is under way, and both pass', async () => {
    const { app } = await oauthApp();
    for (const secret of [OLD_SECRET, NEW_SECRET]) {
      const token = await obtainToken(app, CLIENT_ID, secret);
      const callId = uniqueCallId('oauth-rotation');
      expect((await postWithToken(app, vapiFixture('hang', callId), token)).statusCode).toBe(200);
      expect(await callEvents(callId)).toHaveLength(1);
    }
  });

  it('stores a delivery that carries the token, call row and event', async () => {
    const { app } = await oauthApp();
    const token = await obtainToken(app, CLIENT_ID, NEW_SECRET);
    const callId = uniqueCallId('oauth-delivery');
    const response = await postWithToken(app, vapiFixture('end-of-call-report', callId), token);
    expect(response.statusCode).toBe(200);
    const [event] = await callEvents(callId);
    expect(event).toMatchObject({ event_type: 'end-of-call-report', outcome: 'stored' });
    expect(await callRow(callId)).toMatchObject({ call_id: callId, ended_reason: 'customer-ended-call' });
  });

  it('answers the same invalid_client 401 for a wrong secret, a wrong id and no credentials', async () => {
    const { app, log } = await oauthApp();
    const answers = await Promise.all([
      requestToken(app, grant(CLIENT_ID, 'a-guessed-secret-000000')),
      requestToken(app, grant('someone-else', NEW_SECRET)),
      requestToken(
        app,
        { grant_type: 'client_credentials' },
        { authorization: basicAuthorization(CLIENT_ID, 'a-guessed-secret-000000') },
      ),
    ]);
    for (const response of answers) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({
        success: false,
        error: 'invalid_client',
        error_description: 'Client authentication failed',
        message: 'Client authentication failed',
      });
    }
    const none = await requestToken(app, { grant_type: 'client_credentials' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toBe('invalid_client');
    expect(log()).toContain('"oauthError":"invalid_client"');
    for (const secret of [NEW_SECRET, OLD_SECRET, 'a-guessed-secret-000000', SIGNING_KEY]) {
      expect(log()).not.toContain(secret);
      for (const response of answers) expect(response.body).not.toContain(secret);
    }
  });

  it.each([
    [
      'an authorization code grant',
      { grant_type: 'authorization_code', code: 'x' },
      400,
      'unsupported_grant_type',
    ],
    [
      'a password grant',
      { grant_type: 'password', username: 'a', password: 'b' },
      400,
      'unsupported_grant_type',
    ],
    ['no grant_type', { client_id: CLIENT_ID, client_secret: NEW_SECRET }, 400, 'invalid_request'],
  ] as const)('refuses %s as RFC 6749 §5.2 says', async (_label, parameters, status, error) => {
    const { app } = await oauthApp();
    const response = await requestToken(app, parameters);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ success: false, error });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('refuses credentials sent twice (Basic and body) and a repeated parameter', async () => {
    const { app } = await oauthApp();
    const both = await requestToken(app, grant(CLIENT_ID, NEW_SECRET), {
      authorization: basicAuthorization(CLIENT_ID, NEW_SECRET),
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toBe('invalid_request');
    const repeated = await app.inject({
      method: 'POST',
      url: TOKEN_URL,
      payload: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_id=other&client_secret=${NEW_SECRET}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().error).toBe('invalid_request');
  });

  it('takes a JSON body too, and answers invalid_request for a body that is not a token request', async () => {
    const { app } = await oauthApp();
    const post = (payload: string, contentType: string) =>
      app.inject({ method: 'POST', url: TOKEN_URL, payload, headers: { 'content-type': contentType } });
    const json = await post(JSON.stringify(grant(CLIENT_ID, NEW_SECRET)), 'application/json');
    expect(json.statusCode).toBe(200);
    expect(json.json().token_type).toBe('Bearer');
    for (const bad of ['{"grant_type":', '["client_credentials"]', '{"grant_type":{"x":1}}']) {
      const response = await post(bad, 'application/json');
      expect(response.statusCode, bad).toBe(400);
      expect(response.json()).toMatchObject({ success: false, error: 'invalid_request' });
    }
    const xml = await post('<grant>client_credentials</grant>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.body).not.toContain('access_token');
    const huge = await post(
      `grant_type=client_credentials&client_secret=${'x'.repeat(10_000)}`,
      'application/x-www-form-urlencoded',
    );
    expect(huge.statusCode).toBe(413);
  });

  it('locks an address out after the failed-attempt limit, even with the right secret, and not others', async () => {
    const { app, log } = await oauthApp({ VAPI_OAUTH_FAILED_ATTEMPT_LIMIT: '3' });
    const attacker = { remoteAddress: '203.0.113.7' };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const guess = `guess-${randomBytes(8).toString('hex')}`;
      expect((await requestToken(app, grant(CLIENT_ID, guess), attacker)).statusCode).toBe(401);
    }
    const locked = await requestToken(app, grant(CLIENT_ID, NEW_SECRET), attacker);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json()).toMatchObject({ success: false });
    expect(locked.body).not.toContain('access_token');
    const elsewhere = await requestToken(app, grant(CLIENT_ID, NEW_SECRET), {
      remoteAddress: '198.51.100.9',
    });
    expect(elsewhere.statusCode).toBe(200);
    expect(log()).not.toContain(NEW_SECRET);
  });

  it('answers 404 when VAPI_WEBHOOK_AUTH is not oauth2', async () => {
    const { app } = await appWithLog({});
    close = () => app.close();
    const response = await requestToken(app, grant(CLIENT_ID, NEW_SECRET));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false });
  });
});

describe('deliveries with VAPI_WEBHOOK_AUTH=oauth2', () => {
  /** Posts one delivery with this Authorization and says what happened to it. */
  async function attempt(
    app: Awaited<ReturnType<typeof oauthApp>>['app'],
    authorization: string | undefined,
  ) {
    const callId = uniqueCallId('oauth-hostile');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: JSON.stringify(vapiFixture('hang', callId)),
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    return { response, stored: await callEvents(callId) };
  }

  it('refuses a delivery with no token, even one HMAC-signed with the webhook secret', async () => {
    const { app, log } = await oauthApp();
    const { response, stored } = await attempt(app, undefined);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(GENERIC_401);
    expect(stored).toEqual([]);
    const body = JSON.stringify(vapiFixture('hang', uniqueCallId()));
    const signed = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: vapiHmacHeaders(body),
    });
    expect(signed.statusCode).toBe(401);
    expect(log()).toContain('"reason":"missing-access-token"');
  });

  it('refuses a made-up token and a JWT an attacker signed with a key of their own', async () => {
    const { app, log } = await oauthApp();
    const real = parts(await obtainToken(app, CLIENT_ID, NEW_SECRET));
    const forged = await new SignJWT({ client_id: CLIENT_ID })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: real.headerJson.kid })
      .setIssuer(real.payloadJson.iss)
      .setAudience(real.payloadJson.aud)
      .setSubject(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(randomBytes(32));
    for (const token of [randomBytes(24).toString('base64url'), forged]) {
      const { response, stored } = await attempt(app, `Bearer ${token}`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(GENERIC_401);
      expect(stored).toEqual([]);
    }
    expect(log()).toContain('"reason":"invalid-access-token"');
  });

  it('refuses a token with a flipped signature byte, a changed payload, or alg none', async () => {
    const { app, log } = await oauthApp();
    const token = await obtainToken(app, CLIENT_ID, NEW_SECRET);
    const { header, payload, signature, headerJson, payloadJson } = parts(token);

    const signatureBytes = Buffer.from(signature, 'base64url');
    signatureBytes[7] = (signatureBytes[7] ?? 0) ^ 0x01;
    const flipped = `${header}.${payload}.${signatureBytes.toString('base64url')}`;
    const longer = `${header}.${encode({ ...payloadJson, exp: payloadJson.exp + 86_400 })}.${signature}`;
    const otherClient = `${header}.${encode({ ...payloadJson, sub: 'attacker' })}.${signature}`;
    const algNone = `${encode({ ...headerJson, alg: 'none' })}.${payload}.`;
    const algNoneSigned = `${encode({ ...headerJson, alg: 'none' })}.${payload}.${signature}`;

    for (const tampered of [flipped, longer, otherClient, algNone, algNoneSigned]) {
      const { response, stored } = await attempt(app, `Bearer ${tampered}`);
      expect(response.statusCode, tampered).toBe(401);
      expect(stored).toEqual([]);
    }
    // The token as issued still passes: the refusals above are the tampering, not the token.
    expect((await attempt(app, `Bearer ${token}`)).response.statusCode).toBe(200);
    expect(log()).not.toContain(signature);
  });

  it('refuses an expired token', async () => {
    const { app, log } = await oauthApp();
    const token = await obtainToken(app, CLIENT_ID, NEW_SECRET);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (TTL_SECONDS + 1) * 1000);
    const { response } = await attempt(app, `Bearer ${token}`);
    vi.useRealTimers();
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(GENERIC_401);
    expect(log()).toContain('"reason":"expired-access-token"');
  });

  it('refuses a token signed by a signing key that was rotated out, and keeps one that is still listed', async () => {
    const first = await oauthApp();
    const oldToken = await obtainToken(first.app, CLIENT_ID, NEW_SECRET);
    await first.app.close();
    const nextKey = 'oauth-signing-key-next-0123456789abcdefghij';

    const rotating = await oauthApp({ VAPI_OAUTH_SIGNING_KEY: `${nextKey},${SIGNING_KEY}` });
    expect((await attempt(rotating.app, `Bearer ${oldToken}`)).response.statusCode).toBe(200);
    const newToken = await obtainToken(rotating.app, CLIENT_ID, NEW_SECRET);
    expect(parts(newToken).headerJson.kid).not.toBe(parts(oldToken).headerJson.kid);
    await rotating.app.close();

    const done = await oauthApp({ VAPI_OAUTH_SIGNING_KEY: nextKey });
    expect((await attempt(done.app, `Bearer ${oldToken}`)).response.statusCode).toBe(401);
    expect((await attempt(done.app, `Bearer ${newToken}`)).response.statusCode).toBe(200);
  });

  it('refuses a token once its client id is no longer the configured one', async () => {
    const first = await oauthApp();
    const token = await obtainToken(first.app, CLIENT_ID, NEW_SECRET);
    await first.app.close();
    const renamed = await oauthApp({ VAPI_OAUTH_CLIENT_ID: 'vapi-renamed' });
    expect((await attempt(renamed.app, `Bearer ${token}`)).response.statusCode).toBe(401);
  });
});
