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
    expect(vapiSetupSteps({ mode: 'bearer' }, URL)[0]).toBe(
      'In VAPI, create a Bearer Token credential with the secret as its token.',
    );
    const legacy = vapiSetupSteps({ mode: 'secret', headerName: 'X-Vapi-Secret' }, URL);
    expect(legacy[0]).toContain('server’s Secret');
    expect(legacy.join(' ')).not.toContain('credential');
    expect(vapiSetupSteps({ mode: 'secret', headerName: 'x-token' }, URL)[0]).toBe(
      'In VAPI, add a server header x-token whose value is the secret.',
    );
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
});
