import { ServiceUnavailableError } from '../lib/http-errors.ts';

export interface SupabaseResponse {
  error: { message: string; code?: string } | null;
  status: number;
}

/**
 * Statuses where the database itself turned the request down because of what was sent (a value
 * Postgres would not take). Everything else — no answer, 5xx, a key or schema problem — is ours to
 * fix or wait out, so callers get 503 and VAPI's backoff plan retries.
 */
const REJECTED_BY_DATABASE = new Set([400, 409, 422]);

export function isRejectedByDatabase(response: SupabaseResponse): boolean {
  return response.error !== null && REJECTED_BY_DATABASE.has(response.status);
}

/** Throws a 503 carrying the Supabase error as its cause (logged, never sent to the caller). */
export function unavailable(response: SupabaseResponse, what: string): never {
  throw new ServiceUnavailableError('The database is unavailable; try again shortly', {
    cause: new Error(
      `${what}: ${response.error?.code ?? ''} ${response.error?.message ?? ''} (HTTP ${response.status})`,
    ),
  });
}
