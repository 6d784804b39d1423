import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_FORM, sourceCreateBody } from '../src/lib/source-form.ts';

describe('sourceCreateBody', () => {
  it('sends VAPI’s HMAC credential defaults for an untouched form', () => {
    expect(sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: '  Acme org ' })).toEqual({
      ok: true,
      body: {
        name: 'Acme org',
        verification: {
          mode: 'hmac',
          algorithm: 'sha256',
          signatureHeader: 'x-signature',
          timestampHeader: 'x-timestamp',
          includeTimestamp: true,
          encoding: 'hex',
          signaturePrefix: '',
          secretIsBase64: false,
          toleranceSeconds: 300,
        },
      },
    });
  });

  it('carries changed HMAC settings, with the tolerance as a number', () => {
    const result = sourceCreateBody({
      ...DEFAULT_SOURCE_FORM,
      name: 'EU',
      algorithm: 'sha512',
      signatureHeader: ' x-vapi-signature ',
      encoding: 'base64',
      signaturePrefix: 'sha512=',
      includeTimestamp: false,
      toleranceSeconds: '600',
    });
    expect(result.ok && result.body.verification).toMatchObject({
      mode: 'hmac',
      algorithm: 'sha512',
      signatureHeader: 'x-vapi-signature',
      encoding: 'base64',
      signaturePrefix: 'sha512=',
      includeTimestamp: false,
      toleranceSeconds: 600,
    });
  });

  it('sends only the mode’s own settings for the other modes', () => {
    expect(sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: 'b', mode: 'bearer' })).toEqual({
      ok: true,
      body: {
        name: 'b',
        verification: { mode: 'bearer', headerName: 'Authorization', bearerPrefixEnabled: true },
      },
    });
    expect(
      sourceCreateBody({
        ...DEFAULT_SOURCE_FORM,
        name: 'b',
        mode: 'bearer',
        bearerHeaderName: ' x-api-key ',
        bearerPrefixEnabled: false,
      }),
    ).toEqual({
      ok: true,
      body: {
        name: 'b',
        verification: { mode: 'bearer', headerName: 'x-api-key', bearerPrefixEnabled: false },
      },
    });
    expect(
      sourceCreateBody({
        ...DEFAULT_SOURCE_FORM,
        name: 'o',
        mode: 'oauth2',
        oauthClientId: ' vapi-acme ',
        oauthTokenTtlSeconds: '900',
      }),
    ).toEqual({
      ok: true,
      body: { name: 'o', verification: { mode: 'oauth2', clientId: 'vapi-acme', tokenTtlSeconds: 900 } },
    });
    expect(
      sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: 's', mode: 'secret', secretHeaderName: 'x-token' }),
    ).toEqual({ ok: true, body: { name: 's', verification: { mode: 'secret', headerName: 'x-token' } } });
  });

  it('refuses a blank name, a header name with a space and a tolerance that is not a number', () => {
    expect(sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: '   ' })).toEqual({
      ok: false,
      error: 'Give the source a name.',
    });
    const badHeader = sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: 'a', signatureHeader: 'x sig' });
    expect(badHeader.ok === false && badHeader.error).toMatch(/^signatureHeader: /);
    const badTolerance = sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: 'a', toleranceSeconds: 'soon' });
    expect(badTolerance.ok === false && badTolerance.error).toMatch(/^toleranceSeconds: /);
    const noClientId = sourceCreateBody({ ...DEFAULT_SOURCE_FORM, name: 'a', mode: 'oauth2' });
    expect(noClientId.ok === false && noClientId.error).toMatch(/^clientId: /);
    const shortTtl = sourceCreateBody({
      ...DEFAULT_SOURCE_FORM,
      name: 'a',
      mode: 'oauth2',
      oauthClientId: 'vapi',
      oauthTokenTtlSeconds: '10',
    });
    expect(shortTtl.ok === false && shortTtl.error).toMatch(/^tokenTtlSeconds: /);
  });
});
