import type { SourceVerification } from '@callbridge/contracts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { generateSourceSecret, isBase64 } from '../lib/credentials.ts';
import { HttpError } from '../lib/http-errors.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { sourceTokenKeys } from '../lib/source-token-keys.ts';
import { sourceVerificationSettings } from '../lib/source-verification-settings.ts';
import type { DeliveryAuthSettings } from '../lib/verify-delivery.ts';
import {
  type SourceOverviewRow,
  sourceOverviewRowSchema,
  sourceWithSecretsRowSchema,
} from '../schemas/source-row-schema.ts';
import { supabaseFailure } from './supabase-failure.ts';

const uuid = z.uuid();
/** As VAPI_OAUTH_CLIENT_SECRET: a client secret short enough to guess is refused. */
const MIN_CLIENT_SECRET_LENGTH = 16;

/** What a sealed secret is bound to: a ciphertext copied to another source's row does not open. */
export function sourceSecretContext(sourceId: string): string {
  return `vapi_source_secrets:${sourceId}`;
}

/** The stored form: the mode in its own column, the rest as jsonb. */
function storedVerification({ mode, ...settings }: SourceVerification) {
  return { verification_mode: mode, verification: settings };
}

export function assertSecretFits(verification: SourceVerification, secret: string): void {
  if (verification.mode === 'hmac' && verification.secretIsBase64 && !isBase64(secret)) {
    throw new HttpError(400, 'The secret must be base64 when verification.secretIsBase64 is true');
  }
  if (verification.mode === 'oauth2' && secret.length < MIN_CLIENT_SECRET_LENGTH) {
    throw new HttpError(
      400,
      `The secret is the OAuth2 client secret: at least ${MIN_CLIENT_SECRET_LENGTH} characters`,
    );
  }
}

export async function getSource(
  db: SupabaseClient,
  sourceId: string,
): Promise<SourceOverviewRow | undefined> {
  if (!uuid.safeParse(sourceId).success) return undefined;
  const response = await db.rpc('vapi_source_overview', { p_source_id: sourceId });
  if (response.error) supabaseFailure(response, 'reading a source');
  const [row] = z.array(sourceOverviewRowSchema).parse(response.data);
  return row;
}

/** Every source with its call count and last delivery, in one round trip. */
export async function listSources(db: SupabaseClient): Promise<SourceOverviewRow[]> {
  const response = await db.rpc('vapi_source_overview', { p_source_id: null });
  if (response.error) supabaseFailure(response, 'listing sources');
  return z.array(sourceOverviewRowSchema).parse(response.data);
}

export interface CreateSourceInput {
  name: string;
  verification: SourceVerification;
  /** Generated (256 random bits) when not given. */
  secret?: string;
  relayUrl?: string;
  /** Undefined: KESTRA_TENANT only. */
  kestraTenants?: string[];
}

/** Creates a source with its first secret, sealed; answers the source and the secret (shown once). */
export async function createSource(
  db: SupabaseClient,
  box: SecretBox,
  input: CreateSourceInput,
): Promise<{ source: SourceOverviewRow; secret: string }> {
  const secret = input.secret ?? generateSourceSecret();
  assertSecretFits(input.verification, secret);
  const id = crypto.randomUUID();
  const { verification_mode, verification } = storedVerification(input.verification);
  const response = await db.rpc('create_vapi_source', {
    p_id: id,
    p_name: input.name,
    p_verification_mode: verification_mode,
    p_verification: verification,
    p_encrypted_secret: box.seal(secret, sourceSecretContext(id)),
    p_kestra_tenants: input.kestraTenants ? [...new Set(input.kestraTenants)] : null,
  });
  if (response.error) supabaseFailure(response, 'creating a source');
  // Its own statement so create_vapi_source keeps its signature; a source without it simply relays nothing.
  const source = input.relayUrl
    ? await patchSource(db, id, { relay_url: input.relayUrl })
    : await getSource(db, id);
  if (!source) throw new HttpError(500, 'Internal error', { cause: new Error('created source not found') });
  return { source, secret };
}

async function validSecrets(db: SupabaseClient, box: SecretBox, sourceId: string, now: Date) {
  const response = await db
    .from('vapi_source_secrets')
    .select('encrypted_secret')
    .eq('source_id', sourceId)
    .or(`expires_at.is.null,expires_at.gt.${now.toISOString()}`)
    .order('created_at', { ascending: false });
  if (response.error) supabaseFailure(response, 'reading source secrets');
  return (response.data as { encrypted_secret: string }[]).map((row) =>
    box.open(row.encrypted_secret, sourceSecretContext(sourceId)),
  );
}

export interface UpdateSourceInput {
  name?: string;
  /** Replaces the verification settings whole; the secret stays. */
  verification?: SourceVerification;
  /** null stops relaying. */
  relayUrl?: string | null;
  /** Null: back to KESTRA_TENANT only. */
  kestraTenants?: string[] | null;
}

/** Updates name, verification settings and relay URL, never the secret; undefined when no such source. */
export async function updateSource(
  db: SupabaseClient,
  box: SecretBox,
  sourceId: string,
  input: UpdateSourceInput,
  now = new Date(),
): Promise<SourceOverviewRow | undefined> {
  if (!uuid.safeParse(sourceId).success) return undefined;
  const secretRules =
    (input.verification?.mode === 'hmac' && input.verification.secretIsBase64) ||
    input.verification?.mode === 'oauth2';
  if (input.verification && secretRules) {
    const verification = input.verification;
    for (const secret of await validSecrets(db, box, sourceId, now)) assertSecretFits(verification, secret);
  }
  const changes = {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.verification === undefined ? {} : storedVerification(input.verification)),
    ...(input.relayUrl === undefined ? {} : { relay_url: input.relayUrl }),
    ...(input.kestraTenants === undefined
      ? {}
      : { kestra_tenants: input.kestraTenants && [...new Set(input.kestraTenants)] }),
  };
  return patchSource(db, sourceId, changes);
}

/** Disables (deliveries refused) or enables a source; undefined when no such source. */
export async function setSourceActive(
  db: SupabaseClient,
  sourceId: string,
  active: boolean,
): Promise<SourceOverviewRow | undefined> {
  if (!uuid.safeParse(sourceId).success) return undefined;
  return patchSource(db, sourceId, { active });
}

async function patchSource(db: SupabaseClient, sourceId: string, changes: Record<string, unknown>) {
  if (Object.keys(changes).length > 0) {
    const response = await db.from('vapi_sources').update(changes).eq('id', sourceId).select('id');
    if (response.error) supabaseFailure(response, 'updating a source');
    if (response.data.length === 0) return undefined;
  }
  return getSource(db, sourceId);
}

/** Deletes a source with its calls, deliveries and secrets in one transaction (delete_vapi_source). */
export async function deleteSource(
  db: SupabaseClient,
  sourceId: string,
): Promise<{ deleted: boolean; calls: number; events: number }> {
  if (!uuid.safeParse(sourceId).success) return { deleted: false, calls: 0, events: 0 };
  const response = await db.rpc('delete_vapi_source', { p_source_id: sourceId });
  if (response.error) supabaseFailure(response, 'deleting a source');
  return z.object({ deleted: z.boolean(), calls: z.number(), events: z.number() }).parse(response.data);
}

/** How a source's deliveries are verified, and where they are relayed (null: nowhere). */
export type ActiveSourceSettings = DeliveryAuthSettings & { relayUrl: string | null };

/**
 * How to verify a delivery to this source's webhook URL at `now`: its settings with every secret
 * still valid (the current one first, then those inside their rotation overlap). Null when the
 * source is unknown or disabled.
 */
export async function findActiveSourceVerification(
  db: SupabaseClient,
  box: SecretBox,
  sourceId: string,
  now: Date,
): Promise<ActiveSourceSettings | null> {
  if (!uuid.safeParse(sourceId).success) return null;
  const response = await db
    .from('vapi_sources')
    .select(
      'id, verification_mode, verification, active, relay_url, vapi_source_secrets(encrypted_secret, created_at, expires_at)',
    )
    .eq('id', sourceId)
    .maybeSingle();
  if (response.error) supabaseFailure(response, 'reading a source');
  if (!response.data) return null;
  const source = sourceWithSecretsRowSchema.parse(response.data);
  if (!source.active) return null;
  const secrets = source.vapi_source_secrets
    .filter((secret) => secret.expires_at === null || Date.parse(secret.expires_at) > now.getTime())
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .map((secret) => box.open(secret.encrypted_secret, sourceSecretContext(sourceId)));
  return {
    ...sourceVerificationSettings(source.verification, secrets, {
      id: sourceId,
      tokenKeys: source.verification.mode === 'oauth2' ? sourceTokenKeys(box) : [],
    }),
    relayUrl: source.relay_url,
  };
}
