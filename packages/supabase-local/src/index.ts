export {
  applyMigrations,
  listMigrations,
  MigrationError,
  unknownAppliedVersions,
} from './apply-migrations.ts';
export { signApiKey } from './jwt-keys.ts';
export { localDataDir } from './local-data-dir.ts';
export {
  DEFAULT_MIGRATIONS_DIR,
  type LocalSupabase,
  type LocalSupabaseOptions,
  OutdatedDataDirError,
  RESET_COMMAND,
  startLocalSupabase,
} from './start-local-supabase.ts';
