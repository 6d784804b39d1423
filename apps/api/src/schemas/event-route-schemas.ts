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

export const eventLogDescription = (maxPagePayloadBytes: number) =>
  `Every delivery Callbridge received, whatever its outcome. Filter by call, type, outcome and time received (\`since\` inclusive, \`until\` exclusive). Page with \`limit\` (1-250, default 50) and the returned \`nextCursor\`; pages stay stable while new deliveries arrive. Payloads are left out unless \`include=payload\`; then a page also stops early once its payloads add up to ${maxPagePayloadBytes} bytes (EVENT_PAGE_MAX_PAYLOAD_BYTES, at least one event per page): follow \`nextCursor\` as usual.`;

export const eventDescription =
  'The delivery as stored (credentials redacted) and what had to be changed for Postgres to take it.';

export const replayEventDescription =
  'Re-applies the stored payload through the same mapping and merge as a live delivery, and logs the replay as a new event whose `replayOf` names this one. Merging is idempotent: replaying a delivery that was already merged leaves the call as it was. This is how a `failed` delivery is merged once its cause is fixed. 409 when the event has no stored payload, when a replay of it already merged (again would only add a row), or after 3 replays. 403 for a read key without `read+write` access.';

export const replayRangeDescription = (maxEvents: number) =>
  `Replays every delivery received in [since, until), oldest first, optionally only those with one outcome (e.g. \`failed\` after a fix), at most ${maxEvents} per request; \`more\` and \`nextSince\` say where to continue. Each replay is logged as a new event; replays are not replayed again, and neither is an event a replay already merged or one replayed 3 times (counted in \`alreadyReplayed\`): repeating a range adds nothing. Needs an API_KEYS key or a \`read+write\` read key (403 otherwise).`;
