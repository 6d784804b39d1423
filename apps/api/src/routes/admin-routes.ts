import type { FastifyPluginAsync } from 'fastify';
import type { AdminApiSettings } from '../config/admin-settings.ts';
import { adminAuthPlugin } from '../plugins/admin-auth.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import { AUTHENTICATED_ROUTE_ERRORS, applyRouteScopeDefaults } from '../plugins/route-scope.ts';
import { adminReadKeyRoutes } from './admin-read-key-routes.ts';
import { adminSourceRoutes } from './admin-source-routes.ts';

/**
 * The admin API (sources and read keys) in one scope that applies, once for every route in it: the
 * admin key, checked before validation (a caller without one learns nothing, not even what a body
 * should be); the source a request names bound to its log lines; no caching (some answers carry a
 * secret shown once); a rate limit per key and route; the shared error responses in the OpenAPI document.
 */
export const adminRoutes: FastifyPluginAsync<AdminApiSettings> = async (app, settings) => {
  await app.register(adminAuthPlugin, settings);
  applyRouteScopeDefaults(app, {
    tags: ['admin'],
    security: [{ adminKey: [] }],
    errors: AUTHENTICATED_ROUTE_ERRORS,
    rateLimit: { max: settings.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket },
  });
  app.addHook('onRequest', app.requireAdminKey);
  app.addHook('preHandler', async (request, reply) => {
    const { sourceId } = request.params as { sourceId?: string };
    if (sourceId !== undefined) bindLogContext(request, reply, { sourceId });
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  await app.register(adminSourceRoutes, settings);
  await app.register(adminReadKeyRoutes, settings);
};
