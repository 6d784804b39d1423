import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config/config-schema.ts';
import { HttpError } from '../lib/http-errors.ts';
import { requestResponseTypeOf } from '../lib/vapi-default-answers.ts';
import { type DeliveryAuthSettings, verifyDelivery } from '../lib/verify-delivery.ts';
import type { SignedDelivery } from '../lib/verify-vapi-signature.ts';
import { withSpan } from '../lib/with-span.ts';
import { failureLimit } from '../plugins/auth-failure-limit.ts';
import { errorBody } from '../plugins/error-handler.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import {
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
    let payload: unknown;
    try {
      // A leading BOM is allowed to be refused (RFC 8259 §8.1), but this delivery is authentic: a 400
      // would lose it for good. The signature was checked over the bytes as sent, BOM included.
      const text = bytes.toString('utf8');
      payload = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      throw new HttpError(400, 'Body is not valid JSON');
    }
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
          description:
            'Verifies the request against the credential configured in the environment (VAPI_WEBHOOK_AUTH: HMAC signature, shared secret, bearer token, or an OAuth2 access token from POST /api/v1/vapi/oauth/token), stores the message, then answers. A 2xx means the event is committed; every authentic delivery is stored (values Postgres cannot take are sanitized and the change recorded). While the database is out of reach the store is retried for up to WEBHOOK_STORE_BUDGET_MS; 503 means it could not be stored in that time and VAPI should retry (it does only with a backoffPlan). A delivery for a call that arrived through a source URL is logged as `rejected` (`source-mismatch`) and not merged. The eight request-response types (assistant-request, tool-calls, campaign.predial, …) are answered in the shape of VAPI’s SDK: with VAPI_RELAY_URL set, by the team’s own VAPI server (forwarded byte for byte with VAPI’s headers, its answer returned unchanged), else, or when it fails or is late, with the default answer (docs/vapi-setup.md, “Default answers”). The informational types of VAPI_RELAY_TYPES are forwarded after they are stored, without delaying the 2xx. 429 only for a client whose requests failed verification more than WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE times this minute (counted per client IP, apart from verified deliveries), or for verified deliveries past WEBHOOK_RATE_LIMIT_PER_MINUTE for the source when that is set (default: unlimited). With HMAC, the same signed delivery received again while its timestamp is inside the tolerance is refused with 409 and not stored (VAPI resends the same bytes only after a non-2xx, and those retries are let through); this memory is per instance.',
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
        description:
          "The webhook URL the admin API answers for a source: set it as the server URL of the source's VAPI assistant or phone number. Verified with that source's verification settings and secrets (the current one, and the previous ones while their rotation overlap lasts); relayed to the source's own relayUrl (never VAPI_RELAY_URL); otherwise exactly like the default path: 401 when verification fails, 409 for a signed delivery already received inside its window, 2xx once the event is committed, 503 when it could not be stored in time. The call and the event are stored under the source: only read keys scoped to it (and API_KEYS) see them. A delivery for a call id that already belongs to another source (or to the default source) is logged as `rejected` with error code `source-mismatch`, answered 2xx and not merged. 404, with one body, for an id that is malformed, unknown or of a disabled source; nothing is stored. Settings are cached per source for WEBHOOK_SOURCE_CACHE_MS (default 5 s): disabling or rotating takes effect within that.",
        security: [{ vapiHmac: [] }, { vapiSecret: [] }, { vapiBearer: [] }, { vapiOAuth2: [] }],
        params: sourceWebhookParamsSchema,
        body: webhookBodySchema,
        response: { ...responses, 404: errorResponseSchema },
      },
    },
    (request, reply) => receive(request, reply, request.params.sourceId),
  );
};
