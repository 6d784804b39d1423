import { CALL_STREAM_EVENTS, callListResponseSchema, errorResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { decodeCursor } from '../lib/call-history-cursor.ts';
import { HttpError } from '../lib/http-errors.ts';
import { normalizePhoneNumber } from '../lib/normalize-phone-number.ts';
import { inReadScope } from '../lib/read-scope.ts';
import { serverSentEvent, toCallListItem } from '../lib/to-call-list-item.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { callListQuerySchema, callStreamDescription } from '../schemas/call-list-route-schemas.ts';
import { listCalls } from '../services/call-list-service.ts';

export interface CallListRoutesOptions {
  graceSeconds: number;
  rateLimitPerMinute: number;
  region: CountryCode;
  /** Comment lines keep idle proxies from closing the stream. */
  heartbeatMs?: number;
}

const authErrors = { 401: errorResponseSchema, 429: errorResponseSchema, 503: errorResponseSchema };

/** Every call, newest first, and the live stream of changes: what the dashboard's Calls view reads. */
export const callListRoutes: FastifyPluginAsyncZod<CallListRoutesOptions> = async (app, options) => {
  app.addHook('preHandler', app.requireApiKey);
  const rateLimit = { max: options.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket };
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  app.get(
    '/api/v1/vapi/calls',
    {
      config: { rateLimit },
      schema: {
        tags: ['calls'],
        summary: 'Every call, newest first',
        description:
          'Filter by status, outcome (ended calls only), customer number (any common format) and creation time (`since` inclusive, `until` exclusive). Page with `limit` (1-100, default 25) and the returned `nextCursor`; pages stay stable while new calls arrive.',
        security: [{ apiKey: [] }],
        querystring: callListQuerySchema,
        response: { 200: callListResponseSchema, 400: errorResponseSchema, ...authErrors },
      },
    },
    async (request) => {
      const { limit, cursor: cursorText, phone, ...filter } = request.query;
      const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
      if (cursorText !== undefined && !cursor) throw new HttpError(400, 'cursor is not one this API issued');
      const customerNumber = phone === undefined ? undefined : normalizePhoneNumber(phone, options.region);
      if (phone !== undefined && !customerNumber) throw new HttpError(400, 'phone is not a phone number');
      const page = await listCalls(
        app.supabase,
        { ...filter, customerNumber },
        { limit, cursor },
        request.readScope,
      );
      const now = new Date();
      return {
        success: true as const,
        data: page.rows.map((row) => toCallListItem(row, now, options.graceSeconds)),
        page: { limit, nextCursor: page.nextCursor },
      };
    },
  );

  app.get(
    '/api/v1/vapi/calls/stream',
    {
      config: { rateLimit },
      schema: {
        tags: ['calls'],
        summary: 'Live stream of call changes (server-sent events)',
        description: callStreamDescription,
        security: [{ apiKey: [] }],
        produces: ['text/event-stream'],
        response: {
          200: z.string().describe('text/event-stream: `ready`, then `call` events with a CallListItem'),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Proxies such as nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      raw.write(
        `retry: 2000\n${serverSentEvent(CALL_STREAM_EVENTS.ready, { at: new Date().toISOString() })}`,
      );
      const scope = request.readScope;
      const unsubscribe = app.callChangeFeed.subscribe((row) => {
        if (!inReadScope(scope, row.source_id)) return;
        raw.write(
          serverSentEvent(CALL_STREAM_EVENTS.call, toCallListItem(row, new Date(), options.graceSeconds)),
        );
      });
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(end);
        if (!raw.writableEnded) raw.end();
      };
      openStreams.add(end);
      raw.once('close', end);
      request.log.info('calls stream opened');
    },
  );
};
