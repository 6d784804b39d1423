import {
  kestraIdSchema,
  readKeyAccessSchema,
  relayUrlSchema,
  sourceVerificationSchema,
} from '@callbridge/contracts';
import { z } from 'zod';
import { hmacTimestampCoverage, UNSIGNED_TIMESTAMP_MESSAGE } from '../lib/hmac-timestamp-coverage.ts';

const name = z.string().trim().min(1).max(200);
/** A secret someone chose (e.g. copied from an existing VAPI credential); generated when left out. */
const suppliedSecret = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(1000)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const kestraTenants = z
  .array(kestraIdSchema)
  .min(1)
  .max(50)
  .describe('Kestra tenants whose executions this source may resume; default only KESTRA_TENANT');

/** Refuses settings that check a timestamp they do not sign (lib/hmac-timestamp-coverage.ts). */
function refuseUnsignedTimestamp(
  body: { verification?: z.output<typeof sourceVerificationSchema> | undefined },
  context: z.core.$RefinementCtx,
) {
  const verification = body.verification;
  if (verification?.mode === 'hmac' && hmacTimestampCoverage(verification) === 'unsigned') {
    context.addIssue({
      code: 'custom',
      path: ['verification', 'payloadFormat'],
      message: UNSIGNED_TIMESTAMP_MESSAGE,
    });
  }
}

export const sourceIdParamsSchema = z.object({ sourceId: z.uuid().describe('Source id') });
export const readKeyIdParamsSchema = z.object({ keyId: z.uuid().describe('Read key id') });

export const createSourceBodySchema = z
  .strictObject({
    name,
    verification: sourceVerificationSchema.prefault({ mode: 'hmac' }),
    secret: suppliedSecret.optional(),
    relayUrl: relayUrlSchema.optional(),
    kestraTenants: kestraTenants.optional(),
  })
  .superRefine(refuseUnsignedTimestamp)
  .meta({
    id: 'CreateSourceRequest',
    example: { name: 'Acme VAPI org', verification: { mode: 'hmac' } },
  });

export const updateSourceBodySchema = z
  .strictObject({
    name: name.optional(),
    verification: sourceVerificationSchema.optional(),
    relayUrl: relayUrlSchema.nullable().optional().describe('null stops relaying'),
    kestraTenants: kestraTenants.nullable().optional().describe('null: back to KESTRA_TENANT only'),
  })
  .refine(
    (body) =>
      body.name !== undefined ||
      body.verification !== undefined ||
      body.relayUrl !== undefined ||
      body.kestraTenants !== undefined,
    { message: 'give name, verification, relayUrl, kestraTenants or several' },
  )
  .superRefine(refuseUnsignedTimestamp)
  .meta({
    id: 'UpdateSourceRequest',
    example: { verification: { mode: 'hmac', signatureHeader: 'x-vapi-signature', toleranceSeconds: 600 } },
  });

export const rotateSecretBodySchema = z
  .strictObject({
    overlapHours: z
      .number()
      .min(0)
      .max(720)
      .default(24)
      .describe('How long the previous secret stays valid; 0 revokes it at once'),
    secret: suppliedSecret.optional(),
  })
  .meta({ id: 'RotateSourceSecretRequest', example: { overlapHours: 24 } });

export const deleteSourceQuerySchema = z.object({
  confirm: z.string().optional().describe('The source id again: deleting removes its calls and deliveries'),
});

export const createReadKeyBodySchema = z
  .strictObject({
    name,
    sourceIds: z.array(z.uuid()).min(1).max(100),
    access: readKeyAccessSchema.default('read'),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({
    id: 'CreateReadKeyRequest',
    example: {
      name: 'Acme Kestra',
      sourceIds: ['5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e'],
      expiresAt: '2027-11-24T00:00:00Z',
    },
  });

/** OpenAPI description of “Create a source”. */
export const createSourceDescription =
  'Answers the source, its webhook URL and its secret. The secret is shown only in this answer: set it on the VAPI credential now. It is generated (256 random bits) unless `secret` is given. Verification defaults to VAPI’s HMAC credential with its default settings.';

/** OpenAPI description of “Re-encrypt source secrets with the current key”. */
export const reencryptSourcesDescription =
  'Step three of rotating SOURCE_SECRETS_KEY: re-seals every valid secret still under a key in SOURCE_SECRETS_PREVIOUS_KEYS with SOURCE_SECRETS_KEY. Safe to repeat; once `undecryptable` is 0 and a repeat reports `reencrypted: 0`, the previous key can be dropped.';

/** OpenAPI description of “Rotate a source’s secret”. */
export const rotateSourceSecretDescription =
  'Makes a new secret current and answers it, once. The previous secrets stay valid for `overlapHours` (default 24, as Svix does), so VAPI can be switched to the new one without losing deliveries; 0 revokes them at once.';

/** OpenAPI description of “Delete a source with its calls and deliveries”. */
export const deleteSourceDescription =
  'Removes the source, its secrets, and every call and delivery it received, in one transaction; read keys lose it from their scope (a key scoped to it alone is revoked). Irreversible, so `confirm` must repeat the source id.';

/** OpenAPI description of “Revoke a read key”; `bound` is how soon every instance refuses it. */
export const revokeReadKeyDescription = (bound: string) =>
  `Refused on every instance within ${bound} (READ_KEY_CACHE_MS: each instance keeps a resolved key that long), open calls streams included. Revoking again keeps the first revocation time.`;
