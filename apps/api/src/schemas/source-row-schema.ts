import { readKeyAccessSchema, sourceVerificationSchema } from '@callbridge/contracts';
import { z } from 'zod';

/** A row of vapi_source_overview(): a source with its call count and last delivery. */
export const sourceOverviewRowSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    verification_mode: z.enum(['hmac', 'secret', 'bearer', 'oauth2']),
    verification: z.record(z.string(), z.unknown()),
    active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    call_count: z.coerce.number().int(),
    last_delivery_at: z.string().nullable(),
    secret_rotated_at: z.string().nullable(),
    relay_url: z.string().nullable(),
    kestra_tenants: z.array(z.string()).nullable(),
  })
  .transform(({ verification_mode, verification, ...row }) => ({
    ...row,
    verification: sourceVerificationSchema.parse({ ...verification, mode: verification_mode }),
  }));

export type SourceOverviewRow = z.output<typeof sourceOverviewRowSchema>;

/** The columns findActiveSourceVerification reads: the source and its secrets still valid. */
export const sourceWithSecretsRowSchema = z
  .object({
    id: z.uuid(),
    verification_mode: z.enum(['hmac', 'secret', 'bearer', 'oauth2']),
    verification: z.record(z.string(), z.unknown()),
    active: z.boolean(),
    relay_url: z.string().nullable(),
    vapi_source_secrets: z.array(
      z.object({ encrypted_secret: z.string(), created_at: z.string(), expires_at: z.string().nullable() }),
    ),
  })
  .transform(({ verification_mode, verification, ...row }) => ({
    ...row,
    verification: sourceVerificationSchema.parse({ ...verification, mode: verification_mode }),
  }));

export const sourceSecretRowSchema = z.object({
  id: z.coerce.number().int(),
  source_id: z.uuid(),
  encrypted_secret: z.string(),
});

export const readKeyRowSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  key_prefix: z.string(),
  source_ids: z.array(z.uuid()),
  access: readKeyAccessSchema,
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  created_at: z.string(),
});

export type ReadKeyRow = z.output<typeof readKeyRowSchema>;
