import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ingestDeliveries, storedOrThrow } from '../services/ingest-deliveries.ts';
import { SpoolFullError } from '../services/spool-journal.ts';
import { SpoolService } from '../services/spool-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The local spool; null without SPOOL_DIR. */
    spool: SpoolService | null;
  }
}

export interface SpoolPluginOptions {
  /** Unset: no spool, a store that outlasts its budget answers 503 as before. */
  dir?: string;
  maxBytes: number;
  afterMs: number;
  /** Records per drain transaction. */
  drainBatchSize: number;
  attemptTimeoutMs: number;
  /** Warn at start when there is no spool (production). */
  warnWithout: boolean;
}

/** Segments this size keep a freed backlog's disk returned soon, in few files. */
const SEGMENT_BYTES = 16 * 1024 * 1024;

/**
 * Opens the instance's spool at start (taking its lock, reporting damage left by a crash) and starts
 * draining what an earlier process left; on close, stops after the batch in progress — what is left
 * stays on disk for the next start or for `drain-spool`.
 */
export const spoolPlugin = fp<SpoolPluginOptions>(
  async (app, options) => {
    if (!options.dir) {
      app.decorate('spool', null);
      if (options.warnWithout) {
        app.log.warn(
          'SPOOL_DIR is not set: while the database is out of reach for longer than WEBHOOK_STORE_BUDGET_MS, webhooks are answered 503 and VAPI does not resend them',
        );
      }
      return;
    }
    const registers = [app.metricsRegistry];
    const appends = new Counter({
      name: 'callbridge_spool_appends_total',
      help: 'Deliveries spooled to local disk because the database did not commit them within SPOOL_AFTER_MS',
      registers,
    });
    const drained = new Counter({
      name: 'callbridge_spool_drained_total',
      help: 'Spooled deliveries stored in the database since start',
      registers,
    });
    const refused = new Counter({
      name: 'callbridge_spool_refused_total',
      help: 'Deliveries the spool could not take, by reason (full: at SPOOL_MAX_BYTES; write-error: ENOSPC, EIO…). Alert on any',
      labelNames: ['reason'] as const,
      registers,
    });
    const corrupt = new Counter({
      name: 'callbridge_spool_corrupt_records_total',
      help: 'Damaged ranges found in the spool at start (torn: a write cut short; corrupt: a checksum failed), kept aside in *.corrupt files',
      labelNames: ['kind'] as const,
      registers,
    });
    const syncDuration = new Histogram({
      name: 'callbridge_spool_sync_duration_seconds',
      help: 'Time of each group fdatasync of the spool',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    const log = app.log.child({ component: 'spool' });
    const spool = await SpoolService.open({
      afterMs: options.afterMs,
      journal: {
        dir: options.dir,
        maxBytes: options.maxBytes,
        segmentBytes: SEGMENT_BYTES,
        onSync: (seconds) => syncDuration.observe(seconds),
        onDamage: (damage) => {
          corrupt.inc({ kind: damage.kind });
          log.error(damage, 'damaged spool record found; kept aside, the good records drain');
        },
      },
      drain: {
        batchSize: options.drainBatchSize,
        retryMinMs: 250,
        retryMaxMs: 2000,
        // Each record through the ingest path on its own budget (one attempt), batched by the group
        // commit into one call: a record PostgREST refuses is kept without content, as on receipt. One
        // not stored throws, so the batch stays spooled and is drained again.
        store: (records) =>
          Promise.all(
            records.map(async (record) => {
              const ingested = await ingestDeliveries(app.eventBatcher.attempt, [record], {
                budgetMs: options.attemptTimeoutMs,
                attemptTimeoutMs: options.attemptTimeoutMs,
              });
              const [stored] = storedOrThrow(ingested);
              if (!stored) throw new Error(`a drained delivery came back ${ingested.outcome}`);
              return stored;
            }),
          ),
        onDrained: (records, results) => {
          drained.inc(records.length);
          for (const [index, record] of records.entries()) {
            const result = results[index];
            if (result?.outcome !== 'stored' || !record.callId) continue;
            app.resultWaiters.notify(record.callId);
            if (record.isReport) app.kestraPush?.nudge();
          }
        },
        onError: (error) => log.warn({ err: error }, 'draining the spool failed; retrying'),
      },
      hooks: {
        onAppended: (record) => {
          appends.inc();
          // A long poll parked on this call is answered from the spooled report (call-routes.ts).
          if (record.callId && record.isReport) app.resultWaiters.notify(record.callId);
        },
        onRefused: (error) => {
          refused.inc({ reason: error instanceof SpoolFullError ? 'full' : 'write-error' });
          log.error(
            { err: error },
            'the spool refused a delivery: it rides on its store, and is answered 503 if that fails',
          );
        },
      },
    });
    new Gauge({
      name: 'callbridge_spool_depth',
      help: 'Deliveries in the local spool not yet stored in the database',
      registers,
      collect() {
        this.set(spool.journal.depth);
      },
    });
    new Gauge({
      name: 'callbridge_spool_bytes',
      help: 'Bytes of the spool files on disk (SPOOL_MAX_BYTES caps them)',
      registers,
      collect() {
        this.set(spool.journal.bytes);
      },
    });
    new Gauge({
      name: 'callbridge_spool_oldest_age_seconds',
      help: 'Age of the oldest delivery waiting in the spool (0 when empty)',
      registers,
      collect() {
        this.set(spool.journal.oldestAgeSeconds());
      },
    });
    app.decorate('spool', spool);
    if (spool.journal.depth > 0) {
      log.warn({ depth: spool.journal.depth }, 'spooled deliveries left by an earlier process; draining');
    }
    app.addHook('onReady', async () => spool.drainer.nudge());
    app.addHook('onClose', () => spool.close());
  },
  { name: 'spool', dependencies: ['event-batcher', 'metrics', 'result-waiters'] },
);
