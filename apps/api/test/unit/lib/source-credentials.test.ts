import { createHmac } from 'node:crypto';
import { hmacVerificationSchema, sourceVerificationSchema } from '@callbridge/contracts';
import { describe, expect, it } from 'vitest';
import {
  generateReadKey,
  generateSourceSecret,
  hashReadKey,
  isBase64,
  looksLikeReadKey,
} from '../../../src/lib/credentials.ts';
import { sourceVerificationSettings } from '../../../src/lib/source-verification-settings.ts';
import { sourceWebhookUrl } from '../../../src/lib/source-webhook-url.ts';
import { verifyVapiWebhook } from '../../../src/lib/verify-vapi-signature.ts';

describe('source verification settings', () => {
  it('gives an HMAC source VAPI’s defaults and verifies with every valid secret', () => {
    const verification = sourceVerificationSchema.parse({ mode: 'hmac' });
    const settings = sourceVerificationSettings(verification, ['new-secret', 'old-secret']);
    if (settings.mode !== 'hmac') throw new Error('expected hmac settings');
    expect(settings).toMatchObject({
      mode: 'hmac',
      algorithm: 'sha256',
      signatureHeader: 'x-signature',
      timestampHeader: 'x-timestamp',
      payloadFormat: '{timestamp}.{body}',
      encoding: 'hex',
      signaturePrefix: '',
      toleranceSeconds: 300,
    });
    const body = Buffer.from('{"message":{"type":"status-update"}}');
    const timestamp = '1764000000';
    for (const secret of ['new-secret', 'old-secret', 'expired-secret']) {
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      const result = verifyVapiWebhook(
        settings,
        {
          headers: { 'x-signature': signature, 'x-timestamp': timestamp },
          rawBody: body,
          method: 'POST',
          url: '/',
        },
        1_764_000_000_000,
      );
      expect(result.ok, secret).toBe(secret !== 'expired-secret');
    }
  });

  it('carries every HMAC field across and decodes base64 secrets', () => {
    const verification = hmacVerificationSchema.parse({
      mode: 'hmac',
      algorithm: 'sha512',
      signatureHeader: 'webhook-signature',
      timestampHeader: 'webhook-timestamp',
      includeTimestamp: false,
      encoding: 'base64',
      signaturePrefix: 'v1,',
      secretIsBase64: true,
      messageIdHeader: 'webhook-id',
      toleranceSeconds: 60,
    });
    const settings = sourceVerificationSettings(verification, [Buffer.from('raw key').toString('base64')]);
    expect(settings).toEqual({
      mode: 'hmac',
      keys: [Buffer.from('raw key')],
      algorithm: 'sha512',
      signatureHeader: 'webhook-signature',
      timestampHeader: 'webhook-timestamp',
      includeTimestamp: false,
      payloadFormat: '{body}',
      encoding: 'base64',
      signaturePrefix: 'v1,',
      messageIdHeader: 'webhook-id',
      toleranceSeconds: 60,
    });
  });

  it('maps the secret-header and bearer modes', () => {
    expect(sourceVerificationSettings(sourceVerificationSchema.parse({ mode: 'secret' }), ['s1'])).toEqual({
      mode: 'secret',
      secrets: ['s1'],
      headerName: 'x-vapi-secret',
    });
    expect(
      sourceVerificationSettings(sourceVerificationSchema.parse({ mode: 'bearer' }), ['t1', 't2']),
    ).toEqual({
      mode: 'bearer',
      tokens: ['t1', 't2'],
      headerName: 'Authorization',
      prefixEnabled: true,
    });
    const raw = sourceVerificationSchema.parse({
      mode: 'bearer',
      headerName: 'x-token',
      bearerPrefixEnabled: false,
    });
    expect(sourceVerificationSettings(raw, ['t1'])).toMatchObject({
      headerName: 'x-token',
      prefixEnabled: false,
    });
  });

  it('binds an oauth2 source’s settings to the source, with its secrets as client secrets', () => {
    const verification = sourceVerificationSchema.parse({ mode: 'oauth2', clientId: 'vapi-acme' });
    const key = { id: 'k1', key: new Uint8Array(32) };
    expect(
      sourceVerificationSettings(verification, ['s-new', 's-old'], { id: 'src-1', tokenKeys: [key] }),
    ).toEqual({
      mode: 'oauth2',
      clientId: 'vapi-acme',
      clientSecrets: ['s-new', 's-old'],
      keys: [key],
      audience: 'callbridge:vapi-source:src-1',
      tokenTtlSeconds: 3600,
    });
    expect(sourceVerificationSchema.safeParse({ mode: 'oauth2' }).success).toBe(false);
    expect(
      sourceVerificationSchema.safeParse({ mode: 'oauth2', clientId: 'x', tokenTtlSeconds: 10 }).success,
    ).toBe(false);
  });

  it('refuses settings VAPI could not produce', () => {
    expect(sourceVerificationSchema.safeParse({ mode: 'none' }).success).toBe(false);
    expect(sourceVerificationSchema.safeParse({ mode: 'hmac', payloadFormat: '{timestamp}' }).success).toBe(
      false,
    );
    expect(sourceVerificationSchema.safeParse({ mode: 'hmac', toleranceSeconds: 0 }).success).toBe(false);
    expect(sourceVerificationSchema.safeParse({ mode: 'secret', headerName: 'bad header' }).success).toBe(
      false,
    );
  });
});

describe('credentials', () => {
  it('generates 256-bit source secrets that are valid base64', () => {
    const secret = generateSourceSecret();
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);
    expect(isBase64(secret)).toBe(true);
    expect(generateSourceSecret()).not.toBe(secret);
  });

  it('generates read keys shown with a short prefix and stored as their sha256', () => {
    const { key, prefix, hash } = generateReadKey();
    expect(key).toMatch(/^cbk_[A-Za-z0-9_-]{32}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashReadKey(key)).toBe(hash);
    expect(looksLikeReadKey(key)).toBe(true);
    expect(looksLikeReadKey('local-dev-api-key-0123456789')).toBe(false);
  });

  it('builds the webhook URL from a base with or without a trailing slash', () => {
    expect(sourceWebhookUrl('https://cb.example.com/', 'abc')).toBe(
      'https://cb.example.com/api/v1/vapi/sources/abc/webhook',
    );
    expect(sourceWebhookUrl('http://localhost:8000', 'abc')).toBe(
      'http://localhost:8000/api/v1/vapi/sources/abc/webhook',
    );
  });
});
