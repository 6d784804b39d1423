import { z } from 'zod';

/** An HTTP header name (RFC 9110 token); matched case-insensitively. */
const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name');

/** The non-secret half of a VAPI credential, field for field as the VAPI_HMAC_* variables. */
export const hmacVerificationSchema = z.object({
  mode: z.literal('hmac'),
  algorithm: z.enum(['sha256', 'sha512', 'sha1']).default('sha256'),
  signatureHeader: headerName.default('x-signature'),
  timestampHeader: headerName.default('x-timestamp'),
  includeTimestamp: z.boolean().default(true),
  payloadFormat: z
    .string()
    .max(200)
    .includes('{body}', { error: 'must contain {body}' })
    .optional()
    .describe('Default "{timestamp}.{body}", or "{body}" without a timestamp'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  signaturePrefix: z.string().max(50).default(''),
  secretIsBase64: z.boolean().default(false).describe('The secret is base64 and signs as its decoded bytes'),
  messageIdHeader: headerName.optional().describe('Substituted for {svix-id} in the payload format'),
  toleranceSeconds: z.number().int().positive().max(86_400).default(300),
});

export const secretVerificationSchema = z.object({
  mode: z.literal('secret'),
  headerName: headerName.default('x-vapi-secret'),
});

/** VAPI's BearerAuthenticationPlan: the token (the source's secret) in `headerName`, prefixed or raw. */
export const bearerVerificationSchema = z.object({
  mode: z.literal('bearer'),
  headerName: headerName.default('Authorization'),
  bearerPrefixEnabled: z
    .boolean()
    .default(true)
    .describe('true: "Bearer <token>"; false: the token alone in the header'),
});

/**
 * VAPI's OAuth2AuthenticationPlan: VAPI gets a token from the source's token URL
 * (`/api/v1/vapi/sources/{id}/oauth/token`) with this client id and the source's secret as the client
 * secret, then sends it as a bearer token. Tokens are bound to this source.
 */
export const oauth2VerificationSchema = z.object({
  mode: z.literal('oauth2'),
  clientId: z.string().min(1).max(200).describe("The credential's clientId"),
  tokenTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(3600)
    .describe('expires_in of the tokens issued to this source'),
});

export const sourceVerificationSchema = z
  .discriminatedUnion('mode', [
    hmacVerificationSchema,
    secretVerificationSchema,
    bearerVerificationSchema,
    oauth2VerificationSchema,
  ])
  .describe('How VAPI authenticates deliveries to this source; the secret itself is never shown here')
  .meta({ id: 'SourceVerification' });

/** The team's own VAPI server: request-response deliveries are relayed to it (docs/vapi-setup.md). */
export const relayUrlSchema = z
  .url({
    protocol: /^https?$/,
    error: 'must be an http(s) URL such as https://vapi-server.example.com/webhook',
  })
  .max(2000)
  .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), { error: 'must not contain credentials' })
  .describe(
    "The team's own VAPI server. Request-response deliveries (assistant-request, tool-calls, …) are forwarded here byte for byte with VAPI's headers and its answer passed back (the default answer when it fails or is late); the informational types of VAPI_RELAY_TYPES too, after they are stored. Null: no relay",
  );

export const vapiSourceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  verification: sourceVerificationSchema,
  active: z.boolean().describe('A disabled source refuses its deliveries'),
  webhookUrl: z.string().describe('Set this as the server URL of the VAPI assistant, phone number or org'),
  relayUrl: relayUrlSchema.nullable(),
  callCount: z.number().int(),
  lastDeliveryAt: z.string().nullable(),
  secretRotatedAt: z.string().nullable().describe('When the current secret was set'),
  kestraTenants: z
    .array(z.string())
    .nullable()
    .describe(
      "Kestra tenants whose paused executions this source's calls may resume; null: only KESTRA_TENANT",
    ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const exampleSource = {
  id: '5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e',
  name: 'Acme VAPI org',
  verification: {
    mode: 'hmac' as const,
    algorithm: 'sha256' as const,
    signatureHeader: 'x-signature',
    timestampHeader: 'x-timestamp',
    includeTimestamp: true,
    encoding: 'hex' as const,
    signaturePrefix: '',
    secretIsBase64: false,
    toleranceSeconds: 300,
  },
  active: true,
  webhookUrl:
    'https://callbridge.example.com/api/v1/vapi/sources/5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e/webhook',
  relayUrl: null,
  callCount: 42,
  lastDeliveryAt: '2026-11-24T09:12:03.120Z',
  secretRotatedAt: '2026-11-20T08:00:00.000Z',
  kestraTenants: null,
  createdAt: '2026-11-20T08:00:00.000Z',
  updatedAt: '2026-11-20T08:00:00.000Z',
};
const exampleSecret = 'x3Vd2m9Qp0cJ8kLr5tYw1zA6bN4fH7gE2sD9uK0iO3M=';

export const vapiSourceResponseSchema = z
  .object({ success: z.literal(true), data: vapiSourceSchema })
  .meta({ id: 'VapiSourceResponse', example: { success: true, data: exampleSource } });

export const vapiSourceListResponseSchema = z
  .object({ success: z.literal(true), data: z.array(vapiSourceSchema) })
  .meta({ id: 'VapiSourceListResponse', example: { success: true, data: [exampleSource] } });

export const createdVapiSourceResponseSchema = z
  .object({
    success: z.literal(true),
    data: vapiSourceSchema.extend({
      secret: z.string().describe('Shown this once: set it on the VAPI credential now'),
    }),
  })
  .meta({
    id: 'CreatedVapiSourceResponse',
    example: {
      success: true,
      data: { ...exampleSource, callCount: 0, lastDeliveryAt: null, secret: exampleSecret },
    },
  });

export const rotatedSourceSecretResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      sourceId: z.uuid(),
      secret: z.string().describe('The new secret, shown this once'),
      previousSecretsExpireAt: z
        .string()
        .describe('Until then the previous secrets are still accepted (now when the overlap is 0)'),
    }),
  })
  .meta({
    id: 'RotatedSourceSecretResponse',
    example: {
      success: true,
      data: {
        sourceId: exampleSource.id,
        secret: exampleSecret,
        previousSecretsExpireAt: '2026-11-25T09:00:00.000Z',
      },
    },
  });

export const deletedVapiSourceResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      sourceId: z.uuid(),
      deletedCalls: z.number().int(),
      deletedEvents: z.number().int(),
    }),
  })
  .meta({
    id: 'DeletedVapiSourceResponse',
    example: { success: true, data: { sourceId: exampleSource.id, deletedCalls: 42, deletedEvents: 380 } },
  });

export const reencryptSourceSecretsResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      checked: z.number().int().describe('Secrets still valid'),
      reencrypted: z.number().int().describe('Moved from a previous key to SOURCE_SECRETS_KEY'),
      undecryptable: z
        .number()
        .int()
        .describe('Under a key no longer configured: put it back in SOURCE_SECRETS_PREVIOUS_KEYS and retry'),
    }),
  })
  .meta({
    id: 'ReencryptSourceSecretsResponse',
    example: { success: true, data: { checked: 7, reencrypted: 7, undecryptable: 0 } },
  });

export type SourceVerification = z.output<typeof sourceVerificationSchema>;
export type VapiSource = z.output<typeof vapiSourceSchema>;
