import { type SourceVerification, sourceVerificationSchema } from '@callbridge/contracts';

export type VerificationMode = SourceVerification['mode'];

/** The create-source form as the browser holds it: strings and booleans, one field per setting. */
export interface SourceFormValues {
  name: string;
  mode: VerificationMode;
  algorithm: string;
  signatureHeader: string;
  timestampHeader: string;
  includeTimestamp: boolean;
  encoding: string;
  signaturePrefix: string;
  secretIsBase64: boolean;
  toleranceSeconds: string;
  secretHeaderName: string;
  bearerHeaderName: string;
  bearerPrefixEnabled: boolean;
  oauthClientId: string;
  oauthTokenTtlSeconds: string;
}

// VAPI's HMAC credential defaults, which are also the API's: a source made without touching the
// settings verifies what a credential made without touching VAPI's settings signs.
export const DEFAULT_SOURCE_FORM: SourceFormValues = {
  name: '',
  mode: 'hmac',
  algorithm: 'sha256',
  signatureHeader: 'x-signature',
  timestampHeader: 'x-timestamp',
  includeTimestamp: true,
  encoding: 'hex',
  signaturePrefix: '',
  secretIsBase64: false,
  toleranceSeconds: '300',
  secretHeaderName: 'x-vapi-secret',
  // VAPI's BearerAuthenticationPlan defaults.
  bearerHeaderName: 'Authorization',
  bearerPrefixEnabled: true,
  oauthClientId: '',
  oauthTokenTtlSeconds: '3600',
};

export interface CreateSourceBody {
  name: string;
  verification: SourceVerification;
}

export type SourceFormResult = { ok: true; body: CreateSourceBody } | { ok: false; error: string };

function verificationInput(values: SourceFormValues): unknown {
  switch (values.mode) {
    case 'hmac':
      return {
        mode: 'hmac',
        algorithm: values.algorithm,
        signatureHeader: values.signatureHeader.trim(),
        timestampHeader: values.timestampHeader.trim(),
        includeTimestamp: values.includeTimestamp,
        encoding: values.encoding,
        signaturePrefix: values.signaturePrefix,
        secretIsBase64: values.secretIsBase64,
        toleranceSeconds: Number(values.toleranceSeconds),
      };
    case 'secret':
      return { mode: 'secret', headerName: values.secretHeaderName.trim() };
    case 'bearer':
      return {
        mode: 'bearer',
        headerName: values.bearerHeaderName.trim(),
        bearerPrefixEnabled: values.bearerPrefixEnabled,
      };
    case 'oauth2':
      return {
        mode: 'oauth2',
        clientId: values.oauthClientId.trim(),
        tokenTtlSeconds: Number(values.oauthTokenTtlSeconds),
      };
  }
}

/** The POST /api/v1/admin/sources body, checked with the API's own schema before it is sent. */
export function sourceCreateBody(values: SourceFormValues): SourceFormResult {
  const name = values.name.trim();
  if (!name) return { ok: false, error: 'Give the source a name.' };
  const parsed = sourceVerificationSchema.safeParse(verificationInput(values));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'verification'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, body: { name, verification: parsed.data } };
}
