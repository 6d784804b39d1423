import type { ReadKeyAccess } from '@callbridge/contracts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { generateReadKey, hashReadKey, looksLikeReadKey } from '../lib/credentials.ts';
import { HttpError } from '../lib/http-errors.ts';
import { type ReadKeyRow, readKeyRowSchema } from '../schemas/source-row-schema.ts';
import { supabaseFailure } from './supabase-failure.ts';

const COLUMNS = 'id, name, key_prefix, source_ids, access, expires_at, last_used_at, revoked_at, created_at';
/** last_used_at is a hint for operators: one write a minute per key at most, not one per request. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const uuid = z.uuid();

export interface CreateReadKeyInput {
  name: string;
  sourceIds: string[];
  access: ReadKeyAccess;
  expiresAt?: Date;
}

/** Creates a key scoped to existing sources; answers it with the key itself, which is never stored. */
export async function createReadKey(
  db: SupabaseClient,
  input: CreateReadKeyInput,
): Promise<{ row: ReadKeyRow; key: string }> {
  const sourceIds = [...new Set(input.sourceIds)];
  const found = await db.from('vapi_sources').select('id').in('id', sourceIds);
  if (found.error) supabaseFailure(found, 'checking sources');
  const known = new Set((found.data as { id: string }[]).map((row) => row.id));
  const unknown = sourceIds.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new HttpError(400, `No source ${unknown.join(', ')} exists`);
  const { key, prefix, hash } = generateReadKey();
  const response = await db
    .from('api_read_keys')
    .insert({
      name: input.name,
      key_hash: hash,
      key_prefix: prefix,
      source_ids: sourceIds,
      access: input.access,
      expires_at: input.expiresAt?.toISOString() ?? null,
    })
    .select(COLUMNS)
    .single();
  if (response.error) supabaseFailure(response, 'creating a read key');
  return { row: readKeyRowSchema.parse(response.data), key };
}

export async function listReadKeys(db: SupabaseClient): Promise<ReadKeyRow[]> {
  const response = await db.from('api_read_keys').select(COLUMNS).order('created_at').order('id');
  if (response.error) supabaseFailure(response, 'listing read keys');
  return z.array(readKeyRowSchema).parse(response.data);
}

/** Revokes a key at once (repeating keeps the first revocation time); undefined when no such key. */
export async function revokeReadKey(db: SupabaseClient, keyId: string, now = new Date()) {
  if (!uuid.safeParse(keyId).success) return undefined;
  const response = await db
    .from('api_read_keys')
    .update({ revoked_at: now.toISOString() })
    .eq('id', keyId)
    .is('revoked_at', null)
    .select(COLUMNS);
  if (response.error) supabaseFailure(response, 'revoking a read key');
  const [updated] = z.array(readKeyRowSchema).parse(response.data);
  if (updated) return updated;
  const existing = await db.from('api_read_keys').select(COLUMNS).eq('id', keyId).maybeSingle();
  if (existing.error) supabaseFailure(existing, 'reading a read key');
  return existing.data ? readKeyRowSchema.parse(existing.data) : undefined;
}

/**
 * The scope of a presented read key, or null when it is not one, or is expired or revoked. Looked up
 * by hash (the key is never stored); last_used_at is written when it is older than a minute, by a
 * conditional update so concurrent requests and instances write it once.
 */
export async function resolveReadKey(
  db: SupabaseClient,
  token: string,
  now: Date,
): Promise<{ keyId: string; sourceIds: string[]; mayWrite: boolean } | null> {
  if (!looksLikeReadKey(token)) return null;
  const response = await db
    .from('api_read_keys')
    .select('id, source_ids, access, expires_at, revoked_at, last_used_at')
    .eq('key_hash', hashReadKey(token))
    .maybeSingle();
  if (response.error) supabaseFailure(response, 'resolving a read key');
  if (!response.data) return null;
  const row = readKeyRowSchema
    .pick({
      id: true,
      source_ids: true,
      access: true,
      expires_at: true,
      revoked_at: true,
      last_used_at: true,
    })
    .parse(response.data);
  if (row.revoked_at !== null) return null;
  if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) return null;
  const staleBefore = new Date(now.getTime() - LAST_USED_WRITE_INTERVAL_MS).toISOString();
  if (row.last_used_at === null || Date.parse(row.last_used_at) < Date.parse(staleBefore)) {
    // A failed touch must not refuse a valid key: the hint is simply not updated this time.
    await db
      .from('api_read_keys')
      .update({ last_used_at: now.toISOString() })
      .eq('id', row.id)
      .or(`last_used_at.is.null,last_used_at.lt.${staleBefore}`);
  }
  return { keyId: row.id, sourceIds: row.source_ids, mayWrite: row.access === 'read+write' };
}
