import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from './sign-webhook.ts';

export interface SpawnedApi {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
}

/** Starts an entry point (scripts/dev, the production entry) as its users do, and waits until /ready is 200. */
export async function spawnApi(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    port: number;
    readyTimeoutMs?: number;
    /** Its own process group (pid = pgid), as a terminal gives a foreground job: for Ctrl-C tests. */
    detached?: boolean;
  },
): Promise<SpawnedApi> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: options.detached ?? false,
    env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.setEncoding('utf8').on('data', (text) => (output += text));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited early:\n${output}`);
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { url, child, exited, output: () => output };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${command} was not ready in time:\n${output}`);
}

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/**
 * A data folder for a dev stack in a fresh temp folder, open to the postgres OS user (mkdtemp makes it
 * private), so the stack keeps its data there rather than in the shared folder. Delete its parent after.
 */
export async function devDataDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `callbridge-${label}-`));
  await chmod(dir, 0o755);
  return path.join(dir, 'supabase');
}

/** `scripts/dev` on free ports, its local stack keeping its data in dataDir. */
export async function spawnDevServer(
  dataDir: string,
  options: { detached?: boolean } = {},
): Promise<SpawnedApi> {
  const [port, apiPort, dbPort] = await Promise.all([getPort(), getPort(), getPort()]);
  return spawnApi(path.join(repoRoot, 'scripts/dev'), [], {
    cwd: repoRoot,
    port,
    detached: options.detached,
    env: {
      LOG_LEVEL: 'warn',
      SUPABASE_URL: '',
      VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      LOCAL_SUPABASE_DATA_DIR: dataDir,
      LOCAL_SUPABASE_API_PORT: String(apiPort),
      LOCAL_SUPABASE_DB_PORT: String(dbPort),
    },
  });
}

/** Child pids of a process whose command name is `name`, from /proc. */
export function childPidsNamed(parentPid: number, name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === parentPid && stat.includes(`(${name})`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export interface InFlightWebhook {
  /** Sends the rest of the body and resolves with the answer. */
  finish(): Promise<{ status: number; body: string }>;
}

/**
 * A signed webhook whose headers and first half of the body are on the wire: a request the server has
 * accepted and is still reading, so it is in flight whatever happens next.
 */
export async function startWebhook(url: string, payload: unknown): Promise<InFlightWebhook> {
  const body = Buffer.from(JSON.stringify(payload));
  const request = httpRequest(`${url}/api/v1/vapi/webhook`, {
    method: 'POST',
    headers: { ...vapiHmacHeaders(body), 'content-length': String(body.length) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
  });
  request.write(body.subarray(0, body.length >> 1));
  // The server has the headers and half the body before the caller goes on: long enough for a server on
  // a starved 2-core box to have accepted the connection (one not yet accepted is not in flight).
  await sleep(250);
  return {
    finish: () => {
      request.end(body.subarray(body.length >> 1));
      return answer;
    },
  };
}
