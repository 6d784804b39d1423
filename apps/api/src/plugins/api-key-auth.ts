import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { matchesAny } from '../lib/constant-time-equal.ts';
import { ALL_SOURCES, NO_SOURCES, type ReadScope } from '../lib/read-scope.ts';
import { ReadKeyCache } from '../services/read-key-cache.ts';
import { errorBody } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler for routes that serve call data: `Authorization: Bearer <key>`, a key from API_KEYS
     * (every source) or a read key from the admin API (its sources). Sets `request.readScope`.
     */
    requireApiKey: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** What the caller may read; sees nothing until requireApiKey has run. Apply it with lib/read-scope.ts. */
    readScope: ReadScope;
    /** Whether the key may replay and delete (API_KEYS, or a read key with access `read+write`). */
    keyMayWrite: boolean;
  }
}

export interface ApiKeyAuthOptions {
  apiKeys: string[];
  /** ADMIN_API_KEYS: refused here like an unknown key, so managing sources never implies reading calls. */
  adminKeys?: string[];
  /** How long a read key's resolution is kept (READ_KEY_CACHE_MS); revocation takes effect within it. */
  readKeyCacheMs: number;
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

const scopeKey = Symbol('readScope');
type ScopedRequest = FastifyRequest & { [scopeKey]?: ReadScope };

export const apiKeyAuthPlugin = fp<ApiKeyAuthOptions>(
  async (app, options) => {
    const readKeys = new ReadKeyCache(app.supabase, options.readKeyCacheMs);
    const adminKeys = options.adminKeys ?? [];

    // A getter, not a shared object: a route that forgot the key check reads nothing rather than everything.
    app.decorateRequest('readScope', {
      getter(this: ScopedRequest) {
        return this[scopeKey] ?? NO_SOURCES;
      },
      setter(this: ScopedRequest, scope: ReadScope) {
        this[scopeKey] = scope;
      },
    });

    app.decorateRequest('keyMayWrite', false);

    const refuse = (request: FastifyRequest, reply: FastifyReply, reason: string) => {
      request.log.info({ reason }, 'API key rejected');
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send(errorBody(request, 401, 'Missing or invalid API key'));
    };

    app.decorate('requireApiKey', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request);
      if (!token) return refuse(request, reply, 'missing-key');
      if (matchesAny(token, options.apiKeys)) {
        request.readScope = ALL_SOURCES;
        request.keyMayWrite = true;
        return;
      }
      if (adminKeys.length > 0 && matchesAny(token, adminKeys)) return refuse(request, reply, 'admin-key');
      const resolved = await readKeys.resolve(token);
      if (!resolved) return refuse(request, reply, 'unknown-key');
      request.readScope = { sourceIds: resolved.sourceIds };
      request.keyMayWrite = resolved.mayWrite;
      request.log.debug({ readKeyId: resolved.keyId }, 'read key accepted');
    });
  },
  { name: 'api-key-auth', dependencies: ['supabase'] },
);
