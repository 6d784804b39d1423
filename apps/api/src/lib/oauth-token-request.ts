/** RFC 6749 §5.2 error codes this token endpoint answers with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

export type TokenRequest =
  | { ok: true; clientId: string; clientSecret: string; scope: string | undefined; usedBasic: boolean }
  | { ok: false; error: OAuthErrorCode; description: string; usedBasic: boolean };

/** Parameters as received: a form body may repeat a name, which RFC 6749 §3.2 forbids. */
export type TokenParameters = Record<string, string | string[] | undefined>;

/** application/x-www-form-urlencoded into parameters, a repeated name kept as a list. */
export function parseFormParameters(text: string): TokenParameters {
  const parameters: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = parameters[name];
    parameters[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return parameters;
}

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before they go into Basic. */
function decodeFormComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function basicCredentials(authorization: string | undefined) {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const clientId = decodeFormComponent(decoded.slice(0, colon));
  const clientSecret = decodeFormComponent(decoded.slice(colon + 1));
  return clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined;
}

/**
 * Reads a client-credentials token request (RFC 6749 §4.4.2) without deciding whether the client is
 * who it says: the credentials come from HTTP Basic or from the body, never both (§2.3).
 */
export function readTokenRequest(
  parameters: TokenParameters,
  authorization: string | undefined,
): TokenRequest {
  const usedBasic = /^Basic(\s|$)/i.test(authorization?.trim() ?? '');
  const fail = (error: OAuthErrorCode, description: string): TokenRequest => ({
    ok: false,
    error,
    description,
    usedBasic,
  });
  for (const [name, value] of Object.entries(parameters)) {
    if (Array.isArray(value)) return fail('invalid_request', `The parameter ${name} is repeated`);
  }
  const single = (name: string) => {
    const value = parameters[name];
    return typeof value === 'string' ? value : undefined;
  };
  const grantType = single('grant_type');
  if (!grantType) return fail('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials')
    return fail('unsupported_grant_type', 'Only grant_type=client_credentials is supported');

  const bodyId = single('client_id');
  const bodySecret = single('client_secret');
  const scope = single('scope') || undefined;
  if (usedBasic) {
    if (bodySecret !== undefined)
      return fail('invalid_request', 'Send the client credentials either with HTTP Basic or in the body');
    const basic = basicCredentials(authorization);
    if (!basic) return fail('invalid_client', 'The Basic credentials are malformed');
    if (bodyId !== undefined && bodyId !== basic.clientId)
      return fail('invalid_request', 'client_id in the body differs from the Basic credentials');
    return { ok: true, ...basic, scope, usedBasic };
  }
  if (!bodyId || !bodySecret) return fail('invalid_client', 'Client authentication is required');
  return { ok: true, clientId: bodyId, clientSecret: bodySecret, scope, usedBasic };
}
