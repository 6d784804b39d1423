import {
  createdReadKeyResponseSchema,
  errorResponseSchema,
  readKeyListResponseSchema,
  readKeyResponseSchema,
} from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError } from '../lib/http-errors.ts';
import { revocationBound } from '../lib/revocation-bound.ts';
import { toReadKey } from '../lib/to-read-key.ts';
import {
  createReadKeyBodySchema,
  readKeyIdParamsSchema,
  revokeReadKeyDescription,
} from '../schemas/admin-route-schemas.ts';
import { createReadKey, listReadKeys, revokeReadKey } from '../services/read-key-service.ts';

export interface AdminReadKeyRoutesOptions {
  /** READ_KEY_CACHE_MS, for the revocation bound the route states. */
  readKeyCacheMs: number;
}

/** Read keys: bearer keys that see only the calls of the sources they are scoped to. */
export const adminReadKeyRoutes: FastifyPluginAsyncZod<AdminReadKeyRoutesOptions> = async (app, options) => {
  app.post(
    '/api/v1/admin/read-keys',
    {
      schema: {
        summary: 'Create a read key scoped to sources',
        description:
          'Answers the key (`cbk_…`) once; only its sha256 is stored. Every source id must exist. Without `expiresAt` the key is valid until revoked.',
        body: createReadKeyBodySchema,
        response: { 201: createdReadKeyResponseSchema, 400: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const expiresAt = request.body.expiresAt === undefined ? undefined : new Date(request.body.expiresAt);
      if (expiresAt && expiresAt <= now) throw new HttpError(400, 'expiresAt must be in the future');
      const { row, key } = await createReadKey(app.supabase, { ...request.body, expiresAt });
      request.log.info({ readKeyId: row.id, sources: row.source_ids.length }, 'read key created');
      return reply.code(201).send({ success: true as const, data: { ...toReadKey(row, now), key } });
    },
  );

  app.get(
    '/api/v1/admin/read-keys',
    {
      schema: {
        summary: 'List read keys',
        description:
          'Every read key, oldest first, with its prefix, scope, expiry, last use and revocation; never the key.',
        response: { 200: readKeyListResponseSchema },
      },
    },
    async () => {
      const now = new Date();
      return {
        success: true as const,
        data: (await listReadKeys(app.supabase)).map((row) => toReadKey(row, now)),
      };
    },
  );

  app.post(
    '/api/v1/admin/read-keys/:keyId/revoke',
    {
      schema: {
        summary: 'Revoke a read key',
        description: revokeReadKeyDescription(revocationBound(options.readKeyCacheMs)),
        params: readKeyIdParamsSchema,
        response: {
          200: readKeyResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const now = new Date();
      const row = await revokeReadKey(app.supabase, request.params.keyId, now);
      if (!row) throw new HttpError(404, `No read key ${request.params.keyId} exists`);
      request.log.info({ readKeyId: row.id }, 'read key revoked');
      return { success: true as const, data: toReadKey(row, now) };
    },
  );
};
