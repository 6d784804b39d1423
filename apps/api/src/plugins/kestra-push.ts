import { resumeExecution } from '@callbridge/kestra-client';
import fp from 'fastify-plugin';
import type { KestraSettings } from '../config/kestra-settings.ts';
import {
  claimKestraPushes,
  enqueueEndedCallPushes,
  settleKestraPush,
} from '../services/kestra-push-outbox.ts';
import { KestraPushWorker } from '../services/kestra-push-worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Present only when KESTRA_URL is configured. */
    kestraPush?: KestraPushWorker;
  }
}

/**
 * Resumes Kestra executions with their calls' final results, from the outbox in the database; does
 * nothing (no `kestraPush`) without KESTRA_URL.
 */
export const kestraPushPlugin = fp<KestraSettings>(
  async (app, { push: settings }) => {
    if (!settings) return;
    const { graceSeconds } = settings;
    const log = app.log.child({ component: 'kestra-push' });
    if (!settings.auth) {
      log.warn('KESTRA_URL is set without credentials: Kestra refuses unauthenticated resumes since 0.24');
    }
    const worker = new KestraPushWorker(
      {
        enqueueEnded: () =>
          enqueueEndedCallPushes(app.supabase, {
            graceSeconds,
            maxAgeSeconds: Math.ceil(settings.policy.maxAgeMs / 1000),
          }),
        claim: (limit, leaseSeconds) => claimKestraPushes(app.supabase, { limit, leaseSeconds }),
        settle: (push, settlement) => settleKestraPush(app.supabase, push, settlement),
      },
      (push, result, signal) =>
        resumeExecution({
          baseUrl: settings.baseUrl,
          kestraMajorVersion: settings.kestraMajorVersion,
          tenant: push.tenant ?? settings.defaultTenant,
          executionId: push.executionId,
          inputs: { result: JSON.stringify(result) },
          auth: settings.auth,
          signal,
        }),
      log,
      {
        graceSeconds,
        pollIntervalMs: settings.pollIntervalMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        policy: settings.policy,
        tenants: settings.tenants,
      },
    );
    app.decorate('kestraPush', worker);
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.close());
  },
  { name: 'kestra-push', dependencies: ['supabase'] },
);
