import fp from 'fastify-plugin';
import pg from 'pg';
import type { SupabaseSettings } from '../config/supabase-settings.ts';
import {
  type CallRowReader,
  postgresCallRowReader,
  postgrestCallRowReader,
} from '../services/call-row-reader.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** How GET /calls/:callId (and its long poll) reads a call's row. */
    readCallRow: CallRowReader;
  }
}

/**
 * supabase.databaseUrl: single-call reads go over it when set and readPoolMax (DATABASE_READ_POOL_MAX)
 * is above 0, with SUPABASE_TIMEOUT_MS as the deadline, the same as a read through PostgREST.
 */
export type CallReadsPluginOptions = Pick<SupabaseSettings, 'databaseUrl' | 'readPoolMax' | 'timeoutMs'>;

export const callReadsPlugin = fp<CallReadsPluginOptions>(
  async (app, options) => {
    if (!options.databaseUrl || options.readPoolMax === 0) {
      app.decorate('readCallRow', postgrestCallRowReader(app.supabase));
      return;
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.readPoolMax,
      connectionTimeoutMillis: options.timeoutMs,
      query_timeout: options.timeoutMs,
      statement_timeout: options.timeoutMs,
      application_name: 'callbridge-reads',
    });
    // An idle connection the server dropped: the pool discards it, the next read opens another.
    pool.on('error', (error) =>
      app.log.warn({ code: (error as { code?: string }).code }, 'read connection lost'),
    );
    app.decorate('readCallRow', postgresCallRowReader(pool));
    app.addHook('onClose', () => pool.end());
  },
  { name: 'call-reads', dependencies: ['supabase'] },
);
