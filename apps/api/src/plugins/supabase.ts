import type { SupabaseClient } from '@supabase/supabase-js';
import fp from 'fastify-plugin';
import { createServiceRoleClient } from '../services/service-role-client.ts';

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

/** Decorates the instance with one service-role supabase-js client. */
export const supabasePlugin = fp<SupabasePluginOptions>(
  async (app, options) => {
    app.decorate('supabase', createServiceRoleClient(options.url, options.serviceRoleKey, options.timeoutMs));
  },
  { name: 'supabase' },
);
