import type { SupabaseClient } from '@supabase/supabase-js';
import { forwardableHeaders } from '../lib/relay-headers.ts';
import type { RelaySettlement } from '../lib/relay-retry-policy.ts';
import { type RelayOutboxRow, relayOutboxRowSchema } from '../schemas/relay-outbox-row-schema.ts';
import { settleOutboxRow } from './settle-outbox-row.ts';
import { supabaseFailure } from './supabase-failure.ts';

export interface RelayToEnqueue {
  eventId: number;
  eventType: string;
  url: string;
  /** Node's raw header list as received; only what the relay forwards is kept. */
  rawHeaders: readonly string[];
  body: Buffer;
}

/** Writes the outbox row of a stored informational delivery (VAPI's bytes and forwardable headers). */
export async function enqueueRelay(
  db: SupabaseClient,
  relay: RelayToEnqueue,
  timeoutMs: number,
): Promise<void> {
  // forEach rather than spreading: the clients' DOM-typed builds compile this file too.
  const headers: [string, string][] = [];
  forwardableHeaders(relay.rawHeaders).forEach((value, name) => {
    headers.push([name, value]);
  });
  const response = await db
    .from('vapi_relay_outbox')
    .insert({
      event_id: relay.eventId,
      event_type: relay.eventType,
      relay_url: relay.url,
      headers,
      body: `\\x${relay.body.toString('hex')}`,
    })
    .abortSignal(AbortSignal.timeout(timeoutMs));
  if (response.error) supabaseFailure(response, 'enqueueing a relay');
}

/** Claims up to `limit` due rows for `leaseSeconds`. */
export async function claimRelays(
  db: SupabaseClient,
  claim: { limit: number; leaseSeconds: number },
): Promise<RelayOutboxRow[]> {
  const response = await db.rpc('claim_vapi_relays', {
    p_limit: claim.limit,
    p_lease_seconds: claim.leaseSeconds,
  });
  if (response.error) supabaseFailure(response, 'claiming relays');
  return relayOutboxRowSchema.array().parse(response.data);
}

/** Records an attempt's outcome; false when the lease ran out and another claim holds the row now. */
export function settleRelay(
  db: SupabaseClient,
  row: Pick<RelayOutboxRow, 'id' | 'claim_id'>,
  settlement: RelaySettlement,
): Promise<boolean> {
  return settleOutboxRow(
    db,
    'settle_vapi_relay',
    { id: row.id, claimId: row.claim_id },
    settlement,
    'settling a relay',
  );
}
