import { z } from 'zod';
import { nonNegativeInt, positiveInt } from './env-fields.ts';

/** The database: Supabase's REST API, and the optional direct Postgres connection. */
export const supabaseEnv = z.object({
  SUPABASE_URL: z.url({
    protocol: /^https?$/,
    error: 'must be an http(s) URL such as https://<ref>.supabase.co',
  }),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1, 'is required (Project Settings → API → service_role key)'),
  SUPABASE_TIMEOUT_MS: positiveInt.default(5000),
  // A direct Postgres connection for LISTEN (long polls woken across instances). Transaction-mode
  // poolers (Supabase's on port 6543) hand the connection to others between statements: LISTEN is lost.
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// URL (Supabase: the direct connection or the session-mode pooler)',
    })
    .refine((url) => URL.parse(url)?.port !== '6543', {
      error:
        "points at port 6543, Supabase's transaction-mode pooler, where LISTEN does not work: use the direct connection (db.<ref>.supabase.co:5432) or the session-mode pooler (port 5432)",
    })
    .optional(),
  // With DATABASE_URL, GET /calls/:callId reads over this many direct connections (0: through PostgREST).
  DATABASE_READ_POOL_MAX: nonNegativeInt.default(4),
});

export const supabaseSettings = supabaseEnv.transform((env) => ({
  url: env.SUPABASE_URL,
  serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
  /** One database call's deadline, through PostgREST or directly. */
  timeoutMs: env.SUPABASE_TIMEOUT_MS,
  databaseUrl: env.DATABASE_URL,
  readPoolMax: env.DATABASE_READ_POOL_MAX,
}));

export type SupabaseSettings = z.output<typeof supabaseSettings>;
