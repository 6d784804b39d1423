#!/usr/bin/env -S node --import tsx
// Starts the local stack on Supabase CLI's ports and prints the variables a client needs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalSupabase } from './start-local-supabase.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = path.resolve(repoRoot, process.env.LOCAL_SUPABASE_DATA_DIR ?? '.data/supabase');
const stack = await startLocalSupabase({
  dataDir,
  apiPort: Number(process.env.LOCAL_SUPABASE_API_PORT ?? 54321),
  dbPort: Number(process.env.LOCAL_SUPABASE_DB_PORT ?? 54322),
});
process.stdout.write(
  `SUPABASE_URL=${stack.url}\nSUPABASE_ANON_KEY=${stack.anonKey}\nSUPABASE_SERVICE_ROLE_KEY=${stack.serviceRoleKey}\nDATABASE_URL=${stack.dbUrl}\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stack.stop().then(() => process.exit(0)));
}
