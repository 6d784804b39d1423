import {
  errorResponseSchema,
  replayEventResponseSchema,
  replayRangeResponseSchema,
  vapiEventListResponseSchema,
  vapiEventResponseSchema,
} from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeEventCursor } from '../lib/event-log-cursor.ts';
import { HttpError } from '../lib/http-errors.ts';
import { toVapiEvent } from '../lib/to-vapi-event.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import { requireWriteAccess } from '../plugins/write-access.ts';
import {
  eventIdParamsSchema,
  eventLogQuerySchema,
  replayRangeBodySchema,
} from '../schemas/event-route-schemas.ts';
import { getEvent, listEvents } from '../services/event-log-service.ts';
import { storedOrThrow } from '../services/ingest-deliveries.ts';
import {
  MAX_REPLAYS_PER_EVENT,
  type ReplayOptions,
  replayEvent,
  replayRange,
} from '../services/replay-service.ts';

export interface EventRoutesOptions {
  rateLimitPerMinute: number;
  /** EVENT_PAGE_MAX_PAYLOAD_BYTES: with include=payload a page stops early once its payloads reach this. */
  maxPagePayloadBytes: number;
  replay: ReplayOptions & { maxEvents: number };
}

const authErrors = { 401: errorResponseSchema, 429: errorResponseSchema, 503: errorResponseSchema };

/**
 * The delivery log and replay: every webhook Callbridge received, for operators (same API keys as the
 * read routes).
 */
export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (app, options) => {
  app.addHook('preHandler', async (request, reply) => {
    const { eventId } = request.params as { eventId?: number };
    if (eventId !== undefined) bindLogContext(request, reply, { eventId });
  });
  app.addHook('preHandler', app.requireApiKey);
  const rateLimit = { max: options.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket };

  app.get(
    '/api/v1/vapi/events',
    {
      config: { rateLimit },
      schema: {
        tags: ['operations'],
        summary: 'The webhook delivery log, newest first',
        description: `Every delivery Callbridge received, whatever its outcome. Filter by call, type, outcome and time received (\`since\` inclusive, \`until\` exclusive). Page with \`limit\` (1-250, default 50) and the returned \`nextCursor\`; pages stay stable while new deliveries arrive. Payloads are left out unless \`include=payload\`; then a page also stops early once its payloads add up to ${options.maxPagePayloadBytes} bytes (EVENT_PAGE_MAX_PAYLOAD_BYTES, at least one event per page): follow \`nextCursor\` as usual.`,
        security: [{ apiKey: [] }],
        querystring: eventLogQuerySchema,
        response: { 200: vapiEventListResponseSchema, 400: errorResponseSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const { limit, cursor: cursorText, include, ...filter } = request.query;
      if (filter.callId !== undefined) bindLogContext(request, reply, { callId: filter.callId });
      const cursor = cursorText === undefined ? undefined : decodeEventCursor(cursorText);
      if (cursorText !== undefined && !cursor) throw new HttpError(400, 'cursor is not one this API issued');
      const page = await listEvents(
        app.supabase,
        filter,
        {
          limit,
          cursor,
          withContent: include === 'payload',
          maxPayloadBytes: options.maxPagePayloadBytes,
        },
        request.readScope,
      );
      return {
        success: true as const,
        data: page.rows.map(toVapiEvent),
        page: { limit, nextCursor: page.nextCursor },
      };
    },
  );

  app.get(
    '/api/v1/vapi/events/:eventId',
    {
      config: { rateLimit },
      schema: {
        tags: ['operations'],
        summary: 'One delivery, with its stored payload',
        description:
          'The delivery as stored (credentials redacted) and what had to be changed for Postgres to take it.',
        security: [{ apiKey: [] }],
        params: eventIdParamsSchema,
        response: {
          200: vapiEventResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const row = await getEvent(app.supabase, request.params.eventId, request.readScope);
      if (!row) throw new HttpError(404, `No delivery ${request.params.eventId} is logged`);
      if (row.call_id) bindLogContext(request, reply, { callId: row.call_id });
      const event = toVapiEvent(row);
      return {
        success: true as const,
        data: { ...event, payload: event.payload ?? null, sanitized: event.sanitized ?? null },
      };
    },
  );

  app.post(
    '/api/v1/vapi/events/:eventId/replay',
    {
      config: { rateLimit },
      preHandler: requireWriteAccess,
      schema: {
        tags: ['operations'],
        summary: 'Replay one delivery',
        description:
          'Re-applies the stored payload through the same mapping and merge as a live delivery, and logs the replay as a new event whose `replayOf` names this one. Merging is idempotent: replaying a delivery that was already merged leaves the call as it was. This is how a `failed` delivery is merged once its cause is fixed. 409 when the event has no stored payload, when a replay of it already merged (again would only add a row), or after 3 replays. 403 for a read key without `read+write` access.',
        security: [{ apiKey: [] }],
        params: eventIdParamsSchema,
        response: {
          200: replayEventResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          403: errorResponseSchema,
          409: errorResponseSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const result = await replayEvent(app.supabase, eventId, options.replay, request.readScope);
      if (result.state === 'unknown') throw new HttpError(404, `No delivery ${eventId} is logged`);
      if (result.state === 'no-payload')
        throw new HttpError(409, `Delivery ${eventId} has no stored payload to replay`);
      if (result.state === 'already-replayed') {
        throw new HttpError(
          409,
          result.reason === 'merged'
            ? `Delivery ${eventId} was already replayed and merged as event ${result.replayEventId}; replaying it again would change nothing`
            : `Delivery ${eventId} was already replayed ${MAX_REPLAYS_PER_EVENT} times (last as event ${result.replayEventId})`,
        );
      }
      const { record, ingested } = result;
      if (record.callId) bindLogContext(request, reply, { callId: record.callId });
      app.callbridgeMetrics.store(ingested);
      if (ingested.retries > 0)
        request.log.warn({ retries: ingested.retries }, 'storing the replay was retried');
      const [stored] = storedOrThrow(ingested);
      if (!stored) throw new Error('ingest_vapi_event_batch answered no result for the replay');
      if (stored.outcome === 'stored' && record.callId) app.resultWaiters.notify(record.callId);
      request.log.info(
        {
          replayEventId: stored.eventId,
          type: record.eventType,
          outcome: stored.outcome,
        },
        'delivery replayed',
      );
      return {
        success: true as const,
        data: {
          replayOf: eventId,
          eventId: stored.eventId,
          callId: record.callId,
          type: record.eventType,
          outcome: stored.outcome,
          errorCode: stored.errorCode,
        },
      };
    },
  );

  app.post(
    '/api/v1/vapi/events/replay',
    {
      config: { rateLimit },
      preHandler: requireWriteAccess,
      schema: {
        tags: ['operations'],
        summary: 'Replay the deliveries of a time range',
        description: `Replays every delivery received in [since, until), oldest first, optionally only those with one outcome (e.g. \`failed\` after a fix), at most ${options.replay.maxEvents} per request; \`more\` and \`nextSince\` say where to continue. Each replay is logged as a new event; replays are not replayed again, and neither is an event a replay already merged or one replayed 3 times (counted in \`alreadyReplayed\`): repeating a range adds nothing. Needs an API_KEYS key or a \`read+write\` read key (403 otherwise).`,
        security: [{ apiKey: [] }],
        body: replayRangeBodySchema,
        response: {
          200: replayRangeResponseSchema,
          400: errorResponseSchema,
          403: errorResponseSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const result = await replayRange(app.supabase, request.body, options.replay, request.readScope);
      for (const store of result.stores) app.callbridgeMetrics.store(store);
      for (const { callId, outcome } of result.stored) {
        if (outcome === 'stored' && callId) app.resultWaiters.notify(callId);
      }
      request.log.info(
        {
          ...request.body,
          replayed: result.replayed,
          withoutPayload: result.withoutPayload,
          alreadyReplayed: result.alreadyReplayed,
          more: result.more,
          retries: result.stores.reduce((sum, store) => sum + store.retries, 0) || undefined,
        },
        'delivery range replayed',
      );
      return {
        success: true as const,
        data: {
          replayed: result.replayed,
          withoutPayload: result.withoutPayload,
          alreadyReplayed: result.alreadyReplayed,
          more: result.more,
          nextSince: result.nextSince,
        },
      };
    },
  );
};
