import type { ReadKey } from '@callbridge/contracts';
import type { ReadKeyRow } from '../schemas/source-row-schema.ts';
import { isoTimestamp, isoTimestampOrNull } from './iso-timestamp.ts';

/** A read key as the admin API shows it: never its hash, its state as of `now`. */
export function toReadKey(row: ReadKeyRow, now: Date): ReadKey {
  const state =
    row.revoked_at !== null
      ? 'revoked'
      : row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()
        ? 'expired'
        : 'active';
  return {
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    sourceIds: row.source_ids,
    access: row.access,
    state,
    expiresAt: isoTimestampOrNull(row.expires_at),
    lastUsedAt: isoTimestampOrNull(row.last_used_at),
    revokedAt: isoTimestampOrNull(row.revoked_at),
    createdAt: isoTimestamp(row.created_at),
  };
}
