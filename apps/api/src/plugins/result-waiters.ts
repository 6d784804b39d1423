import fp from 'fastify-plugin';
import type { AppConfig } from '../config/config-schema.ts';
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

/** reads.longPoll and reads.graceSeconds; supabase.databaseUrl for LISTEN. */
export type ResultWaitersOptions = Pick<AppConfig, 'reads' | 'supabase'>;

/**
 * Long-poll waiters for GET /calls/:callId?wait=…, woken by this instance's webhooks, by Postgres
 * notifications for results any instance stored (with DATABASE_URL), or by a periodic check.
 */
export const resultWaitersPlugin = fp<ResultWaitersOptions>(
  async (app, { reads, supabase }) => {
    const { checkIntervalMs, backstopIntervalMs } = reads.longPoll;
    const { graceSeconds } = reads;
    const { databaseUrl } = supabase;
    const waiters = new CallResultWaiters(
      (callIds) => findFinalCallIds(app.supabase, callIds, { now: new Date(), graceSeconds }),
      checkIntervalMs,
      (error) => app.log.warn({ err: error }, 'checking waited-for calls failed; retrying next interval'),
    );
    app.decorate('resultWaiters', waiters);
    // preClose, not onClose: Fastify waits for in-flight requests, and a long poll would hold it up.
    app.addHook('preClose', async () => waiters.close());

    if (!databaseUrl) return;
    const listener = new ResultFinalListener({
      connectionString: databaseUrl,
      onFinal: (callId) => waiters.notify(callId),
      onConnected: () => {
        waiters.setCheckInterval(backstopIntervalMs);
        void waiters.checkNow();
      },
      onDisconnected: () => waiters.setCheckInterval(checkIntervalMs),
      log: app.log.child({ component: 'result-listener' }),
    });
    app.decorate('resultListener', listener);
    app.addHook('onReady', async () => listener.start());
    app.addHook('preClose', async () => listener.stop());
  },
  { name: 'result-waiters', dependencies: ['supabase'] },
);
