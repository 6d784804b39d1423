import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { applyMigrations } from './apply-migrations.ts';
import { signApiKey } from './jwt-keys.ts';
import { startOrphanGuard } from './orphan-guard.ts';
import { type PostgresServer, startPostgres } from './postgres-server.ts';
import { type PostgrestServer, startPostgrest } from './postgrest-server.ts';
import { startRestGateway } from './rest-gateway.ts';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../supabase/migrations', import.meta.url));
const SUPABASE_ROLES_SQL = fileURLToPath(new URL('./supabase-roles.sql', import.meta.url));

/** The Supabase CLI's published local-development JWT secret: dev keys stay valid across restarts. */
const LOCAL_DEV_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

export interface LocalSupabaseOptions {
  /** Keep the database here across restarts. Without it, a throwaway instance in a temp folder. */
  dataDir?: string;
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
  /** Stops PostgREST alone, so tests can watch the API lose its database path. */
  stopRest(): Promise<void>;
  startRest(): Promise<void>;
  stop(): Promise<void>;
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

  if (!persistent) cleanups.push(() => rm(path.dirname(dataDir), { recursive: true, force: true }));

  try {
    const postgres = await startPostgres({
      dataDir,
      port: dbPort,
      password: persistent ? 'postgres' : randomBytes(16).toString('hex'),
      persistent,
      onLog,
    });
    cleanups.push(() => postgres.stop());
    await prepareDatabase(postgres, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR, authenticatorPassword);

    const startRestServer = () =>
      startPostgrest({
        dbUri: `postgresql://authenticator:${authenticatorPassword}@127.0.0.1:${dbPort}/postgres`,
        jwtSecret,
        port: restPort,
        adminPort: restAdminPort,
        onLog,
      });
    let postgrest: PostgrestServer | undefined = await startRestServer();
    cleanups.push(() => postgrest?.stop());

    const postgresPid = await postgres.pid();
    const guardRest = (rest: PostgrestServer) =>
      startOrphanGuard({
        postgresPid,
        postgrestPid: rest.pid() ?? 0,
        removeDir: persistent ? undefined : path.dirname(dataDir),
      });
    let dismissGuard = guardRest(postgrest);
    cleanups.push(() => dismissGuard());

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
      async stopRest() {
        await postgrest?.stop();
        postgrest = undefined;
      },
      async startRest() {
        if (postgrest) return;
        postgrest = await startRestServer();
        dismissGuard();
        dismissGuard = guardRest(postgrest);
      },
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
    await client.query(await readFile(SUPABASE_ROLES_SQL, 'utf8'));
    // A fresh password every start: nothing but this process's PostgREST ever logs in as authenticator.
    await client.query(`alter role authenticator password '${authenticatorPassword}'`);
    await applyMigrations(client, migrationsDir);
    await client.query(`notify pgrst, 'reload schema'`);
  } finally {
    await client.end();
  }
}
