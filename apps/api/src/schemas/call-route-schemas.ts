import { CALL_HISTORY_MAX_LIMIT } from '@callbridge/contracts';
import { z } from 'zod';

/** The longest call id kept as sent (longer ones are keyed by their hash: see lib/bounded-text). */
export const MAX_CALL_ID_LENGTH = 200;

/** Postgres text cannot hold NUL: such an id cannot name a stored call, and is a client mistake. */
export const withoutNul = (value: string) => !value.includes('\u0000');

export const callIdParamsSchema = z.object({
  callId: z
    .string()
    .min(1)
    .max(MAX_CALL_ID_LENGTH)
    .refine(withoutNul, 'must not contain NUL')
    .describe(
      `VAPI call id (up to ${MAX_CALL_ID_LENGTH} characters; a longer id VAPI sent is stored as sha256:<hex of the id>)`,
    ),
});

export const LONG_POLL_MAX_SECONDS = 60;

export const callResultQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(LONG_POLL_MAX_SECONDS)
    .optional()
    .describe(
      `Long poll: hold the request up to this many seconds (0-${LONG_POLL_MAX_SECONDS}) until the result is final, then answer as without it. Set the client's read timeout above it.`,
    ),
});

export const phoneParamsSchema = z.object({
  phone: z
    .string()
    .min(1)
    .max(50)
    .refine(withoutNul, 'must not contain NUL')
    .describe('Customer number in any common format, e.g. +15555550100 or +1 (555) 555-0100'),
});

export const callHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(CALL_HISTORY_MAX_LIMIT).default(20),
  cursor: z.string().min(1).max(1000).optional().describe('nextCursor from the previous page'),
});
