import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError, ServiceUnavailableError } from '../lib/http-errors.ts';
import { vapiReply } from '../lib/vapi-reply.ts';
import { verifyVapiWebhook, type WebhookAuthSettings } from '../lib/verify-vapi-signature.ts';
import { errorBody } from '../plugins/error-handler.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import { webhookBodySchema, webhookReplySchema } from '../schemas/webhook-schemas.ts';
import { type IngestOptions, type IngestResult, ingestWebhook } from '../services/webhook-ingest-service.ts';

export interface WebhookRoutesOptions {
  auth: WebhookAuthSettings;
  bodyLimit: number;
  rateLimitPerMinute: number;
  ingest: Omit<IngestOptions, 'onRetry' | 'onStoreDuration' | 'onPrepared'>;
  assistantId?: string;
}

/** Both paths are configured in VAPI dashboards today. */
export const WEBHOOK_PATHS = ['/api/v1/vapi/webhook', '/api/v1/vapi/webhooks/vapi'] as const;

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export const webhookRoutes: FastifyPluginAsyncZod<WebhookRoutesOptions> = async (app, options) => {
  // The signature covers the exact bytes VAPI sent, so in this scope JSON bodies arrive unparsed and
  // anything else is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_req, body, done) => done(null, body),
  );

  app.addHook('onRequest', async (request, reply) => {
    const encoding = request.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      return reply
        .code(415)
        .send(errorBody(request, 415, 'Compressed bodies are not accepted; send plain JSON'));
    }
  });

  const verify = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = verifyVapiWebhook(options.auth, {
      headers: request.headers,
      rawBody: rawBody(request),
      method: request.method,
      url: `${request.protocol}://${request.host}${request.url}`,
    });
    if (result.ok) return;
    app.callbridgeMetrics.verificationFailure(result.reason);
    request.log.warn({ reason: result.reason }, 'webhook verification failed');
    return reply.code(401).send(errorBody(request, 401, 'Webhook could not be authenticated'));
  };

  for (const url of WEBHOOK_PATHS) {
    app.post(
      url,
      {
        preValidation: verify,
        // The body is read after verification, by the handler: an authentic message in a shape this
        // version does not know is logged and acknowledged, not rejected.
        validatorCompiler: () => (data) => ({ value: data }),
        config: { rateLimit: { max: options.rateLimitPerMinute, timeWindow: '1 minute' } },
        schema: {
          tags: ['webhooks'],
          summary: 'Receive a VAPI server message',
          description:
            'Verifies the request against the configured VAPI credential (HMAC signature, shared secret or bearer token), stores the message, then answers. A 2xx means the event is committed; every authentic delivery is stored (values Postgres cannot take are sanitized and the change recorded). While the database is out of reach the store is retried for up to WEBHOOK_STORE_BUDGET_MS; 503 means it could not be stored in that time and VAPI should retry (it does only with a backoffPlan).',
          security: [{ vapiHmac: [] }, { vapiSecret: [] }, { vapiBearer: [] }],
          body: webhookBodySchema,
          response: {
            200: webhookReplySchema,
            400: errorResponseSchema,
            401: errorResponseSchema,
            413: errorResponseSchema,
            415: errorResponseSchema,
            429: errorResponseSchema,
            503: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const bytes = rawBody(request);
        let payload: unknown;
        try {
          payload = JSON.parse(bytes.toString('utf8'));
        } catch {
          throw new HttpError(400, 'Body is not valid JSON');
        }
        let eventType = 'unknown';
        let result: IngestResult;
        try {
          result = await ingestWebhook(
            app.eventBatcher.attempt,
            { deliveryId: crypto.randomUUID(), payload, payloadBytes: bytes.length, receivedAt: new Date() },
            {
              ...options.ingest,
              onRetry: (retry) => {
                app.callbridgeMetrics.storeRetry();
                request.log.warn(retry, 'storing the delivery failed; retrying');
              },
              onStoreDuration: app.callbridgeMetrics.storeDuration,
              onPrepared: (delivery) => {
                eventType = delivery.eventType;
                if (delivery.callId) bindLogContext(request, reply, { callId: delivery.callId });
              },
            },
          );
        } catch (error) {
          // Not stored, so not in the delivery log either: the metric is the only trace of it.
          if (error instanceof ServiceUnavailableError)
            app.callbridgeMetrics.webhook(eventType, 'unavailable');
          throw error;
        }
        app.callbridgeMetrics.webhook(result.eventType, result.outcome);
        if (result.outcome === 'stored' && result.callId) {
          app.resultWaiters.notify(result.callId);
          if (result.isReport) app.kestraPush?.nudge();
        }
        request.log.info(
          {
            type: result.eventType,
            outcome: result.outcome,
            errorCode: result.errorCode ?? undefined,
            sanitized: result.sanitizedCount || undefined,
          },
          'webhook processed',
        );
        return vapiReply(result.message, { assistantId: options.assistantId });
      },
    );
  }
};
