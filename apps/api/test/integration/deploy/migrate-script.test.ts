import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const SCRIPT = path.join(ROOT, 'deploy/kubernetes/migrate.sh');
const MIGRATIONS = path.join(ROOT, 'supabase/migrations');

/** psql as the migrations job runs it; Debian's postgresql-client puts it outside PATH. */
function psqlDir(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (existsSync(path.join(dir, 'psql'))) return dir;
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).sort().reverse() : [];
  for (const version of versions) {
    const dir = path.join(debian, version, 'bin');
    if (existsSync(path.join(dir, 'psql'))) return dir;
  }
  throw new Error('psql is needed for this test: apt-get install postgresql-client');
}

// A database of its own on the test stack's server: the roles (anon, service_role…) are cluster-wide.
const database = `migrate_${process.pid}`;
let databaseUrl: string;
let admin: pg.Client;
beforeAll(async () => {
  const serverUrl = inject('supabase').dbUrl;
  admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
});
afterAll(async () => {
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
});

async function migrate(dir: string) {
  const env = {
    ...process.env,
    PATH: `${psqlDir()}:${process.env.PATH}`,
    DATABASE_URL: databaseUrl,
    MIGRATIONS_DIR: dir,
  };
  return run('sh', [SCRIPT], { env });
}

async function query<Row extends Record<string, unknown>>(sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('deploy/kubernetes/migrate.sh (the migrations job)', () => {
  const versions = readdirSync(MIGRATIONS)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.split('_')[0])
    .sort();

  it('applies every migration in order and records each as the Supabase CLI does', async () => {
    const first = await migrate(MIGRATIONS);
    expect(first.stdout).toContain(`applied ${versions.length} migration(s)`);
    const recorded = await query<{ version: string; name: string; statements: string[] }>(
      'select version, name, statements from supabase_migrations.schema_migrations order by version',
    );
    expect(recorded.map((row) => row.version)).toEqual(versions);
    expect(recorded[0]?.statements[0]).toContain('create');
    const tables = await query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public'",
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['vapi_call_results', 'vapi_webhook_events', 'vapi_sources']),
    );
  });

  it('skips what is applied, so running it again changes nothing', async () => {
    const again = await migrate(MIGRATIONS);
    expect(again.stdout).toContain('applied 0 migration(s)');
  });

  it('stops at a failing migration, leaving neither its changes nor its record', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'callbridge-migrations-'));
    try {
      await cp(MIGRATIONS, dir, { recursive: true });
      await writeFile(
        path.join(dir, '29991231000000_half_done.sql'),
        'create table public.half_done (id int);\nselect no_such_function();\n',
      );
      await writeFile(
        path.join(dir, '29991231000001_after.sql'),
        'create table public.after_failure (id int);\n',
      );
      await expect(migrate(dir)).rejects.toMatchObject({ code: 3 });
      const left = await query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_name in ('half_done', 'after_failure')",
      );
      expect(left).toEqual([]);
      const recorded = await query(
        'select 1 from supabase_migrations.schema_migrations where version >= 29991231000000::text',
      );
      expect(recorded).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
