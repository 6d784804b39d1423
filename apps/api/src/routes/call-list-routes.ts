import { CALL_STREAM_EVENTS, callListResponseSchema, errorResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadsSettings } from '../config/reads-settings.ts';
import { decodeCursor } from '../lib/call-history-cursor.ts';
import { HttpError } from '../lib/http-errors.ts';
import { normalizePhoneNumber } from '../lib/normalize-phone-number.ts';
import { inReadScope, type ReadScope } from '../lib/read-scope.ts';
import { serverSentEvent, toCallListItem } from '../lib/to-call-list-item.ts';
import {
  callListDescription,
  callListQuerySchema,
  callStreamDescription,
} from '../schemas/call-list-route-schemas.ts';
import { listCalls } from '../services/call-list-service.ts';

/** reads.graceSeconds, reads.region and reads.stream (CALL_STREAM_*: streams per key, unsent bytes, key recheck). */
export type CallListRoutesOptions = Pick<ReadsSettings, 'graceSeconds' | 'region' | 'stream'> & {
  /** Comment lines keep idle proxies from closing the stream. */
  heartbeatMs?: number;
};

function sameScope(a: ReadScope, b: ReadScope): boolean {
  if ('all' in a || 'all' in b) return 'all' in a && 'all' in b;
  return a.sourceIds.length === b.sourceIds.length && a.sourceIds.every((id) => b.sourceIds.includes(id));
}

/** Every call, newest first, and the live stream of changes: what the dashboard's Calls view reads. */
export const callListRoutes: FastifyPluginAsyncZod<CallListRoutesOptions> = async (app, options) => {
  const openStreams = new Set<() => void>();
  const streamsPerKey = new Map<string, number>();
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  app.get(
    '/api/v1/vapi/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'Every call, newest first',
        description: callListDescription,
        querystring: callListQuerySchema,
        response: { 200: callListResponseSchema, 400: errorResponseSchema },
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
      schema: {
        tags: ['calls'],
        summary: 'Live stream of call changes (server-sent events)',
        description: callStreamDescription,
        produces: ['text/event-stream'],
        response: {
          200: z.string().describe('text/event-stream: `ready`, then `call` events with a CallListItem'),
        },
      },
    },
    async (request, reply) => {
      const holder = request.authenticatedAs ?? `ip:${request.ip}`;
      const held = streamsPerKey.get(holder) ?? 0;
      if (held >= options.stream.maxPerKey) {
        throw new HttpError(
          429,
          `At most ${options.stream.maxPerKey} calls streams may be open per key; close one first`,
        );
      }
      streamsPerKey.set(holder, held + 1);
      reply.hijack();
      const raw = reply.raw;
      // A client that stops reading must not grow this process: past the bound the stream is dropped
      // (the client reconnects and refetches, as after any disconnect).
      const send = (text: string) => {
        if (raw.writableEnded || raw.destroyed) return;
        raw.write(text);
        if (raw.writableLength > options.stream.maxBufferedBytes) {
          request.log.warn(
            { buffered: raw.writableLength },
            'calls stream dropped: the client is not reading',
          );
          raw.destroy();
        }
      };
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Proxies such as nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      send(`retry: 2000\n${serverSentEvent(CALL_STREAM_EVENTS.ready, { at: new Date().toISOString() })}`);
      const scope = request.readScope;
      const unsubscribe = app.callChangeFeed.subscribe((row) => {
        if (!inReadScope(scope, row.source_id)) return;
        send(serverSentEvent(CALL_STREAM_EVENTS.call, toCallListItem(row, new Date(), options.graceSeconds)));
      });
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
      // The scope was fixed when the stream opened: look the key up again, past the cache, and end the
      // stream once it is revoked, expired or sees other sources (the client reconnects with its new scope).
      let checking = false;
      const keyCheck = setInterval(async () => {
        if (checking) return;
        checking = true;
        try {
          const current = await app.recheckApiKey(request);
          if (current && sameScope(current, scope)) return;
          request.log.info({ reason: current ? 'scope-changed' : 'key-refused' }, 'calls stream ended');
          end();
        } catch (error) {
          // The database is out of reach: so is every change the stream would carry. Try next time.
          request.log.warn({ err: error }, 'rechecking a calls stream key failed');
        } finally {
          checking = false;
        }
      }, options.stream.keyCheckMs);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearInterval(keyCheck);
        unsubscribe();
        openStreams.delete(end);
        const left = (streamsPerKey.get(holder) ?? 1) - 1;
        if (left > 0) streamsPerKey.set(holder, left);
        else streamsPerKey.delete(holder);
        if (!raw.writableEnded) raw.end();
      };
      openStreams.add(end);
      raw.once('close', end);
      request.log.info('calls stream opened');
    },
  );
};
