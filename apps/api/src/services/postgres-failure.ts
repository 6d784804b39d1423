import { databaseFailure } from './supabase-failure.ts';

// SQLSTATE classes waiting can cure: connection exceptions, insufficient resources, operator
// intervention (shutdown, cancelled by statement_timeout).
const TRANSIENT_CLASSES = new Set(['08', '53', '57']);

/**
 * What a failed query on the direct connection means for our caller, as supabaseFailure does for
 * PostgREST: 503 when the database is out of reach or timed out, 500 when Postgres refused the query
 * itself. The error is the cause: logged, never sent (pg errors never carry the connection string).
 */
export function postgresFailure(error: unknown, what: string): never {
  const code = (error as { code?: unknown } | null)?.code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const cause = new Error(`${what}: ${sqlState ?? ''} ${(error as Error | null)?.message ?? ''}`.trim());
  databaseFailure(sqlState === undefined || TRANSIENT_CLASSES.has(sqlState.slice(0, 2)), cause);
}
