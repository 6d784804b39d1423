import type { SourceVerification } from '@callbridge/contracts';

/** The payload format a source verifies, as VAPI's HMAC credential names it. */
export function hmacPayloadFormat(verification: Extract<SourceVerification, { mode: 'hmac' }>): string {
  return verification.payloadFormat ?? (verification.includeTimestamp ? '{timestamp}.{body}' : '{body}');
}

/** A source's token URL sits beside its webhook URL (`…/sources/{id}/webhook` → `…/sources/{id}/oauth/token`). */
export function sourceTokenUrl(webhookUrl: string): string {
  return webhookUrl.replace(/\/webhook$/, '/oauth/token');
}

const CREDENTIAL_NAME: Record<Exclude<SourceVerification['mode'], 'secret'>, string> = {
  hmac: 'HMAC',
  bearer: 'Bearer Token',
  oauth2: 'OAuth2',
};

function credentialSteps(verification: SourceVerification, webhookUrl: string): string[] {
  switch (verification.mode) {
    case 'hmac': {
      const settings = [
        `algorithm ${verification.algorithm}`,
        `signature header ${verification.signatureHeader}`,
        ...(verification.includeTimestamp ? [`timestamp header ${verification.timestampHeader}`] : []),
        `payload format ${hmacPayloadFormat(verification)}`,
        `signature encoding ${verification.encoding}`,
        verification.signaturePrefix
          ? `signature prefix "${verification.signaturePrefix}"`
          : 'no signature prefix',
        ...(verification.messageIdHeader ? [`message id header ${verification.messageIdHeader}`] : []),
      ];
      return [
        `In VAPI, create a credential with HMAC authentication and paste the secret as its secret key${verification.secretIsBase64 ? ' (it is base64: VAPI must sign with the decoded bytes)' : ''}.`,
        `Set the credential's settings to match this source: ${settings.join(', ')}.`,
        ...(verification.includeTimestamp
          ? [
              `Deliveries signed more than ${verification.toleranceSeconds} s away from Callbridge's clock are refused.`,
            ]
          : []),
      ];
    }
    case 'bearer': {
      const defaults =
        verification.headerName.toLowerCase() === 'authorization' && verification.bearerPrefixEnabled;
      return [
        'In VAPI, create a Bearer Token credential with the secret as its token.',
        defaults
          ? 'Leave its header name (Authorization) and its Bearer prefix as they are.'
          : `Set its header name to ${verification.headerName} and ${verification.bearerPrefixEnabled ? 'keep' : 'turn off'} the Bearer prefix (bearerPrefixEnabled ${verification.bearerPrefixEnabled}).`,
      ];
    }
    case 'oauth2':
      return [
        'In VAPI, create a credential with OAuth2 authentication (client credentials).',
        `Set its token URL to ${sourceTokenUrl(webhookUrl)}, its client ID to ${verification.clientId} and its client secret to the secret; leave the scope empty (Callbridge does not check it).`,
        `VAPI fetches a token there and sends it as a bearer token; each token is valid ${verification.tokenTtlSeconds} s and only at this source's URL.`,
      ];
    case 'secret':
      return verification.headerName.toLowerCase() === 'x-vapi-secret'
        ? ['In VAPI, set the secret as the server’s Secret (VAPI sends it as x-vapi-secret).']
        : [`In VAPI, add a server header ${verification.headerName} whose value is the secret.`];
  }
}

/**
 * What to do in VAPI so its deliveries reach this source and pass its verification, in order: the
 * credential first (the server URL's form asks for it), then the URL, then the messages Callbridge needs.
 */
export function vapiSetupSteps(verification: SourceVerification, webhookUrl: string): string[] {
  const usesCredential = verification.mode !== 'secret';
  return [
    ...credentialSteps(verification, webhookUrl),
    `Set the Server URL of the assistant, phone number or org whose calls belong to this source to ${webhookUrl}.`,
    ...(usesCredential ? ['Pick that credential as the server’s credential, and save.'] : []),
    'Under server messages, enable at least status-update and end-of-call-report.',
  ];
}

/** After a rotation: VAPI must get the new secret before the old one stops working. */
export function rotationSteps(verification: SourceVerification, previousExpireAt: string): string[] {
  const where =
    verification.mode === 'secret'
      ? 'the server’s secret in VAPI'
      : `the ${verification.mode === 'oauth2' ? 'client secret' : 'secret'} of this source’s ${CREDENTIAL_NAME[verification.mode]} credential in VAPI`;
  return [
    `Replace ${where} with the new secret.`,
    `Until ${previousExpireAt} the previous secret is still accepted; after that only the new one is.`,
  ];
}
