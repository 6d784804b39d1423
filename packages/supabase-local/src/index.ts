export { applyMigrations, listMigrations, MigrationError } from './apply-migrations.ts';
export { signApiKey } from './jwt-keys.ts';
export {
  DEFAULT_MIGRATIONS_DIR,
  type LocalSupabase,
  type LocalSupabaseOptions,
  startLocalSupabase,
} from './start-local-supabase.ts';
