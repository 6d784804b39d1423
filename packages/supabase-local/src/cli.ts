#!/usr/bin/env -S node --import tsx
// Starts the local stack on Supabase CLI's ports and prints the variables a client needs.
import { localDataDir } from './local-data-dir.ts';
import { OutdatedDataDirError, startLocalSupabase } from './start-local-supabase.ts';

const stack = await startLocalSupabase({
  dataDir: localDataDir(),
  apiPort: Number(process.env.LOCAL_SUPABASE_API_PORT ?? 54321),
  dbPort: Number(process.env.LOCAL_SUPABASE_DB_PORT ?? 54322),
}).catch((error: unknown) => {
  if (!(error instanceof OutdatedDataDirError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
process.stdout.write(
  `SUPABASE_URL=${stack.url}\nSUPABASE_ANON_KEY=${stack.anonKey}\nSUPABASE_SERVICE_ROLE_KEY=${stack.serviceRoleKey}\nDATABASE_URL=${stack.dbUrl}\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stack.stop().then(() => process.exit(0)));
}
