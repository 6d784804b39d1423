import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/error-handler.ts';
import { checkDatabase } from '../services/readiness-service.ts';

const healthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });
const spoolStatusSchema = z
  .object({
    depth: z.number().int().describe('Deliveries on local disk not yet stored in the database'),
    oldestAgeSeconds: z.number().describe('Age of the oldest of them (0 when empty)'),
    bytes: z.number().int().describe('Bytes of the spool files'),
    maxBytes: z.number().int().describe('SPOOL_MAX_BYTES: at it the spool refuses and webhooks answer 503'),
    accepting: z.boolean().describe('A delivery the database cannot take in time would be spooled'),
  })
  .describe('The local spool (SPOOL_DIR); absent without one');
const readySchema = z.object({
  status: z.literal('ready'),
  database: z
    .enum(['reachable', 'unreachable'])
    .describe('unreachable only with a spool that accepts: webhooks are spooled and answered 2xx'),
  spool: spoolStatusSchema.optional(),
  // Informative only: long polls still wake by the periodic check while LISTEN reconnects.
  resultListener: z
    .enum(['listening', 'reconnecting', 'off'])
    .describe(
      'LISTEN for final results: off without DATABASE_URL; reconnecting does not make the instance unready',
    ),
});

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary:
          'Readiness: the database answers through PostgREST (or the local spool takes deliveries), and the process is not shutting down',
        description:
          'Answers within 2 s whatever state the database is in. The check reads the results table and sends the webhook store an empty batch, so a schema without this release’s migrations counts as out of reach. 503 while the database is out of reach and no spool accepts (without SPOOL_DIR, or at SPOOL_MAX_BYTES), and from the moment the process is told to stop (SIGTERM), so load balancers stop sending before it does. With a spool that accepts it stays 200 through a database outage, so VAPI’s traffic keeps arriving and is spooled.',
        response: {
          200: readySchema,
          503: errorResponseSchema.extend({ spool: spoolStatusSchema.optional() }),
        },
      },
    },
    async (request, reply) => {
      if (app.lifecycle.draining) return reply.code(503).send(errorBody(request, 503, 'Shutting down'));
      const check = await checkDatabase(app.supabase, app.ingestEndpoint);
      const spool = app.spool?.status();
      if (!check.reachable) {
        request.log.warn({ reason: check.reason, spool }, 'database not reachable');
        if (!spool?.accepting) {
          // The spool is said here too: full or failing is what an operator must see.
          return reply
            .code(503)
            .send({ ...errorBody(request, 503, 'Database not reachable'), ...(spool ? { spool } : {}) });
        }
      }
      const listener = app.resultListener;
      return {
        status: 'ready' as const,
        database: check.reachable ? ('reachable' as const) : ('unreachable' as const),
        ...(spool ? { spool } : {}),
        resultListener: !listener
          ? ('off' as const)
          : listener.connected
            ? ('listening' as const)
            : ('reconnecting' as const),
      };
    },
  );
};
