import pg from 'pg';
import { dumpSchema } from './schema-snapshot.ts';
import { DEFAULT_MIGRATIONS_DIR, startLocalSupabase } from './start-local-supabase.ts';

/** The schema `migrationsDir` produces on an empty database (a throwaway local stack, stopped after). */
export async function migratedSchema(migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<string> {
  const stack = await startLocalSupabase({ migrationsDir });
  try {
    const client = new pg.Client({ connectionString: stack.dbUrl });
    await client.connect();
    try {
      return await dumpSchema(client);
    } finally {
      await client.end();
    }
  } finally {
    await stack.stop();
  }
}
