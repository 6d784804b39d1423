import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

/** Supabase CLI names migrations `<version>_<name>.sql`, the version being a timestamp. */
const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

export class MigrationError extends Error {
  constructor(
    readonly migration: MigrationFile,
    cause: unknown,
  ) {
    super(`migration ${path.basename(migration.file)} failed: ${(cause as Error).message}`, { cause });
    this.name = 'MigrationError';
  }
}

export async function listMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir);
  const migrations: MigrationFile[] = [];
  for (const entry of entries) {
    if (!entry.endsWith('.sql')) continue;
    const match = MIGRATION_FILE.exec(entry);
    if (!match?.[1] || !match[2]) {
      throw new Error(`${entry} in ${migrationsDir} is not named <timestamp>_<name>.sql`);
    }
    migrations.push({ version: match[1], name: match[2], file: path.join(migrationsDir, entry) });
  }
  return migrations.sort((a, b) => a.version.localeCompare(b.version));
}

/**
 * Versions recorded as applied that supabase/migrations no longer has: a database made by migrations
 * since replaced (the pre-release ones squashed into the baseline). Empty for a new database.
 */
export async function unknownAppliedVersions(client: pg.Client, migrationsDir: string): Promise<string[]> {
  const { rows: tables } = await client.query(
    `select from pg_tables where schemaname = 'supabase_migrations' and tablename = 'schema_migrations'`,
  );
  if (tables.length === 0) return [];
  const known = new Set((await listMigrations(migrationsDir)).map((migration) => migration.version));
  const { rows } = await client.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations order by version',
  );
  return rows.map((row) => row.version).filter((version) => !known.has(version));
}

/**
 * Applies pending migrations in order, each in its own transaction, recording them in the same
 * table the Supabase CLI uses, so `supabase migration list` and this runner agree.
 * Returns the versions it applied.
 */
export async function applyMigrations(client: pg.Client, migrationsDir: string): Promise<string[]> {
  await client.query(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      statements text[],
      name text
    );`);
  const { rows } = await client.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations',
  );
  const applied = new Set(rows.map((row) => row.version));
  const appliedNow: string[] = [];
  for (const migration of await listMigrations(migrationsDir)) {
    if (applied.has(migration.version)) continue;
    const sql = await readFile(migration.file, 'utf8');
    try {
      await client.query('begin');
      await client.query(sql);
      await client.query(
        'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
        [migration.version, [sql], migration.name],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw new MigrationError(migration, error);
    }
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
