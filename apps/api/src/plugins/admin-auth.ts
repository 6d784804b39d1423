import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AdminApiSettings } from '../config/admin-settings.ts';
import { matchesAny } from '../lib/constant-time-equal.ts';
import { bearerToken, configuredKeyIdentity } from './api-key-auth.ts';
import { errorBody } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for /api/v1/admin/*: `Authorization: Bearer <admin key>`. */
    requireAdminKey: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * Only the keys in ADMIN_API_KEYS pass: an API_KEYS key or a read key is answered 401 like any other
 * wrong key (config refuses a key listed in both), so reading calls never implies managing sources.
 * Failures count per client (AUTH_FAILURE_RATE_LIMIT_PER_MINUTE); past the limit the answer is 429.
 */
export const adminAuthPlugin = fp<Pick<AdminApiSettings, 'keys'>>(
  async (app, options) => {
    app.decorate('requireAdminKey', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request);
      if (token && matchesAny(token, options.keys)) {
        request.authenticatedAs = configuredKeyIdentity('admin', token);
        return;
      }
      if (app.authFailures.refuseIfBlocked(request, reply)) return;
      app.authFailures.record(request);
      request.log.info({ reason: token ? 'unknown-key' : 'missing-key' }, 'admin key rejected');
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send(errorBody(request, 401, 'Missing or invalid admin key'));
    });
  },
  { name: 'admin-auth', dependencies: ['auth-failure-limit'] },
);
