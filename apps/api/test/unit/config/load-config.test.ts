import { describe, expect, it } from 'vitest';
import { kestraPushSettings } from '../../../src/config/kestra-push-settings.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { webhookAuthSettings } from '../../../src/config/webhook-auth-settings.ts';
import { problemsOf, validEnv } from '../../support/config-env.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(validEnv);
    expect(config).toMatchObject({
      PORT: 8000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      TRUST_PROXY: false,
      VAPI_WEBHOOK_AUTH: 'hmac',
      VAPI_TIMESTAMP_TOLERANCE_SECONDS: 300,
      WEBHOOK_BODY_LIMIT_BYTES: 1_048_576,
      RESULT_GRACE_PERIOD_SECONDS: 60,
      REPLAY_MAX_EVENTS: 10_000,
      WEBHOOK_BATCH_MAX_WAIT_MS: 5,
      WEBHOOK_BATCH_MAX_SIZE: 32,
    });
    expect(config.METRICS_TOKEN).toBeUndefined();
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
    ).toMatchObject({
      WEBHOOK_BATCH_MAX_WAIT_MS: 0,
      WEBHOOK_BATCH_MAX_SIZE: 1,
    });
    expect(
      problemsOf({ ...validEnv, WEBHOOK_BATCH_MAX_WAIT_MS: '101', WEBHOOK_BATCH_MAX_SIZE: '0' }),
    ).toEqual([
      expect.stringMatching(/^WEBHOOK_BATCH_MAX_WAIT_MS: /),
      expect.stringMatching(/^WEBHOOK_BATCH_MAX_SIZE: /),
    ]);
  });

  it('logs six chatty message types as metadata only by default; `none` keeps every payload', () => {
    expect(loadConfig(validEnv).EVENT_PAYLOAD_METADATA_ONLY_TYPES).toEqual([
      'conversation-update',
      'speech-update',
      'model-output',
      'transcript',
      'user-interrupted',
      'voice-input',
    ]);
    expect(
      loadConfig({ ...validEnv, EVENT_PAYLOAD_METADATA_ONLY_TYPES: 'none' })
        .EVENT_PAYLOAD_METADATA_ONLY_TYPES,
    ).toEqual([]);
  });

  it('refuses to drop the payloads calls are merged from', () => {
    expect(problemsOf({ ...validEnv, EVENT_PAYLOAD_METADATA_ONLY_TYPES: 'hang,end-of-call-report' })).toEqual(
      [
        'EVENT_PAYLOAD_METADATA_ONLY_TYPES: must not list end-of-call-report or status-update: calls are merged from their payloads',
      ],
    );
  });

  it('names every missing required variable', () => {
    expect(problemsOf({})).toEqual([
      'SUPABASE_URL: is required',
      'SUPABASE_SERVICE_ROLE_KEY: is required',
      'API_KEYS: is required',
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
    expect(config.PORT).toBe(9001);
    expect(config.TRUST_PROXY).toBe(true);
  });

  it('reads comma-separated API keys and webhook secrets for rotation', () => {
    const config = loadConfig({
      ...validEnv,
      API_KEYS: 'key-one-0123456789, key-two-0123456789',
      VAPI_WEBHOOK_SECRET: 'a,b',
    });
    expect(config.API_KEYS).toEqual(['key-one-0123456789', 'key-two-0123456789']);
    expect(config.VAPI_WEBHOOK_SECRET).toEqual(['a', 'b']);
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
    expect(loadConfig(validEnv).WEBHOOK_RECENT_SIGNATURES_MAX).toBe(100_000);
    expect(problemsOf({ ...validEnv, WEBHOOK_RECENT_SIGNATURES_MAX: '10' })).toEqual([
      expect.stringMatching(/^WEBHOOK_RECENT_SIGNATURES_MAX: /),
    ]);
  });

  it('refuses a secret that is not base64 when the credential says it is', () => {
    expect(
      problemsOf({ ...validEnv, VAPI_HMAC_SECRET_IS_BASE64: 'true', VAPI_WEBHOOK_SECRET: 'not base64!' }),
    ).toEqual(['VAPI_WEBHOOK_SECRET: must be base64 when VAPI_HMAC_SECRET_IS_BASE64=true']);
  });

  it('takes a direct Postgres URL for LISTEN and refuses the transaction-mode pooler, without echoing it', () => {
    expect(loadConfig(validEnv).DATABASE_URL).toBeUndefined();
    const direct = 'postgresql://postgres:s3cret-pw@db.abc.supabase.co:5432/postgres';
    expect(loadConfig({ ...validEnv, DATABASE_URL: direct }).DATABASE_URL).toBe(direct);
    const pooled = 'postgres://postgres.abc:s3cret-pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres';
    const problems = problemsOf({ ...validEnv, DATABASE_URL: pooled });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: .*6543.*transaction-mode/)]);
    expect(problems.join()).not.toContain('s3cret-pw');
    expect(problemsOf({ ...validEnv, DATABASE_URL: 'https://abc.supabase.co' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\/ URL/),
    ]);
  });

  it('reads single calls over 4 direct connections by default, 0 meaning through PostgREST', () => {
    expect(loadConfig(validEnv).DATABASE_READ_POOL_MAX).toBe(4);
    expect(loadConfig({ ...validEnv, DATABASE_READ_POOL_MAX: '0' }).DATABASE_READ_POOL_MAX).toBe(0);
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
      loadConfig({ ...validEnv, VAPI_HMAC_SECRET_IS_BASE64: 'true', VAPI_WEBHOOK_SECRET: 'AAEC' }),
    );
    expect(settings.mode === 'hmac' && settings.keys[0]).toEqual(Buffer.from([0, 1, 2]));
  });

  it('uses the configured header for the legacy shared secret', () => {
    const settings = webhookAuthSettings(
      loadConfig({ ...validEnv, VAPI_WEBHOOK_AUTH: 'secret', VAPI_SECRET_HEADER: 'x-custom-secret' }),
    );
    expect(settings).toEqual({ mode: 'secret', secrets: ['whsec-abc'], headerName: 'x-custom-secret' });
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
