import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/lib/call-history-cursor.ts';
import { normalizePhoneNumber } from '../../../src/lib/normalize-phone-number.ts';
import { REDACTED } from '../../../src/lib/redact-vapi-payload.ts';
import { SanitizeNotes } from '../../../src/lib/sanitize-notes.ts';
import { sanitizeVapiPayload } from '../../../src/lib/sanitize-vapi-payload.ts';

describe('normalizePhoneNumber', () => {
  it.each([
    '+15555550100',
    '+1 (555) 555-0100',
    '+1.555.555.0100',
    '(555) 555-0100',
    '1-555-555-0100',
    '011 1 555 555 0100',
  ])('reads %s as +15555550100', (input) => {
    expect(normalizePhoneNumber(input, 'US')).toBe('+15555550100');
  });

  it('reads a national number in the default region', () => {
    expect(normalizePhoneNumber('020 7946 0018', 'GB')).toBe('+442079460018');
  });

  it.each(['abc', '123', '+1 555', ''])('rejects %j', (input) => {
    expect(normalizePhoneNumber(input, 'US')).toBeUndefined();
  });
});

describe('sanitizeVapiPayload: redaction', () => {
  const redactVapiPayload = (payload: unknown) => sanitizeVapiPayload(payload, new SanitizeNotes());

  it('replaces credentials wherever they sit and keeps everything else', () => {
    const payload = {
      phoneNumber: {
        number: '+15555550199',
        twilioAuthToken: 'tok',
        twilioApiSecret: 'sec',
        twilioAccountSid: 'AC1',
      },
      assistant: {
        server: { headers: { 'X-Api-Key': 'k', Authorization: 'Bearer z' } },
        credentials: [{ a: 1 }],
      },
      costs: [{ promptTokens: 10, completionTokens: 2 }],
      list: [{ password: 'p' }],
      empty: { secret: null },
    };
    expect(redactVapiPayload(payload)).toEqual({
      phoneNumber: {
        number: '+15555550199',
        twilioAuthToken: REDACTED,
        twilioApiSecret: REDACTED,
        twilioAccountSid: REDACTED,
      },
      assistant: {
        server: { headers: { 'X-Api-Key': REDACTED, Authorization: REDACTED } },
        credentials: REDACTED,
      },
      costs: [{ promptTokens: 10, completionTokens: 2 }],
      list: [{ password: REDACTED }],
      empty: { secret: null },
    });
  });

  it('redacts in place, returning its input', () => {
    const payload = { token: 'x' };
    expect(redactVapiPayload(payload)).toBe(payload);
    expect(payload).toEqual({ token: '[redacted]' });
  });

  it('redacts cloud and provider keys named …Key, and leaves keys that are no credential', () => {
    const secrets = [
      'secretKey',
      'accessKey',
      'awsSecretAccessKey',
      'SecretAccessKey',
      'awsAccessKeyId',
      'authKey',
      'hmacAccessKey',
      'hmacSecret',
      'gcpKey',
      'openAIKey',
      'ocpApimSubscriptionKey',
      'privateKeyId',
      'vonageApplicationPrivateKey',
      'signing_key',
      'encryption-key',
      'client_secret',
      'sessionToken',
      'refreshToken',
      'passphrase',
      'Cookie',
      'credential',
    ];
    const kept = [
      'publicKey',
      'promptCacheKey',
      'providerConfigKey',
      'keypadInputPlan',
      'promptTokens',
      'key',
    ];
    const payload = Object.fromEntries([...secrets, ...kept].map((name) => [name, `value-of-${name}`]));
    expect(redactVapiPayload(payload)).toEqual(
      Object.fromEntries([
        ...secrets.map((name) => [name, REDACTED]),
        ...kept.map((name) => [name, `value-of-${name}`]),
      ]),
    );
  });
});

describe('call history cursor', () => {
  it('round-trips a position', () => {
    const cursor = { createdAt: '2025-11-22T10:00:00.123456+00:00', callId: 'call-1' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each(['', 'not-base64!', Buffer.from('{"createdAt":"x","callId":"y"}').toString('base64url')])(
    'rejects a cursor it did not issue: %j',
    (text) => {
      expect(decodeCursor(text)).toBeUndefined();
    },
  );
});
