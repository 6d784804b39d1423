import { CALL_LIST_DEFAULT_LIMIT, CALL_LIST_MAX_LIMIT, callListFilterSchema } from '@callbridge/contracts';
import { z } from 'zod';
import { withoutNul } from './call-route-schemas.ts';

export const callListQuerySchema = callListFilterSchema
  .extend({
    phone: callListFilterSchema.shape.phone.refine((value) => value === undefined || withoutNul(value), {
      message: 'must not contain NUL',
    }),
    limit: z.coerce.number().int().min(1).max(CALL_LIST_MAX_LIMIT).default(CALL_LIST_DEFAULT_LIMIT),
    cursor: z.string().min(1).max(1000).optional().describe('nextCursor from the previous page'),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) < Date.parse(query.until), {
    message: 'since must be before until',
    path: ['since'],
  });

export const callStreamDescription =
  'Server-sent events (`text/event-stream`). First `event: ready`, then `event: call` with a CallListItem as `data` each time a call is created or changes (status, report, …), on any instance; a comment line every 15 s keeps proxies from closing the stream. Send the API key in `Authorization` (browsers: read it with `fetch` streaming, since `EventSource` cannot set headers). The server ends the stream when it shuts down, when the key is revoked or expires or its sources change (checked every READ_KEY_CACHE_MS, at least every second: a revoked key gets no data past that), and drops it when the client stops reading (CALL_STREAM_MAX_BUFFER_BYTES unsent); reconnect and refetch the list. At most CALL_STREAM_MAX_PER_KEY streams per key (default 5): one more is answered 429.';

export const callListDescription =
  'Filter by status, outcome (ended calls only), customer number (any common format) and creation time (`since` inclusive, `until` exclusive). Page with `limit` (1-100, default 25) and the returned `nextCursor`; pages stay stable while new calls arrive.';
