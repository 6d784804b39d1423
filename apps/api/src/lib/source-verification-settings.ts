import type { SourceVerification } from '@callbridge/contracts';
import { type AccessTokenKey, sourceWebhookAudience } from './oauth-access-token.ts';
import type { DeliveryAuthSettings } from './verify-delivery.ts';

/**
 * A source's stored settings and its valid secrets (decrypted, newest first) as the verifier's
 * settings: the same defaults as the VAPI_* variables (config/webhook-auth-settings.ts).
 */
export function sourceVerificationSettings(
  verification: SourceVerification,
  secrets: readonly string[],
  /** For oauth2: the source its tokens are bound to, and the keys that sign them. */
  source: { id: string; tokenKeys: readonly AccessTokenKey[] } = { id: '', tokenKeys: [] },
): DeliveryAuthSettings {
  switch (verification.mode) {
    case 'secret':
      return { mode: 'secret', secrets: [...secrets], headerName: verification.headerName };
    case 'bearer':
      return {
        mode: 'bearer',
        tokens: [...secrets],
        headerName: verification.headerName,
        prefixEnabled: verification.bearerPrefixEnabled,
      };
    case 'oauth2':
      return {
        mode: 'oauth2',
        clientId: verification.clientId,
        clientSecrets: [...secrets],
        keys: [...source.tokenKeys],
        audience: sourceWebhookAudience(source.id),
        tokenTtlSeconds: verification.tokenTtlSeconds,
      };
    case 'hmac':
      return {
        mode: 'hmac',
        keys: secrets.map((secret) => Buffer.from(secret, verification.secretIsBase64 ? 'base64' : 'utf8')),
        algorithm: verification.algorithm,
        signatureHeader: verification.signatureHeader,
        timestampHeader: verification.timestampHeader,
        includeTimestamp: verification.includeTimestamp,
        payloadFormat:
          verification.payloadFormat ?? (verification.includeTimestamp ? '{timestamp}.{body}' : '{body}'),
        encoding: verification.encoding,
        signaturePrefix: verification.signaturePrefix,
        messageIdHeader: verification.messageIdHeader,
        toleranceSeconds: verification.toleranceSeconds,
      };
  }
}
