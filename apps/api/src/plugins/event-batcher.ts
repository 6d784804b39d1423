import fp from 'fastify-plugin';
import { EventBatcher } from '../services/event-batcher.ts';

declare module 'fastify' {
  interface FastifyInstance {
    eventBatcher: EventBatcher;
  }
}

export interface EventBatcherPluginOptions {
  maxWaitMs: number;
  maxSize: number;
}

/** One group commit per instance for webhook stores; on close, what is waiting is stored first. */
export const eventBatcherPlugin = fp<EventBatcherPluginOptions>(
  async (app, options) => {
    const batcher = new EventBatcher(app.ingestEndpoint, {
      ...options,
      onBatch: (size) => app.callbridgeMetrics.storeBatch(size),
    });
    app.decorate('eventBatcher', batcher);
    app.addHook('onClose', () => batcher.close());
  },
  { name: 'event-batcher', dependencies: ['supabase', 'metrics'] },
);
