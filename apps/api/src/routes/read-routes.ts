import { errorResponseSchema } from '@callbridge/contracts';
import type { onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config-schema.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import { callListRoutes } from './call-list-routes.ts';
import { callRoutes } from './call-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { statsRoutes } from './stats-routes.ts';

/** What every read route may answer besides its own statuses: no or a wrong key, its rate limit, the database away. */
export const READ_ROUTE_ERRORS = {
  401: errorResponseSchema,
  429: errorResponseSchema,
  503: errorResponseSchema,
};

export type ReadRoutesOptions = Pick<AppConfig, 'reads' | 'webhook' | 'kestra'>;

type RouteHooks =
  | onRequestHookHandler
  | preHandlerHookHandler
  | (onRequestHookHandler | preHandlerHookHandler)[];
const hooksOf = (hooks: RouteHooks | undefined) => (hooks === undefined ? [] : [hooks].flat());

/**
 * The read API (calls, the delivery log and replay, stats) in one scope that applies, once for every
 * route in it: the call or event a request names bound to its log lines (before the key check, so a
 * refused key is logged with what it asked for), the API-key check, a rate limit per key and route
 * (counted after the key check), and the shared error responses and security scheme in the OpenAPI
 * document. Route files hold only their own schemas and handlers.
 */
export const readRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, config) => {
  const limit = { max: config.reads.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket };
  app.addHook('onRoute', (route) => {
    route.schema = {
      ...route.schema,
      security: [{ apiKey: [] }],
      response: { ...(route.schema?.response as object), ...READ_ROUTE_ERRORS },
    };
    // A limiter of its own per route, as @fastify/rate-limit's per-route `config.rateLimit` would be:
    // after the route's own preHandler (the write-access check), like that one.
    route.preHandler = [...hooksOf(route.preHandler), app.rateLimit(limit)] as preHandlerHookHandler[];
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
