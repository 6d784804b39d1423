import type { SupabaseClient } from '@supabase/supabase-js';
import fp from 'fastify-plugin';
import { createServiceRoleClient } from '../services/service-role-client.ts';
import { type IngestEndpoint, ingestEndpoint } from '../services/store-vapi-events.ts';

declare module 'fastify' {
  interface FastifyInstance {
    supabase: SupabaseClient;
    /** Where webhook stores go (store-vapi-events.ts): the same project and key, as text/plain. */
    ingestEndpoint: IngestEndpoint;
  }
}

export interface SupabasePluginOptions {
  url: string;
  serviceRoleKey: string;
  timeoutMs: number;
}

/** Decorates the instance with one service-role supabase-js client and the ingest endpoint beside it. */
export const supabasePlugin = fp<SupabasePluginOptions>(
  async (app, options) => {
    app.decorate('supabase', createServiceRoleClient(options.url, options.serviceRoleKey, options.timeoutMs));
    app.decorate('ingestEndpoint', ingestEndpoint(options.url, options.serviceRoleKey));
  },
  { name: 'supabase' },
);
