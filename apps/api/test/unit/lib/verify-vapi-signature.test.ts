import { describe, expect, it } from 'vitest';
import { verifyVapiWebhook, type WebhookAuthSettings } from '../../../src/lib/verify-vapi-signature.ts';
import { type SignOptions, vapiHmacHeaders } from '../../support/sign-webhook.ts';

const NOW = 1_763_805_600_000;
const SECRET = 'whsec-unit-secret';

type HmacOverrides = Partial<Extract<WebhookAuthSettings, { mode: 'hmac' }>>;

function hmacSettings(overrides: HmacOverrides = {}): WebhookAuthSettings {
  return {
    mode: 'hmac',
    keys: [Buffer.from(SECRET)],
    algorithm: 'sha256',
    signatureHeader: 'x-signature',
    timestampHeader: 'x-timestamp',
    payloadFormat: '{timestamp}.{body}',
    encoding: 'hex',
    signaturePrefix: '',
    includeTimestamp: true,
    toleranceSeconds: 300,
    ...overrides,
  };
}

function verify(settings: WebhookAuthSettings, body: string | Buffer, headers: Record<string, string>) {
  const lowerCased = Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
  );
  return verifyVapiWebhook(
    settings,
    {
      headers: lowerCased,
      rawBody: Buffer.from(body),
      method: 'POST',
      url: 'https://cb.example/api/v1/vapi/webhook',
    },
    NOW,
  );
}

const BODY = JSON.stringify({ message: { type: 'status-update', status: 'ended', call: { id: 'c1' } } });
const signed = (body: string | Buffer = BODY, options: SignOptions = {}) =>
  vapiHmacHeaders(body, { secret: SECRET, timestamp: String(NOW), ...options });

describe('verifyVapiWebhook, HMAC mode', () => {
  it('accepts a request signed with VAPI’s defaults', () => {
    expect(verify(hmacSettings(), BODY, signed())).toMatchObject({ ok: true });
  });

  it.each<[string, HmacOverrides, SignOptions]>([
    ['sha512', { algorithm: 'sha512' }, { algorithm: 'sha512' }],
    ['sha1', { algorithm: 'sha1' }, { algorithm: 'sha1' }],
    ['base64 encoding', { encoding: 'base64' }, { encoding: 'base64' }],
    ['a sha256= prefix', { signaturePrefix: 'sha256=' }, { prefix: 'sha256=' }],
    [
      'a base64 secret',
      { keys: [Buffer.from('c2VjcmV0LWJ5dGVz', 'base64')] },
      { secret: 'c2VjcmV0LWJ5dGVz', secretIsBase64: true },
    ],
    ['no timestamp', { includeTimestamp: false, payloadFormat: '{body}' }, { bodyOnly: true }],
  ])('accepts a request signed with %s when configured for it', (_label, settings, signing) => {
    expect(verify(hmacSettings(settings), BODY, signed(BODY, signing))).toMatchObject({ ok: true });
  });

  it('names the delivery it verified: the signature bytes, and until when its timestamp stays fresh', () => {
    const headers = signed();
    const bytes = Buffer.from(headers['x-signature'] ?? '', 'hex').toString('base64');
    expect(verify(hmacSettings(), BODY, headers)).toEqual({
      ok: true,
      signed: { signature: bytes, untilMs: NOW + 300_000 },
    });
    // Re-encoded, it is the same delivery.
    const upper = { ...headers, 'x-signature': headers['x-signature']?.toUpperCase() ?? '' };
    expect(verify(hmacSettings(), BODY, upper)).toEqual({
      ok: true,
      signed: { signature: bytes, untilMs: NOW + 300_000 },
    });
    // An older timestamp closes its window sooner.
    const older = signed(BODY, { timestamp: String(NOW - 100_000) });
    expect(verify(hmacSettings(), BODY, older)).toMatchObject({ signed: { untilMs: NOW + 200_000 } });
    // Without a timestamp, the tolerance counts from arrival.
    const bodyOnly = signed(BODY, { bodyOnly: true });
    expect(
      verify(hmacSettings({ includeTimestamp: false, payloadFormat: '{body}' }), BODY, bodyOnly),
    ).toMatchObject({ signed: { untilMs: NOW + 300_000 } });
  });

  it('accepts a timestamp in seconds as well as milliseconds', () => {
    const seconds = String(NOW / 1000);
    expect(verify(hmacSettings(), BODY, signed(BODY, { timestamp: seconds }))).toMatchObject({ ok: true });
  });

  it('accepts upper-case hex and header names in any case', () => {
    const headers = signed();
    const upper = { 'X-Signature': headers['x-signature']?.toUpperCase() ?? '', 'X-Timestamp': String(NOW) };
    expect(verify(hmacSettings(), BODY, upper)).toMatchObject({ ok: true });
  });

  it('substitutes {method} and {url} when the payload format names them', () => {
    const settings = hmacSettings({ payloadFormat: '{method} {url} {timestamp} {body}' });
    const format = `POST https://cb.example/api/v1/vapi/webhook ${NOW} `;
    // Sign "<method> <url> <timestamp> <body>" by hand: the helper only knows the default format.
    const headers = vapiHmacHeaders(`${format}${BODY}`, { secret: SECRET, bodyOnly: true });
    expect(verify(settings, BODY, { ...headers, 'x-timestamp': String(NOW) })).toMatchObject({ ok: true });
  });

  it('verifies pretty-printed and non-ASCII bodies exactly as sent', () => {
    const pretty = JSON.stringify({ message: { type: 'hang', note: 'Grüße, 東京 ☎' } }, null, 2);
    expect(verify(hmacSettings(), pretty, signed(pretty))).toMatchObject({ ok: true });
    // The same JSON re-serialized compactly is different bytes, so the signature does not carry over.
    expect(verify(hmacSettings(), JSON.stringify(JSON.parse(pretty)), signed(pretty))).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('rejects a tampered body', () => {
    const tampered = BODY.replace('ended', 'queued');
    expect(verify(hmacSettings(), tampered, signed())).toEqual({ ok: false, reason: 'signature-mismatch' });
  });

  it('rejects a truncated signature', () => {
    const headers = signed();
    const truncated = { ...headers, 'x-signature': headers['x-signature']?.slice(0, 40) ?? '' };
    expect(verify(hmacSettings(), BODY, truncated)).toEqual({ ok: false, reason: 'signature-mismatch' });
    const odd = { ...headers, 'x-signature': headers['x-signature']?.slice(0, 41) ?? '' };
    expect(verify(hmacSettings(), BODY, odd)).toEqual({ ok: false, reason: 'malformed-signature' });
  });

  it('rejects a signature made with another secret, algorithm or encoding', () => {
    expect(verify(hmacSettings(), BODY, signed(BODY, { secret: 'other' }))).toMatchObject({ ok: false });
    expect(verify(hmacSettings(), BODY, signed(BODY, { algorithm: 'sha512' }))).toMatchObject({ ok: false });
    expect(verify(hmacSettings(), BODY, signed(BODY, { encoding: 'base64' }))).toMatchObject({ ok: false });
  });

  it('rejects a signature missing its configured prefix', () => {
    const settings = hmacSettings({ signaturePrefix: 'sha256=' });
    expect(verify(settings, BODY, signed())).toEqual({ ok: false, reason: 'malformed-signature' });
  });

  it.each([
    ['stale', NOW - 301_000, 'stale-timestamp'],
    ['future', NOW + 301_000, 'future-timestamp'],
  ] as const)('rejects a %s timestamp even with a valid signature', (_label, timestamp, reason) => {
    expect(verify(hmacSettings(), BODY, signed(BODY, { timestamp: String(timestamp) }))).toEqual({
      ok: false,
      reason,
    });
  });

  it('accepts a timestamp just inside the tolerance', () => {
    expect(verify(hmacSettings(), BODY, signed(BODY, { timestamp: String(NOW - 299_000) }))).toMatchObject({
      ok: true,
    });
  });

  it('rejects a timestamp that is not a number', () => {
    expect(verify(hmacSettings(), BODY, signed(BODY, { timestamp: '2025-11-22T10:00:00Z' }))).toEqual({
      ok: false,
      reason: 'invalid-timestamp',
    });
  });

  it.each([
    ['signature', 'x-signature', 'missing-signature'],
    ['timestamp', 'x-timestamp', 'missing-timestamp'],
  ] as const)('rejects a request without the %s header', (_label, header, reason) => {
    const headers: Record<string, string> = { ...signed() };
    delete headers[header];
    expect(verify(hmacSettings(), BODY, headers)).toEqual({ ok: false, reason });
  });

  it('accepts either secret while two are configured for a rotation', () => {
    const settings = hmacSettings({ keys: [Buffer.from('old-secret'), Buffer.from('new-secret')] });
    expect(verify(settings, BODY, signed(BODY, { secret: 'old-secret' }))).toMatchObject({ ok: true });
    expect(verify(settings, BODY, signed(BODY, { secret: 'new-secret' }))).toMatchObject({ ok: true });
    expect(verify(settings, BODY, signed(BODY, { secret: 'retired-secret' }))).toMatchObject({ ok: false });
  });
});

describe('verifyVapiWebhook, shared-secret and bearer modes', () => {
  const secretMode: WebhookAuthSettings = {
    mode: 'secret',
    secrets: ['s3cret-a', 's3cret-b'],
    headerName: 'x-vapi-secret',
  };
  const bearerMode: WebhookAuthSettings = {
    mode: 'bearer',
    tokens: ['tok-1'],
    headerName: 'Authorization',
    prefixEnabled: true,
  };

  it('accepts any configured secret in the x-vapi-secret header', () => {
    expect(verify(secretMode, BODY, { 'x-vapi-secret': 's3cret-a' })).toMatchObject({ ok: true });
    expect(verify(secretMode, BODY, { 'X-Vapi-Secret': 's3cret-b' })).toMatchObject({ ok: true });
  });

  it('rejects a wrong or missing secret', () => {
    expect(verify(secretMode, BODY, { 'x-vapi-secret': 's3cret-' })).toEqual({
      ok: false,
      reason: 'secret-mismatch',
    });
    expect(verify(secretMode, BODY, {})).toEqual({ ok: false, reason: 'missing-secret' });
  });

  it('accepts a bearer token and rejects a wrong, missing or prefix-less one', () => {
    expect(verify(bearerMode, BODY, { authorization: 'Bearer tok-1' })).toMatchObject({ ok: true });
    expect(verify(bearerMode, BODY, { authorization: 'Bearer tok-2' })).toEqual({
      ok: false,
      reason: 'bearer-token-mismatch',
    });
    expect(verify(bearerMode, BODY, { authorization: 'tok-1' })).toEqual({
      ok: false,
      reason: 'missing-bearer-token',
    });
    expect(verify(bearerMode, BODY, {})).toEqual({ ok: false, reason: 'missing-bearer-token' });
  });

  it('reads the token from headerName, with or without the Bearer prefix, as VAPI’s bearer plan sends it', () => {
    const custom: WebhookAuthSettings = { ...bearerMode, headerName: 'X-Api-Token', prefixEnabled: false };
    expect(verify(custom, BODY, { 'x-api-token': 'tok-1' })).toMatchObject({ ok: true });
    // Without the prefix the whole header is the token: "Bearer tok-1" is not "tok-1".
    expect(verify(custom, BODY, { 'x-api-token': 'Bearer tok-1' })).toEqual({
      ok: false,
      reason: 'bearer-token-mismatch',
    });
    expect(verify(custom, BODY, { authorization: 'Bearer tok-1' })).toEqual({
      ok: false,
      reason: 'missing-bearer-token',
    });
    const prefixed: WebhookAuthSettings = { ...bearerMode, headerName: 'x-api-token' };
    expect(verify(prefixed, BODY, { 'X-Api-Token': 'Bearer tok-1' })).toMatchObject({ ok: true });
    expect(verify(prefixed, BODY, { 'x-api-token': 'tok-1' })).toEqual({
      ok: false,
      reason: 'missing-bearer-token',
    });
  });
});
