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

export const callResultDescription =
  '200 once the result is final: the end-of-call report is stored (or, while the database catches up after an outage, waits in this instance’s spool: the answer is then the report as received, and kestraPush is null until it drains), or the call ended and no report came within the grace period. 404 until then, saying whether the call is unknown or which status it is in, and with a spool whether deliveries of the call wait in it (pendingInSpool). With `wait`, the request is held until the result is final or the wait runs out, so a workflow needs one or two requests per call instead of polling. With KESTRA_URL configured, `data` is also pushed to the Kestra execution named in the call’s metadata (kestraExecutionId), and `kestraPush` shows how that push stands.';

export const callHistoryDescription = `Numbers are normalized to E.164 before matching. Page with limit (1-100, default 20) and the returned nextCursor.`;

export const deleteCallDescription =
  "Removes the call's result row and every logged webhook for it, for data-subject requests. Needs an API_KEYS key or a read key with access `read+write`: a `read` key gets 403.";
