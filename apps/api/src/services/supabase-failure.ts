import { HttpError, ServiceUnavailableError } from '../lib/http-errors.ts';

export interface SupabaseResponse {
  error: { message: string; code?: string } | null;
  status: number;
}

/**
 * Failures waiting can cure: no answer or a timeout (supabase-js reports status 0), a gateway or
 * PostgREST 5xx (Postgres down, schema cache loading), 408 and 429.
 */
export function isTransientFailure(response: SupabaseResponse): boolean {
  const { status } = response;
  return response.error !== null && (status === 0 || status >= 500 || status === 408 || status === 429);
}

/**
 * Throws what a failed Supabase call means for our caller: 503 when the database is out of reach
 * (try again shortly), 500 when PostgREST refused the request itself, which is this service's bug and
 * not the database's absence. The Supabase error is the cause: logged, never sent to the caller.
 */
export function supabaseFailure(response: SupabaseResponse, what: string): never {
  const cause = new Error(
    `${what}: ${response.error?.code ?? ''} ${response.error?.message ?? ''} (HTTP ${response.status})`,
  );
  databaseFailure(isTransientFailure(response), cause);
}

/** The one shape of a failed database call, whichever way it went: 503 if waiting can cure it, else 500. */
export function databaseFailure(transient: boolean, cause: Error): never {
  if (transient)
    throw new ServiceUnavailableError('The database is unavailable; try again shortly', { cause });
  throw new HttpError(500, 'Internal error', { cause });
}
