import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, RESET_COMMAND, startLocalSupabase } from '../src/index.ts';

const parent = await mkdtemp(path.join(tmpdir(), 'supabase-local-outdated-'));
// Under root, Postgres runs as another user that must reach inside (as for a throwaway stack).
await chmod(parent, 0o755);
const dataDir = path.join(parent, 'supabase');

afterAll(() => rm(parent, { recursive: true, force: true }));

describe('a kept data directory made by migrations that are gone', () => {
  it('stops the start with the directory and the reset command, and leaves the data as it was', async () => {
    const first = await startLocalSupabase({ dataDir });
    const db = new pg.Client({ connectionString: first.dbUrl });
    await db.connect();
    // What a database made by the pre-baseline migrations has recorded.
    await db.query(
      `insert into supabase_migrations.schema_migrations (version, name) values ('20261122000000', 'create_call_results')`,
    );
    await db.query('create table public.kept_by_the_old_schema (id int)');
    await db.end();
    await first.stop();

    const failed = await startLocalSupabase({ dataDir }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed?.name).toBe('OutdatedDataDirError');
    expect(failed?.message).toContain(dataDir);
    expect(failed?.message).toContain('20261122000000');
    expect(failed?.message).toContain(RESET_COMMAND);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);

    // Still the same database: started with the old migration present again, the table is there.
    const oldMigrations = path.join(parent, 'old-migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, oldMigrations, { recursive: true });
    await writeFile(path.join(oldMigrations, '20261122000000_create_call_results.sql'), 'select 1;');
    const reopened = await startLocalSupabase({ dataDir, migrationsDir: oldMigrations });
    const check = new pg.Client({ connectionString: reopened.dbUrl });
    await check.connect();
    const { rowCount } = await check.query(
      `select from pg_tables where tablename = 'kept_by_the_old_schema'`,
    );
    await check.end();
    await reopened.stop();
    expect(rowCount).toBe(1);
  }, 90_000);
});
