import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { applyMigrations, unknownAppliedVersions } from './apply-migrations.ts';
import { signApiKey } from './jwt-keys.ts';
import { startOrphanGuard } from './orphan-guard.ts';
import { type PostgresServer, startPostgres } from './postgres-server.ts';
import { startPostgrest } from './postgrest-server.ts';
import { startRestGateway } from './rest-gateway.ts';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../supabase/migrations', import.meta.url));
const SUPABASE_ROLES_SQL = fileURLToPath(new URL('./supabase-roles.sql', import.meta.url));

/** The Supabase CLI's published local-development JWT secret: dev keys stay valid across restarts. */
const LOCAL_DEV_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

export interface LocalSupabaseOptions {
  /** Keep the database here across restarts. Without it, a throwaway instance in a temp folder. */
  dataDir?: string;
  /**
   * Run as root, where Postgres (run as the `postgres` OS user) gets binaries and data it cannot reach
   * where they are (a clone in a private folder).
   */
  sharedDir?: string;
  migrationsDir?: string;
  /** Port of the `/rest/v1` API (SUPABASE_URL); a free one when not given. */
  apiPort?: number;
  /** Port of Postgres itself; a free one when not given. */
  dbPort?: number;
  onLog?: (line: string) => void;
}

export interface LocalSupabase {
  /** What SUPABASE_URL would be for a hosted project. */
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** Superuser connection string, for tests that inspect the catalog. */
  dbUrl: string;
  /** Where the database files are. */
  dataDir: string;
  /** The running servers' pids, for tests that kill them. */
  pids(): { postgres: number | undefined; postgrest: number | undefined };
  /** Stops PostgREST alone, so tests can watch the API lose its database path. */
  stopRest(): Promise<void>;
  startRest(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_SHARED_DIR = '/var/lib/callbridge-supabase-local';

export const RESET_COMMAND = 'pnpm --filter @callbridge/supabase-local reset';

/** A kept data directory whose schema was made by migrations supabase/migrations no longer has. */
export class OutdatedDataDirError extends Error {
  constructor(
    readonly dataDir: string,
    readonly versions: string[],
  ) {
    super(
      `the local database in ${dataDir} was made by migrations that are no longer in supabase/migrations ` +
        `(${versions.join(', ')}): the schema has a new baseline and this data cannot be upgraded to it. ` +
        `Nothing was changed. To start over with an empty database, run: ${RESET_COMMAND} ` +
        `(it deletes ${dataDir}; with LOCAL_SUPABASE_DATA_DIR set, set it the same way).`,
    );
    this.name = 'OutdatedDataDirError';
  }
}

export async function startLocalSupabase(options: LocalSupabaseOptions = {}): Promise<LocalSupabase> {
  const onLog = options.onLog ?? (() => undefined);
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? (await makeThrowawayDir());
  const jwtSecret = persistent ? LOCAL_DEV_JWT_SECRET : randomBytes(32).toString('hex');
  const authenticatorPassword = randomBytes(16).toString('hex');
  const [dbPort, apiPort, restPort, restAdminPort] = await Promise.all([
    options.dbPort ?? getPort(),
    options.apiPort ?? getPort(),
    getPort(),
    getPort(),
  ]);

  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  const throwawayDir = persistent ? undefined : path.dirname(dataDir);
  if (throwawayDir) cleanups.push(() => rm(throwawayDir, { recursive: true, force: true }));

  // The orphan guard reads the servers' current pids from here, whichever restart they are on.
  const running = { postgres: undefined as number | undefined, postgrest: undefined as number | undefined };
  const pidsFile = `${dataDir}.pids`;
  const recordPids = () =>
    writeFile(pidsFile, [running.postgrest, running.postgres].filter(Boolean).join('\n')).catch((error) =>
      onLog(`could not record server pids: ${(error as Error).message}`),
    );

  try {
    const postgres = await startPostgres({
      dataDir,
      port: dbPort,
      password: persistent ? 'postgres' : randomBytes(16).toString('hex'),
      sharedDir: options.sharedDir ?? DEFAULT_SHARED_DIR,
      onLog,
      onStarted: (pid) => {
        running.postgres = pid;
        void recordPids();
      },
    });
    cleanups.push(async () => {
      await postgres.stop();
      if (!persistent) await rm(postgres.dataDir, { recursive: true, force: true });
    });
    await prepareDatabase(postgres, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR, authenticatorPassword);

    const postgrest = await startPostgrest({
      dbUri: `postgresql://authenticator:${authenticatorPassword}@127.0.0.1:${dbPort}/postgres`,
      jwtSecret,
      port: restPort,
      adminPort: restAdminPort,
      onLog,
      onStarted: (pid) => {
        running.postgrest = pid;
        void recordPids();
      },
    });
    cleanups.push(() => postgrest.stop());

    await recordPids();
    const dismissGuard = startOrphanGuard({
      pidsFile,
      removeDir: throwawayDir,
    });
    cleanups.push(async () => {
      dismissGuard();
      await rm(pidsFile, { force: true });
    });

    const anonKey = await signApiKey('anon', jwtSecret);
    const serviceRoleKey = await signApiKey('service_role', jwtSecret);
    const gateway = await startRestGateway({
      postgrestUrl: postgrest.url,
      port: apiPort,
      apiKeys: [anonKey, serviceRoleKey],
    });
    cleanups.push(() => gateway.close());

    return {
      url: `http://127.0.0.1:${apiPort}`,
      anonKey,
      serviceRoleKey,
      jwtSecret,
      dbUrl: postgres.connectionString,
      dataDir: postgres.dataDir,
      pids: () => ({ postgres: postgres.pid(), postgrest: postgrest.pid() }),
      stopRest: () => postgrest.stop(),
      startRest: () => postgrest.start(),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

async function makeThrowawayDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'supabase-local-'));
  // mkdtemp makes it private to us; under root, Postgres runs as another user that must reach inside.
  await chmod(dir, 0o755);
  return path.join(dir, 'db');
}

async function prepareDatabase(
  postgres: PostgresServer,
  migrationsDir: string,
  authenticatorPassword: string,
): Promise<void> {
  const client = await postgres.connect();
  try {
    // Checked first, before anything is written: an old directory is reported, never altered.
    const unknown = await unknownAppliedVersions(client, migrationsDir);
    if (unknown.length > 0) throw new OutdatedDataDirError(postgres.dataDir, unknown);
    // Once per cluster, as Supabase does when a project is created: run again on every start, its
    // grants would undo the revokes the migrations make.
    const { rowCount } = await client.query(`select from pg_roles where rolname = 'authenticator'`);
    if (rowCount === 0) await client.query(await readFile(SUPABASE_ROLES_SQL, 'utf8'));
    // A fresh password every start: nothing but this process's PostgREST ever logs in as authenticator.
    await client.query(`alter role authenticator password '${authenticatorPassword}'`);
    await applyMigrations(client, migrationsDir);
    await client.query(`notify pgrst, 'reload schema'`);
  } finally {
    await client.end();
  }
}
