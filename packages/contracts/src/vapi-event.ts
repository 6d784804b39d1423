import { z } from 'zod';

export const EVENT_OUTCOMES = ['stored', 'acknowledged', 'rejected', 'failed'] as const;

export const eventOutcomeSchema = z
  .enum(EVENT_OUTCOMES)
  .describe(
    '`stored`: merged into its call. `acknowledged`: kept but not merged (no call id, or a shape this version does not know). `rejected`: refused by an earlier version. `failed`: the database refused it; replay it after a fix.',
  );

export const EVENT_LOG_MAX_LIMIT = 250;
export const EVENT_LOG_DEFAULT_LIMIT = 50;

const isoTimestamp = z.iso.datetime({ offset: true });

export const sanitizedSchema = z
  .object({
    changes: z.array(z.object({ path: z.string(), reason: z.string() })),
    more: z.number().int().describe('Changes made beyond those listed'),
  })
  .nullable()
  .describe('What was changed so Postgres would take the delivery; null when nothing was');

/** One logged webhook delivery; payload and sanitized only when asked for. */
export const vapiEventSchema = z
  .object({
    id: z.number().int().describe('Event id: what replay and the detail route take'),
    deliveryId: z.string().nullable().describe('Given on receipt; null for events logged before 2026-11-23'),
    callId: z.string().nullable(),
    type: z.string().describe('VAPI message type, e.g. status-update, end-of-call-report'),
    outcome: eventOutcomeSchema,
    errorCode: z.string().nullable().describe('Why the event was not merged, when it was not'),
    receivedAt: isoTimestamp,
    eventAt: isoTimestamp.nullable().describe('message.timestamp as VAPI sent it'),
    payloadBytes: z.number().int(),
    replayOf: z.number().int().nullable().describe('For a replay: the id of the event it re-applied'),
    sourceId: z
      .string()
      .nullable()
      .describe(
        'The source whose webhook URL received it; null for the default source (the environment secret)',
      ),
    relay: z
      .object({
        status: z
          .number()
          .int()
          .nullable()
          .describe('HTTP status the upstream answered; null when it did not'),
        ms: z.number().int().describe('How long the forward took'),
        error: z
          .string()
          .nullable()
          .describe(
            'Why its answer was not used and the default answer went to VAPI: timeout, unreachable[:code], interrupted (the connection broke mid-answer), status-<5xx or 3xx>, too-large; null when it was used',
          ),
      })
      .nullable()
      .describe(
        "The relay to the team's own VAPI server (VAPI_RELAY_URL or the source's relayUrl); null when not relayed",
      ),
    payload: z
      .unknown()
      .optional()
      .describe('The delivery as stored, credentials redacted; null when it could not be stored'),
    sanitized: sanitizedSchema.optional(),
  })
  .meta({ id: 'VapiEvent' });

const exampleEvent = {
  id: 4182,
  deliveryId: '0b6f7a52-2d4e-4c1f-9a57-3c1e8f0d9b21',
  callId: 'b8e1c3a2-5f0e-4d7a-9c61-2f1a0e9d7c55',
  type: 'end-of-call-report',
  outcome: 'stored',
  errorCode: null,
  receivedAt: '2025-11-22T10:05:40.120Z',
  eventAt: '2025-11-22T10:05:40.000Z',
  payloadBytes: 18234,
  replayOf: null,
  sourceId: null,
  relay: null,
};

export const vapiEventListResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(vapiEventSchema).describe('Newest first'),
    page: z.object({
      limit: z.number().int(),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    }),
  })
  .meta({
    id: 'VapiEventListResponse',
    example: {
      success: true,
      data: [exampleEvent],
      page: { limit: 50, nextCursor: 'eyJiZWZvcmUiOjQxODJ9' },
    },
  });

export const vapiEventResponseSchema = z
  .object({
    success: z.literal(true),
    data: vapiEventSchema.required({ payload: true, sanitized: true }),
  })
  .meta({
    id: 'VapiEventResponse',
    example: {
      success: true,
      data: {
        ...exampleEvent,
        payload: {
          message: {
            type: 'end-of-call-report',
            timestamp: 1763805940000,
            endedReason: 'customer-ended-call',
            call: { id: 'b8e1c3a2-5f0e-4d7a-9c61-2f1a0e9d7c55' },
          },
        },
        sanitized: null,
      },
    },
  });

export type EventOutcome = z.output<typeof eventOutcomeSchema>;
export type VapiEvent = z.output<typeof vapiEventSchema>;
export type VapiEventListResponse = z.output<typeof vapiEventListResponseSchema>;
export type VapiEventResponse = z.output<typeof vapiEventResponseSchema>;
