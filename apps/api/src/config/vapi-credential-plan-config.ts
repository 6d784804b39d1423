import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { list } from './env-list.ts';

/**
 * A PEM private key given inline (newlines may be written as \n, as .env files often hold them) or as
 * the path of a file that holds it. Parsed here so a bad key stops the start; the key is never echoed.
 */
const rsaPrivateKey = z.string().transform((value, context): KeyObject => {
  const inline = value.trim().startsWith('-----BEGIN');
  let pem: string;
  try {
    pem = inline ? value.replace(/\\n/g, '\n') : readFileSync(value.trim(), 'utf8');
  } catch {
    context.addIssue({ code: 'custom', message: 'is neither a PEM private key nor a readable file' });
    return z.NEVER;
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === 'rsa') return key;
    context.addIssue({
      code: 'custom',
      message: 'must be an RSA private key (VAPI encrypts with RSA-OAEP-256)',
    });
  } catch {
    context.addIssue({ code: 'custom', message: 'is not a valid PEM private key' });
  }
  return z.NEVER;
});

/** The VAPI_* variables of the credential plans added after HMAC: bearer options and OAuth2. */
export const vapiCredentialPlanFields = {
  // BearerAuthenticationPlan: headerName (default Authorization) and bearerPrefixEnabled (default true).
  VAPI_BEARER_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name')
    .default('Authorization'),
  VAPI_BEARER_PREFIX_ENABLED: z.stringbool().default(true),
  // OAuth2AuthenticationPlan (VAPI_WEBHOOK_AUTH=oauth2): VAPI gets tokens from /api/v1/vapi/oauth/token.
  VAPI_OAUTH_CLIENT_ID: z.string().min(1).max(200).optional(),
  VAPI_OAUTH_CLIENT_SECRET: list(16, 'client secret').optional(),
  // Shared by every instance (a token from one is valid at all); the first signs, all verify.
  VAPI_OAUTH_SIGNING_KEY: list(32, 'signing key').optional(),
  VAPI_OAUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  VAPI_OAUTH_TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  // Failed client authentications per client address in 15 minutes before the token route answers 429.
  VAPI_OAUTH_FAILED_ATTEMPT_LIMIT: z.coerce.number().int().positive().max(1000).default(10),
};

/** PublicKeyEncryptionPlan: what the store needs to open the values VAPI encrypted. */
export const vapiEncryptionFields = {
  // The private half of the key set on the VAPI credential, and the paths listed in the server's encryptedPaths.
  VAPI_ENCRYPTION_PRIVATE_KEY: rsaPrivateKey.optional(),
  VAPI_ENCRYPTED_PATHS: list(1, 'path').optional(),
};

interface CredentialPlanConfig {
  VAPI_WEBHOOK_AUTH: string;
  VAPI_OAUTH_CLIENT_ID?: string | undefined;
  VAPI_OAUTH_CLIENT_SECRET?: string[] | undefined;
  VAPI_OAUTH_SIGNING_KEY?: string[] | undefined;
}

interface EncryptionPlanConfig {
  VAPI_ENCRYPTION_PRIVATE_KEY?: KeyObject | undefined;
  VAPI_ENCRYPTED_PATHS?: string[] | undefined;
}

export function checkVapiCredentialPlans(config: CredentialPlanConfig, context: z.RefinementCtx): void {
  if (config.VAPI_WEBHOOK_AUTH === 'oauth2') {
    for (const name of [
      'VAPI_OAUTH_CLIENT_ID',
      'VAPI_OAUTH_CLIENT_SECRET',
      'VAPI_OAUTH_SIGNING_KEY',
    ] as const) {
      if (config[name] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `is required with VAPI_WEBHOOK_AUTH=oauth2`,
        });
      }
    }
  }
}

export function checkVapiEncryptionPlan(config: EncryptionPlanConfig, context: z.RefinementCtx): void {
  if (config.VAPI_ENCRYPTION_PRIVATE_KEY && !config.VAPI_ENCRYPTED_PATHS) {
    context.addIssue({
      code: 'custom',
      path: ['VAPI_ENCRYPTED_PATHS'],
      message:
        "is required with VAPI_ENCRYPTION_PRIVATE_KEY: list the server's encryptedPaths set in VAPI (message.call.customer.number, …)",
    });
  }
}
