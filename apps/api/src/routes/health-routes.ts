import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../plugins/error-handler.ts';
import { checkDatabase } from '../services/readiness-service.ts';

const healthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });
const readySchema = z.object({
  status: z.literal('ready'),
  database: z.literal('reachable'),
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
        summary: 'Readiness: the database answers through PostgREST, and the process is not shutting down',
        description:
          'Answers within 2 s whatever state the database is in. 503 while the database is out of reach, and from the moment the process is told to stop (SIGTERM), so load balancers stop sending before it does.',
        response: { 200: readySchema, 503: errorResponseSchema },
      },
    },
    async (request, reply) => {
      if (app.lifecycle.draining) return reply.code(503).send(errorBody(request, 503, 'Shutting down'));
      const check = await checkDatabase(app.supabase);
      if (!check.reachable) {
        request.log.warn({ reason: check.reason }, 'database not reachable');
        return reply.code(503).send(errorBody(request, 503, 'Database not reachable'));
      }
      const listener = app.resultListener;
      return {
        status: 'ready' as const,
        database: 'reachable' as const,
        resultListener: !listener
          ? ('off' as const)
          : listener.connected
            ? ('listening' as const)
            : ('reconnecting' as const),
      };
    },
  );
};
