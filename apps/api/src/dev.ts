// Development entry: with no SUPABASE_URL, starts the local Supabase stack (data kept in .data/)
// and points the API at it; with one, behaves like main.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalSupabase } from '@callbridge/supabase-local';
import { runServer } from './server.ts';

const env: NodeJS.ProcessEnv = { NODE_ENV: 'development', ...process.env };

if (env.SUPABASE_URL) {
  await runServer(env);
} else {
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
  const dataDir = path.resolve(repoRoot, env.LOCAL_SUPABASE_DATA_DIR ?? '.data/supabase');
  process.stderr.write(
    `[dev] SUPABASE_URL is not set: starting the local Supabase stack (data in ${dataDir})\n`,
  );
  const stack = await startLocalSupabase({
    dataDir,
    apiPort: Number(env.LOCAL_SUPABASE_API_PORT ?? 54321),
    dbPort: Number(env.LOCAL_SUPABASE_DB_PORT ?? 54322),
  });
  process.stderr.write(
    `[dev] local Supabase at ${stack.url} (Postgres: ${stack.dbUrl.replace(/:[^:@]*@/, ':***@')})\n`,
  );
  await runServer(
    { ...env, SUPABASE_URL: stack.url, SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey },
    { afterClose: () => stack.stop() },
  );
}
