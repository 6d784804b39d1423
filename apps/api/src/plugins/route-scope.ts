import { errorResponseSchema } from '@callbridge/contracts';
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import type { z } from 'zod';

/** What a route behind a key may answer besides its own statuses: no or a wrong key, its rate limit, the database away. */
export const AUTHENTICATED_ROUTE_ERRORS = {
  401: errorResponseSchema,
  429: errorResponseSchema,
  503: errorResponseSchema,
};

export interface RouteScopeDefaults {
  /** The OpenAPI security requirement of every route in the scope. */
  security: Record<string, string[]>[];
  /** Responses every route may give besides its own (added after the route's own). */
  errors: Record<number, z.ZodType>;
  /** A limiter of its own per route, as @fastify/rate-limit's per-route `config.rateLimit` would be. */
  rateLimit: RateLimitOptions;
  tags?: string[];
}

type RouteHooks =
  | onRequestHookHandler
  | preHandlerHookHandler
  | (onRequestHookHandler | preHandlerHookHandler)[];
const hooksOf = (hooks: RouteHooks | undefined) => (hooks === undefined ? [] : [hooks].flat());

/**
 * Applies to every route registered in this scope (and below) what each route file used to repeat:
 * the security scheme and shared error responses in the OpenAPI document, and a rate limit. The
 * limiter runs after the route's own preHandler (a write-access check), as the per-route one did.
 */
export function applyRouteScopeDefaults(app: FastifyInstance, defaults: RouteScopeDefaults): void {
  app.addHook('onRoute', (route) => {
    route.schema = {
      ...(defaults.tags ? { tags: defaults.tags } : {}),
      ...route.schema,
      security: defaults.security,
      response: { ...(route.schema?.response as object), ...defaults.errors },
    };
    route.preHandler = [
      ...hooksOf(route.preHandler),
      app.rateLimit(defaults.rateLimit),
    ] as preHandlerHookHandler[];
  });
}
