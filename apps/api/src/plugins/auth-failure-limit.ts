import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ReadsSettings } from '../config/reads-settings.ts';
import { FailedAttemptWindow } from '../lib/failed-attempt-window.ts';
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
  /** Takes back a failure recorded before a check that then passed. */
  forgive(request: FastifyRequest): void;
}

/** 429 in the one error shape, with Retry-After, as @fastify/rate-limit answers. */
function tooManyFailures(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number) {
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

const MINUTE_MS = 60_000;

/** Per client IP, over one-minute windows. */
export function failureLimit(maxPerMinute: number, now: () => number = Date.now): AuthFailureLimit {
  const attempts = new FailedAttemptWindow(maxPerMinute, MINUTE_MS);
  return {
    refuseIfBlocked(request, reply) {
      const lockedMs = attempts.lockedFor(request.ip, now());
      if (lockedMs === 0) return false;
      tooManyFailures(request, reply, Math.ceil(lockedMs / 1000));
      return true;
    },
    record(request) {
      attempts.fail(request.ip, now());
    },
    forgive(request) {
      attempts.forgive(request.ip, now());
    },
  };
}

export const authFailureLimitPlugin = fp<Pick<ReadsSettings, 'authFailuresPerMinute'>>(
  async (app, options) => {
    app.decorate('authFailures', failureLimit(options.authFailuresPerMinute));
  },
  { name: 'auth-failure-limit' },
);
