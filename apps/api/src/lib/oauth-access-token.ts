import { createHash, hkdfSync, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';

/** Who issues the tokens; checked on every delivery together with the audience. */
export const ACCESS_TOKEN_ISSUER = 'callbridge';
/** The audience of tokens for the default webhook paths; a source's tokens name the source. */
export const DEFAULT_WEBHOOK_AUDIENCE = 'callbridge:vapi-webhook';

export function sourceWebhookAudience(sourceId: string): string {
  return `callbridge:vapi-source:${sourceId}`;
}

/** A signing key with the id tokens carry in their `kid`, so a rotation needs no trial verification. */
export interface AccessTokenKey {
  id: string;
  key: Uint8Array;
}

/**
 * A 256-bit HS256 key derived from configured key material with HKDF (RFC 5869). `purpose` separates
 * keys made from the same material: the source secret box key also seals secrets, and its token key
 * must be a different key.
 */
export function accessTokenKey(material: string | Buffer, purpose: string): AccessTokenKey {
  const key = new Uint8Array(hkdfSync('sha256', material, 'callbridge-oauth', purpose, 32));
  const id = createHash('sha256').update('callbridge-oauth-kid').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}

export interface IssueTokenInput {
  /** The first key signs; the others only verify (a rotation in progress). */
  keys: readonly AccessTokenKey[];
  audience: string;
  clientId: string;
  scope?: string;
  ttlSeconds: number;
  nowMs: number;
}

/** A short-lived JWT (RFC 9068 profile, HS256) for the client-credentials grant. */
export async function issueAccessToken(input: IssueTokenInput): Promise<string> {
  const [signing] = input.keys;
  if (!signing) throw new Error('no access-token signing key is configured');
  const now = Math.floor(input.nowMs / 1000);
  return new SignJWT(
    input.scope ? { scope: input.scope, client_id: input.clientId } : { client_id: input.clientId },
  )
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: signing.id })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(input.audience)
    .setSubject(input.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + input.ttlSeconds)
    .setJti(randomUUID())
    .sign(signing.key);
}

export type AccessTokenFailure = 'invalid-access-token' | 'expired-access-token';

export interface VerifyTokenInput {
  keys: readonly AccessTokenKey[];
  audience: string;
  nowMs: number;
}

/**
 * Accepts only an HS256 token signed with one of `keys`, issued by Callbridge for `audience`, and not
 * expired at `nowMs` (no leeway: the token's lifetime is the leeway). Anything else, including a token
 * whose header names another algorithm or no known key, is invalid.
 */
export async function verifyAccessToken(
  token: string,
  input: VerifyTokenInput,
): Promise<{ ok: true; clientId: string } | { ok: false; reason: AccessTokenFailure }> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, reason: 'invalid-access-token' };
  }
  const key = input.keys.find((candidate) => candidate.id === kid);
  if (!key) return { ok: false, reason: 'invalid-access-token' };
  try {
    const { payload } = await jwtVerify(token, key.key, {
      algorithms: ['HS256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: input.audience,
      typ: 'at+jwt',
      currentDate: new Date(input.nowMs),
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    return { ok: true, clientId: String(payload.sub) };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired-access-token' };
    return { ok: false, reason: 'invalid-access-token' };
  }
}
