import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, MigrationError, startLocalSupabase } from '../src/index.ts';
import { portIsOpen } from './support/port-is-open.ts';

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'supabase-local-test-'));
  tempDirs.push(dir);
  await chmod(dir, 0o755);
  return dir;
}

describe('local stack lifecycle', () => {
  it('keeps a persistent data directory across restarts without re-applying migrations', async () => {
    const dataDir = path.join(await tempDir(), 'db');
    const first = await startLocalSupabase({ dataDir });
    const db = new pg.Client({ connectionString: first.dbUrl });
    await db.connect();
    await db.query(
      `insert into vapi_call_results (call_id, status) values ('kept-across-restarts', 'ended')`,
    );
    await db.end();
    await first.stop();

    const second = await startLocalSupabase({ dataDir });
    try {
      const response = await fetch(
        `${second.url}/rest/v1/vapi_call_results?select=status&call_id=eq.kept-across-restarts`,
        {
          headers: { apikey: second.serviceRoleKey },
        },
      );
      expect(await response.json()).toEqual([{ status: 'ended' }]);
      // Dev keys are signed with the same secret each start, so a saved key keeps working.
      expect(second.serviceRoleKey.split('.')[0]).toBe(first.serviceRoleKey.split('.')[0]);
      expect(second.jwtSecret).toBe(first.jwtSecret);
    } finally {
      await second.stop();
    }
  });

  it('fails loudly on a broken migration, naming the file, and leaves nothing running', async () => {
    const migrationsDir = await tempDir();
    await writeFile(path.join(migrationsDir, '20260101000000_ok.sql'), 'create table ok_table (id int);');
    await writeFile(path.join(migrationsDir, '20260102000000_broken.sql'), 'create tabel nope (id int);');
    const dbPort = 54_000 + Math.floor(Math.random() * 900);

    const attempt = startLocalSupabase({ migrationsDir, dbPort });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(/20260102000000_broken\.sql failed: syntax error/);
    expect(await portIsOpen(dbPort)).toBe(false);
  });

  it('refuses a migration file that is not named <timestamp>_<name>.sql', async () => {
    const migrationsDir = await tempDir();
    await writeFile(path.join(migrationsDir, 'init.sql'), 'select 1;');
    await expect(startLocalSupabase({ migrationsDir })).rejects.toThrow(/init\.sql .* is not named/);
  });

  it('stops Postgres and PostgREST when its parent process is killed outright', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/start-and-hang.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [firstLine] = (await once(child.stdout, 'data')) as [Buffer];
    const { url, dbPort } = JSON.parse(firstLine.toString()) as { url: string; dbPort: string };
    const restResponse = await fetch(`${url}/rest/v1/`).catch(() => undefined);
    expect(restResponse?.status).toBe(401);
    expect(await portIsOpen(Number(dbPort))).toBe(true);

    child.kill('SIGKILL');
    let dbStillOpen = true;
    for (let attempt = 0; attempt < 50 && dbStillOpen; attempt++) {
      await sleep(200);
      dbStillOpen = await portIsOpen(Number(dbPort));
    }
    expect(dbStillOpen).toBe(false);
  });

  it('applies the repository migrations by default', () => {
    expect(DEFAULT_MIGRATIONS_DIR).toMatch(/supabase\/migrations$/);
  });
});

describe('parity with a hosted Supabase project', () => {
  it('keeps every revoke the migrations make when the stack is started again', async () => {
    const dataDir = path.join(await tempDir(), 'db');
    for (let start = 0; start < 2; start++) await (await startLocalSupabase({ dataDir })).stop();
    const stack = await startLocalSupabase({ dataDir });
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ role: string; object: string; privilege: string }>(`
        select r.role, t.object, p.privilege
        from unnest(array['anon', 'authenticated']) as r(role)
        cross join unnest(array['public.vapi_call_results', 'public.vapi_webhook_events']) as t(object)
        cross join unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) as p(privilege)
        where has_table_privilege(r.role, t.object, p.privilege)
        union all
        select r.role, f.oid::regprocedure::text, 'execute'
        from unnest(array['anon', 'authenticated']) as r(role)
        cross join pg_proc f
        where f.pronamespace = 'public'::regnamespace and has_function_privilege(r.role, f.oid, 'execute')`);
      expect(rows).toEqual([]);
    } finally {
      await db.end();
      await stack.stop();
    }
  });
});

describe('a clone in a private folder', () => {
  it.runIf(process.getuid?.() === 0)(
    'starts as root with its data in a folder the postgres user cannot reach',
    async () => {
      const privateDir = await mkdtemp(path.join(tmpdir(), 'supabase-local-private-'));
      tempDirs.push(privateDir);
      const sharedDir = await tempDir();
      const stack = await startLocalSupabase({ dataDir: path.join(privateDir, 'db'), sharedDir });
      try {
        expect(stack.dataDir.startsWith(sharedDir)).toBe(true);
        const response = await fetch(`${stack.url}/rest/v1/vapi_call_results?select=call_id&limit=1`, {
          headers: { apikey: stack.serviceRoleKey },
        });
        expect(response.status).toBe(200);
      } finally {
        await stack.stop();
      }
    },
  );
});
