import { REPLAY_RANGE_MAX_EVENTS } from '@callbridge/contracts';
import { z } from 'zod';
import { streamKeyCheckMs } from '../lib/revocation-bound.ts';
import { positiveInt } from './env-fields.ts';
import { list } from './env-list.ts';
import { serverEnv } from './server-settings.ts';

/** The read API (calls, events, stats): its keys and limits, long polls, streams and pages. */
export const readsEnv = z.object({
  API_KEYS: list(16, 'API key'),
  READ_RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  // Failed API, read, admin or metrics key checks per client IP: past it 429, before any key lookup.
  AUTH_FAILURE_RATE_LIMIT_PER_MINUTE: positiveInt.default(30),
  // In-memory caching window of read keys: a revocation takes effect within it (0 = off).
  READ_KEY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  RESULT_GRACE_PERIOD_SECONDS: positiveInt.default(60),
  LONG_POLL_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  // The same check while LISTEN is connected: then it only catches what notifications cannot carry.
  LONG_POLL_BACKSTOP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  CALL_STREAM_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  CALL_STREAM_MAX_PER_KEY: positiveInt.max(1000).default(5),
  // A stream whose client stops reading is dropped once this much waits unsent in memory.
  CALL_STREAM_MAX_BUFFER_BYTES: z.coerce.number().int().min(1024).default(262_144),
  // Svix's recovery cap: a range replay is one request, so its work stays bounded.
  REPLAY_MAX_EVENTS: positiveInt
    .max(REPLAY_RANGE_MAX_EVENTS, `must be at most ${REPLAY_RANGE_MAX_EVENTS}`)
    .default(REPLAY_RANGE_MAX_EVENTS),
  // GET /stats sorts every call of the window for its percentiles: the window is bounded.
  STATS_MAX_WINDOW_DAYS: positiveInt.max(3660).default(31),
  // GET /events?include=payload stops a page early once its payloads add up to this (payloads reach ~1 MB).
  EVENT_PAGE_MAX_PAYLOAD_BYTES: positiveInt
    .min(1_048_576, 'must be at least 1048576 (one payload)')
    .default(5_242_880),
});

export const readsSettings = readsEnv
  .extend({ DEFAULT_PHONE_REGION: serverEnv.shape.DEFAULT_PHONE_REGION })
  .transform((env) => ({
    apiKeys: env.API_KEYS,
    /** Requests per minute per key, on each read route. */
    rateLimitPerMinute: env.READ_RATE_LIMIT_PER_MINUTE,
    /** Failed key checks per minute per client IP (plugins/auth-failure-limit.ts). */
    authFailuresPerMinute: env.AUTH_FAILURE_RATE_LIMIT_PER_MINUTE,
    readKeyCacheMs: env.READ_KEY_CACHE_MS,
    /** A call without a report counts as final this long after it ended. */
    graceSeconds: env.RESULT_GRACE_PERIOD_SECONDS,
    region: env.DEFAULT_PHONE_REGION,
    longPoll: {
      /** The batched check's interval without LISTEN (or while it is reconnecting). */
      checkIntervalMs: env.LONG_POLL_CHECK_INTERVAL_MS,
      /** Its interval while LISTEN is connected. */
      backstopIntervalMs: env.LONG_POLL_BACKSTOP_INTERVAL_MS,
    },
    stream: {
      pollIntervalMs: env.CALL_STREAM_POLL_INTERVAL_MS,
      /** Open streams per key; one more is answered 429. */
      maxPerKey: env.CALL_STREAM_MAX_PER_KEY,
      /** Unsent bytes a stream may hold before it is dropped. */
      maxBufferedBytes: env.CALL_STREAM_MAX_BUFFER_BYTES,
      /** How often an open stream's key is looked up again, past the cache: the revocation bound. */
      keyCheckMs: streamKeyCheckMs(env.READ_KEY_CACHE_MS),
    },
    replayMaxEvents: env.REPLAY_MAX_EVENTS,
    statsMaxWindowDays: env.STATS_MAX_WINDOW_DAYS,
    eventPageMaxPayloadBytes: env.EVENT_PAGE_MAX_PAYLOAD_BYTES,
  }));

export type ReadsSettings = z.output<typeof readsSettings>;
