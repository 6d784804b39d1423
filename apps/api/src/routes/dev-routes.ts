import { errorResponseSchema, simulateCallResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WebhookAuthSection } from '../config/webhook-auth-settings.ts';
import { playSimulatedCall } from '../lib/play-simulated-call.ts';
import { simulatedCall } from '../lib/simulated-call.ts';
import { vapiDeliveryHeaders } from '../lib/vapi-delivery-headers.ts';

export type DevRoutesOptions = Pick<WebhookAuthSection, 'auth'>;

const WEBHOOK_PATH = '/api/v1/vapi/webhook';

/**
 * Development helpers, registered only with SIMULATOR_ENABLED. The simulator is server-side because
 * the browser must never hold the webhook secret.
 */
export const devRoutes: FastifyPluginAsyncZod<DevRoutesOptions> = async (app, options) => {
  app.addHook('preHandler', app.requireApiKey);
  const running = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of running) controller.abort();
  });

  app.post(
    '/api/v1/dev/simulate-call',
    {
      schema: {
        tags: ['development'],
        summary: 'Play a simulated VAPI call against this API',
        description:
          'Only when SIMULATOR_ENABLED=true. Answers 202 at once, then posts a realistic, correctly signed VAPI call to this instance’s webhook over about 15 seconds: status updates (queued → ringing → in-progress), speech, transcript and conversation updates, status ended, then an end-of-call report with transcript, recording URL, analysis and cost breakdown. The same call as `pnpm simulate-call`.',
        security: [{ apiKey: [] }],
        querystring: z.object({
          pace: z.coerce
            .number()
            .min(0)
            .max(1)
            .default(1)
            .describe('Multiplies the pauses: 1 plays the call roughly live, 0 posts it all at once'),
        }),
        response: { 202: simulateCallResponseSchema, 401: errorResponseSchema, 503: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { callId, deliveries } = simulatedCall({ pace: request.query.pace });
      const controller = new AbortController();
      running.add(controller);
      const host = request.host;
      const send = async (body: string) => {
        const url = `${request.protocol}://${host}${WEBHOOK_PATH}`;
        const response = await app.inject({
          method: 'POST',
          url: WEBHOOK_PATH,
          payload: body,
          headers: { host, ...(await vapiDeliveryHeaders(options.auth, { body, url })) },
        });
        return response.statusCode;
      };
      playSimulatedCall(deliveries, send, controller.signal)
        .then((result) => request.log.info({ callId, ...result }, 'simulated call played'))
        .catch((error) => request.log.warn({ err: error, callId }, 'simulated call stopped'))
        .finally(() => running.delete(controller));
      return reply
        .code(202)
        .send({ success: true as const, data: { callId, deliveries: deliveries.length } });
    },
  );
};
