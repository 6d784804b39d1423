import { z } from 'zod';
import { CALL_OUTCOMES, callSummarySchema } from './call-result.ts';

export const CALL_LIST_MAX_LIMIT = 100;
export const CALL_LIST_DEFAULT_LIMIT = 25;

/** VAPI call statuses, in the order a call moves through them. */
export const CALL_STATUSES = [
  'scheduled',
  'queued',
  'ringing',
  'in-progress',
  'forwarding',
  'ended',
] as const;

/** A row of the calls list and of the live stream: the summary plus what changed last. */
export const callListItemSchema = callSummarySchema
  .extend({
    lastEventType: z.string().nullable(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'CallListItem' });

export const callListResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(callListItemSchema).describe('Newest first (by creation time)'),
    page: z.object({
      limit: z.number().int(),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    }),
  })
  .meta({ id: 'CallListResponse' });

/** The query the calls list takes; the dashboard builds it, the API validates it. */
export const callListFilterSchema = z.object({
  status: z.enum(CALL_STATUSES).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional().describe('Only ended calls with this outcome'),
  phone: z.string().min(1).max(50).optional().describe('Customer number in any common format'),
  since: z.iso.datetime({ offset: true }).optional().describe('Created at or after (ISO 8601)'),
  until: z.iso.datetime({ offset: true }).optional().describe('Created before (ISO 8601)'),
});

/** Server-sent event names on GET /api/v1/vapi/calls/stream. */
export const CALL_STREAM_EVENTS = { ready: 'ready', call: 'call' } as const;

export type CallListItem = z.output<typeof callListItemSchema>;
export type CallListResponse = z.output<typeof callListResponseSchema>;
export type CallListFilter = z.output<typeof callListFilterSchema>;
export type CallStatus = (typeof CALL_STATUSES)[number];
