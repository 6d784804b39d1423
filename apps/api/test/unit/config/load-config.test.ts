import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src/config/config-schema.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { problemsOf, validEnv } from '../../support/config-env.ts';

// The finished settings each plugin receives, read from their sections.
const webhookAuthSettings = (config: AppConfig) => config.webhookAuth.auth;
const kestraPushSettings = (config: AppConfig) => config.kestra.push;
const defaultAnswerSettings = (config: AppConfig) => config.vapi.answers;
const relaySettings = (config: AppConfig) => config.vapi.relay;
const relayOutboxSettings = (config: AppConfig) => config.vapi.relayOutbox;

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(validEnv);
    expect(config).toMatchObject({
      server: { port: 8000, host: '0.0.0.0', logLevel: 'info', trustProxy: false },
      webhookAuth: { auth: { mode: 'hmac', toleranceSeconds: 300 } },
      webhook: { bodyLimit: 1_048_576, batch: { maxWaitMs: 5, maxSize: 32 } },
      reads: { graceSeconds: 60, replayMaxEvents: 10_000 },
    });
    expect(config.observability.metrics.port).toBeUndefined();
    expect(config.webhook.rateLimitPerMinute).toBe(0);
    expect(config.webhook.unverifiedRateLimitPerMinute).toBe(60);
  });

  it('caps range replays at 10,000 events and refuses a short metrics token', () => {
    expect(problemsOf({ ...validEnv, REPLAY_MAX_EVENTS: '10001', METRICS_TOKEN: 'short' })).toEqual([
      'REPLAY_MAX_EVENTS: must be at most 10000',
      'METRICS_TOKEN: must be at least 16 characters',
    ]);
  });

  it('keeps the group commit between no wait and 100 ms, and between one and 500 deliveries', () => {
    expect(
      loadConfig({ ...validEnv, WEBHOOK_BATCH_MAX_WAIT_MS: '0', WEBHOOK_BATCH_MAX_SIZE: '1' }),
    ).toMatchObject({ webhook: { batch: { maxWaitMs: 0, maxSize: 1 } } });
    expect(
      problemsOf({ ...validEnv, WEBHOOK_BATCH_MAX_WAIT_MS: '101', WEBHOOK_BATCH_MAX_SIZE: '0' }),
    ).toEqual([
      expect.stringMatching(/^WEBHOOK_BATCH_MAX_WAIT_MS: /),
      expect.stringMatching(/^WEBHOOK_BATCH_MAX_SIZE: /),
    ]);
  });

  it('logs six chatty message types as metadata only by default; `none` keeps every payload', () => {
    const { store, replay } = loadConfig(validEnv).webhook;
    expect(store.metadataOnlyTypes).toEqual(
      new Set([
        'conversation-update',
        'speech-update',
        'model-output',
        'transcript',
        'user-interrupted',
        'voice-input',
      ]),
    );
    expect(replay.metadataOnlyTypes).toEqual(store.metadataOnlyTypes);
    expect(
      loadConfig({ ...validEnv, EVENT_PAYLOAD_METADATA_ONLY_TYPES: 'none' }).webhook.store.metadataOnlyTypes,
    ).toEqual(new Set());
  });

  it('refuses to drop the payloads calls are merged from', () => {
    expect(problemsOf({ ...validEnv, EVENT_PAYLOAD_METADATA_ONLY_TYPES: 'hang,end-of-call-report' })).toEqual(
      [
        'EVENT_PAYLOAD_METADATA_ONLY_TYPES: must not list end-of-call-report or status-update: calls are merged from their payloads',
      ],
    );
  });

  it('names every missing required variable', () => {
    // Each section checks its own rules even when another one is missing a variable.
    expect(problemsOf({})).toEqual([
      'SUPABASE_URL: is required',
      'SUPABASE_SERVICE_ROLE_KEY: is required',
      'API_KEYS: is required',
      expect.stringMatching(/^VAPI_WEBHOOK_SECRET: is required with VAPI_WEBHOOK_AUTH=hmac/),
    ]);
  });

  it('treats an empty variable as missing', () => {
    expect(problemsOf({ ...validEnv, SUPABASE_SERVICE_ROLE_KEY: '' })).toEqual([
      'SUPABASE_SERVICE_ROLE_KEY: is required',
    ]);
  });

  it('rejects a port that is not a port and a URL that is not http(s)', () => {
    expect(problemsOf({ ...validEnv, PORT: '70000', SUPABASE_URL: 'ftp://example.com' })).toEqual([
      'PORT: Too big: expected number to be <=65535',
      expect.stringMatching(/^SUPABASE_URL: must be an http\(s\) URL/),
    ]);
  });

  it('coerces numbers and booleans from their string form', () => {
    const config = loadConfig({ ...validEnv, PORT: '9001', TRUST_PROXY: 'true' });
    expect(config.server.port).toBe(9001);
    expect(config.server.trustProxy).toBe(true);
  });

  it('reads comma-separated API keys and webhook secrets for rotation', () => {
    const config = loadConfig({
      ...validEnv,
      API_KEYS: 'key-one-0123456789, key-two-0123456789',
      VAPI_WEBHOOK_SECRET: 'secret-one-0123456789,secret-two-0123456789',
    });
    expect(config.reads.apiKeys).toEqual(['key-one-0123456789', 'key-two-0123456789']);
    expect(config.webhookAuth.auth).toMatchObject({
      keys: [Buffer.from('secret-one-0123456789'), Buffer.from('secret-two-0123456789')],
    });
  });

  it('refuses short API keys', () => {
    expect(problemsOf({ ...validEnv, API_KEYS: 'short' })).toEqual([
      'API_KEYS.0: each API key must be at least 16 characters',
    ]);
  });

  it('refuses to start without a webhook secret unless verification is turned off', () => {
    expect(problemsOf({ ...validEnv, VAPI_WEBHOOK_SECRET: undefined })).toEqual([
      expect.stringMatching(/^VAPI_WEBHOOK_SECRET: is required with VAPI_WEBHOOK_AUTH=hmac/),
    ]);
    expect(
      loadConfig({
        ...validEnv,
        VAPI_WEBHOOK_SECRET: undefined,
        VAPI_WEBHOOK_AUTH: 'none',
        NODE_ENV: 'development',
      }),
    ).toBeDefined();
  });

  it('refuses VAPI_WEBHOOK_AUTH=none in production', () => {
    expect(problemsOf({ ...validEnv, VAPI_WEBHOOK_AUTH: 'none' })).toEqual([
      expect.stringMatching(/^VAPI_WEBHOOK_AUTH: none is refused when NODE_ENV=production/),
    ]);
  });

  it('refuses a timestamp tolerance of 0, which would not mean "no check"', () => {
    expect(problemsOf({ ...validEnv, VAPI_TIMESTAMP_TOLERANCE_SECONDS: '0' })).toEqual([
      expect.stringMatching(/^VAPI_TIMESTAMP_TOLERANCE_SECONDS: /),
    ]);
  });

  it('refuses an HMAC payload format that checks the timestamp without signing it', () => {
    // A captured body with a fresh x-timestamp would pass the age check: the check would mean nothing.
    for (const format of ['{body}', '{method} {url} {body}', '{svix-id}.{body}']) {
      expect(problemsOf({ ...validEnv, VAPI_HMAC_PAYLOAD_FORMAT: format })).toEqual([
        expect.stringMatching(
          /^VAPI_HMAC_PAYLOAD_FORMAT: checks the timestamp header for freshness without signing it/,
        ),
      ]);
    }
    // Signed, or no timestamp claimed at all: accepted.
    expect(
      loadConfig({ ...validEnv, VAPI_HMAC_PAYLOAD_FORMAT: '{svix-id}.{timestamp}.{body}' }),
    ).toBeDefined();
    expect(
      loadConfig({ ...validEnv, VAPI_HMAC_PAYLOAD_FORMAT: '{body}', VAPI_HMAC_INCLUDE_TIMESTAMP: 'false' }),
    ).toBeDefined();
    // Only HMAC reads the format.
    expect(
      loadConfig({ ...validEnv, VAPI_HMAC_PAYLOAD_FORMAT: '{body}', VAPI_WEBHOOK_AUTH: 'secret' }),
    ).toBeDefined();
  });

  it('remembers 100,000 recent signatures by default, and at least 1,000', () => {
    expect(loadConfig(validEnv).webhookAuth.recentSignaturesMax).toBe(100_000);
    expect(problemsOf({ ...validEnv, WEBHOOK_RECENT_SIGNATURES_MAX: '10' })).toEqual([
      expect.stringMatching(/^WEBHOOK_RECENT_SIGNATURES_MAX: /),
    ]);
  });

  it('refuses a secret that is not base64 when the credential says it is', () => {
    expect(
      problemsOf({
        ...validEnv,
        VAPI_HMAC_SECRET_IS_BASE64: 'true',
        VAPI_WEBHOOK_SECRET: 'not base64 at all!',
      }),
    ).toEqual(['VAPI_WEBHOOK_SECRET: must be base64 when VAPI_HMAC_SECRET_IS_BASE64=true']);
  });

  it('takes a direct Postgres URL for LISTEN and refuses the transaction-mode pooler, without echoing it', () => {
    expect(loadConfig(validEnv).supabase.databaseUrl).toBeUndefined();
    const direct = 'postgresql://postgres:s3cret-pw@db.abc.supabase.co:5432/postgres?sslmode=require';
    expect(loadConfig({ ...validEnv, DATABASE_URL: direct }).supabase.databaseUrl).toBe(direct);
    const pooled =
      'postgres://postgres.abc:s3cret-pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require';
    const problems = problemsOf({ ...validEnv, DATABASE_URL: pooled });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: .*6543.*transaction-mode/)]);
    expect(problems.join()).not.toContain('s3cret-pw');
    expect(problemsOf({ ...validEnv, DATABASE_URL: 'https://abc.supabase.co' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\/ URL/),
    ]);
  });

  it('reads single calls over 4 direct connections by default, 0 meaning through PostgREST', () => {
    expect(loadConfig(validEnv).supabase.readPoolMax).toBe(4);
    expect(loadConfig({ ...validEnv, DATABASE_READ_POOL_MAX: '0' }).supabase.readPoolMax).toBe(0);
    expect(problemsOf({ ...validEnv, DATABASE_READ_POOL_MAX: '-1' })).toEqual([
      expect.stringMatching(/^DATABASE_READ_POOL_MAX: /),
    ]);
  });

  it('never echoes a value in its message', () => {
    const error = (() => {
      try {
        loadConfig({ ...validEnv, SUPABASE_URL: 'not a url with secret-abc123' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain('SUPABASE_URL');
    expect(error?.message).not.toContain('secret-abc123');
  });
});

describe('VAPI answers and relay settings', () => {
  it('answers without a decision by default and relays nowhere', () => {
    const config = loadConfig(validEnv);
    expect(defaultAnswerSettings(config)).toEqual({
      assistantId: undefined,
      campaignPredialEligible: true,
      transferDestination: undefined,
      handoffDestination: undefined,
      endpointingTimeoutSeconds: 0.4,
      voiceSilenceMs: 100,
    });
    expect(relaySettings(config)).toEqual({
      url: undefined,
      deadlines: { timeoutMs: 15_000, assistantRequestTimeoutMs: 6000 },
      recordTimeoutMs: 5000,
    });
    expect(relayOutboxSettings(config)).toBeUndefined();
  });

  it('reads configured destinations as JSON in the SDK’s shapes', () => {
    const config = loadConfig({
      ...validEnv,
      VAPI_CAMPAIGN_PREDIAL_ELIGIBLE: 'false',
      VAPI_TRANSFER_DESTINATION: '{"type":"sip","sipUri":"sip:desk@example.com","message":"One moment"}',
      VAPI_HANDOFF_DESTINATION: '{"type":"assistant","assistantName":"Billing"}',
    });
    expect(defaultAnswerSettings(config)).toMatchObject({
      campaignPredialEligible: false,
      transferDestination: { type: 'sip', sipUri: 'sip:desk@example.com', message: 'One moment' },
      handoffDestination: { type: 'assistant', assistantName: 'Billing' },
    });
  });

  it.each([
    ['VAPI_TRANSFER_DESTINATION', '{"type":"number"}'],
    ['VAPI_TRANSFER_DESTINATION', '{"type":"sip","sipUri":"https://desk.example.com"}'],
    ['VAPI_TRANSFER_DESTINATION', 'not json'],
    ['VAPI_HANDOFF_DESTINATION', '{"type":"number","number":"+14155550123"}'],
    ['VAPI_CAMPAIGN_PREDIAL_ELIGIBLE', 'maybe'],
    ['VAPI_ENDPOINTING_TIMEOUT_SECONDS', '-1'],
    ['VAPI_VOICE_REQUEST_SILENCE_MS', '5000'],
  ])('refuses %s=%s, an answer VAPI would not accept', (name, value) => {
    expect(problemsOf({ ...validEnv, [name]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${name}[.:]`)),
    ]);
  });

  it('keeps the relay deadlines under VAPI’s own (20 s, and 7.5 s for assistant-request)', () => {
    expect(
      problemsOf({
        ...validEnv,
        VAPI_RELAY_TIMEOUT_MS: '20000',
        VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS: '7500',
      }),
    ).toEqual([
      'VAPI_RELAY_TIMEOUT_MS: must stay under VAPI’s 20 s timeout',
      'VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS: must stay under VAPI’s 7.5 s timeout for assistant-request',
    ]);
  });

  it('refuses a relay URL with credentials or another scheme, without echoing it', () => {
    const problems = [
      ...problemsOf({ ...validEnv, VAPI_RELAY_URL: 'https://team:pa55-relay@vapi.example.com/hook' }),
      ...problemsOf({ ...validEnv, VAPI_RELAY_URL: 'ftp://vapi.example.com/hook' }),
    ];
    expect(problems).toEqual([
      'VAPI_RELAY_URL: must not contain credentials',
      expect.stringMatching(/^VAPI_RELAY_URL: must be an http\(s\) URL/),
    ]);
    expect(problems.join()).not.toContain('pa55-relay');
  });

  it('forwards the listed informational types through the outbox, with its retry rule', () => {
    const config = loadConfig({
      ...validEnv,
      VAPI_RELAY_TYPES: 'status-update, end-of-call-report',
      VAPI_RELAY_MAX_AGE_SECONDS: '120',
    });
    expect(relayOutboxSettings(config)).toEqual({
      types: new Set(['status-update', 'end-of-call-report']),
      pollIntervalMs: 5000,
      requestTimeoutMs: 15_000,
      policy: { maxAgeMs: 120_000, retry: { baseDelayMs: 1000, maxDelayMs: 30_000 } },
      enqueueTimeoutMs: 5000,
    });
  });

  it('refuses in VAPI_RELAY_TYPES a request-response type, a made-up type, a long max age and an inverted backoff', () => {
    expect(
      problemsOf({
        ...validEnv,
        VAPI_RELAY_TYPES: 'status-update,tool-calls,status-updte',
        VAPI_RELAY_MAX_AGE_SECONDS: '3601',
      }),
    ).toEqual([
      expect.stringMatching(/^VAPI_RELAY_TYPES\.1: tool-calls is a request-response type/),
      'VAPI_RELAY_TYPES.2: status-updte is not a VAPI server message type',
      expect.stringMatching(/^VAPI_RELAY_MAX_AGE_SECONDS: /),
    ]);
    expect(
      problemsOf({ ...validEnv, VAPI_RELAY_RETRY_BASE_MS: '5000', VAPI_RELAY_RETRY_MAX_MS: '1000' }),
    ).toEqual(['VAPI_RELAY_RETRY_MAX_MS: must not be below VAPI_RELAY_RETRY_BASE_MS']);
  });
});

describe('webhookAuthSettings', () => {
  it('signs "{timestamp}.{body}" by default and only the body without a timestamp', () => {
    const withTimestamp = webhookAuthSettings(loadConfig(validEnv));
    expect(withTimestamp).toMatchObject({
      mode: 'hmac',
      payloadFormat: '{timestamp}.{body}',
      algorithm: 'sha256',
    });
    const bodyOnly = webhookAuthSettings(loadConfig({ ...validEnv, VAPI_HMAC_INCLUDE_TIMESTAMP: 'false' }));
    expect(bodyOnly).toMatchObject({ mode: 'hmac', payloadFormat: '{body}', includeTimestamp: false });
  });

  it('decodes base64 secrets into key bytes', () => {
    const settings = webhookAuthSettings(
      loadConfig({
        ...validEnv,
        VAPI_HMAC_SECRET_IS_BASE64: 'true',
        VAPI_WEBHOOK_SECRET: 'AAECAwQFBgcICQoLDA0ODw==',
      }),
    );
    expect(settings.mode === 'hmac' && settings.keys[0]).toEqual(Buffer.from([...Array(16).keys()]));
  });

  it('uses the configured header for the legacy shared secret', () => {
    const settings = webhookAuthSettings(
      loadConfig({ ...validEnv, VAPI_WEBHOOK_AUTH: 'secret', VAPI_SECRET_HEADER: 'x-custom-secret' }),
    );
    expect(settings).toEqual({
      mode: 'secret',
      secrets: ['whsec-abc-0123456789'],
      headerName: 'x-custom-secret',
    });
  });
});

describe('kestraPushSettings', () => {
  const kestra = { ...validEnv, KESTRA_URL: 'https://kestra.example.com' };

  it('turns push off without KESTRA_URL, whatever else is set', () => {
    expect(kestraPushSettings(loadConfig(validEnv))).toBeUndefined();
    expect(kestraPushSettings(loadConfig({ ...validEnv, KESTRA_API_TOKEN: 'token' }))).toBeUndefined();
  });

  it('applies the documented defaults', () => {
    expect(kestraPushSettings(loadConfig({ ...kestra, KESTRA_API_TOKEN: 'ee-token' }))).toEqual({
      baseUrl: 'https://kestra.example.com',
      kestraMajorVersion: 2,
      defaultTenant: 'main',
      tenants: { defaultTenant: 'main', defaultSourceTenants: ['main'] },
      auth: { type: 'bearer', token: 'ee-token' },
      requestTimeoutMs: 10_000,
      pollIntervalMs: 1000,
      policy: { maxAgeMs: 86_400_000, retry: { baseDelayMs: 1000, maxDelayMs: 300_000 } },
      graceSeconds: 60,
    });
  });

  it('uses basic auth with a username and password', () => {
    const settings = kestraPushSettings(
      loadConfig({ ...kestra, KESTRA_USERNAME: 'admin@example.com', KESTRA_PASSWORD: 'Secret-1' }),
    );
    expect(settings?.auth).toEqual({ type: 'basic', username: 'admin@example.com', password: 'Secret-1' });
  });

  it('wants a username and a password together, and not beside a token', () => {
    expect(problemsOf({ ...kestra, KESTRA_USERNAME: 'admin@example.com' })).toEqual([
      'KESTRA_PASSWORD: KESTRA_USERNAME and KESTRA_PASSWORD go together (Kestra basic auth)',
    ]);
    expect(problemsOf({ ...kestra, KESTRA_PASSWORD: 'Secret-1' })).toEqual([
      'KESTRA_USERNAME: KESTRA_USERNAME and KESTRA_PASSWORD go together (Kestra basic auth)',
    ]);
    expect(
      problemsOf({ ...kestra, KESTRA_USERNAME: 'a', KESTRA_PASSWORD: 'b', KESTRA_API_TOKEN: 'c' }),
    ).toEqual([
      'KESTRA_API_TOKEN: set either KESTRA_API_TOKEN (Enterprise) or KESTRA_USERNAME and KESTRA_PASSWORD, not both',
    ]);
  });

  it('refuses credentials in KESTRA_URL, without echoing them', () => {
    const problems = problemsOf({ ...validEnv, KESTRA_URL: 'https://admin:hunter2@kestra.example.com' });
    expect(problems).toEqual([expect.stringMatching(/^KESTRA_URL: must not contain credentials/)]);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('knows the resume routes of Kestra 2 and of Kestra 1, and no other', () => {
    expect(kestraPushSettings(loadConfig({ ...kestra, KESTRA_MAJOR_VERSION: '1' }))?.kestraMajorVersion).toBe(
      1,
    );
    expect(problemsOf({ ...kestra, KESTRA_MAJOR_VERSION: '3' })).toEqual([
      expect.stringMatching(/^KESTRA_MAJOR_VERSION: /),
    ]);
  });

  it('refuses a retry ceiling below the first delay', () => {
    expect(
      problemsOf({ ...kestra, KESTRA_PUSH_RETRY_BASE_MS: '5000', KESTRA_PUSH_RETRY_MAX_MS: '1000' }),
    ).toEqual(['KESTRA_PUSH_RETRY_MAX_MS: must not be below KESTRA_PUSH_RETRY_BASE_MS']);
  });
});

describe("VAPI's other credential plans: bearer options, oauth2, encryptedPaths", () => {
  const oauthEnv = {
    ...validEnv,
    VAPI_WEBHOOK_AUTH: 'oauth2',
    VAPI_WEBHOOK_SECRET: '',
    VAPI_OAUTH_CLIENT_ID: 'vapi-callbridge',
    VAPI_OAUTH_CLIENT_SECRET: 'new-client-secret-0002, old-client-secret-0001',
    VAPI_OAUTH_SIGNING_KEY: 'signing-key-new-0123456789abcdefghijkl,signing-key-old-0123456789abcdefghijkl',
  };

  it('applies VAPI’s defaults: Authorization with the Bearer prefix, one-hour tokens, 10 failures per window', () => {
    const config = loadConfig(validEnv);
    expect(config.webhookAuth).toMatchObject({
      headers: { bearerHeader: 'Authorization' },
      oauthToken: { rateLimitPerMinute: 60, failedAttemptLimit: 10 },
    });
    expect(webhookAuthSettings(loadConfig({ ...validEnv, VAPI_WEBHOOK_AUTH: 'bearer' }))).toMatchObject({
      headerName: 'Authorization',
      prefixEnabled: true,
    });
    expect(
      webhookAuthSettings(
        loadConfig({
          ...validEnv,
          VAPI_WEBHOOK_AUTH: 'oauth2',
          VAPI_WEBHOOK_SECRET: '',
          VAPI_OAUTH_CLIENT_ID: 'vapi-callbridge',
          VAPI_OAUTH_CLIENT_SECRET: 'new-client-secret-0002',
          VAPI_OAUTH_SIGNING_KEY: 'signing-key-new-0123456789abcdefghijkl',
        }),
      ),
    ).toMatchObject({ tokenTtlSeconds: 3600 });
    expect(config.webhook.store.decryption).toBeUndefined();
  });

  it('turns the bearer options into the verifier’s header and prefix', () => {
    const settings = webhookAuthSettings(
      loadConfig({
        ...validEnv,
        VAPI_WEBHOOK_AUTH: 'bearer',
        VAPI_BEARER_HEADER: 'x-api-key',
        VAPI_BEARER_PREFIX_ENABLED: 'false',
      }),
    );
    expect(settings).toEqual({
      mode: 'bearer',
      tokens: ['whsec-abc-0123456789'],
      headerName: 'x-api-key',
      prefixEnabled: false,
    });
    expect(problemsOf({ ...validEnv, VAPI_BEARER_HEADER: 'x api key' })).toEqual([
      'VAPI_BEARER_HEADER: must be an HTTP header name',
    ]);
  });

  it('wants a client id, a client secret and a signing key with oauth2, and no webhook secret', () => {
    expect(problemsOf({ ...validEnv, VAPI_WEBHOOK_AUTH: 'oauth2', VAPI_WEBHOOK_SECRET: '' })).toEqual([
      'VAPI_OAUTH_CLIENT_ID: is required with VAPI_WEBHOOK_AUTH=oauth2',
      'VAPI_OAUTH_CLIENT_SECRET: is required with VAPI_WEBHOOK_AUTH=oauth2',
      'VAPI_OAUTH_SIGNING_KEY: is required with VAPI_WEBHOOK_AUTH=oauth2',
    ]);
    expect(() => loadConfig(oauthEnv)).not.toThrow();
  });

  it('reads client secrets and signing keys as lists for rotation: the first key signs, each has its own id', () => {
    const settings = webhookAuthSettings(loadConfig({ ...oauthEnv, VAPI_OAUTH_TOKEN_TTL_SECONDS: '300' }));
    expect(settings.mode).toBe('oauth2');
    if (settings.mode !== 'oauth2') return;
    expect(settings).toMatchObject({
      clientId: 'vapi-callbridge',
      clientSecrets: ['new-client-secret-0002', 'old-client-secret-0001'],
      tokenTtlSeconds: 300,
    });
    expect(settings.keys).toHaveLength(2);
    expect(settings.keys[0]?.id).not.toBe(settings.keys[1]?.id);
  });

  it('refuses guessable client secrets and signing keys, and token lifetimes outside a minute to a day', () => {
    const problems = problemsOf({
      ...oauthEnv,
      VAPI_OAUTH_CLIENT_SECRET: 'short-secret',
      VAPI_OAUTH_SIGNING_KEY: 'a-signing-key-under-32-chars',
      VAPI_OAUTH_TOKEN_TTL_SECONDS: '59',
    });
    expect(problems).toEqual([
      'VAPI_OAUTH_CLIENT_SECRET.0: each client secret must be at least 16 characters',
      'VAPI_OAUTH_SIGNING_KEY.0: each signing key must be at least 32 characters',
      expect.stringMatching(/^VAPI_OAUTH_TOKEN_TTL_SECONDS: .*60/),
    ]);
    expect(problems.join(' ')).not.toContain('short-secret');
    expect(problemsOf({ ...oauthEnv, VAPI_OAUTH_TOKEN_TTL_SECONDS: '86401' })).toEqual([
      expect.stringMatching(/^VAPI_OAUTH_TOKEN_TTL_SECONDS: /),
    ]);
    expect(problemsOf({ ...oauthEnv, VAPI_OAUTH_FAILED_ATTEMPT_LIMIT: '0' })).toEqual([
      expect.stringMatching(/^VAPI_OAUTH_FAILED_ATTEMPT_LIMIT: /),
    ]);
  });

  it('reads the private key inline (newlines as \\n) or from a file, and the encrypted paths as a list', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const file = join(mkdtempSync(join(tmpdir(), 'vapi-key-')), 'vapi-private.pem');
    writeFileSync(file, pem);
    for (const value of [pem.trim().replaceAll('\n', '\\n'), file]) {
      const config = loadConfig({
        ...validEnv,
        VAPI_ENCRYPTION_PRIVATE_KEY: value,
        VAPI_ENCRYPTED_PATHS: 'message.customer.number, message.call.customer.number',
      });
      expect(config.webhook.store.decryption?.privateKey?.asymmetricKeyType).toBe('rsa');
      expect(config.webhook.store.decryption?.paths).toEqual([
        'message.customer.number',
        'message.call.customer.number',
      ]);
      // A replay stores a payload already opened when it came in.
      expect(config.webhook.replay).not.toHaveProperty('decryption');
    }
    // Paths without a key: the values are kept as received and marked.
    expect(
      loadConfig({ ...validEnv, VAPI_ENCRYPTED_PATHS: 'message.customer.number' }).webhook.store.decryption,
    ).toEqual({ privateKey: undefined, paths: ['message.customer.number'] });
  });

  it('refuses a key that is not an RSA private key, and a key without paths, never echoing the key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const paths = { VAPI_ENCRYPTED_PATHS: 'message.customer.number' };
    expect(problemsOf({ ...validEnv, ...paths, VAPI_ENCRYPTION_PRIVATE_KEY: ec.toString() })).toEqual([
      'VAPI_ENCRYPTION_PRIVATE_KEY: must be an RSA private key (VAPI encrypts with RSA-OAEP-256)',
    ]);
    const garbled = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5LCBhIHNlY3JldA==\n-----END PRIVATE KEY-----';
    const problems = problemsOf({ ...validEnv, ...paths, VAPI_ENCRYPTION_PRIVATE_KEY: garbled });
    expect(problems).toEqual(['VAPI_ENCRYPTION_PRIVATE_KEY: is not a valid PEM private key']);
    expect(problems.join(' ')).not.toContain('bm90IGEga2V5');
    expect(problemsOf({ ...validEnv, ...paths, VAPI_ENCRYPTION_PRIVATE_KEY: '/no/such/key.pem' })).toEqual([
      'VAPI_ENCRYPTION_PRIVATE_KEY: is neither a PEM private key nor a readable file',
    ]);
    expect(problemsOf({ ...validEnv, VAPI_ENCRYPTION_PRIVATE_KEY: rsa.toString() })).toEqual([
      expect.stringMatching(/^VAPI_ENCRYPTED_PATHS: is required with VAPI_ENCRYPTION_PRIVATE_KEY/),
    ]);
  });
});

describe('production safety settings', () => {
  const production = { ...validEnv, NODE_ENV: 'production' };

  it('refuses /metrics open on the public port in production, not elsewhere', () => {
    const { METRICS_TOKEN: _, ...withoutToken } = production;
    expect(problemsOf(withoutToken)).toEqual([
      'METRICS_TOKEN: or METRICS_PORT is required when NODE_ENV=production: /metrics would be open on the public port',
    ]);
    expect(loadConfig({ ...withoutToken, METRICS_PORT: '9464' }).observability.metrics.port).toBe(9464);
    expect(
      loadConfig({ ...withoutToken, NODE_ENV: 'development' }).observability.metrics.token,
    ).toBeUndefined();
    expect(problemsOf({ ...production, METRICS_HOST: '127.0.0.1' })).toEqual([
      'METRICS_HOST: needs METRICS_PORT: it is the address of the separate metrics listener',
    ]);
    expect(problemsOf({ ...production, METRICS_PORT: '8000' })).toEqual([
      'METRICS_PORT: must differ from PORT: metrics get their own listener',
    ]);
  });

  it('refuses a webhook secret shorter than 16 characters, in each position of the list', () => {
    expect(problemsOf({ ...validEnv, VAPI_WEBHOOK_SECRET: 'x' })).toEqual([
      'VAPI_WEBHOOK_SECRET.0: each secret must be at least 16 characters',
    ]);
    expect(problemsOf({ ...validEnv, VAPI_WEBHOOK_SECRET: 'a-long-enough-secret,short' })).toEqual([
      'VAPI_WEBHOOK_SECRET.1: each secret must be at least 16 characters',
    ]);
    expect(
      webhookAuthSettings(loadConfig({ ...validEnv, VAPI_WEBHOOK_SECRET: '0123456789abcdef' })),
    ).toMatchObject({ keys: [Buffer.from('0123456789abcdef')] });
  });

  it('refuses in production a DATABASE_URL that reaches another host without TLS, without echoing it', () => {
    const plaintext = 'postgres://postgres:s3cret-pw@db.abc.supabase.co:5432/postgres';
    const problems = problemsOf({ ...production, DATABASE_URL: plaintext });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: reaches a non-local host without TLS/)]);
    expect(problems.join()).not.toContain('s3cret-pw');
    for (const accepted of [
      `${plaintext}?sslmode=require`,
      `${plaintext}?sslmode=verify-full`,
      `${plaintext}?ssl=true`,
      `${plaintext}?sslmode=disable`,
      'postgres://postgres:pw@localhost:5432/postgres',
      'postgres://postgres:pw@127.0.0.1:54322/postgres',
      'postgres://postgres:pw@[::1]:5432/postgres',
    ]) {
      expect(loadConfig({ ...production, DATABASE_URL: accepted }).supabase.databaseUrl, accepted).toBe(
        accepted,
      );
    }
    // sslmode=prefer falls back to plaintext silently: not TLS.
    expect(problemsOf({ ...production, DATABASE_URL: `${plaintext}?sslmode=prefer` })).toHaveLength(1);
    expect(
      loadConfig({ ...production, NODE_ENV: 'development', DATABASE_URL: plaintext }).supabase.databaseUrl,
    ).toBe(plaintext);
  });

  it('takes TRUST_PROXY as true/false, a hop count or proxy addresses and CIDR ranges', () => {
    expect(loadConfig({ ...validEnv, TRUST_PROXY: 'true' }).server.trustProxy).toBe(true);
    // A hop count, in the form Fastify takes: the nearest two hops are trusted, the third is the client.
    const hops = loadConfig({ ...validEnv, TRUST_PROXY: '2' }).server.trustProxy;
    expect(typeof hops === 'function' && [0, 1, 2].map((hop) => hops('10.0.0.1', hop))).toEqual([
      true,
      true,
      false,
    ]);
    expect(
      loadConfig({ ...validEnv, TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,2001:db8::/32' }).server.trustProxy,
    ).toEqual(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    for (const wrong of ['yes', '10.0.0.0/33', '10.0.0/8', 'proxy.internal', '1.2.3.4/8/8']) {
      expect(problemsOf({ ...validEnv, TRUST_PROXY: wrong }), wrong).toEqual([
        'TRUST_PROXY: must be true, false, a hop count (such as 1) or a comma-separated list of proxy IPs/CIDRs',
      ]);
    }
  });
});

describe('spool settings', () => {
  it('drains 250 deliveries per database call by default, at most 500', () => {
    expect(loadConfig(validEnv).webhook.spool.drainBatchSize).toBe(250);
    expect(loadConfig({ ...validEnv, SPOOL_DRAIN_BATCH_SIZE: '500' }).webhook.spool.drainBatchSize).toBe(500);
    expect(problemsOf({ ...validEnv, SPOOL_DRAIN_BATCH_SIZE: '501' })).toEqual([
      'SPOOL_DRAIN_BATCH_SIZE: Too big: expected number to be <=500',
    ]);
  });
});
