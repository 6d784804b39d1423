import { createHmac, randomUUID } from 'node:crypto';
import { signedPayload, type WebhookAuthSettings } from './verify-vapi-signature.ts';

/**
 * Headers that make a body pass `verifyVapiWebhook` with the same settings, as the VAPI credential
 * would send them: the simulator's signer. It signs with the last configured secret (the new one
 * during a rotation).
 */
export function signVapiWebhook(
  settings: WebhookAuthSettings,
  request: { body: string; method?: string; url: string },
  nowMs: number = Date.now(),
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (settings.mode) {
    case 'none':
      return headers;
    case 'secret': {
      const secret = settings.secrets.at(-1);
      return secret ? { ...headers, [settings.headerName]: secret } : headers;
    }
    case 'bearer': {
      const token = settings.tokens.at(-1);
      if (!token) return headers;
      return {
        ...headers,
        [settings.headerName.toLowerCase()]: settings.prefixEnabled ? `Bearer ${token}` : token,
      };
    }
    case 'hmac': {
      const key = settings.keys.at(-1);
      if (!key) return headers;
      const timestamp = String(nowMs);
      const messageId = randomUUID();
      const payload = signedPayload(settings.payloadFormat, {
        body: Buffer.from(request.body),
        timestamp,
        method: request.method ?? 'POST',
        url: request.url,
        messageId,
      });
      const signature = createHmac(settings.algorithm, key).update(payload).digest(settings.encoding);
      return {
        ...headers,
        [settings.signatureHeader]: `${settings.signaturePrefix}${signature}`,
        ...(settings.includeTimestamp ? { [settings.timestampHeader]: timestamp } : {}),
        ...(settings.messageIdHeader ? { [settings.messageIdHeader]: messageId } : {}),
      };
    }
  }
}
