import { z } from 'zod';
import { eventOutcomeSchema } from './vapi-event.ts';

export const REPLAY_RANGE_MAX_EVENTS = 10_000;

export const replayEventResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      replayOf: z.number().int().describe('The event whose stored payload was re-applied'),
      eventId: z.number().int().nullable().describe('The new event that records this replay'),
      callId: z.string().nullable(),
      type: z.string(),
      outcome: eventOutcomeSchema.describe('What the replay did: `stored` means merged into the call'),
      errorCode: z.string().nullable(),
    }),
  })
  .meta({
    id: 'ReplayEventResponse',
    example: {
      success: true,
      data: {
        replayOf: 4182,
        eventId: 5120,
        callId: 'b8e1c3a2-5f0e-4d7a-9c61-2f1a0e9d7c55',
        type: 'end-of-call-report',
        outcome: 'stored',
        errorCode: null,
      },
    },
  });

export const replayRangeResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      replayed: z.number().int().describe('Events whose payload was re-applied, each logged as a new event'),
      withoutPayload: z
        .number()
        .int()
        .describe(
          'Events in the range with no stored payload (refused whole by PostgREST): nothing to replay',
        ),
      alreadyReplayed: z
        .number()
        .int()
        .describe(
          'Events left out because an earlier replay merged them, or they were replayed 3 times already',
        ),
      more: z.boolean().describe('True when the range holds more events than one replay takes'),
      nextSince: z
        .string()
        .nullable()
        .describe('With `more`: pass as `since` (same `until`) to replay the rest; null otherwise'),
    }),
  })
  .meta({
    id: 'ReplayRangeResponse',
    example: {
      success: true,
      data: { replayed: 42, withoutPayload: 1, alreadyReplayed: 0, more: false, nextSince: null },
    },
  });

export type ReplayEventResponse = z.output<typeof replayEventResponseSchema>;
export type ReplayRangeResponse = z.output<typeof replayRangeResponseSchema>;
