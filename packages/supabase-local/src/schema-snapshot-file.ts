import { fileURLToPath } from 'node:url';

/** The checked-in snapshot of the schema supabase/migrations produces. */
export const SCHEMA_SNAPSHOT_FILE = fileURLToPath(new URL('../../../supabase/schema.sql', import.meta.url));

export const SNAPSHOT_COMMAND = 'pnpm --filter @callbridge/supabase-local schema:snapshot';

export function snapshotText(schema: string): string {
  return `-- The schema supabase/migrations produces on an empty database, object by object in name order.
-- Generated: do not edit. After changing a migration, run: ${SNAPSHOT_COMMAND}

${schema}`;
}
