import fp from 'fastify-plugin';
import pg from 'pg';
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

export interface CallReadsPluginOptions {
  /** DATABASE_URL: single-call reads go over it when set and poolMax > 0. */
  databaseUrl: string | undefined;
  /** DATABASE_READ_POOL_MAX: connections for reads; 0 keeps reads on PostgREST. */
  poolMax: number;
  /** SUPABASE_TIMEOUT_MS: the same deadline as a read through PostgREST. */
  timeoutMs: number;
}

export const callReadsPlugin = fp<CallReadsPluginOptions>(
  async (app, options) => {
    if (!options.databaseUrl || options.poolMax === 0) {
      app.decorate('readCallRow', postgrestCallRowReader(app.supabase));
      return;
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax,
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
