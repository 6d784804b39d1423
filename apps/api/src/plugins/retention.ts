import fp from 'fastify-plugin';
import {
  purgedFullBatch,
  purgeRetention,
  RETENTION_MAX_BATCH,
  type RetentionSettings,
} from '../services/retention-service.ts';
import { RetentionWorker } from '../services/retention-worker.ts';

export interface RetentionPluginOptions extends Omit<RetentionSettings, 'batch'> {
  enabled: boolean;
  intervalMs: number;
  pauseFactor: number;
}

/** The retention worker: purges past-retention rows every interval, in every instance, one at a time. */
export const retentionPlugin = fp<RetentionPluginOptions>(
  async (app, options) => {
    if (!options.enabled) return;
    const { enabled: _, intervalMs, pauseFactor, ...periods } = options;
    const settings = { ...periods, batch: RETENTION_MAX_BATCH };
    const worker = new RetentionWorker(() => purgeRetention(app.supabase, settings), {
      intervalMs,
      maxBatchesPerTick: 20,
      pauseFactor,
      isFull: (result) => purgedFullBatch(result, settings.batch),
      onPurged: (result) => {
        if (result.payloadsCleared + result.eventsDeleted + result.callsDeleted > 0)
          app.log.info(result, 'purged past retention');
      },
      onError: (error) => app.log.warn({ err: error }, 'retention purge failed; retrying next interval'),
    });
    app.addHook('onReady', async () => worker.start());
    app.addHook('preClose', async () => worker.close());
  },
  { name: 'retention', dependencies: ['supabase'] },
);
