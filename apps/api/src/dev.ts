// Development entry: with no SUPABASE_URL, starts the local Supabase stack (data kept in .data/)
// and points the API at it; with one, behaves like main.ts. Missing keys get local-only defaults.
import path from 'node:path';
import { localDataDir, OutdatedDataDirError, startLocalSupabase } from '@callbridge/supabase-local';
import { DEV_DEFAULTS } from './config/dev-defaults.ts';
import { runServer } from './server.ts';

const say = (line: string) => process.stderr.write(`[dev] ${line}\n`);
const env: NodeJS.ProcessEnv = { ...DEV_DEFAULTS, ...process.env };
if (!process.env.API_KEYS) say(`API_KEYS is not set: using the local-only key ${DEV_DEFAULTS.API_KEYS}`);
if (!process.env.ADMIN_API_KEYS) {
  say(`ADMIN_API_KEYS is not set: using the local-only admin key ${DEV_DEFAULTS.ADMIN_API_KEYS}`);
}
if (!process.env.VAPI_WEBHOOK_SECRET && env.VAPI_WEBHOOK_AUTH !== 'none') {
  say(`VAPI_WEBHOOK_SECRET is not set: using the local-only secret ${DEV_DEFAULTS.VAPI_WEBHOOK_SECRET}`);
}

const port = env.PORT ?? '8000';
say(`dashboard: http://localhost:${port}/dashboard (sign in with an API_KEYS key)`);
if (env.SIMULATOR_ENABLED === 'true') {
  say(
    'no VAPI needed: `pnpm simulate-call` (or the dashboard’s “Simulate a call” button) plays a signed call',
  );
}

if (env.SUPABASE_URL) {
  await runServer(env);
} else {
  const dataDir = localDataDir(env);
  say(`SUPABASE_URL is not set: starting the local Supabase stack (data in ${dataDir})`);
  const stack = await startLocalSupabase({
    dataDir,
    apiPort: Number(env.LOCAL_SUPABASE_API_PORT ?? 54321),
    dbPort: Number(env.LOCAL_SUPABASE_DB_PORT ?? 54322),
  }).catch((error: unknown) => {
    // A data directory from before the migrations' baseline: say so and how to reset, never wipe it.
    if (!(error instanceof OutdatedDataDirError)) throw error;
    say(error.message);
    process.exit(1);
  });
  say(`local Supabase at ${stack.url} (Postgres: ${stack.dbUrl.replace(/:[^:@]*@/, ':***@')})`);
  await runServer(
    {
      ...env,
      SUPABASE_URL: stack.url,
      SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
      // Long polls woken by LISTEN/NOTIFY, as in production with DATABASE_URL.
      DATABASE_URL: env.DATABASE_URL || stack.dbUrl,
      // A spool beside the data (.data/spool): a webhook the stack is too slow for is still answered 2xx.
      SPOOL_DIR: env.SPOOL_DIR || path.join(path.dirname(dataDir), 'spool'),
    },
    { afterClose: () => stack.stop() },
  );
}
