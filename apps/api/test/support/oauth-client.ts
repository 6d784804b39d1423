import type { TestApp } from './test-app.ts';

export const TOKEN_URL = '/api/v1/vapi/oauth/token';

export const sourceTokenUrl = (sourceId: string) => `/api/v1/vapi/sources/${sourceId}/oauth/token`;

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, joined by a colon, then base64 in Basic. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** A token request as VAPI's OAuth2 credential sends it: a form body, credentials in the body. */
export function requestToken(
  app: TestApp,
  parameters: Record<string, string>,
  options: { url?: string; authorization?: string; remoteAddress?: string } = {},
) {
  return app.inject({
    method: 'POST',
    url: options.url ?? TOKEN_URL,
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    payload: new URLSearchParams(parameters).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
  });
}

/** A token the route issued, or a test failure naming what it answered instead. */
export async function obtainToken(
  app: TestApp,
  clientId: string,
  clientSecret: string,
  url = TOKEN_URL,
): Promise<string> {
  const response = await requestToken(
    app,
    { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    { url },
  );
  if (response.statusCode !== 200) throw new Error(`token request: ${response.statusCode} ${response.body}`);
  return response.json().access_token;
}

/** Posts a delivery with `Authorization: Bearer <token>`, as VAPI does once it holds a token. */
export function postWithToken(
  app: TestApp,
  payload: unknown,
  token: string | undefined,
  url = '/api/v1/vapi/webhook',
) {
  return app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(payload),
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
  });
}
