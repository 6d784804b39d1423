import {
  createdVapiSourceResponseSchema,
  deletedVapiSourceResponseSchema,
  errorResponseSchema,
  reencryptSourceSecretsResponseSchema,
  rotatedSourceSecretResponseSchema,
  type SourceVerification,
  vapiSourceListResponseSchema,
  vapiSourceResponseSchema,
} from '@callbridge/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hmacTimestampCoverage, NO_TIMESTAMP_WARNING } from '../lib/hmac-timestamp-coverage.ts';
import { HttpError } from '../lib/http-errors.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { toVapiSource } from '../lib/to-vapi-source.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import {
  createSourceBodySchema,
  createSourceDescription,
  deleteSourceDescription,
  deleteSourceQuerySchema,
  reencryptSourcesDescription,
  rotateSecretBodySchema,
  rotateSourceSecretDescription,
  sourceIdParamsSchema,
  updateSourceBodySchema,
} from '../schemas/admin-route-schemas.ts';
import type { SourceOverviewRow } from '../schemas/source-row-schema.ts';
import { reencryptSourceSecrets, rotateSourceSecret } from '../services/source-secret-service.ts';
import {
  createSource,
  deleteSource,
  getSource,
  listSources,
  setSourceActive,
  updateSource,
} from '../services/source-service.ts';

export interface AdminSourceRoutesOptions {
  secretBox: SecretBox;
  /** PUBLIC_BASE_URL; the request's own origin when unset. */
  publicBaseUrl: string | undefined;
}

/** A source whose HMAC signs no timestamp is accepted (VAPI allows it), but said out loud. */
function warnWithoutTimestamp(request: FastifyRequest, verification: SourceVerification) {
  if (verification.mode === 'hmac' && hmacTimestampCoverage(verification) === 'none') {
    request.log.warn({ includeTimestamp: false }, NO_TIMESTAMP_WARNING);
  }
}

/** Sources: one webhook URL, verification and secret per VAPI org, assistant or client. */
export const adminSourceRoutes: FastifyPluginAsyncZod<AdminSourceRoutesOptions> = async (app, options) => {
  const { secretBox } = options;

  const toSource = (request: FastifyRequest, row: SourceOverviewRow) =>
    toVapiSource(row, options.publicBaseUrl ?? `${request.protocol}://${request.host}`);
  const found = (row: SourceOverviewRow | undefined, sourceId: string) => {
    if (!row) throw new HttpError(404, `No source ${sourceId} exists`);
    return row;
  };

  app.post(
    '/api/v1/admin/sources',
    {
      schema: {
        summary: 'Create a source',
        description: createSourceDescription,
        body: createSourceBodySchema,
        response: { 201: createdVapiSourceResponseSchema, 400: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { source, secret } = await createSource(app.supabase, secretBox, request.body);
      bindLogContext(request, reply, { sourceId: source.id });
      request.log.info({ mode: source.verification.mode }, 'source created');
      warnWithoutTimestamp(request, source.verification);
      return reply.code(201).send({ success: true as const, data: { ...toSource(request, source), secret } });
    },
  );

  app.get(
    '/api/v1/admin/sources',
    {
      schema: {
        summary: 'List sources',
        description: 'Every source, oldest first, with its call count and last delivery time. No secrets.',
        response: { 200: vapiSourceListResponseSchema },
      },
    },
    async (request) => ({
      success: true as const,
      data: (await listSources(app.supabase)).map((row) => toSource(request, row)),
    }),
  );

  app.post(
    '/api/v1/admin/sources/reencrypt',
    {
      schema: {
        summary: 'Re-encrypt source secrets with the current key',
        description: reencryptSourcesDescription,
        response: { 200: reencryptSourceSecretsResponseSchema },
      },
    },
    async (request) => {
      const result = await reencryptSourceSecrets(app.supabase, secretBox);
      request.log.info(result, 'source secrets re-encrypted');
      return { success: true as const, data: result };
    },
  );

  app.get(
    '/api/v1/admin/sources/:sourceId',
    {
      schema: {
        summary: 'One source',
        params: sourceIdParamsSchema,
        response: {
          200: vapiSourceResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { sourceId } = request.params;
      const row = found(await getSource(app.supabase, sourceId), sourceId);
      return { success: true as const, data: toSource(request, row) };
    },
  );

  app.patch(
    '/api/v1/admin/sources/:sourceId',
    {
      schema: {
        summary: 'Rename a source or change its verification settings',
        description:
          '`verification` replaces the settings whole (omitted fields take their defaults). The secret is not changed here: rotate it.',
        params: sourceIdParamsSchema,
        body: updateSourceBodySchema,
        response: {
          200: vapiSourceResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { sourceId } = request.params;
      const row = found(await updateSource(app.supabase, secretBox, sourceId, request.body), sourceId);
      request.log.info({ fields: Object.keys(request.body) }, 'source updated');
      if (request.body.verification) warnWithoutTimestamp(request, row.verification);
      return { success: true as const, data: toSource(request, row) };
    },
  );

  app.post(
    '/api/v1/admin/sources/:sourceId/rotate-secret',
    {
      schema: {
        summary: 'Rotate a source’s secret',
        description: rotateSourceSecretDescription,
        params: sourceIdParamsSchema,
        body: rotateSecretBodySchema,
        response: {
          200: rotatedSourceSecretResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { sourceId } = request.params;
      const { overlapHours, secret } = request.body;
      const rotated = await rotateSourceSecret(app.supabase, secretBox, sourceId, {
        secret,
        overlapSeconds: Math.round(overlapHours * 3600),
      });
      if (!rotated) throw new HttpError(404, `No source ${sourceId} exists`);
      request.log.info({ overlapHours }, 'source secret rotated');
      return {
        success: true as const,
        data: {
          sourceId,
          secret: rotated.secret,
          previousSecretsExpireAt: rotated.previousSecretsExpireAt.toISOString(),
        },
      };
    },
  );

  for (const [action, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/api/v1/admin/sources/:sourceId/${action}`,
      {
        schema: {
          summary: active ? 'Enable a source' : 'Disable a source',
          description: active
            ? 'Its webhook URL accepts deliveries again.'
            : 'Its webhook URL refuses deliveries until it is enabled; its calls stay readable.',
          params: sourceIdParamsSchema,
          response: {
            200: vapiSourceResponseSchema,
            400: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const { sourceId } = request.params;
        const row = found(await setSourceActive(app.supabase, sourceId, active), sourceId);
        request.log.info({ active }, active ? 'source enabled' : 'source disabled');
        return { success: true as const, data: toSource(request, row) };
      },
    );
  }

  app.delete(
    '/api/v1/admin/sources/:sourceId',
    {
      schema: {
        summary: 'Delete a source with its calls and deliveries',
        description: deleteSourceDescription,
        params: sourceIdParamsSchema,
        querystring: deleteSourceQuerySchema,
        response: {
          200: deletedVapiSourceResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { sourceId } = request.params;
      if (request.query.confirm !== sourceId) {
        throw new HttpError(
          400,
          `Deleting a source removes its calls and deliveries: repeat its id as ?confirm=${sourceId}`,
        );
      }
      const result = await deleteSource(app.supabase, sourceId);
      if (!result.deleted) throw new HttpError(404, `No source ${sourceId} exists`);
      request.log.info({ calls: result.calls, events: result.events }, 'source deleted');
      return {
        success: true as const,
        data: { sourceId, deletedCalls: result.calls, deletedEvents: result.events },
      };
    },
  );
};
