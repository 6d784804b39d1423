import {
  callHistoryResponseSchema,
  callNotFoundSchema,
  callResultResponseSchema,
  deleteCallResponseSchema,
  errorResponseSchema,
} from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config-schema.ts';
import { decodeCursor } from '../lib/call-history-cursor.ts';
import { HttpError } from '../lib/http-errors.ts';
import { normalizePhoneNumber } from '../lib/normalize-phone-number.ts';
import type { ReadScope } from '../lib/read-scope.ts';
import { toCallResult, toCallSummary } from '../lib/to-call-result.ts';
import { toKestraPush } from '../lib/to-kestra-push.ts';
import { requireWriteAccess } from '../plugins/write-access.ts';
import {
  callHistoryDescription,
  callHistoryQuerySchema,
  callIdParamsSchema,
  callResultDescription,
  callResultQuerySchema,
  deleteCallDescription,
  phoneParamsSchema,
} from '../schemas/call-route-schemas.ts';
import {
  type CallLookup,
  deleteCall,
  getCallHistory,
  getCallResult,
} from '../services/call-results-service.ts';
import { spooledCallLookup } from '../services/spool-reads.ts';
import { waitForCallResult } from '../services/wait-for-call-result.ts';
import { trustedResponseSerializer } from './trusted-response-serializer.ts';

/** reads: the grace period and phone region; kestra: the tenant shown for pushes, and whether pushes exist. */
export type CallRoutesOptions = Pick<AppConfig, 'reads' | 'kestra'>;

export const callRoutes: FastifyPluginAsyncZod<CallRoutesOptions> = async (app, options) => {
  const { graceSeconds, region } = options.reads;
  const kestraTenant = options.kestra.tenant;
  const kestraPush = options.kestra.push !== undefined;
  const finality = () => ({ now: new Date(), graceSeconds });
  const readOptions = (scope: ReadScope) => ({ kestraPush, scope });
  const reads = { supabase: app.supabase, readCallRow: app.readCallRow };

  app.get(
    '/api/v1/vapi/calls/:callId',
    {
      serializerCompiler: trustedResponseSerializer,
      schema: {
        tags: ['calls'],
        summary: "A call's final result",
        description: callResultDescription,
        params: callIdParamsSchema,
        querystring: callResultQuerySchema,
        response: {
          200: callResultResponseSchema,
          404: callNotFoundSchema,
          400: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { callId } = request.params;
      const waitSeconds = request.query.wait ?? 0;
      // A report waiting in this instance's spool answers first: the database may be the reason it waits.
      const spooled = () => spooledCallLookup(app.spool, callId, request.readScope);
      let lookup: CallLookup;
      try {
        lookup = await lookUp();
      } catch (error) {
        // The database is away, but this instance holds deliveries of the call: say so, not 503.
        if (!app.spool?.holds(callId, request.readScope)) throw error;
        lookup = { state: 'unknown' };
      }
      async function lookUp(): Promise<CallLookup> {
        if (waitSeconds === 0) {
          return (
            (await spooled()) ?? getCallResult(reads, callId, finality(), readOptions(request.readScope))
          );
        }
        // A client that hangs up stops being waited for.
        const hangUp = new AbortController();
        const onClose = () => hangUp.abort();
        reply.raw.once('close', onClose);
        try {
          return await waitForCallResult(reads, app.resultWaiters, callId, {
            waitMs: waitSeconds * 1000,
            signal: hangUp.signal,
            finality,
            read: readOptions(request.readScope),
            spooled,
          });
        } finally {
          reply.raw.off('close', onClose);
        }
      }
      if (lookup.state === 'final') {
        return {
          success: true as const,
          data: toCallResult(lookup.row, lookup.reason),
          kestraPush: lookup.push ? toKestraPush(lookup.push, kestraTenant) : null,
        };
      }
      const status = lookup.state === 'pending' ? lookup.row.status : null;
      const pendingInSpool = app.spool?.holds(callId, request.readScope) ?? false;
      return reply.code(404).send({
        success: false as const,
        error: 'Call result not found' as const,
        message: pendingInSpool
          ? `Call ${callId} has deliveries waiting in the spool, not yet in the database; its result is not final yet`
          : lookup.state === 'unknown'
            ? `No event has been received for call ${callId} yet`
            : `Call ${callId} is ${status ?? 'known'}; its result is not final yet`,
        known: lookup.state === 'pending' || pendingInSpool,
        callStatus: status,
        ...(app.spool ? { pendingInSpool } : {}),
      });
    },
  );

  app.get(
    '/api/v1/vapi/calls/by-phone/:phone',
    {
      serializerCompiler: trustedResponseSerializer,
      schema: {
        tags: ['calls'],
        summary: "A customer's call history, newest first",
        description: callHistoryDescription,
        params: phoneParamsSchema,
        querystring: callHistoryQuerySchema,
        response: { 200: callHistoryResponseSchema, 400: errorResponseSchema },
      },
    },
    async (request) => {
      const customerNumber = normalizePhoneNumber(request.params.phone, region);
      if (!customerNumber) throw new HttpError(400, 'phone is not a valid phone number');
      const cursor = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor);
      if (request.query.cursor !== undefined && !cursor)
        throw new HttpError(400, 'cursor is not one this API issued');

      const page = await getCallHistory(
        app.supabase,
        customerNumber,
        { limit: request.query.limit, cursor },
        finality(),
        request.readScope,
      );
      return {
        success: true as const,
        data: page.rows.map(({ row, reason }) => toCallSummary(row, reason)),
        page: { limit: request.query.limit, nextCursor: page.nextCursor },
      };
    },
  );

  app.delete(
    '/api/v1/vapi/calls/:callId',
    {
      preHandler: requireWriteAccess,
      schema: {
        tags: ['calls'],
        summary: "Delete a call's data",
        description: deleteCallDescription,
        params: callIdParamsSchema,
        response: {
          200: deleteCallResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
          400: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { callId } = request.params;
      const result = await deleteCall(app.supabase, callId, request.readScope);
      if (!result.deleted && result.deletedEvents === 0)
        throw new HttpError(404, `No data is stored for call ${callId}`);
      request.log.info({ deletedEvents: result.deletedEvents }, 'call data deleted');
      return { success: true as const, data: { callId, deletedEvents: result.deletedEvents } };
    },
  );
};
