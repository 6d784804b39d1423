import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { matchesAny } from '../lib/constant-time-equal.ts';
import { errorBody } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for routes that serve call data: `Authorization: Bearer <API key>`. */
    requireApiKey: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** Rate-limit bucket for read routes: one per presented key, hashed so no key sits in memory as-is. */
export function apiKeyBucket(request: FastifyRequest): string {
  const token = bearerToken(request);
  return token ? `key:${createHash('sha256').update(token).digest('base64url')}` : `ip:${request.ip}`;
}

export const apiKeyAuthPlugin = fp<{ apiKeys: string[] }>(
  async (app, options) => {
    app.decorate('requireApiKey', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request);
      if (token && matchesAny(token, options.apiKeys)) return;
      request.log.info({ reason: token ? 'unknown-key' : 'missing-key' }, 'API key rejected');
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send(errorBody(request, 401, 'Missing or invalid API key'));
    });
  },
  { name: 'api-key-auth' },
);
