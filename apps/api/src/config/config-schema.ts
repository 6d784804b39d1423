import { kestraIdSchema, REPLAY_RANGE_MAX_EVENTS } from '@callbridge/contracts';
import { z } from 'zod';
import { hmacTimestampCoverage, UNSIGNED_TIMESTAMP_MESSAGE } from '../lib/hmac-timestamp-coverage.ts';
import { DEFAULT_METADATA_ONLY_TYPES, PAYLOAD_REQUIRED_TYPES } from '../lib/payload-policy.ts';
import { parseSecretBoxKey } from '../lib/secret-box.ts';
import { parseTrustProxy } from '../lib/trust-proxy.ts';
import { KNOWN_VAPI_MESSAGE_TYPES, REQUEST_RESPONSE_TYPES } from '../lib/vapi-message-types.ts';
import { handoffDestinationSchema, transferDestinationSchema } from '../schemas/vapi-destination-schemas.ts';
import { DEFAULT_RETENTION_PAUSE_FACTOR } from '../services/retention-worker.ts';
import { databaseUrlTransport } from './database-url-transport.ts';
import { list } from './env-list.ts';
import { checkVapiCredentialPlans, vapiCredentialPlanFields } from './vapi-credential-plan-config.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);

/** A 32-byte AES key, base64; decoded here so a bad one stops the start, never echoed. */
const secretBoxKey = z.string().transform((value, context) => {
  try {
    return parseSecretBoxKey(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** A JSON value in a variable, read with `schema`; the value itself is never echoed. */
const jsonOf = <T extends z.ZodType>(schema: T, example: string) =>
  z
    .string()
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const httpUrlWithoutCredentials = (example: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` })
    .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), { error: 'must not contain credentials' });

/** VAPI_RELAY_TYPES: informational VAPI types; the request-response ones are relayed before answering already. */
const relayableType = z.string().superRefine((type, context) => {
  if ((REQUEST_RESPONSE_TYPES as readonly string[]).includes(type))
    context.addIssue({
      code: 'custom',
      message: `${type} is a request-response type: it is relayed before VAPI is answered, whenever a relay URL is set`,
    });
  else if (!KNOWN_VAPI_MESSAGE_TYPES.has(type))
    context.addIssue({ code: 'custom', message: `${type} is not a VAPI server message type` });
});

/** Every environment variable the API reads. `.env.example` documents each one. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(8000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((value, context) => {
        const parsed = parseTrustProxy(value);
        if (parsed !== undefined) return parsed;
        context.addIssue({
          code: 'custom',
          message:
            'must be true, false, a hop count (such as 1) or a comma-separated list of proxy IPs/CIDRs',
        });
        return z.NEVER;
      }),
    // Long enough for the drain delay plus a webhook still inside its store budget.
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),
    SHUTDOWN_DRAIN_DELAY_MS: nonNegativeInt.default(5000),

    SUPABASE_URL: z.url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL such as https://<ref>.supabase.co',
    }),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(1, 'is required (Project Settings → API → service_role key)'),
    SUPABASE_TIMEOUT_MS: positiveInt.default(5000),
    // A direct Postgres connection for LISTEN (long polls woken across instances). Transaction-mode
    // poolers (Supabase's on port 6543) hand the connection to others between statements: LISTEN is lost.
    DATABASE_URL: z
      .url({
        protocol: /^postgres(ql)?$/,
        error: 'must be a postgres:// URL (Supabase: the direct connection or the session-mode pooler)',
      })
      .refine((url) => URL.parse(url)?.port !== '6543', {
        error:
          "points at port 6543, Supabase's transaction-mode pooler, where LISTEN does not work: use the direct connection (db.<ref>.supabase.co:5432) or the session-mode pooler (port 5432)",
      })
      .optional(),
    // With DATABASE_URL, GET /calls/:callId reads over this many direct connections (0: through PostgREST).
    DATABASE_READ_POOL_MAX: nonNegativeInt.default(4),

    API_KEYS: list(16, 'API key'),
    READ_RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
    // Failed API, read, admin or metrics key checks per client IP: past it 429, before any key lookup.
    AUTH_FAILURE_RATE_LIMIT_PER_MINUTE: positiveInt.default(30),

    // Admin API (sources and read keys): registered only when ADMIN_API_KEYS is set.
    ADMIN_API_KEYS: list(24, 'admin key').optional(),
    SOURCE_SECRETS_KEY: secretBoxKey.optional(),
    SOURCE_SECRETS_PREVIOUS_KEYS: list(1, 'key').pipe(z.array(secretBoxKey)).optional(),
    // In-memory caching windows: a revocation, a disable or a rotation takes effect within them (0 = off).
    READ_KEY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
    WEBHOOK_SOURCE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    PUBLIC_BASE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://callbridge.example.com' })
      .optional(),

    VAPI_WEBHOOK_AUTH: z.enum(['hmac', 'secret', 'bearer', 'oauth2', 'none']).default('hmac'),
    VAPI_WEBHOOK_SECRET: list(16, 'secret').optional(),
    VAPI_HMAC_ALGORITHM: z.enum(['sha256', 'sha512', 'sha1']).default('sha256'),
    VAPI_HMAC_SIGNATURE_HEADER: z.string().min(1).default('x-signature'),
    VAPI_HMAC_TIMESTAMP_HEADER: z.string().min(1).default('x-timestamp'),
    VAPI_HMAC_INCLUDE_TIMESTAMP: z.stringbool().default(true),
    VAPI_HMAC_PAYLOAD_FORMAT: z.string().includes('{body}', { error: 'must contain {body}' }).optional(),
    VAPI_HMAC_SIGNATURE_ENCODING: z.enum(['hex', 'base64']).default('hex'),
    VAPI_HMAC_SIGNATURE_PREFIX: z.string().default(''),
    VAPI_HMAC_SECRET_IS_BASE64: z.stringbool().default(false),
    VAPI_HMAC_MESSAGE_ID_HEADER: z.string().min(1).optional(),
    // A tolerance of 0 would reject everything rather than mean "don't check": it must be positive.
    VAPI_TIMESTAMP_TOLERANCE_SECONDS: positiveInt.default(300),
    // Signed deliveries remembered (per instance) to refuse the same one twice inside its window.
    WEBHOOK_RECENT_SIGNATURES_MAX: positiveInt.min(1000).max(10_000_000).default(100_000),
    VAPI_SECRET_HEADER: z.string().min(1).default('x-vapi-secret'),
    ...vapiCredentialPlanFields,
    VAPI_ASSISTANT_ID: z.string().min(1).optional(),
    // Answers to the request-response types when no relay answers (lib/vapi-default-answers.ts).
    VAPI_CAMPAIGN_PREDIAL_ELIGIBLE: z.stringbool().default(true),
    VAPI_TRANSFER_DESTINATION: jsonOf(
      transferDestinationSchema,
      '{"type":"number","number":"+14155550123"} or {"type":"sip","sipUri":"sip:desk@example.com"}',
    ).optional(),
    VAPI_HANDOFF_DESTINATION: jsonOf(
      handoffDestinationSchema,
      '{"type":"assistant","assistantName":"Billing"}',
    ).optional(),
    // VAPI's own default wait after the user stops speaking (StartSpeakingPlan.waitSeconds) is 0.4 s.
    VAPI_ENDPOINTING_TIMEOUT_SECONDS: z.coerce.number().min(0).max(10).default(0.4),
    VAPI_VOICE_REQUEST_SILENCE_MS: z.coerce.number().int().min(0).max(2000).default(100),
    // Relay to the team's own VAPI server (services/vapi-relay.ts): inside VAPI's deadlines, like the store.
    VAPI_RELAY_URL: httpUrlWithoutCredentials('https://vapi-server.example.com/webhook').optional(),
    VAPI_RELAY_TIMEOUT_MS: positiveInt.max(19_000, 'must stay under VAPI’s 20 s timeout').default(15_000),
    VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS: positiveInt
      .max(7000, 'must stay under VAPI’s 7.5 s timeout for assistant-request')
      .default(6000),
    // Informational types also forwarded, after they are stored, through an outbox (services/vapi-relay-outbox*.ts).
    VAPI_RELAY_TYPES: list(1, 'type').pipe(z.array(relayableType)).optional(),
    VAPI_RELAY_POLL_INTERVAL_MS: positiveInt.max(600_000).default(5000),
    VAPI_RELAY_RETRY_BASE_MS: positiveInt.default(1000),
    VAPI_RELAY_RETRY_MAX_MS: positiveInt.default(30_000),
    // A retry is sent with VAPI's original signature, which the team server accepts only within its
    // timestamp tolerance (VAPI's default 300 s): retrying longer would only be refused.
    VAPI_RELAY_MAX_AGE_SECONDS: positiveInt.max(3600).default(240),
    WEBHOOK_BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
    // Verified deliveries per source (0: unlimited, the default): a 429 to VAPI loses the event for good.
    WEBHOOK_RATE_LIMIT_PER_MINUTE: nonNegativeInt.default(0),
    // Requests that fail verification, per client IP: their own counter, so junk never spends VAPI's.
    WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: positiveInt.default(60),
    // VAPI gives up on a server message after 20 s and on an assistant-request after 7.5 s: the store
    // retries inside a budget that leaves time to answer.
    WEBHOOK_STORE_BUDGET_MS: positiveInt.max(19_000, 'must stay under VAPI’s 20 s timeout').default(15_000),
    ASSISTANT_REQUEST_STORE_BUDGET_MS: positiveInt
      .max(7000, 'must stay under VAPI’s 7.5 s timeout for assistant-request')
      .default(6000),
    // The local spool (issue 19): unset, a database outage longer than the store budget answers 503. Each
    // instance needs a directory of its own on a volume that outlives the process (README: a PVC per pod).
    SPOOL_DIR: z.string().min(1).optional(),
    // A store not committed within this is spooled (synced to SPOOL_DIR) and answered 2xx.
    SPOOL_AFTER_MS: positiveInt.default(2000),
    // At this size the spool refuses (503, alerted on) rather than drop anything it holds.
    SPOOL_MAX_BYTES: positiveInt.default(1024 * 1024 * 1024),
    // Deliveries per database call while draining, in spool order: bigger batches drain a backlog faster.
    SPOOL_DRAIN_BATCH_SIZE: positiveInt.max(500).default(250),
    // Group commit: webhook stores arriving within this many ms share one database call, up to the size.
    WEBHOOK_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(100).default(5),
    WEBHOOK_BATCH_MAX_SIZE: positiveInt.max(500).default(32),

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

    // `none` keeps every payload (a blank variable counts as unset, so it means the default).
    EVENT_PAYLOAD_METADATA_ONLY_TYPES: z
      .string()
      .default(DEFAULT_METADATA_ONLY_TYPES.join(','))
      .transform((value) =>
        value.trim() === 'none'
          ? []
          : value
              .split(',')
              .map((item) => item.trim())
              .filter(Boolean),
      )
      .refine(
        (types) => !types.some((type) => (PAYLOAD_REQUIRED_TYPES as readonly string[]).includes(type)),
        {
          message: `must not list ${PAYLOAD_REQUIRED_TYPES.join(' or ')}: calls are merged from their payloads`,
        },
      ),

    // Retention (20261201000500_stats_and_retention.sql). Call results are kept unless CALL_RESULT_RETENTION_DAYS is set.
    RETENTION_WORKER_ENABLED: z.stringbool().default(true),
    RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    RETENTION_PAUSE_FACTOR: z.coerce.number().min(0).max(100).default(DEFAULT_RETENTION_PAUSE_FACTOR),
    EVENT_PAYLOAD_RETENTION_DAYS: positiveInt.default(30),
    EVENT_RETENTION_DAYS: positiveInt.default(90),
    CALL_RESULT_RETENTION_DAYS: positiveInt.optional(),

    // Strict-Transport-Security on requests that came over TLS (directly, or X-Forwarded-Proto from a trusted proxy); 0: never.
    HSTS_MAX_AGE_SECONDS: nonNegativeInt.default(15_552_000),

    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // A second listener serving only /metrics (then the public port has none); keep it off the load balancer.
    METRICS_HOST: z.string().min(1).optional(),
    METRICS_PORT: port.optional(),

    // Tracing (OpenTelemetry, OTLP over HTTP): on only when the endpoint is set; spans go to <endpoint>/v1/traces.
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://otel-collector:4318' })
      .optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('callbridge'),

    RESULT_GRACE_PERIOD_SECONDS: positiveInt.default(60),
    LONG_POLL_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    // The same check while LISTEN is connected: then it only catches what notifications cannot carry.
    LONG_POLL_BACKSTOP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    // Push to Kestra: with KESTRA_URL unset nothing is pushed and no outbox row is written.
    KESTRA_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://kestra.example.com' })
      .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), {
        error: 'must not contain credentials: set KESTRA_USERNAME and KESTRA_PASSWORD, or KESTRA_API_TOKEN',
      })
      .optional(),
    KESTRA_TENANT: kestraIdSchema.default('main'),
    // Tenants a delivery to the default webhook URL may name in assistantOverrides.metadata; unset: KESTRA_TENANT.
    KESTRA_ALLOWED_TENANTS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(kestraIdSchema).min(1, 'must list at least one tenant'))
      .optional(),
    // Kestra 2.0 resumes at …/executions/{id}/actions/resume, 0.x and 1.x at …/executions/{id}/resume.
    KESTRA_MAJOR_VERSION: z
      .enum(['1', '2'])
      .default('2')
      .transform(Number)
      .pipe(z.union([z.literal(1), z.literal(2)])),
    KESTRA_USERNAME: z.string().min(1).optional(),
    KESTRA_PASSWORD: z.string().min(1).optional(),
    KESTRA_API_TOKEN: z.string().min(1).optional(),
    KESTRA_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
    KESTRA_PUSH_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    KESTRA_PUSH_MAX_AGE_SECONDS: positiveInt.default(86_400),
    KESTRA_PUSH_RETRY_BASE_MS: positiveInt.default(1000),
    KESTRA_PUSH_RETRY_MAX_MS: positiveInt.default(300_000),

    // POST /api/v1/dev/simulate-call plays a signed fake VAPI call; scripts/dev turns it on.
    SIMULATOR_ENABLED: z.stringbool().default(false),
    // The dashboard's build, served at /dashboard; unset means apps/dashboard/dist of this checkout.
    DASHBOARD_DIR: z.string().min(1).optional(),
    CALL_STREAM_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    CALL_STREAM_MAX_PER_KEY: positiveInt.max(1000).default(5),
    // A stream whose client stops reading is dropped once this much waits unsent in memory.
    CALL_STREAM_MAX_BUFFER_BYTES: z.coerce.number().int().min(1024).default(262_144),

    DEFAULT_PHONE_REGION: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')
      .default('US'),
  })
  .superRefine((config, context) => {
    checkVapiCredentialPlans(config, context);
    // oauth2 authenticates with the VAPI_OAUTH_* variables, not with a shared secret.
    if (!['none', 'oauth2'].includes(config.VAPI_WEBHOOK_AUTH) && !config.VAPI_WEBHOOK_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_WEBHOOK_SECRET'],
        message: `is required with VAPI_WEBHOOK_AUTH=${config.VAPI_WEBHOOK_AUTH} (set VAPI_WEBHOOK_AUTH=none only for local use)`,
      });
    }
    if (config.ADMIN_API_KEYS && !config.SOURCE_SECRETS_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['SOURCE_SECRETS_KEY'],
        message:
          'is required with ADMIN_API_KEYS: source secrets are encrypted with it (openssl rand -base64 32)',
      });
    }
    if (config.ADMIN_API_KEYS?.some((key) => config.API_KEYS.includes(key))) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_API_KEYS'],
        message: 'must not repeat a key of API_KEYS: an admin key is its own credential',
      });
    }
    if (
      config.VAPI_WEBHOOK_AUTH === 'hmac' &&
      hmacTimestampCoverage({
        includeTimestamp: config.VAPI_HMAC_INCLUDE_TIMESTAMP,
        payloadFormat: config.VAPI_HMAC_PAYLOAD_FORMAT,
      }) === 'unsigned'
    ) {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_HMAC_PAYLOAD_FORMAT'],
        message: UNSIGNED_TIMESTAMP_MESSAGE,
      });
    }
    const notBase64 = (secret: string) => !/^[A-Za-z0-9+/]+={0,2}$/.test(secret);
    if (config.VAPI_HMAC_SECRET_IS_BASE64 && config.VAPI_WEBHOOK_SECRET?.some(notBase64)) {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_WEBHOOK_SECRET'],
        message: 'must be base64 when VAPI_HMAC_SECRET_IS_BASE64=true',
      });
    }
    const shutdownNeedsMs = config.SHUTDOWN_DRAIN_DELAY_MS + config.WEBHOOK_STORE_BUDGET_MS;
    if (config.SHUTDOWN_TIMEOUT_MS <= shutdownNeedsMs) {
      context.addIssue({
        code: 'custom',
        path: ['SHUTDOWN_TIMEOUT_MS'],
        message: `must exceed SHUTDOWN_DRAIN_DELAY_MS + WEBHOOK_STORE_BUDGET_MS (${shutdownNeedsMs}), or a webhook in flight could be cut off`,
      });
    }
    if (config.SPOOL_DIR && config.SPOOL_AFTER_MS >= config.ASSISTANT_REQUEST_STORE_BUDGET_MS) {
      context.addIssue({
        code: 'custom',
        path: ['SPOOL_AFTER_MS'],
        message: `must be below ASSISTANT_REQUEST_STORE_BUDGET_MS (${config.ASSISTANT_REQUEST_STORE_BUDGET_MS}) and WEBHOOK_STORE_BUDGET_MS, or a late store answers 503 before it is spooled`,
      });
    } else if (config.SPOOL_DIR && config.SPOOL_AFTER_MS >= config.WEBHOOK_STORE_BUDGET_MS) {
      context.addIssue({
        code: 'custom',
        path: ['SPOOL_AFTER_MS'],
        message: `must be below WEBHOOK_STORE_BUDGET_MS (${config.WEBHOOK_STORE_BUDGET_MS}), or a late store answers 503 before it is spooled`,
      });
    }
    if ((config.KESTRA_USERNAME === undefined) !== (config.KESTRA_PASSWORD === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [config.KESTRA_USERNAME === undefined ? 'KESTRA_USERNAME' : 'KESTRA_PASSWORD'],
        message: 'KESTRA_USERNAME and KESTRA_PASSWORD go together (Kestra basic auth)',
      });
    }
    if (config.KESTRA_API_TOKEN !== undefined && config.KESTRA_USERNAME !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['KESTRA_API_TOKEN'],
        message: 'set either KESTRA_API_TOKEN (Enterprise) or KESTRA_USERNAME and KESTRA_PASSWORD, not both',
      });
    }
    if (config.KESTRA_PUSH_RETRY_MAX_MS < config.KESTRA_PUSH_RETRY_BASE_MS) {
      context.addIssue({
        code: 'custom',
        path: ['KESTRA_PUSH_RETRY_MAX_MS'],
        message: 'must not be below KESTRA_PUSH_RETRY_BASE_MS',
      });
    }
    if (config.VAPI_RELAY_RETRY_MAX_MS < config.VAPI_RELAY_RETRY_BASE_MS) {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_RELAY_RETRY_MAX_MS'],
        message: 'must not be below VAPI_RELAY_RETRY_BASE_MS',
      });
    }
    if (config.NODE_ENV === 'production' && !config.METRICS_TOKEN && config.METRICS_PORT === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['METRICS_TOKEN'],
        message:
          'or METRICS_PORT is required when NODE_ENV=production: /metrics would be open on the public port',
      });
    }
    if (config.METRICS_HOST !== undefined && config.METRICS_PORT === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['METRICS_HOST'],
        message: 'needs METRICS_PORT: it is the address of the separate metrics listener',
      });
    }
    if (config.METRICS_PORT !== undefined && config.METRICS_PORT === config.PORT && config.PORT !== 0) {
      context.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: metrics get their own listener',
      });
    }
    if (
      config.NODE_ENV === 'production' &&
      config.DATABASE_URL?.startsWith('postgres') &&
      databaseUrlTransport(config.DATABASE_URL) === 'plaintext-remote'
    ) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message:
          'reaches a non-local host without TLS: add ?sslmode=require (or verify-full), or sslmode=disable to say plaintext is intended',
      });
    }
    if (config.VAPI_WEBHOOK_AUTH === 'none' && config.NODE_ENV === 'production') {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_WEBHOOK_AUTH'],
        message: 'none is refused when NODE_ENV=production: anyone could write call results',
      });
    }
  });

export type AppConfig = z.output<typeof configSchema>;
