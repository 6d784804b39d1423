import fp from 'fastify-plugin';
import { CallResultWaiters } from '../services/call-result-waiters.ts';
import { findFinalCallIds } from '../services/call-results-service.ts';
import { ResultFinalListener } from '../services/result-final-listener.ts';

declare module 'fastify' {
  interface FastifyInstance {
    resultWaiters: CallResultWaiters;
    /** Present only when DATABASE_URL is configured. */
    resultListener?: ResultFinalListener;
  }
}

export interface ResultWaitersOptions {
  /** The batched check's interval without LISTEN (or while it is reconnecting). */
  checkIntervalMs: number;
  /** Its interval while LISTEN is connected. */
  backstopIntervalMs: number;
  graceSeconds: number;
  databaseUrl?: string;
}

/**
 * Long-poll waiters for GET /calls/:callId?wait=…, woken by this instance's webhooks, by Postgres
 * notifications for results any instance stored (with DATABASE_URL), or by a periodic check.
 */
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

    if (!options.databaseUrl) return;
    const listener = new ResultFinalListener({
      connectionString: options.databaseUrl,
      onFinal: (callId) => waiters.notify(callId),
      onConnected: () => {
        waiters.setCheckInterval(options.backstopIntervalMs);
        void waiters.checkNow();
      },
      onDisconnected: () => waiters.setCheckInterval(options.checkIntervalMs),
      log: app.log.child({ component: 'result-listener' }),
    });
    app.decorate('resultListener', listener);
    app.addHook('onReady', async () => listener.start());
    app.addHook('preClose', async () => listener.stop());
  },
  { name: 'result-waiters', dependencies: ['supabase'] },
);
