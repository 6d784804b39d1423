import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { generateSourceSecret } from '../lib/credentials.ts';
import { type SecretBox, SecretBoxError } from '../lib/secret-box.ts';
import { sourceSecretRowSchema } from '../schemas/source-row-schema.ts';
import { assertSecretFits, getSource, sourceSecretContext } from './source-service.ts';
import { supabaseFailure } from './supabase-failure.ts';

export interface RotateSecretInput {
  /** Generated (256 random bits) when not given. */
  secret?: string;
  /** How long the previous secrets stay valid; 0 revokes them now. */
  overlapSeconds: number;
}

/**
 * Makes a new secret current and lets the previous ones expire after the overlap, in one transaction
 * (rotate_vapi_source_secret). Undefined when no such source.
 */
export async function rotateSourceSecret(
  db: SupabaseClient,
  box: SecretBox,
  sourceId: string,
  input: RotateSecretInput,
  now = new Date(),
): Promise<{ secret: string; previousSecretsExpireAt: Date } | undefined> {
  const source = await getSource(db, sourceId);
  if (!source) return undefined;
  const secret = input.secret ?? generateSourceSecret();
  assertSecretFits(source.verification, secret);
  const response = await db.rpc('rotate_vapi_source_secret', {
    p_source_id: sourceId,
    p_encrypted_secret: box.seal(secret, sourceSecretContext(sourceId)),
    p_overlap_seconds: input.overlapSeconds,
  });
  if (response.error) supabaseFailure(response, 'rotating a source secret');
  if (response.data !== true) return undefined;
  return { secret, previousSecretsExpireAt: new Date(now.getTime() + input.overlapSeconds * 1000) };
}

const PAGE = 500;

/**
 * Re-seals every secret still valid that is under a previous key with SOURCE_SECRETS_KEY: the step of
 * a key rotation between adding the new key and dropping the old one. Safe to repeat.
 */
export async function reencryptSourceSecrets(
  db: SupabaseClient,
  box: SecretBox,
  now = new Date(),
): Promise<{ checked: number; reencrypted: number; undecryptable: number }> {
  const totals = { checked: 0, reencrypted: 0, undecryptable: 0 };
  for (let afterId = 0; ; ) {
    const response = await db
      .from('vapi_source_secrets')
      .select('id, source_id, encrypted_secret')
      .or(`expires_at.is.null,expires_at.gt.${now.toISOString()}`)
      .gt('id', afterId)
      .order('id')
      .limit(PAGE);
    if (response.error) supabaseFailure(response, 'reading source secrets');
    const rows = z.array(sourceSecretRowSchema).parse(response.data);
    for (const row of rows) {
      totals.checked += 1;
      if (!box.isStale(row.encrypted_secret)) continue;
      let plaintext: string;
      try {
        plaintext = box.open(row.encrypted_secret, sourceSecretContext(row.source_id));
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        totals.undecryptable += 1;
        continue;
      }
      const update = await db
        .from('vapi_source_secrets')
        .update({ encrypted_secret: box.seal(plaintext, sourceSecretContext(row.source_id)) })
        .eq('id', row.id)
        .eq('encrypted_secret', row.encrypted_secret);
      if (update.error) supabaseFailure(update, 're-encrypting a source secret');
      totals.reencrypted += 1;
    }
    if (rows.length < PAGE) return totals;
    afterId = rows[rows.length - 1]?.id ?? afterId;
  }
}
