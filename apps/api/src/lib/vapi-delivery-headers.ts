import { issueAccessToken } from './oauth-access-token.ts';
import { signVapiWebhook } from './sign-vapi-webhook.ts';
import type { DeliveryAuthSettings } from './verify-delivery.ts';

/**
 * Headers that make a body pass `verifyDelivery` with the same settings, as VAPI would send them:
 * signed (signVapiWebhook), or for oauth2 with a token VAPI would have fetched from the token route.
 */
export async function vapiDeliveryHeaders(
  settings: DeliveryAuthSettings,
  request: { body: string; method?: string; url: string },
  nowMs: number = Date.now(),
): Promise<Record<string, string>> {
  if (settings.mode !== 'oauth2') return signVapiWebhook(settings, request, nowMs);
  const token = await issueAccessToken({
    keys: settings.keys,
    audience: settings.audience,
    clientId: settings.clientId,
    ttlSeconds: settings.tokenTtlSeconds,
    nowMs,
  });
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}
