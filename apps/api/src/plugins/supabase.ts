import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    supabase: SupabaseClient;
  }
}

export interface SupabasePluginOptions {
  url: string;
  serviceRoleKey: string;
  timeoutMs: number;
}

/** supabase-js waits forever on a hung connection; every request gets a deadline instead. */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

/** Decorates the instance with one service-role supabase-js client: server-side, no user session. */
export const supabasePlugin = fp<SupabasePluginOptions>(
  async (app, options) => {
    const client = createClient(options.url, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { fetch: fetchWithTimeout(options.timeoutMs) },
      // postgrest-js retries reads up to 3 times inside each request's deadline, multiplying it; the
      // services decide what to retry (webhook stores, within their budget) and reads get one deadline.
      db: { retry: false },
    });
    app.decorate('supabase', client);
  },
  { name: 'supabase' },
);
