import { EVENT_LOG_DEFAULT_LIMIT, EVENT_LOG_MAX_LIMIT, eventOutcomeSchema } from '@callbridge/contracts';
import { z } from 'zod';
import { MAX_CALL_ID_LENGTH, withoutNul } from './call-route-schemas.ts';

const timestamp = z.iso.datetime({ offset: true });

export const eventIdParamsSchema = z.object({
  eventId: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .describe('Event id, as listed by GET /api/v1/vapi/events'),
});

export const eventLogQuerySchema = z
  .object({
    callId: z.string().min(1).max(MAX_CALL_ID_LENGTH).refine(withoutNul, 'must not contain NUL').optional(),
    type: z
      .string()
      .min(1)
      .max(100)
      .refine(withoutNul, 'must not contain NUL')
      .optional()
      .describe('VAPI message type, e.g. end-of-call-report'),
    outcome: eventOutcomeSchema.optional(),
    since: timestamp.optional().describe('Received at or after this time (ISO 8601)'),
    until: timestamp.optional().describe('Received before this time (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(EVENT_LOG_MAX_LIMIT).default(EVENT_LOG_DEFAULT_LIMIT),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor from the previous page'),
    include: z
      .enum(['payload'])
      .optional()
      .describe('`payload` adds each delivery’s stored payload and what was sanitized'),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) < Date.parse(query.until), {
    message: 'since must be before until',
    path: ['since'],
  });

export type EventLogQuery = z.output<typeof eventLogQuerySchema>;

export const replayRangeBodySchema = z
  .strictObject({
    since: timestamp.describe('Replay events received at or after this time'),
    until: timestamp.describe('… and before this time'),
    outcome: eventOutcomeSchema.optional().describe('Only events with this outcome, e.g. `failed`'),
  })
  .refine((body) => Date.parse(body.since) < Date.parse(body.until), {
    message: 'since must be before until',
    path: ['since'],
  })
  .meta({
    id: 'ReplayRangeRequest',
    example: { since: '2026-11-23T08:00:00Z', until: '2026-11-23T12:00:00Z', outcome: 'failed' },
  });

export type ReplayRangeBody = z.output<typeof replayRangeBodySchema>;
