import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Where `pnpm dev` and `supabase-local` keep the local database: LOCAL_SUPABASE_DATA_DIR or .data/supabase. */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(REPO_ROOT, env.LOCAL_SUPABASE_DATA_DIR ?? '.data/supabase');
}
