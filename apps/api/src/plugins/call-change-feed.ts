import fp from 'fastify-plugin';
import type { ReadsSettings } from '../config/reads-settings.ts';
import { CallChangeFeed } from '../services/call-change-feed.ts';
import { listCallsChangedSince } from '../services/call-list-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    callChangeFeed: CallChangeFeed;
  }
}

const WEBHOOK_PATHS = new Set(['/api/v1/vapi/webhook', '/api/v1/vapi/webhooks/vapi']);

/** The live calls stream's source: one poll a second per instance, poked by this instance's webhooks. */
export const callChangeFeedPlugin = fp<ReadsSettings['stream']>(
  async (app, options) => {
    const feed = new CallChangeFeed(
      (since, limit) => listCallsChangedSince(app.supabase, since, limit),
      options.pollIntervalMs,
      (error) => app.log.warn({ err: error }, 'reading changed calls failed; retrying next interval'),
    );
    app.decorate('callChangeFeed', feed);
    // A 2xx from the webhook means the event is committed: the cheapest hook that knows it, without
    // reaching into the webhook route.
    app.addHook('onResponse', async (request, reply) => {
      if (
        reply.statusCode < 300 &&
        request.method === 'POST' &&
        WEBHOOK_PATHS.has(request.routeOptions.url ?? '')
      )
        feed.poke();
    });
    // preClose: open streams are requests in flight, and Fastify waits for those before closing.
    app.addHook('preClose', async () => feed.close());
  },
  { name: 'call-change-feed', dependencies: ['supabase'] },
);
