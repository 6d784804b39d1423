import { hmacVerificationSchema, sourceVerificationSchema } from '@callbridge/contracts';
import { describe, expect, it } from 'vitest';
import { hmacPayloadFormat, rotationSteps, vapiSetupSteps } from '../src/lib/vapi-setup-steps.ts';

const URL = 'https://callbridge.example.com/api/v1/vapi/sources/5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e/webhook';
const defaults = sourceVerificationSchema.parse({ mode: 'hmac' });

describe('vapiSetupSteps', () => {
  it('walks through VAPI’s HMAC credential with the default settings, then the server URL', () => {
    expect(vapiSetupSteps(defaults, URL)).toEqual([
      'In VAPI, create a credential with HMAC authentication and paste the secret as its secret key.',
      "Set the credential's settings to match this source: algorithm sha256, signature header x-signature, timestamp header x-timestamp, payload format {timestamp}.{body}, signature encoding hex, no signature prefix.",
      "Deliveries signed more than 300 s away from Callbridge's clock are refused.",
      `Set the Server URL of the assistant, phone number or org whose calls belong to this source to ${URL}.`,
      'Pick that credential as the server’s credential, and save.',
      'Under server messages, enable at least status-update and end-of-call-report.',
    ]);
  });

  it('names changed settings, and leaves out the timestamp when it is not signed', () => {
    const steps = vapiSetupSteps(
      hmacVerificationSchema.parse({
        mode: 'hmac',
        algorithm: 'sha512',
        includeTimestamp: false,
        encoding: 'base64',
        signaturePrefix: 'v1=',
        secretIsBase64: true,
      }),
      URL,
    );
    expect(steps[0]).toContain('it is base64');
    expect(steps[1]).toBe(
      'Set the credential\'s settings to match this source: algorithm sha512, signature header x-signature, payload format {body}, signature encoding base64, signature prefix "v1=".',
    );
    expect(steps.join(' ')).not.toContain('away from Callbridge');
  });

  it('uses a Bearer Token credential for bearer, and the server secret for the legacy header', () => {
    expect(vapiSetupSteps(sourceVerificationSchema.parse({ mode: 'bearer' }), URL).slice(0, 2)).toEqual([
      'In VAPI, create a Bearer Token credential with the secret as its token.',
      'Leave its header name (Authorization) and its Bearer prefix as they are.',
    ]);
    const legacy = vapiSetupSteps({ mode: 'secret', headerName: 'X-Vapi-Secret' }, URL);
    expect(legacy[0]).toContain('server’s Secret');
    expect(legacy.join(' ')).not.toContain('credential');
    expect(vapiSetupSteps({ mode: 'secret', headerName: 'x-token' }, URL)[0]).toBe(
      'In VAPI, add a server header x-token whose value is the secret.',
    );
  });
});

describe('vapiSetupSteps for bearer options and oauth2', () => {
  it('names a custom bearer header and a token sent without the Bearer prefix', () => {
    const steps = vapiSetupSteps(
      { mode: 'bearer', headerName: 'x-api-key', bearerPrefixEnabled: false },
      URL,
    );
    expect(steps[1]).toBe(
      'Set its header name to x-api-key and turn off the Bearer prefix (bearerPrefixEnabled false).',
    );
    expect(vapiSetupSteps({ mode: 'bearer', headerName: 'X-Auth', bearerPrefixEnabled: true }, URL)[1]).toBe(
      'Set its header name to X-Auth and keep the Bearer prefix (bearerPrefixEnabled true).',
    );
  });

  it('gives the source’s token URL, client id and secret for VAPI’s OAuth2 credential', () => {
    const steps = vapiSetupSteps({ mode: 'oauth2', clientId: 'vapi-acme', tokenTtlSeconds: 900 }, URL);
    expect(steps).toEqual([
      'In VAPI, create a credential with OAuth2 authentication (client credentials).',
      'Set its token URL to https://callbridge.example.com/api/v1/vapi/sources/5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e/oauth/token, its client ID to vapi-acme and its client secret to the secret; leave the scope empty (Callbridge does not check it).',
      "VAPI fetches a token there and sends it as a bearer token; each token is valid 900 s and only at this source's URL.",
      `Set the Server URL of the assistant, phone number or org whose calls belong to this source to ${URL}.`,
      'Pick that credential as the server’s credential, and save.',
      'Under server messages, enable at least status-update and end-of-call-report.',
    ]);
  });
});

describe('hmacPayloadFormat', () => {
  it('prefers an explicit format', () => {
    expect(
      hmacPayloadFormat({
        ...defaults,
        mode: 'hmac',
        payloadFormat: '{svix-id}.{timestamp}.{body}',
      } as never),
    ).toBe('{svix-id}.{timestamp}.{body}');
  });
});

describe('rotationSteps', () => {
  it('says where the new secret goes and until when the old one works', () => {
    expect(rotationSteps(defaults, 'Nov 25, 09:00:00')).toEqual([
      'Replace the secret of this source’s HMAC credential in VAPI with the new secret.',
      'Until Nov 25, 09:00:00 the previous secret is still accepted; after that only the new one is.',
    ]);
  });

  it('names the client secret of an OAuth2 credential', () => {
    expect(
      rotationSteps({ mode: 'oauth2', clientId: 'vapi-acme', tokenTtlSeconds: 3600 }, 'Nov 25, 09:00:00')[0],
    ).toBe('Replace the client secret of this source’s OAuth2 credential in VAPI with the new secret.');
  });
});
