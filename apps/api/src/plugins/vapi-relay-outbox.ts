import fp from 'fastify-plugin';
import type { VapiSettings } from '../config/vapi-settings.ts';
import { relayDelivery } from '../services/vapi-relay.ts';
import {
  claimRelays,
  enqueueRelay,
  type RelayToEnqueue,
  settleRelay,
} from '../services/vapi-relay-outbox.ts';
import { RelayOutboxWorker } from '../services/vapi-relay-outbox-worker.ts';

export interface VapiRelayOutbox {
  /** VAPI_RELAY_TYPES. */
  types: ReadonlySet<string>;
  /** Writes the row of a stored delivery and wakes the worker. */
  enqueue(relay: RelayToEnqueue): Promise<void>;
  worker: RelayOutboxWorker;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Present only when VAPI_RELAY_TYPES names a type. */
    vapiRelayOutbox?: VapiRelayOutbox;
  }
}

/**
 * Forwards the informational types of VAPI_RELAY_TYPES to the team's server, from the outbox; does
 * nothing (no `vapiRelayOutbox`) unless VAPI_RELAY_TYPES names a type.
 */
export const vapiRelayOutboxPlugin = fp<VapiSettings>(
  async (app, { relayOutbox: settings }) => {
    if (!settings) return;
    const { enqueueTimeoutMs } = settings;
    const log = app.log.child({ component: 'vapi-relay-outbox' });
    const worker = new RelayOutboxWorker(
      {
        claim: (limit, leaseSeconds) => claimRelays(app.supabase, { limit, leaseSeconds }),
        settle: (row, settlement) => settleRelay(app.supabase, row, settlement),
      },
      (row, signal) =>
        relayDelivery({
          url: row.relay_url,
          rawHeaders: row.headers.flat(),
          body: row.body,
          timeoutMs: settings.requestTimeoutMs,
          signal,
        }),
      log,
      {
        pollIntervalMs: settings.pollIntervalMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        policy: settings.policy,
        onForwarded: (type, outcome) => app.callbridgeMetrics.relay(type, outcome.kind, outcome.ms / 1000),
      },
    );
    app.decorate('vapiRelayOutbox', {
      types: settings.types,
      async enqueue(relay) {
        await enqueueRelay(app.supabase, relay, enqueueTimeoutMs);
        worker.nudge();
      },
      worker,
    });
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.close());
  },
  { name: 'vapi-relay-outbox', dependencies: ['supabase', 'metrics'] },
);
