import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';

/**
 * Routes opt in (`config.rateLimit`, or the read scope's limiter); probes stay unlimited for load
 * balancers. Counted at preHandler, after the key check or webhook verification: a limit counts who
 * authenticated (plugins/api-key-auth.ts), and failures have their own per-client counters.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    await app.register(rateLimit, { global: false, hook: 'preHandler' });
  },
  { name: 'rate-limit' },
);
