import fp from 'fastify-plugin';
import { CallResultWaiters } from '../services/call-result-waiters.ts';
import { findFinalCallIds } from '../services/call-results-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    resultWaiters: CallResultWaiters;
  }
}

export interface ResultWaitersOptions {
  checkIntervalMs: number;
  graceSeconds: number;
}

/** Long-poll waiters for GET /calls/:callId?wait=…, woken by this instance's webhooks or a periodic check. */
export const resultWaitersPlugin = fp<ResultWaitersOptions>(
  async (app, options) => {
    const waiters = new CallResultWaiters(
      (callIds) =>
        findFinalCallIds(app.supabase, callIds, { now: new Date(), graceSeconds: options.graceSeconds }),
      options.checkIntervalMs,
      (error) => app.log.warn({ err: error }, 'checking waited-for calls failed; retrying next interval'),
    );
    app.decorate('resultWaiters', waiters);
    // preClose, not onClose: Fastify waits for in-flight requests, and a long poll would hold it up.
    app.addHook('preClose', async () => waiters.close());
  },
  { name: 'result-waiters', dependencies: ['supabase'] },
);
