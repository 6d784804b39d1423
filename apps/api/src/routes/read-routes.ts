import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config-schema.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import { AUTHENTICATED_ROUTE_ERRORS, applyRouteScopeDefaults } from '../plugins/route-scope.ts';
import { callListRoutes } from './call-list-routes.ts';
import { callRoutes } from './call-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { statsRoutes } from './stats-routes.ts';

export type ReadRoutesOptions = Pick<AppConfig, 'reads' | 'webhook' | 'kestra'>;

/**
 * The read API (calls, the delivery log and replay, stats) in one scope that applies, once for every
 * route in it: the call or event a request names bound to its log lines (before the key check, so a
 * refused key is logged with what it asked for), the API-key check, a rate limit per key and route
 * (counted after the key check), and the shared error responses and security scheme in the OpenAPI
 * document. Route files hold only their own schemas and handlers.
 */
export const readRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, config) => {
  applyRouteScopeDefaults(app, {
    security: [{ apiKey: [] }],
    errors: AUTHENTICATED_ROUTE_ERRORS,
    rateLimit: { max: config.reads.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket },
  });
  app.addHook('preHandler', async (request, reply) => {
    const { callId, eventId } = request.params as { callId?: string; eventId?: number };
    if (callId !== undefined) bindLogContext(request, reply, { callId });
    if (eventId !== undefined) bindLogContext(request, reply, { eventId });
  });
  app.addHook('preHandler', app.requireApiKey);

  await app.register(callListRoutes, config.reads);
  await app.register(callRoutes, config);
  await app.register(eventRoutes, config);
  await app.register(statsRoutes, config.reads);
};
