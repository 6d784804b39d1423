import { z } from 'zod';

export const readKeyStateSchema = z.enum(['active', 'expired', 'revoked']);

export const READ_KEY_ACCESS = ['read', 'read+write'] as const;
export const readKeyAccessSchema = z
  .enum(READ_KEY_ACCESS)
  .describe("`read`: the read routes only. `read+write`: also replay deliveries and delete a call's data");

export const readKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to tell keys apart; not a secret'),
  sourceIds: z.array(z.uuid()).describe('The sources whose calls this key can read'),
  access: readKeyAccessSchema,
  state: readKeyStateSchema,
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

const exampleKey = {
  id: '0f8e1c2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f',
  name: 'Acme Kestra',
  prefix: 'cbk_Tq3xV9aL',
  sourceIds: ['5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e'],
  access: 'read' as const,
  state: 'active' as const,
  expiresAt: '2027-11-24T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  createdAt: '2026-11-24T09:00:00.000Z',
};

export const readKeyResponseSchema = z
  .object({ success: z.literal(true), data: readKeySchema })
  .meta({ id: 'ReadKeyResponse', example: { success: true, data: exampleKey } });

export const readKeyListResponseSchema = z
  .object({ success: z.literal(true), data: z.array(readKeySchema) })
  .meta({ id: 'ReadKeyListResponse', example: { success: true, data: [exampleKey] } });

export const createdReadKeyResponseSchema = z
  .object({
    success: z.literal(true),
    data: readKeySchema.extend({
      key: z.string().describe('Shown this once: clients send `Authorization: Bearer <key>`'),
    }),
  })
  .meta({
    id: 'CreatedReadKeyResponse',
    example: {
      success: true,
      data: { ...exampleKey, key: 'cbk_Tq3xV9aLm2Rf8sKp0wYc4bNh6jDg1eZu' },
    },
  });

export type ReadKey = z.output<typeof readKeySchema>;
export type ReadKeyState = z.output<typeof readKeyStateSchema>;
export type ReadKeyAccess = z.output<typeof readKeyAccessSchema>;
