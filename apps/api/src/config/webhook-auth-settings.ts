import { z } from 'zod';
import { hmacTimestampCoverage, UNSIGNED_TIMESTAMP_MESSAGE } from '../lib/hmac-timestamp-coverage.ts';
import { accessTokenKey, DEFAULT_WEBHOOK_AUDIENCE } from '../lib/oauth-access-token.ts';
import type { DeliveryAuthSettings } from '../lib/verify-delivery.ts';
import { positiveInt } from './env-fields.ts';
import { list } from './env-list.ts';
import { checkVapiCredentialPlans, vapiCredentialPlanFields } from './vapi-credential-plan-config.ts';

/** How VAPI's deliveries to the default webhook URL are authenticated: the VAPI credential in use. */
export const webhookAuthEnv = z.object({
  VAPI_WEBHOOK_AUTH: z.enum(['hmac', 'secret', 'bearer', 'oauth2', 'none']).default('hmac'),
  VAPI_WEBHOOK_SECRET: list(16, 'secret').optional(),
  VAPI_HMAC_ALGORITHM: z.enum(['sha256', 'sha512', 'sha1']).default('sha256'),
  VAPI_HMAC_SIGNATURE_HEADER: z.string().min(1).default('x-signature'),
  VAPI_HMAC_TIMESTAMP_HEADER: z.string().min(1).default('x-timestamp'),
  VAPI_HMAC_INCLUDE_TIMESTAMP: z.stringbool().default(true),
  VAPI_HMAC_PAYLOAD_FORMAT: z.string().includes('{body}', { error: 'must contain {body}' }).optional(),
  VAPI_HMAC_SIGNATURE_ENCODING: z.enum(['hex', 'base64']).default('hex'),
  VAPI_HMAC_SIGNATURE_PREFIX: z.string().default(''),
  VAPI_HMAC_SECRET_IS_BASE64: z.stringbool().default(false),
  VAPI_HMAC_MESSAGE_ID_HEADER: z.string().min(1).optional(),
  // A tolerance of 0 would reject everything rather than mean "don't check": it must be positive.
  VAPI_TIMESTAMP_TOLERANCE_SECONDS: positiveInt.default(300),
  // Signed deliveries remembered (per instance) to refuse the same one twice inside its window.
  WEBHOOK_RECENT_SIGNATURES_MAX: positiveInt.min(1000).max(10_000_000).default(100_000),
  VAPI_SECRET_HEADER: z.string().min(1).default('x-vapi-secret'),
  ...vapiCredentialPlanFields,
});

type WebhookAuthEnv = z.output<typeof webhookAuthEnv>;

const notBase64 = (secret: string) => !/^[A-Za-z0-9+/]+={0,2}$/.test(secret);

function checkWebhookAuth(env: WebhookAuthEnv, context: z.RefinementCtx): void {
  checkVapiCredentialPlans(env, context);
  // oauth2 authenticates with the VAPI_OAUTH_* variables, not with a shared secret.
  if (!['none', 'oauth2'].includes(env.VAPI_WEBHOOK_AUTH) && !env.VAPI_WEBHOOK_SECRET) {
    context.addIssue({
      code: 'custom',
      path: ['VAPI_WEBHOOK_SECRET'],
      message: `is required with VAPI_WEBHOOK_AUTH=${env.VAPI_WEBHOOK_AUTH} (set VAPI_WEBHOOK_AUTH=none only for local use)`,
    });
  }
  if (
    env.VAPI_WEBHOOK_AUTH === 'hmac' &&
    hmacTimestampCoverage({
      includeTimestamp: env.VAPI_HMAC_INCLUDE_TIMESTAMP,
      payloadFormat: env.VAPI_HMAC_PAYLOAD_FORMAT,
    }) === 'unsigned'
  ) {
    context.addIssue({
      code: 'custom',
      path: ['VAPI_HMAC_PAYLOAD_FORMAT'],
      message: UNSIGNED_TIMESTAMP_MESSAGE,
    });
  }
  if (env.VAPI_HMAC_SECRET_IS_BASE64 && env.VAPI_WEBHOOK_SECRET?.some(notBase64)) {
    context.addIssue({
      code: 'custom',
      path: ['VAPI_WEBHOOK_SECRET'],
      message: 'must be base64 when VAPI_HMAC_SECRET_IS_BASE64=true',
    });
  }
}

/** The verifier's settings, matching the VAPI credential in use. */
function deliveryAuth(env: WebhookAuthEnv): DeliveryAuthSettings {
  const secrets = env.VAPI_WEBHOOK_SECRET ?? [];
  switch (env.VAPI_WEBHOOK_AUTH) {
    case 'none':
      return { mode: 'none' };
    case 'secret':
      return { mode: 'secret', secrets, headerName: env.VAPI_SECRET_HEADER };
    case 'bearer':
      return {
        mode: 'bearer',
        tokens: secrets,
        headerName: env.VAPI_BEARER_HEADER,
        prefixEnabled: env.VAPI_BEARER_PREFIX_ENABLED,
      };
    case 'oauth2':
      return {
        mode: 'oauth2',
        clientId: env.VAPI_OAUTH_CLIENT_ID ?? '',
        clientSecrets: env.VAPI_OAUTH_CLIENT_SECRET ?? [],
        keys: (env.VAPI_OAUTH_SIGNING_KEY ?? []).map((key) => accessTokenKey(key, 'default-webhook')),
        audience: DEFAULT_WEBHOOK_AUDIENCE,
        tokenTtlSeconds: env.VAPI_OAUTH_TOKEN_TTL_SECONDS,
      };
    case 'hmac':
      return {
        mode: 'hmac',
        keys: secrets.map((secret) =>
          Buffer.from(secret, env.VAPI_HMAC_SECRET_IS_BASE64 ? 'base64' : 'utf8'),
        ),
        algorithm: env.VAPI_HMAC_ALGORITHM,
        signatureHeader: env.VAPI_HMAC_SIGNATURE_HEADER,
        timestampHeader: env.VAPI_HMAC_TIMESTAMP_HEADER,
        includeTimestamp: env.VAPI_HMAC_INCLUDE_TIMESTAMP,
        // VAPI's default signs "{timestamp}.{body}"; without a timestamp only the body is left to sign.
        payloadFormat:
          env.VAPI_HMAC_PAYLOAD_FORMAT ?? (env.VAPI_HMAC_INCLUDE_TIMESTAMP ? '{timestamp}.{body}' : '{body}'),
        encoding: env.VAPI_HMAC_SIGNATURE_ENCODING,
        signaturePrefix: env.VAPI_HMAC_SIGNATURE_PREFIX,
        messageIdHeader: env.VAPI_HMAC_MESSAGE_ID_HEADER,
        toleranceSeconds: env.VAPI_TIMESTAMP_TOLERANCE_SECONDS,
      };
  }
}

export const webhookAuthSettings = webhookAuthEnv.superRefine(checkWebhookAuth).transform((env) => ({
  auth: deliveryAuth(env),
  /** The credential headers the OpenAPI document names. */
  headers: {
    signatureHeader: env.VAPI_HMAC_SIGNATURE_HEADER,
    secretHeader: env.VAPI_SECRET_HEADER,
    bearerHeader: env.VAPI_BEARER_HEADER,
  },
  recentSignaturesMax: env.WEBHOOK_RECENT_SIGNATURES_MAX,
  /** POST /api/v1/vapi/oauth/token, where VAPI gets its oauth2 tokens. */
  oauthToken: {
    rateLimitPerMinute: env.VAPI_OAUTH_TOKEN_RATE_LIMIT_PER_MINUTE,
    failedAttemptLimit: env.VAPI_OAUTH_FAILED_ATTEMPT_LIMIT,
  },
}));

export type WebhookAuthSection = z.output<typeof webhookAuthSettings>;
