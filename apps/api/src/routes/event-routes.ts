import {
  errorResponseSchema,
  vapiEventListResponseSchema,
  vapiEventResponseSchema,
} from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeEventCursor } from '../lib/event-log-cursor.ts';
import { HttpError } from '../lib/http-errors.ts';
import { toVapiEvent } from '../lib/to-vapi-event.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { eventIdParamsSchema, eventLogQuerySchema } from '../schemas/event-route-schemas.ts';
import { getEvent, listEvents } from '../services/event-log-service.ts';

export interface EventRoutesOptions {
  rateLimitPerMinute: number;
}

const authErrors = { 401: errorResponseSchema, 429: errorResponseSchema, 503: errorResponseSchema };

/** The delivery log: every webhook Callbridge received, for operators (same API keys as the read routes). */
export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (app, options) => {
  app.addHook('preHandler', app.requireApiKey);
  const rateLimit = { max: options.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket };

  app.get(
    '/api/v1/vapi/events',
    {
      config: { rateLimit },
      schema: {
        tags: ['operations'],
        summary: 'The webhook delivery log, newest first',
        description:
          'Every delivery Callbridge received, whatever its outcome. Filter by call, type, outcome and time received (`since` inclusive, `until` exclusive). Page with `limit` (1-250, default 50) and the returned `nextCursor`; pages stay stable while new deliveries arrive. Payloads are left out unless `include=payload`.',
        security: [{ apiKey: [] }],
        querystring: eventLogQuerySchema,
        response: { 200: vapiEventListResponseSchema, 400: errorResponseSchema, ...authErrors },
      },
    },
    async (request) => {
      const { limit, cursor: cursorText, include, ...filter } = request.query;
      const cursor = cursorText === undefined ? undefined : decodeEventCursor(cursorText);
      if (cursorText !== undefined && !cursor) throw new HttpError(400, 'cursor is not one this API issued');
      const page = await listEvents(app.supabase, filter, {
        limit,
        cursor,
        withContent: include === 'payload',
      });
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
    async (request) => {
      const row = await getEvent(app.supabase, request.params.eventId);
      if (!row) throw new HttpError(404, `No delivery ${request.params.eventId} is logged`);
      const event = toVapiEvent(row);
      return {
        success: true as const,
        data: { ...event, payload: event.payload ?? null, sanitized: event.sanitized ?? null },
      };
    },
  );
};
