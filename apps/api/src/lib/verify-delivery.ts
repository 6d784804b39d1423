import { constantTimeEqual, matchesAny } from './constant-time-equal.ts';
import { type AccessTokenFailure, type AccessTokenKey, verifyAccessToken } from './oauth-access-token.ts';
import {
  type IncomingWebhook,
  type SignedDelivery,
  type VerificationFailure,
  verifyVapiWebhook,
  type WebhookAuthSettings,
} from './verify-vapi-signature.ts';

/**
 * VAPI's `oauth2` credential: VAPI fetches a token from Callbridge's token route with the client id
 * and secret, then sends it as `Authorization: Bearer <token>` on every delivery.
 */
export interface OAuthDeliverySettings {
  mode: 'oauth2';
  clientId: string;
  /** Several during a rotation; any of them gets a token. */
  clientSecrets: string[];
  /** The first signs new tokens; all verify. */
  keys: AccessTokenKey[];
  /** Binds tokens to the URL they were issued for (the default paths, or one source). */
  audience: string;
  tokenTtlSeconds: number;
}

/** Every way a delivery can be authenticated: VAPI's credential types, per path. */
export type DeliveryAuthSettings = WebhookAuthSettings | OAuthDeliverySettings;

/** `replayed-delivery`: a signed delivery already received inside its window (services/recent-signatures.ts). */
export type DeliveryVerificationFailure =
  | VerificationFailure
  | 'missing-access-token'
  | AccessTokenFailure
  | 'replayed-delivery';
export type DeliveryVerificationResult =
  | { ok: true; signed?: SignedDelivery }
  | { ok: false; reason: DeliveryVerificationFailure };

/** The client id and secret are both compared, in constant time, so the answer does not say which was wrong. */
export function authenticatesClient(
  settings: OAuthDeliverySettings,
  clientId: string,
  clientSecret: string,
): boolean {
  const idMatches = constantTimeEqual(clientId, settings.clientId);
  const secretMatches = matchesAny(clientSecret, settings.clientSecrets);
  return idMatches && secretMatches;
}

function bearerToken(webhook: IncomingWebhook): string | undefined {
  const value = webhook.headers.authorization;
  const first = Array.isArray(value) ? value[0] : value;
  return /^Bearer\s+(\S+)\s*$/i.exec(first ?? '')?.[1];
}

/** Decides whether a delivery came from VAPI, before anything reads its body. */
export async function verifyDelivery(
  settings: DeliveryAuthSettings,
  webhook: IncomingWebhook,
  nowMs: number = Date.now(),
): Promise<DeliveryVerificationResult> {
  if (settings.mode !== 'oauth2') return verifyVapiWebhook(settings, webhook, nowMs);
  const token = bearerToken(webhook);
  if (!token) return { ok: false, reason: 'missing-access-token' };
  const result = await verifyAccessToken(token, { keys: settings.keys, audience: settings.audience, nowMs });
  if (!result.ok) return result;
  // A token outlives a change of client id only until this check: the id it names must be current.
  return constantTimeEqual(result.clientId, settings.clientId)
    ? { ok: true }
    : { ok: false, reason: 'invalid-access-token' };
}
