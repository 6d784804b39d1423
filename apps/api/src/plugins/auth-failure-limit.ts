import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { FailedAttempts } from '../lib/failed-attempts.ts';
import { errorBody } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed key checks (read, admin, metrics) per client IP: AUTH_FAILURE_RATE_LIMIT_PER_MINUTE. */
    authFailures: AuthFailureLimit;
  }
}

export interface AuthFailureLimit {
  /** Answers 429 and returns true when this client has failed too often; call before the check. */
  refuseIfBlocked(request: FastifyRequest, reply: FastifyReply): boolean;
  record(request: FastifyRequest): void;
}

/** 429 in the one error shape, with Retry-After, as @fastify/rate-limit answers. */
export function tooManyFailures(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number) {
  request.log.warn({ reason: 'too-many-failures' }, 'client refused after repeated authentication failures');
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .send(
      errorBody(
        request,
        429,
        `Too many failed authentication attempts from this client; retry in ${retryAfterSeconds} seconds`,
      ),
    );
}

export function failureLimit(attempts: FailedAttempts): AuthFailureLimit {
  return {
    refuseIfBlocked(request, reply) {
      const seconds = attempts.retryAfterSeconds(request.ip);
      if (seconds === 0) return false;
      tooManyFailures(request, reply, seconds);
      return true;
    },
    record(request) {
      attempts.record(request.ip);
    },
  };
}

export const authFailureLimitPlugin = fp<{ maxPerMinute: number }>(
  async (app, options) => {
    app.decorate('authFailures', failureLimit(new FailedAttempts(options.maxPerMinute)));
  },
  { name: 'auth-failure-limit' },
);
