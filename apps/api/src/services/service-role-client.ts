import { createClient, type SupabaseClient } from '@supabase/supabase-js';

/** supabase-js waits forever on a hung connection; every request gets a deadline instead. */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

/** One service-role supabase-js client: server-side, no user session, a deadline on every request. */
export function createServiceRoleClient(
  url: string,
  serviceRoleKey: string,
  timeoutMs: number,
): SupabaseClient {
  return createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: fetchWithTimeout(timeoutMs) },
    // postgrest-js retries reads up to 3 times inside each request's deadline, multiplying it; the
    // services decide what to retry (webhook stores, within their budget) and reads get one deadline.
    db: { retry: false },
  });
}
