import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config/config-schema.ts';
import { parseDeliveryBody } from '../lib/parse-delivery-body.ts';
import { requestResponseTypeOf } from '../lib/vapi-default-answers.ts';
import { type DeliveryAuthSettings, verifyDelivery } from '../lib/verify-delivery.ts';
import type { SignedDelivery } from '../lib/verify-vapi-signature.ts';
import { withSpan } from '../lib/with-span.ts';
import { failureLimit } from '../plugins/auth-failure-limit.ts';
import { errorBody } from '../plugins/error-handler.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import {
  defaultWebhookDescription,
  sourceWebhookDescription,
  sourceWebhookParamsSchema,
  webhookBodySchema,
  webhookReplySchema,
} from '../schemas/webhook-schemas.ts';
import { storedOrThrow } from '../services/ingest-deliveries.ts';
import { ingestWebhook, type WebhookIngest } from '../services/webhook-ingest-service.ts';
import { sendVapiAnswer } from './vapi-answer.ts';
import { relayAfterStore, startRelay } from './vapi-relay-start.ts';

/**
 * The intake (body and rate limits, the store), the credential it verifies and the answers it gives;
 * recent signatures and per-source verification come from plugins/webhook-verification.ts.
 */
export type WebhookRoutesOptions = Pick<AppConfig, 'webhook' | 'webhookAuth' | 'vapi'>;

/** Both paths are configured in VAPI dashboards today: the default source, verified with the environment's secret. */
export const WEBHOOK_PATHS = ['/api/v1/vapi/webhook', '/api/v1/vapi/webhooks/vapi'] as const;
/** A source's own URL (lib/source-webhook-url.ts builds it), verified with that source's settings. */
export const SOURCE_WEBHOOK_PATH = '/api/v1/vapi/sources/:sourceId/webhook';

const uuid = z.uuid();

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/**
 * Everything the instance does with a delivery's outcome, from the value alone: counts it, logs it, and
 * wakes what waits on a stored call. A delivery not stored is in no log table: the metric and this
 * line are its only trace.
 */
function reportIngest(
  app: FastifyInstance,
  request: FastifyRequest,
  ingest: WebhookIngest,
  sourceId: string | null,
) {
  const metrics = app.callbridgeMetrics;
  metrics.store(ingest);
  metrics.webhook(ingest.eventType, ingest.deliveryOutcome);
  if (ingest.event?.outcome === 'stored' && ingest.callId) {
    app.resultWaiters.notify(ingest.callId);
    if (ingest.isReport) app.kestraPush?.nudge();
  }
  const line = {
    type: ingest.eventType,
    outcome: ingest.deliveryOutcome,
    errorCode: ingest.event?.errorCode ?? undefined,
    sanitized: ingest.sanitizedCount || undefined,
    sourceId: sourceId ?? undefined,
    retries: ingest.retries || undefined,
    storeMs: Math.round(ingest.durationMs),
    cause: 'cause' in ingest ? ingest.cause : undefined,
  };
  if (ingest.outcome === 'timed-out' || ingest.outcome === 'refused')
    request.log.warn(line, 'webhook not stored');
  else if (ingest.retries > 0 || ingest.outcome === 'failed') request.log.warn(line, 'webhook processed');
  else request.log.info(line, 'webhook processed');
}

export const webhookRoutes: FastifyPluginAsyncZod<WebhookRoutesOptions> = async (app, options) => {
  // The signature covers the exact bytes VAPI sent, so in this scope JSON bodies arrive unparsed and
  // anything else is refused with 415.
  app.removeAllContentTypeParsers();
  const relayRoute = { relay: options.vapi.relay, sources: app.webhookSources };
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.webhook.bodyLimit },
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

  // Verification comes first (an HMAC over bytes already read is cheap), so the limits can tell junk
  // from VAPI: failures count per client IP on their own counter and get 429 past it, while verified
  // deliveries count only per source. Junk from VAPI's own address cannot spend VAPI's allowance.
  const unverified = failureLimit(options.webhook.unverifiedRateLimitPerMinute);
  const refuseUnverified = (request: FastifyRequest, reply: FastifyReply, status: 401 | 404) => {
    if (unverified.refuseIfBlocked(request, reply)) return reply;
    unverified.record(request);
    const message = status === 401 ? 'Webhook could not be authenticated' : 'No such webhook source';
    return reply.code(status).send(errorBody(request, status, message));
  };

  // The delivery each request reserved, forgotten again unless it is answered 2xx (see onSend below).
  const reservations = new WeakMap<FastifyRequest, { sourceKey: string; signed: SignedDelivery }>();
  app.addHook('onSend', async (request, reply) => {
    const reserved = reservations.get(request);
    if (reserved && (reply.statusCode < 200 || reply.statusCode >= 300)) {
      // Not committed: VAPI's retry (same bytes) must get through.
      app.recentSignatures.forget(reserved.sourceKey, reserved.signed);
    }
  });

  const verifyWith = async (
    auth: DeliveryAuthSettings,
    request: FastifyRequest,
    reply: FastifyReply,
    sourceKey: string,
  ) => {
    const result = await withSpan(
      'webhook.verify',
      { 'callbridge.webhook.auth': auth.mode },
      async (span) => {
        const verified = await verifyDelivery(auth, {
          headers: request.headers,
          rawBody: rawBody(request),
          method: request.method,
          url: `${request.protocol}://${request.host}${request.url}`,
        });
        span.setAttribute('callbridge.webhook.verified', verified.ok);
        if (!verified.ok) span.setAttribute('callbridge.webhook.refusal', verified.reason);
        return verified;
      },
    );
    if (result.ok) {
      if (!result.signed) return;
      if (app.recentSignatures.reserve(sourceKey, result.signed)) {
        reservations.set(request, { sourceKey, signed: result.signed });
        return;
      }
      // VAPI never resends bytes it got a 2xx for, and a retry after a non-2xx was forgotten above:
      // this copy did not come from VAPI. Refused, so it is neither stored twice nor relayed again.
      app.callbridgeMetrics.verificationFailure('replayed-delivery');
      request.log.warn(
        { reason: 'replayed-delivery' },
        'webhook refused: this signed delivery was already received',
      );
      return reply
        .code(409)
        .send(errorBody(request, 409, 'This signed delivery was already received; it is not stored again'));
    }
    app.callbridgeMetrics.verificationFailure(result.reason);
    request.log.warn({ reason: result.reason }, 'webhook verification failed');
    return refuseUnverified(request, reply, 401);
  };
  const verify = async (request: FastifyRequest, reply: FastifyReply) =>
    verifyWith(options.webhookAuth.auth, request, reply, 'default');

  // Unknown, disabled and malformed ids answer the same 404, so the URL tells a prober nothing.
  const verifySource = async (request: FastifyRequest, reply: FastifyReply) => {
    const { sourceId } = request.params as { sourceId: string };
    const settings =
      app.webhookSources && uuid.safeParse(sourceId).success ? await app.webhookSources.get(sourceId) : null;
    if (!settings) {
      request.log.info('webhook for no active source');
      return refuseUnverified(request, reply, 404);
    }
    return verifyWith(settings, request, reply, sourceId);
  };

  const receive = async (request: FastifyRequest, reply: FastifyReply, sourceId: string | null) => {
    const bytes = rawBody(request);
    const { payload, json } = parseDeliveryBody(bytes);
    // The forward runs alongside the store, so neither eats the other's time; VAPI is answered only
    // once the store has committed.
    const relaying = await startRelay(
      app,
      request,
      relayRoute,
      sourceId,
      requestResponseTypeOf(payload),
      bytes,
    );
    const ingest = await ingestWebhook(
      app.eventBatcher.attempt,
      {
        deliveryId: crypto.randomUUID(),
        payload,
        json,
        payloadBytes: bytes.length,
        receivedAt: new Date(),
        sourceId,
      },
      { ...options.webhook.store, spool: app.spool ?? undefined },
    );
    if (ingest.callId) bindLogContext(request, reply, { callId: ingest.callId });
    reportIngest(app, request, ingest, sourceId);
    // Not committed, nor spooled: 503 (VAPI may retry), or 500 for a refusal that is our bug.
    storedOrThrow(ingest);
    const eventId = ingest.event?.eventId ?? null;
    if (!relaying)
      relayAfterStore(app, request, relayRoute, {
        sourceId,
        eventId,
        eventType: ingest.eventType,
        body: bytes,
      });
    const relayed = await relaying?.outcome;
    if (relaying && relayed) relaying.record(eventId, relayed);
    return sendVapiAnswer(
      reply,
      ingest.eventType,
      ingest.message,
      relayed,
      options.vapi.answers,
      app.callbridgeMetrics,
    );
  };

  const responses = {
    200: webhookReplySchema,
    400: errorResponseSchema,
    401: errorResponseSchema,
    409: errorResponseSchema,
    413: errorResponseSchema,
    415: errorResponseSchema,
    429: errorResponseSchema,
    503: errorResponseSchema,
  };
  // The body is read after verification, by the handler: an authentic message in a shape this version
  // does not know is logged and acknowledged, not rejected.
  const readAfterVerification = () => (data: unknown) => ({ value: data });
  // Counted at preHandler (app.ts), after verification: only authentic deliveries reach it.
  const perSource =
    options.webhook.rateLimitPerMinute > 0
      ? {
          rateLimit: {
            max: options.webhook.rateLimitPerMinute,
            timeWindow: '1 minute',
            keyGenerator: (request: FastifyRequest) =>
              `source:${(request.params as { sourceId?: string }).sourceId ?? 'default'}`,
          },
        }
      : {};

  for (const url of WEBHOOK_PATHS) {
    app.post(
      url,
      {
        preValidation: verify,
        validatorCompiler: readAfterVerification,
        config: perSource,
        schema: {
          tags: ['webhooks'],
          summary: 'Receive a VAPI server message (default source)',
          description: defaultWebhookDescription,
          security: [{ vapiHmac: [] }, { vapiSecret: [] }, { vapiBearer: [] }, { vapiOAuth2: [] }],
          body: webhookBodySchema,
          response: responses,
        },
      },
      (request, reply) => receive(request, reply, null),
    );
  }

  app.post(
    SOURCE_WEBHOOK_PATH,
    {
      preValidation: verifySource,
      validatorCompiler: readAfterVerification,
      config: perSource,
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a VAPI server message for a source',
        description: sourceWebhookDescription,
        security: [{ vapiHmac: [] }, { vapiSecret: [] }, { vapiBearer: [] }, { vapiOAuth2: [] }],
        params: sourceWebhookParamsSchema,
        body: webhookBodySchema,
        response: { ...responses, 404: errorResponseSchema },
      },
    },
    (request, reply) => receive(request, reply, request.params.sourceId),
  );
};
