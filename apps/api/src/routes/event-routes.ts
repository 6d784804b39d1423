import {
  errorResponseSchema,
  replayEventResponseSchema,
  replayRangeResponseSchema,
  vapiEventListResponseSchema,
  vapiEventResponseSchema,
} from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config-schema.ts';
import { decodeEventCursor } from '../lib/event-log-cursor.ts';
import { HttpError } from '../lib/http-errors.ts';
import { toVapiEvent } from '../lib/to-vapi-event.ts';
import { bindLogContext } from '../plugins/request-logging.ts';
import { requireWriteAccess } from '../plugins/write-access.ts';
import {
  eventDescription,
  eventIdParamsSchema,
  eventLogDescription,
  eventLogQuerySchema,
  replayEventDescription,
  replayRangeBodySchema,
  replayRangeDescription,
} from '../schemas/event-route-schemas.ts';
import { getEvent, listEvents } from '../services/event-log-service.ts';
import { storedOrThrow } from '../services/ingest-deliveries.ts';
import { MAX_REPLAYS_PER_EVENT, replayEvent, replayRange } from '../services/replay-service.ts';
import { rpcAttempt } from '../services/store-vapi-events.ts';

/** reads: the page payload cap and the range replay cap; webhook.replay: how a replay is stored. */
export type EventRoutesOptions = Pick<AppConfig, 'reads' | 'webhook'>;

/**
 * The delivery log and replay: every webhook Callbridge received, for operators (same API keys as the
 * read routes).
 */
export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (app, options) => {
  const maxPagePayloadBytes = options.reads.eventPageMaxPayloadBytes;
  const replay = {
    ...options.webhook.replay,
    maxEvents: options.reads.replayMaxEvents,
    store: rpcAttempt(app.ingestEndpoint),
  };

  app.get(
    '/api/v1/vapi/events',
    {
      schema: {
        tags: ['operations'],
        summary: 'The webhook delivery log, newest first',
        description: eventLogDescription(maxPagePayloadBytes),
        querystring: eventLogQuerySchema,
        response: { 200: vapiEventListResponseSchema, 400: errorResponseSchema },
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
          maxPayloadBytes: maxPagePayloadBytes,
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
      schema: {
        tags: ['operations'],
        summary: 'One delivery, with its stored payload',
        description: eventDescription,
        params: eventIdParamsSchema,
        response: {
          200: vapiEventResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
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
      preHandler: requireWriteAccess,
      schema: {
        tags: ['operations'],
        summary: 'Replay one delivery',
        description: replayEventDescription,
        params: eventIdParamsSchema,
        response: {
          200: replayEventResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          403: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const result = await replayEvent(app.supabase, eventId, replay, request.readScope);
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
      if (!stored) throw new Error('ingest_vapi_deliveries answered no result for the replay');
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
      preHandler: requireWriteAccess,
      schema: {
        tags: ['operations'],
        summary: 'Replay the deliveries of a time range',
        description: replayRangeDescription(replay.maxEvents),
        body: replayRangeBodySchema,
        response: {
          200: replayRangeResponseSchema,
          400: errorResponseSchema,
          403: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const result = await replayRange(app.supabase, request.body, replay, request.readScope);
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
