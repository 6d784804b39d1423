import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { portIsOpen } from './support/port-is-open.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
// As docs/local-stack.md shows it (apps/api/test/unit/docs/doc-commands.test.ts keeps the two the same).
const DOC_COMMAND = 'pnpm --filter @callbridge/supabase-local start';

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('the documented command for the local stack', () => {
  it('is the one docs/local-stack.md shows', () => {
    expect(readFileSync(path.join(repoRoot, 'docs/local-stack.md'), 'utf8')).toContain(`\n${DOC_COMMAND}\n`);
  });

  it('runs as written: prints the variables a client needs, and stops on Ctrl-C', async () => {
    // Open to the postgres OS user (mkdtemp makes it private), so the data stays here to be deleted.
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'supabase-local-cli-')), 'db');
    await chmod(path.dirname(dataDir), 0o755);
    tempDirs.push(path.dirname(dataDir));
    const [command, ...args] = DOC_COMMAND.split(' ');
    const child = spawn(command as string, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        LOCAL_SUPABASE_DATA_DIR: dataDir,
        LOCAL_SUPABASE_API_PORT: String(await getPort()),
        LOCAL_SUPABASE_DB_PORT: String(await getPort()),
      },
      // Its own process group, so the test can send Ctrl-C the way a terminal does: to the group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (output += text));
    const exited = once(child, 'exit');
    try {
      while (!/DATABASE_URL=\S+/.test(output) && child.exitCode === null) await once(child.stdout, 'data');
      const supabaseUrl = /SUPABASE_URL=(\S+)/.exec(output)?.[1];
      const serviceRoleKey = /SUPABASE_SERVICE_ROLE_KEY=(\S+)/.exec(output)?.[1];
      expect(supabaseUrl, output).toBeDefined();
      const response = await fetch(`${supabaseUrl}/rest/v1/vapi_call_results?select=call_id&limit=1`, {
        headers: { apikey: serviceRoleKey as string },
      });
      expect(response.status).toBe(200);
    } finally {
      process.kill(-(child.pid as number), 'SIGINT');
    }
    await exited;
    // pnpm itself dies of the SIGINT; what matters is that the stack it started stopped too.
    const dbPort = Number(new URL(/DATABASE_URL=(\S+)/.exec(output)?.[1] ?? 'postgres://x:1').port);
    for (let attempt = 0; attempt < 50 && (await portIsOpen(dbPort)); attempt++) await sleep(200);
    expect(await portIsOpen(dbPort)).toBe(false);
  }, 60_000);
});
