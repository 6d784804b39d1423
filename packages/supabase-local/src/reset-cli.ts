#!/usr/bin/env -S node --import tsx
// Deletes the local database (LOCAL_SUPABASE_DATA_DIR or .data/supabase), so the next start makes an
// empty one from supabase/migrations. Only ever run by hand: nothing deletes it on its own.
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { localDataDir } from './local-data-dir.ts';

const dataDir = localDataDir();
const postmasterPid = `${dataDir}/postmaster.pid`;
if (existsSync(postmasterPid)) {
  const pid = Number(readFileSync(postmasterPid, 'utf8').split('\n')[0]);
  if (isRunning(pid)) {
    process.stderr.write(`Postgres (pid ${pid}) is running on ${dataDir}: stop pnpm dev first.\n`);
    process.exit(1);
  }
}
await rm(dataDir, { recursive: true, force: true });
await rm(`${dataDir}.pids`, { force: true });
process.stdout.write(
  `deleted ${dataDir}; the next start creates an empty database from supabase/migrations\n`,
);

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
