import { accessTokenKey, DEFAULT_WEBHOOK_AUDIENCE } from '../lib/oauth-access-token.ts';
import type { DeliveryAuthSettings } from '../lib/verify-delivery.ts';
import type { AppConfig } from './config-schema.ts';

/** Turns the VAPI_* variables into the verifier's settings, matching the VAPI credential in use. */
export function webhookAuthSettings(config: AppConfig): DeliveryAuthSettings {
  const secrets = config.VAPI_WEBHOOK_SECRET ?? [];
  switch (config.VAPI_WEBHOOK_AUTH) {
    case 'none':
      return { mode: 'none' };
    case 'secret':
      return { mode: 'secret', secrets, headerName: config.VAPI_SECRET_HEADER };
    case 'bearer':
      return {
        mode: 'bearer',
        tokens: secrets,
        headerName: config.VAPI_BEARER_HEADER,
        prefixEnabled: config.VAPI_BEARER_PREFIX_ENABLED,
      };
    case 'oauth2':
      return {
        mode: 'oauth2',
        clientId: config.VAPI_OAUTH_CLIENT_ID ?? '',
        clientSecrets: config.VAPI_OAUTH_CLIENT_SECRET ?? [],
        keys: (config.VAPI_OAUTH_SIGNING_KEY ?? []).map((key) => accessTokenKey(key, 'default-webhook')),
        audience: DEFAULT_WEBHOOK_AUDIENCE,
        tokenTtlSeconds: config.VAPI_OAUTH_TOKEN_TTL_SECONDS,
      };
    case 'hmac':
      return {
        mode: 'hmac',
        keys: secrets.map((secret) =>
          Buffer.from(secret, config.VAPI_HMAC_SECRET_IS_BASE64 ? 'base64' : 'utf8'),
        ),
        algorithm: config.VAPI_HMAC_ALGORITHM,
        signatureHeader: config.VAPI_HMAC_SIGNATURE_HEADER,
        timestampHeader: config.VAPI_HMAC_TIMESTAMP_HEADER,
        includeTimestamp: config.VAPI_HMAC_INCLUDE_TIMESTAMP,
        // VAPI's default signs "{timestamp}.{body}"; without a timestamp only the body is left to sign.
        payloadFormat:
          config.VAPI_HMAC_PAYLOAD_FORMAT ??
          (config.VAPI_HMAC_INCLUDE_TIMESTAMP ? '{timestamp}.{body}' : '{body}'),
        encoding: config.VAPI_HMAC_SIGNATURE_ENCODING,
        signaturePrefix: config.VAPI_HMAC_SIGNATURE_PREFIX,
        messageIdHeader: config.VAPI_HMAC_MESSAGE_ID_HEADER,
        toleranceSeconds: config.VAPI_TIMESTAMP_TOLERANCE_SECONDS,
      };
  }
}
