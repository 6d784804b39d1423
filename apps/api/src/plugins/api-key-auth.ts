import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config/config-schema.ts';
import { matchesAny } from '../lib/constant-time-equal.ts';
import { ALL_SOURCES, NO_SOURCES, type ReadScope } from '../lib/read-scope.ts';
import { ReadKeyCache, type ResolvedReadKey } from '../services/read-key-cache.ts';
import { errorBody } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler for routes that serve call data: `Authorization: Bearer <key>`, a key from API_KEYS
     * (every source) or a read key from the admin API (its sources). Sets `request.readScope`.
     */
    requireApiKey: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /**
     * The request's read scope as of now, past the key cache: null once its key is revoked or expired.
     * For what outlives one request (the live calls stream).
     */
    recheckApiKey: (request: FastifyRequest) => Promise<ReadScope | null>;
  }
  interface FastifyRequest {
    /** What the caller may read; sees nothing until requireApiKey has run. Apply it with lib/read-scope.ts. */
    readScope: ReadScope;
    /**
     * Who authenticated (`api:…`, `read:<key id>`, `admin:…`), set by the key checks: what rate limits
     * and stream caps count by, never the presented token, so made-up tokens share nothing with a key.
     */
    authenticatedAs?: string;
    /** Whether the key may replay and delete (API_KEYS, or a read key with access `read+write`). */
    keyMayWrite: boolean;
  }
}

/**
 * reads.apiKeys and reads.readKeyCacheMs (how long a read key's resolution is kept: revocation takes
 * effect within it); admin.keys are refused here like an unknown key, so managing sources never implies
 * reading calls.
 */
export type ApiKeyAuthOptions = Pick<AppConfig, 'reads' | 'admin'>;

export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** A configured key's identity: its hash, so no key sits in memory as-is. */
export function configuredKeyIdentity(kind: 'api' | 'admin', key: string): string {
  return `${kind}:${createHash('sha256').update(key).digest('base64url')}`;
}

/**
 * Rate-limit bucket for authenticated routes: the key that passed (the limits count at preHandler,
 * after the key check). Requests that fail the check never reach it: AUTH_FAILURE_RATE_LIMIT_PER_MINUTE
 * limits those per client, so junk tokens cannot evict a real key's counter.
 */
export function apiKeyBucket(request: FastifyRequest): string {
  return request.authenticatedAs ?? `ip:${request.ip}`;
}

const scopeKey = Symbol('readScope');
type ScopedRequest = FastifyRequest & { [scopeKey]?: ReadScope };

export const apiKeyAuthPlugin = fp<ApiKeyAuthOptions>(
  async (app, options) => {
    const { apiKeys, readKeyCacheMs } = options.reads;
    const readKeys = new ReadKeyCache(app.supabase, readKeyCacheMs);
    const adminKeys = options.admin.keys ?? [];

    // A getter, not a shared object: a route that forgot the key check reads nothing rather than everything.
    app.decorateRequest('readScope', {
      getter(this: ScopedRequest) {
        return this[scopeKey] ?? NO_SOURCES;
      },
      setter(this: ScopedRequest, scope: ReadScope) {
        this[scopeKey] = scope;
      },
    });

    // The failure is already counted (requireApiKey).
    app.decorateRequest('keyMayWrite', false);

    const refuse = (request: FastifyRequest, reply: FastifyReply, reason: string) => {
      request.log.info({ reason }, 'API key rejected');
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send(errorBody(request, 401, 'Missing or invalid API key'));
    };

    app.decorate('requireApiKey', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request);
      if (token && matchesAny(token, apiKeys)) {
        request.readScope = ALL_SOURCES;
        request.authenticatedAs = configuredKeyIdentity('api', token);
        request.keyMayWrite = true;
        return;
      }
      // A lookup is counted as a failure before it runs and forgiven once the key passes: concurrent junk
      // cannot all slip under the limit while its lookups are in flight, and a client past the limit
      // costs no lookup at all. A key this instance already holds is answered from the cache.
      const failures = app.authFailures;
      const cached = token ? readKeys.peek(token) : undefined;
      if (cached === undefined) {
        if (failures.refuseIfBlocked(request, reply)) return;
        failures.record(request);
      }
      if (!token) return refuse(request, reply, 'missing-key');
      if (adminKeys.length > 0 && matchesAny(token, adminKeys)) return refuse(request, reply, 'admin-key');
      let resolved: ResolvedReadKey;
      try {
        resolved = await (cached ?? readKeys.resolve(token));
      } catch (error) {
        // The database is out of reach: the key was not refused, so it is no failure of the client's.
        if (cached === undefined) failures.forgive(request);
        throw error;
      }
      if (!resolved) {
        if (cached !== undefined) {
          if (failures.refuseIfBlocked(request, reply)) return;
          failures.record(request);
        }
        return refuse(request, reply, 'unknown-key');
      }
      if (cached === undefined) failures.forgive(request);
      request.readScope = { sourceIds: resolved.sourceIds };
      request.authenticatedAs = `read:${resolved.keyId}`;
      request.keyMayWrite = resolved.mayWrite;
      request.log.debug({ readKeyId: resolved.keyId }, 'read key accepted');
    });

    app.decorate('recheckApiKey', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (!token) return null;
      if (matchesAny(token, apiKeys)) return ALL_SOURCES;
      const resolved = await readKeys.refresh(token);
      return resolved ? { sourceIds: resolved.sourceIds } : null;
    });
  },
  { name: 'api-key-auth', dependencies: ['supabase', 'auth-failure-limit'] },
);
